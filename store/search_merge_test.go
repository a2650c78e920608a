package store

import (
	"context"
	"fmt"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// searchSegments is how many segments the full-text index has (each has
// at least one row in its %_idx table).
func searchSegments(t testing.TB, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(DISTINCT segid) FROM complaints_fts_idx`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// withoutIdleSearchMerge turns the background merge off for one test.
func withoutIdleSearchMerge(t *testing.T) {
	t.Helper()
	idleSearchMerge = false
	t.Cleanup(func() { idleSearchMerge = true })
}

// TestFeedPageLeavesSearchMergeForLater: an incremental feed page writes
// its index rows as one new segment and merges nothing in its
// transaction (the idle merge or Close does); the setting every other
// write merges with is left as it was; search finds every complaint
// before and after the merge.
func TestFeedPageLeavesSearchMergeForLater(t *testing.T) {
	withoutIdleSearchMerge(t)
	s := openTemp(t)
	ctx := context.Background()
	apply(t, s, "c0", newRecord("5275-2025-000001", "Anne", "Dupont"))
	base := searchSegments(t, s)
	// Pages of 100 complaints write several leaves each: FTS5's
	// automatic merge runs once 64 leaves were written since the last.
	const pages, perPage = 12, 100
	recs := storetest.Records(pages*perPage, 7)
	for i := range pages {
		page := recs[i*perPage : (i+1)*perPage]
		page[0].Complainant.FirstName = "Zéphyrin"
		apply(t, s, fmt.Sprint("c", i+1), page...)
		if got, want := searchSegments(t, s), base+i+1; got != want {
			t.Fatalf("after page %d: %d index segments, want %d (a feed page merged in its transaction)", i+1, got, want)
		}
	}
	var automerge string
	if err := s.db.QueryRow(`SELECT coalesce((SELECT v FROM complaints_fts_config WHERE k = 'automerge'), 'default')`).Scan(&automerge); err != nil {
		t.Fatal(err)
	}
	if automerge != fmt.Sprint(searchAutomerge) && automerge != "default" {
		t.Fatalf("automerge left at %s", automerge)
	}
	found := func(when string) {
		t.Helper()
		rows, err := s.Page(ctx, Query{Search: "zephyrin"}, nil, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != pages {
			t.Fatalf("%s: search found %d complaints, want %d", when, len(rows), pages)
		}
	}
	found("before the merge")
	if err := s.mergeSearchIndex(ctx, 0, false); err != nil {
		t.Fatal(err)
	}
	if got := searchSegments(t, s); got > base+3 {
		t.Fatalf("after the merge: %d index segments, want at most %d", got, base+3)
	}
	found("after the merge")
	if _, err := s.db.Exec(`INSERT INTO complaints_fts(complaints_fts, rank) VALUES('integrity-check', 1)`); err != nil {
		t.Fatalf("index integrity after the merge: %v", err)
	}
}

// TestCloseMergesSearchIndex: the merge the feed pages left is done when
// the cache closes, so a process that syncs and exits (guichet sync)
// leaves a compact index.
func TestCloseMergesSearchIndex(t *testing.T) {
	withoutIdleSearchMerge(t)
	s := openTemp(t)
	apply(t, s, "c0", newRecord("5275-2026-000001", "Anne", "Dupont"))
	base := searchSegments(t, s)
	for i := range 8 {
		apply(t, s, fmt.Sprint("c", i+1), newRecord(fmt.Sprintf("5275-2026-1%05d", i), "Zéphyrin", "Quatremains"))
	}
	s = reopen(t, s)
	if got := searchSegments(t, s); got > base+3 {
		t.Fatalf("after Close: %d index segments, want at most %d", got, base+3)
	}
	rows, err := s.Page(context.Background(), Query{Search: "quatremains", Statuses: []complaint.Status{complaint.StatusNew}}, nil, 50)
	if err != nil || len(rows) != 8 {
		t.Fatalf("search after Close: %d rows, %v", len(rows), err)
	}
}

// TestIdleSearchMergeYieldsToWrites: the idle merge takes no step while
// something else wrote within searchMergeIdle (pages of a sync, actions),
// and merges once the cache is quiet.
func TestIdleSearchMergeYieldsToWrites(t *testing.T) {
	withoutIdleSearchMerge(t)
	s := openTemp(t)
	ctx := context.Background()
	recs := storetest.Records(1200, 7)
	for i := range 12 {
		apply(t, s, fmt.Sprint("c", i+1), recs[i*100:(i+1)*100]...)
	}
	before := searchSegments(t, s)
	s.lastWrite.Store(time.Now().UnixNano())
	if err := s.mergeSearchIndex(ctx, 0, true); err != nil {
		t.Fatal(err)
	}
	if got := searchSegments(t, s); got != before {
		t.Fatalf("merged right after a write: %d index segments, was %d", got, before)
	}
	s.lastWrite.Store(time.Now().Add(-2 * searchMergeIdle).UnixNano())
	if err := s.mergeSearchIndex(ctx, 0, true); err != nil {
		t.Fatal(err)
	}
	if got := searchSegments(t, s); got >= before {
		t.Fatalf("quiet cache not merged: %d index segments, was %d", got, before)
	}
}

// TestSearchMergeErrorReported: a background merge of the search index
// that fails stops no command, but its error reaches the store's reporter
// (the workstation's debug log) instead of passing unseen.
func TestSearchMergeErrorReported(t *testing.T) {
	s := openTemp(t)
	apply(t, s, "c0", newRecord("5275-2025-000001", "Anne", "Dupont"))
	var mu stdsync.Mutex
	var reported []string
	s.ReportBackgroundErrors(func(what string, err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, what+": "+err.Error())
	})
	if _, err := s.db.Exec(`DROP TABLE complaints_fts`); err != nil {
		t.Fatal(err)
	}
	s.searchMergeDue.Store(true)
	s.lastWrite.Store(0) // idle since long ago
	s.mergeSearchIndexIfDue()
	mu.Lock()
	defer mu.Unlock()
	if len(reported) == 0 {
		t.Fatal("the failed merge of the search index was reported to no one")
	}
	if !strings.Contains(reported[0], "merge the search index") || !strings.Contains(reported[0], "complaints_fts") {
		t.Errorf("reported %q, want what failed and the database's error", reported[0])
	}
}
