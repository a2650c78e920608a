package store

import (
	"context"
	"database/sql"
	"net/url"
	"testing"
)

// TestOpenUpToDateWhileAnotherWrites: opening a cache whose schema is
// current takes no write lock, so a read-only command (guichet list, show)
// opens and reads while another process holds a write transaction (the
// workstation's sync): in WAL mode readers never wait for the writer.
// Before, the migration check began an immediate transaction at every
// Open and waited behind the writer (busy_timeout, 10 s), then failed.
func TestOpenUpToDateWhileAnotherWrites(t *testing.T) {
	ctx := context.Background()
	path := closedCacheWithOne(t)

	// Another process in the middle of a write transaction.
	writer, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(100)")
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	conn, err := writer.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)

	s, err := Open(path)
	if err != nil {
		t.Fatalf("open while another process writes: %v", err)
	}
	defer s.Close()
	rows, err := s.Page(ctx, Query{}, nil, 50)
	if err != nil || len(rows) != 1 {
		t.Fatalf("page while another process writes: %d rows, %v", len(rows), err)
	}
}
