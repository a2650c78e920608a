package store

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"modernc.org/sqlite"

	"guichet/complaint"
	"guichet/store/storetest"
)

// columnReads, while set, counts the table columns SQLite's authorizer is
// asked about on the connections opened meanwhile: one per column a
// compilation of a statement reads.
var columnReads atomic.Pointer[atomic.Int64]

func init() {
	sqlite.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, _ string) error {
		n := columnReads.Load()
		if n == nil {
			return nil
		}
		return c.(sqlite.AuthorizerRegisterer).RegisterAuthorizer(func(action sqlite.AuthorizerActionCode, _, _, _, _ string) sqlite.AuthorizerReturnCode {
			if action == sqlite.AuthRead {
				n.Add(1)
			}
			return sqlite.AuthorizerOK
		})
	})
}

// analyzedCountingReads is a cache holding recs, with the planner's sample
// statistics (ANALYZE), and the column reads its new connections' compilations
// are counted in until the test ends.
func analyzedCountingReads(t *testing.T, recs []complaint.Record) (*Store, *atomic.Int64) {
	t.Helper()
	s := openTemp(t)
	if err := s.BulkLoad(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	reads := new(atomic.Int64)
	columnReads.Store(reads)
	t.Cleanup(func() { columnReads.Store(nil) })
	return s, reads
}

// TestQueuePageCompiledOnce: a queue page's statement is compiled once.
// With the planner's sample statistics (sqlite_stat4, written by ANALYZE
// and PRAGMA optimize), SQLite compiles again, at its first step, a
// statement whose plan could depend on a value bound in its WHERE clause:
// a status bound as a parameter made every page of the workstation and
// every `guichet list` compile its five-arm query twice. The statuses are
// the store's own constants, written in the SQL.
//
// SQLite's authorizer is called for every table column a compilation
// reads: a page costs the reads of one compilation of its SQL.
func TestQueuePageCompiledOnce(t *testing.T) {
	ctx := context.Background()
	s, reads := analyzedCountingReads(t, storetest.Records(300, 5))
	for _, q := range []Query{
		{},
		{Statuses: []complaint.Status{complaint.StatusNew, complaint.StatusClaimed}},
		{Statuses: []complaint.Status{complaint.StatusClaimed}, Sort: SortStatus},
	} {
		s.db.SetMaxIdleConns(0) // new connections: the authorizer, the statistics read again
		s.db.SetMaxIdleConns(5)
		var sqlText []string
		var sqlArgs [][]any
		traceQuery = func(query string, args []any) { sqlText, sqlArgs = append(sqlText, query), append(sqlArgs, args) }
		reads.Store(0)
		_, err := s.Page(ctx, q, nil, 50)
		traceQuery = nil
		if err != nil {
			t.Fatal(err)
		}
		paged := reads.Load()
		reads.Store(0)
		for _, text := range sqlText {
			stmt, err := s.db.PrepareContext(ctx, text) // compiled once, never run
			if err != nil {
				t.Fatal(err)
			}
			stmt.Close()
		}
		if once := reads.Load(); paged != once || once == 0 {
			t.Errorf("%+v: the page's SQL was compiled %.1f times (%d column reads authorized, %d for one compilation)\n%q %v",
				q, float64(paged)/float64(once), paged, once, sqlText, sqlArgs)
		}
	}
}

// TestNextPageCompiledOnce: the pages after the first (keyset bounds,
// scrolling in the workstation, `guichet list` without --limit) are
// compiled once too: the key is written into the SQL. A key holding a
// quote reads the same rows; one holding a NUL stays a parameter.
func TestNextPageCompiledOnce(t *testing.T) {
	ctx := context.Background()
	recs := storetest.Records(300, 5)
	recs[7].Complainant.LastName = "D'Hondt"
	s, reads := analyzedCountingReads(t, recs)
	for _, q := range []Query{{}, {Sort: SortComplainant}, {Sort: SortReference, Desc: true}} {
		// Every page of the queue, by pages of 40, and by pages of 7:
		// the same rows in the same order.
		var all [2][]string
		for i, size := range []int{40, 7} {
			var key *Key
			for {
				s.db.SetMaxIdleConns(0) // new connections: the authorizer, the statistics read again
				s.db.SetMaxIdleConns(5)
				var sqlText []string
				traceQuery = func(query string, _ []any) { sqlText = append(sqlText, query) }
				reads.Store(0)
				rows, err := s.Page(ctx, q, key, size)
				traceQuery = nil
				if err != nil {
					t.Fatal(err)
				}
				paged := reads.Load()
				reads.Store(0)
				for _, text := range sqlText {
					stmt, err := s.db.PrepareContext(ctx, text)
					if err != nil {
						t.Fatal(err)
					}
					stmt.Close()
				}
				if once := reads.Load(); key != nil && paged != once {
					t.Fatalf("%+v after %v: the page's SQL was compiled %.1f times\n%q", q, *key, float64(paged)/float64(once), sqlText)
				}
				all[i] = append(all[i], refs(rows)...)
				if len(rows) < size {
					break
				}
				k := rows[len(rows)-1].Key()
				key = &k
			}
		}
		if len(all[0]) != len(recs) || !slices.Equal(all[0], all[1]) {
			t.Errorf("%+v: pages of 40 gave %d complaints, pages of 7 %d, or another order", q, len(all[0]), len(all[1]))
		}
	}
	if cond, args := bound("municipality", &Key{str: "a\x00b", ref: "R"}, false, false, false); len(args) != 2 || !strings.Contains(cond, "?") {
		t.Errorf("a key holding a NUL: %q %v, want parameters", cond, args)
	}
}
