package sync

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"

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
