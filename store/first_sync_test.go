package store

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// indexDefs lists the indexes of the cache (name and SQL).
func indexDefs(t *testing.T, s *Store) map[string]string {
	t.Helper()
	rows, err := s.db.Query(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		out[name] = def
	}
	return out
}

// A first sync drops the indexes it would update at random and builds them
// at its end; meanwhile every query answers as with them (the officer
// browses what has arrived), and afterwards the cache has exactly the
// indexes of a cache that never deferred them.
func TestFirstSyncDefersIndexesAndQueriesStillAnswer(t *testing.T) {
	ctx := context.Background()
	recs := storetest.Records(300, 11)
	ref := openTemp(t)
	want := indexDefs(t, ref)
	apply(t, ref, "c1", recs...)

	s := openTemp(t)
	began, err := s.BeginFirstSync(ctx)
	if err != nil || !began {
		t.Fatalf("BeginFirstSync on an empty cache = %v, %v; want true", began, err)
	}
	during := indexDefs(t, s)
	for _, name := range deferredIndexes {
		if _, ok := during[name]; ok {
			t.Errorf("index %s still there during the first sync", name)
		}
	}
	apply(t, s, "c1", recs...)

	// Dense searches use index hints: force them.
	defer func(d, v int) { denseMatches, veryDenseMatches = d, v }(denseMatches, veryDenseMatches)
	denseMatches, veryDenseMatches = 1, 1
	me := storetest.Officers[0].ID
	queries := []Query{{}, {Statuses: []complaint.Status{complaint.StatusNew}},
		{Statuses: []complaint.Status{complaint.StatusHandled, complaint.StatusRejected, complaint.StatusForwarded}},
		{Statuses: []complaint.Status{complaint.StatusClaimed}, ClaimedBy: me}, {Search: "rue"}}
	compare := func(step string) {
		t.Helper()
		for _, base := range queries {
			for _, key := range SortKeys {
				for _, desc := range []bool{false, true} {
					q := base
					q.Sort, q.Desc = key, desc
					w, err1 := ref.Page(ctx, q, nil, 20)
					g, err2 := s.Page(ctx, q, nil, 20)
					if err1 != nil || err2 != nil || !reflect.DeepEqual(refs(g), refs(w)) {
						t.Fatalf("%s: page %+v: got %v (%v), want %v (%v)", step, q, refs(g), err2, refs(w), err1)
					}
					wn, err1 := ref.Count(ctx, q)
					gn, err2 := s.Count(ctx, q)
					if err1 != nil || err2 != nil || gn != wn {
						t.Fatalf("%s: count %+v: got %d (%v), want %d (%v)", step, q, gn, err2, wn, err1)
					}
					if len(w) > 0 {
						wa, err1 := ref.PageAt(ctx, q, wn/2, 5)
						ga, err2 := s.PageAt(ctx, q, wn/2, 5)
						if err1 != nil || err2 != nil || !reflect.DeepEqual(refs(ga), refs(wa)) {
							t.Fatalf("%s: page at %+v: got %v (%v), want %v (%v)", step, q, refs(ga), err2, refs(wa), err1)
						}
					}
				}
			}
		}
		period := StatsQuery{From: recs[0].ReceivedAt.Add(-24 * time.Hour), To: recs[len(recs)-1].ReceivedAt.Add(time.Hour)}
		ws, err1 := ref.Stats(ctx, period)
		gs, err2 := s.Stats(ctx, period)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(gs, ws) {
			t.Fatalf("%s: stats differ: %v %v\n got %+v\nwant %+v", step, err2, err1, gs, ws)
		}
	}
	compare("during the first sync")

	// Another process (or a restart) resumes the interrupted first sync.
	s2 := reopen(t, s)
	if began, err := s2.BeginFirstSync(ctx); err != nil || !began {
		t.Fatalf("BeginFirstSync resuming = %v, %v; want true", began, err)
	}
	if err := s2.EndFirstSync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := indexDefs(t, s2); !reflect.DeepEqual(got, want) {
		t.Errorf("indexes after the first sync:\n got %v\nwant %v", slices.Sorted(mapKeys(got)), slices.Sorted(mapKeys(want)))
	}
	s = s2
	compare("after the first sync")
	if began, err := s.BeginFirstSync(ctx); err != nil || began {
		t.Errorf("BeginFirstSync on a filled cache = %v, %v; want false", began, err)
	}
	if err := s.EndFirstSync(ctx); err != nil {
		t.Errorf("EndFirstSync with nothing deferred: %v", err)
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// reopen closes s and opens its file again.
func reopen(t *testing.T, s *Store) *Store {
	t.Helper()
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	return s2
}

// A round of the sync engine on a filled cache (BeginFirstSync, the feed
// page, EndFirstSync, FinishRelist) runs one write transaction, the feed
// page's: the steps with nothing to do find it out by reading, without
// taking the write lock and committing an empty transaction each.
func TestIncrementalRoundWritesOnlyTheFeedPage(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	recs := storetest.Records(30, 5)
	apply(t, s, "c1", recs[:20]...)
	before := s.writeTxs.Load()
	if began, err := s.BeginFirstSync(ctx); err != nil || began {
		t.Fatalf("BeginFirstSync on a filled cache = %v, %v; want false", began, err)
	}
	apply(t, s, "c2", recs[20:]...)
	if err := s.EndFirstSync(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.FinishRelist(ctx); err != nil || n != 0 {
		t.Fatalf("FinishRelist without a relist = %d, %v", n, err)
	}
	if got := s.writeTxs.Load() - before; got != 1 {
		t.Errorf("an incremental round ran %d write transactions, want 1 (the feed page)", got)
	}
}
