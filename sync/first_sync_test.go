package sync

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"guichet/store"
)

// cacheIndexes lists the index names of the cache file at path.
func cacheIndexes(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// The first sync of an empty cache builds most indexes after its last
// page; cut in the middle, it has fewer, the officer still reads what
// arrived, and the next round resumes and builds them.
func TestFirstSyncBuildsIndexesAtItsEnd(t *testing.T) {
	ctx := context.Background()
	fresh, err := store.Open(filepath.Join(t.TempDir(), "fresh", "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	want := cacheIndexes(t, fresh.Path())
	fresh.Close()

	tp := newTestPortal(t)
	tp.seed(12, 4)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 5)
	if _, err := ws.eng.Hello(ctx); err != nil {
		t.Fatal(err)
	}
	tp.proxy.add(fault{match: "cursor=", kind: faultStatus, n: 503}) // the second page
	if err := ws.eng.SyncOnce(ctx); err == nil {
		t.Fatal("round with a failing second page succeeded")
	}
	c, err := ws.st.Counts(ctx, "")
	if err != nil || c.All != 5 {
		t.Fatalf("after the first page: %d complaints (%v), want 5", c.All, err)
	}
	if got := cacheIndexes(t, ws.path); len(got) >= len(want) {
		t.Errorf("indexes during the first sync: %v; want fewer than %v", got, want)
	}
	rows, err := ws.st.Page(ctx, store.Query{Sort: store.SortComplainant}, nil, 50)
	if err != nil || len(rows) != 5 {
		t.Errorf("browsing by name during the first sync: %d rows (%v), want 5", len(rows), err)
	}
	if err := ws.eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := cacheIndexes(t, ws.path); !reflect.DeepEqual(got, want) {
		t.Errorf("indexes after the first sync:\n got %v\nwant %v", got, want)
	}
	assertCacheEqualsServer(t, tp, ws.st)
}

// A round knows how many changes it will bring from its first page (the
// portal counts what follows it), so the workstation can show a progress
// bar with the rate and the time left.
func TestPullKnowsItsTotalFromTheFirstPage(t *testing.T) {
	ctx := context.Background()
	tp := newTestPortal(t)
	tp.seed(25, 6)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 10)
	states, cancel := ws.eng.Subscribe()
	defer cancel()
	seen := make(chan []State)
	go func() {
		var all []State
		for s := range states {
			all = append(all, s)
		}
		seen <- all
	}()
	if err := ws.eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	s := ws.eng.State()
	if s.Pulled != 25 || s.Total != 25 {
		t.Errorf("after the round: pulled %d of %d, want 25 of 25", s.Pulled, s.Total)
	}
	if _, left, ok := s.Progress(); !ok || left != 0 {
		t.Errorf("progress after the round: left %v ok %v, want 0 true", left, ok)
	}
	cancel()
	for _, st := range <-seen {
		if st.Syncing && st.Pulled > 0 && st.Total != 25 {
			t.Errorf("state during the round: pulled %d of %d, want of 25", st.Pulled, st.Total)
		}
	}
	// The next round brings nothing and says so.
	if err := ws.eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if s := ws.eng.State(); s.Pulled != 0 || s.Total != 0 {
		t.Errorf("second round: pulled %d of %d, want 0 of 0", s.Pulled, s.Total)
	}
}

func TestStateProgress(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		s     State
		rate  float64
		left  time.Duration
		known bool
	}{
		{"nothing yet", State{Total: 100, PullStarted: t0, PulledAt: t0}, 0, 0, false},
		{"total unknown", State{Pulled: 10, PullStarted: t0, PulledAt: t0.Add(time.Second)}, 0, 0, false},
		{"a quarter in 10 s", State{Pulled: 25_000, Total: 100_000, PullStarted: t0, PulledAt: t0.Add(10 * time.Second)}, 2500, 30 * time.Second, true},
		{"more than announced", State{Pulled: 120, Total: 100, PullStarted: t0, PulledAt: t0.Add(time.Second)}, 120, 0, true},
	} {
		rate, left, ok := c.s.Progress()
		if rate != c.rate || left != c.left || ok != c.known {
			t.Errorf("%s: Progress() = %v, %v, %v; want %v, %v, %v", c.name, rate, left, ok, c.rate, c.left, c.known)
		}
	}
}
