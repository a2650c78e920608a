package store

import (
	"context"
	"database/sql"
	"testing"
)

// TestReadOnlySessionOpensOneConnection: opening the cache and reading a
// page (guichet list) opens one SQLite connection — each one reads the
// schema and sets the pragmas again — and the connection that watches
// other writers (dataVersion) opens only when a search count asks.
func TestReadOnlySessionOpensOneConnection(t *testing.T) {
	ctx := context.Background()
	path := closedCacheWithOne(t)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Page(ctx, Query{}, nil, 50); err != nil {
		t.Fatal(err)
	}
	if n := s.db.Stats().OpenConnections; n != 1 {
		t.Errorf("open, then a page: %d connections, want 1", n)
	}
	if _, err := s.Count(ctx, Query{Search: "Dupont"}); err != nil {
		t.Fatal(err)
	}
	v1, err := s.dataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Open(path) // another process writes
	if err != nil {
		t.Fatal(err)
	}
	apply(t, other, "c2", newRecord("R2", "Bob", "Martin"))
	other.Close()
	if v2, err := s.dataVersion(ctx); err != nil || v2 == v1 {
		t.Errorf("data version %d after another's write, was %d (%v)", v2, v1, err)
	}
}

// TestConnectionsMapTheCache: every reading connection reads the cache through a
// memory map, so a connection's page cache stays small and another
// connection's write does not make its next read free thousands of pages
// (BenchmarkPageAfterWrite).
func TestConnectionsMapTheCache(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 3 { // the pool's readers (the writer keeps one, dataVersion one)
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var size int64
		if err := c.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if size < 1<<30 {
			t.Errorf("connection %d: mmap_size %d, want at least 1 GiB", len(conns), size)
		}
	}
}
