package sqlite

import (
	"context"
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

// shortRead is the context of a read of a few milliseconds on the read
// pool (a token's account, a feed page, a complaint): ctx's values without
// its end, once ctx is checked. With a context that can end, database/sql
// and the driver each start a goroutine per query to watch it (and the
// driver a progress callback every 1,000 steps of the statement), which
// wake again when the query ends: on a busy portal, four goroutines more
// per feed read in the queues its own goroutine waits in for a core, for
// an interruption that could save a few milliseconds at most. (In WAL
// mode no reader waits for a lock: nothing else could hold one long.)
func shortRead(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}
