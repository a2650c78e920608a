package sqlite

import (
	"database/sql"
	"fmt"

	"guichet/portal/storage"
)

// readStmts are the read pool's statements of every request of an officer
// (the token's account, a feed page, a complaint), prepared once: a query
// given as text is parsed and planned again at each call, which on a
// portal answering hundreds of requests a second is CPU the requests of
// the moment wait for. database/sql prepares each on a connection of the
// pool the first time it runs there.
type readStmts struct {
	officerByToken, complaint, feedPage, feedPageCount, changeSeq *sql.Stmt
}

func (r *readStmts) prepare(db *sql.DB) error {
	for _, q := range []struct {
		st  **sql.Stmt
		sql string
	}{
		{&r.officerByToken, `SELECT ` + storage.OfficerColumns + ` FROM officers WHERE token_hash = ?`},
		{&r.complaint, `SELECT zone, version, record FROM complaints WHERE ref = ?`},
		{&r.feedPage, qFeedPage},
		{&r.feedPageCount, qFeedPageCount},
		{&r.changeSeq, `SELECT value FROM change_seq WHERE id = 1`},
	} {
		st, err := db.Prepare(q.sql)
		if err != nil {
			r.close()
			return fmt.Errorf("prepare: %w", err)
		}
		*q.st = st
	}
	return nil
}

func (r *readStmts) close() {
	for _, st := range []*sql.Stmt{r.officerByToken, r.complaint, r.feedPage, r.feedPageCount, r.changeSeq} {
		if st != nil {
			st.Close()
		}
	}
	*r = readStmts{}
}
