package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"testing"

	"modernc.org/sqlite"

	"guichet/complaint"
)

// A feed page's statements are compiled once per write connection, not
// once per page: compiling the writer's statements again at every page
// (eleven of them, with an UPDATE per set of changed columns, the search
// index's merge settings and the cursor's) was about 2 ms of CPU of an
// incremental sync of 100 changes into 100,000 complaints. Counted with
// SQLite's authorizer, which sees every statement the write connection
// compiles: the second page of the same kinds of changes compiles none
// that reads or writes the cache's tables.
func TestFeedPagesReuseTheWritersStatements(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	recs := make([]complaint.Record, 40)
	for i := range recs {
		recs[i] = newRecord(fmt.Sprintf("5275-2026-%06d", i+1), "Jan", fmt.Sprint("Peeters", i))
	}
	apply(t, s, "c0", recs[:20]...)
	var compiled atomic.Int64
	var first atomic.Value
	err := s.onWriteConn(ctx, func(conn *sql.Conn) error {
		return conn.Raw(func(dc any) error {
			return dc.(sqlite.AuthorizerRegisterer).RegisterAuthorizer(func(action sqlite.AuthorizerActionCode, arg1, _, _, _ string) sqlite.AuthorizerReturnCode {
				switch action {
				case sqlite.AuthRead, sqlite.AuthInsert, sqlite.AuthUpdate, sqlite.AuthDelete:
					if compiled.Add(1) == 1 {
						first.Store(fmt.Sprint(action, " ", arg1))
					}
				}
				return sqlite.AuthorizerOK
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// A page of new complaints and of claims of cached ones, twice.
	page := func(cursor string, fresh []complaint.Record, claimed []complaint.Record) {
		t.Helper()
		var items []complaint.Record
		items = append(items, fresh...)
		for _, r := range claimed {
			items = append(items, serverApply(t, r, complaint.Action{Type: complaint.ActionClaim}, peeters))
		}
		apply(t, s, cursor, items...)
	}
	page("c1", recs[20:30], recs[0:10])
	compiled.Store(0)
	page("c2", recs[30:40], recs[10:20])
	if n := compiled.Load(); n != 0 {
		t.Errorf("the second feed page compiled statements again (%d table accesses, the first: %v)", n, first.Load())
	}
}
