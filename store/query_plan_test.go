package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// plannedQuery is one query the store ran, with its arguments.
type plannedQuery struct {
	sql  string
	args []any
}

// traceQueries records the queries fn makes the store run (traceQuery).
func traceQueries(t *testing.T, fn func()) []plannedQuery {
	t.Helper()
	var mu sync.Mutex
	var got []plannedQuery
	traceQuery = func(q string, args []any) {
		mu.Lock()
		got = append(got, plannedQuery{q, slices.Clone(args)})
		mu.Unlock()
	}
	defer func() { traceQuery = nil }()
	fn()
	return got
}

// queryPlan is EXPLAIN QUERY PLAN of q: one line per step, indented by depth.
func queryPlan(t *testing.T, s *Store, q plannedQuery) []string {
	t.Helper()
	rows, err := s.db.Query(`EXPLAIN QUERY PLAN `+q.sql, q.args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q.sql, err)
	}
	defer rows.Close()
	depth := map[int]int{}
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		depth[id] = depth[parent] + 1
		out = append(out, strings.Repeat("  ", depth[id]-1)+detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tableScan is a step that reads the whole complaints table (no index);
// sorted a step that sorts rows in a temporary B-tree.
var (
	tableScan = regexp.MustCompile(`^\s*SCAN complaints$`)
	tempSort  = regexp.MustCompile(`USE TEMP B-TREE`)
)

// planCache is a cache of a few thousand complaints whose planner
// statistics say 100,000, as a workstation's cache has them after its
// first sync of a large zone: the plans are those of a large cache (the
// planner weighs sorting against reading more rows by their numbers).
func planCache(t *testing.T) (*Store, []complaint.Record) {
	t.Helper()
	const n, scaled = 3000, 100_000
	s := openTemp(t)
	recs := storetest.Records(n, 11)
	if err := s.BulkLoad(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	// sqlite_stat1's stat is "rows avg1 avg2 ...": the rows and the
	// averages of the prefixes with few values (status, type, holder:
	// rows per value) grow with the cache; those of nearly unique
	// prefixes (times, names, references: 1 or a few) do not.
	rows, err := s.db.Query(`SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	type stat struct{ tbl, idx, stat string }
	var stats []stat
	for rows.Next() {
		var st stat
		if err := rows.Scan(&st.tbl, &st.idx, &st.stat); err != nil {
			t.Fatal(err)
		}
		stats = append(stats, st)
	}
	rows.Close()
	for _, st := range stats {
		f := strings.Fields(st.stat)
		for i, v := range f {
			var x int
			if _, err := fmt.Sscan(v, &x); err != nil {
				break // "unordered" and the like
			}
			if i == 0 || x >= 10 {
				f[i] = fmt.Sprint(x * scaled / n)
			}
		}
		if _, err := s.db.Exec(`UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx = ?`, strings.Join(f, " "), st.tbl, st.idx); err != nil {
			t.Fatal(err)
		}
	}
	// Every connection reads the statistics again.
	s.db.SetMaxIdleConns(0)
	s.db.SetMaxIdleConns(5)
	if _, err := s.db.Exec(`ANALYZE sqlite_schema`); err != nil {
		t.Fatal(err)
	}
	return s, recs
}

// Every query of the workstation's queue (each tab, each sort, both
// directions, every way of moving: first page, next, previous, last, from
// a row, a jump, its rank and count), of its counts and of the statistics
// screen reads an index: none reads the whole complaints table, none
// sorts rows in a temporary B-tree. The tab of the three final statuses
// reads a page in one query, a merge of the statuses' index ranges.
// docs/cache-indexes.md lists which index serves which query.
func TestQueryPlansUseIndexes(t *testing.T) {
	ctx := context.Background()
	s, _ := planCache(t)
	me := storetest.Officers[0].ID
	tabs := []struct {
		name string
		q    Query
	}{
		{"all", Query{}},
		{"new", Query{Statuses: []complaint.Status{complaint.StatusNew}}},
		{"mine", Query{Statuses: []complaint.Status{complaint.StatusClaimed}, ClaimedBy: me}},
		{"in-progress", Query{Statuses: []complaint.Status{complaint.StatusClaimed}, NotClaimedBy: me}},
		{"done", Query{Statuses: complaint.FinalStatuses()}},
	}
	for _, tab := range tabs {
		for _, srt := range SortKeys {
			for _, desc := range []bool{false, true} {
				q := tab.q
				q.Sort, q.Desc = srt, desc
				name := fmt.Sprintf("%s/%s/desc=%v", tab.name, srt, desc)
				t.Run(name, func(t *testing.T) {
					var mid Key
					var n int
					all := traceQueries(t, func() {
						var err error
						if n, err = s.Count(ctx, q); err != nil || n == 0 {
							t.Fatalf("count %d, %v", n, err)
						}
						rows, err := s.PageAt(ctx, q, n/2, 1)
						if err != nil || len(rows) != 1 {
							t.Fatalf("page at the middle: %d rows, %v", len(rows), err)
						}
						mid = rows[0].Key()
						if _, err := s.Rank(ctx, q, mid); err != nil {
							t.Fatal(err)
						}
						if _, err := s.KeyFor(ctx, q, mid.Reference()); err != nil {
							t.Fatal(err)
						}
					})
					for what, page := range map[string]func() ([]Row, error){
						"first":  func() ([]Row, error) { return s.Page(ctx, q, nil, 50) },
						"next":   func() ([]Row, error) { return s.Page(ctx, q, &mid, 50) },
						"before": func() ([]Row, error) { return s.PageBefore(ctx, q, &mid, 50) },
						"last":   func() ([]Row, error) { return s.PageBefore(ctx, q, nil, 50) },
						"from":   func() ([]Row, error) { return s.PageFrom(ctx, q, mid, 50) },
					} {
						var rows []Row
						var err error
						queries := traceQueries(t, func() { rows, err = page() })
						if err != nil || len(rows) == 0 {
							t.Fatalf("%s page: %d rows, %v", what, len(rows), err)
						}
						// One query a page: several statuses merged in it,
						// no other question first (usableHint asks once).
						if len(queries) != 1 {
							t.Errorf("%s page: %d queries, want 1 (several statuses: one merge of their index ranges)", what, len(queries))
						}
						all = append(all, queries...)
					}
					checkPlans(t, s, all, false)
				})
			}
		}
	}
	t.Run("counts-and-statistics", func(t *testing.T) {
		to := time.Now()
		checkPlans(t, s, traceQueries(t, func() {
			if _, err := s.Counts(ctx, me); err != nil {
				t.Fatal(err)
			}
			if _, err := s.OneMunicipality(ctx); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Arrivals(ctx, 10); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ForwardsBy(ctx, me, to.AddDate(0, 0, -7), 10); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Stats(ctx, StatsQuery{From: weekStart(to, time.UTC).AddDate(0, 0, -7*51), To: to}); err != nil {
				t.Fatal(err)
			}
		}), false)
	})
	// A search reads the full-text index, and complaints by row id or by
	// a sort index; one matching few complaints sorts its matches (the
	// temporary B-tree is meant: see indexHint), one matching many walks
	// the sort index.
	t.Run("search", func(t *testing.T) {
		var queries []plannedQuery
		for _, search := range []string{"gérard", "zzzznotfound", "5275"} {
			for _, tab := range tabs {
				for _, srt := range []SortKey{SortReceived, SortComplainant} {
					q := tab.q
					q.Search, q.Sort = search, srt
					queries = append(queries, traceQueries(t, func() {
						if _, err := s.Page(ctx, q, nil, 50); err != nil {
							t.Fatal(err)
						}
						if _, err := s.Count(ctx, q); err != nil {
							t.Fatal(err)
						}
					})...)
				}
			}
		}
		checkPlans(t, s, queries, true)
	})
}

// checkPlans fails for a query whose plan reads the whole complaints table
// or (unless sorts) sorts in a temporary B-tree.
func checkPlans(t *testing.T, s *Store, queries []plannedQuery, sorts bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, q := range queries {
		key := q.sql + fmt.Sprint(q.args)
		if seen[key] {
			continue
		}
		seen[key] = true
		plan := queryPlan(t, s, q)
		for _, step := range plan {
			if tableScan.MatchString(step) || (!sorts && tempSort.MatchString(step)) {
				t.Errorf("query plan has %q:\n%s\nplan:\n%s", strings.TrimSpace(step), q.sql, strings.Join(plan, "\n"))
				break
			}
		}
		if testing.Verbose() {
			t.Logf("%s\n%s", q.sql, strings.Join(plan, "\n"))
		}
	}
}
