package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"guichet/complaint"
	"guichet/store/storetest"
)

// A connection's page cache is thrown away whenever another connection
// wrote since it last read, and throwing away a warm cache of a 100,000-
// complaint file cost 80–200 ms (modernc's allocator hands the pages back
// one by one); the pages are then read and allocated again. Every write of
// this process therefore runs on one connection, whatever the readers and
// the checkpointer hold at that moment.
func TestWritesStayOnOneConnection(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	a := newRecord("5275-2026-000001", "Jan", "Peeters")
	apply(t, s, "c1", a)
	// A reader (the workstation's queue, the checkpointer) holds the
	// connection the last write gave back, and reads on it.
	held, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	var n int
	if err := held.QueryRowContext(ctx, `SELECT count(*) FROM complaints`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	b := newRecord("5275-2026-000002", "Marie", "Dubois")
	apply(t, s, "c2", b)
	if err := s.Audit(ctx, complaint.AuditEvent{Officer: dupont.ID, Zone: "5275", Kind: AuditView, Reference: a.Reference, Outcome: OutcomeOK}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, a.Reference, complaint.Action{Type: complaint.ActionClaim}, dupont, "fr"); err != nil {
		t.Fatal(err)
	}
	queued, err := s.PendingActions(ctx, 0)
	if err != nil || len(queued) != 1 {
		t.Fatalf("queued %v, %v", queued, err)
	}
	if err := s.NoteAttempt(ctx, queued[0].ID, errors.New("portal unreachable")); err != nil {
		t.Fatal(err)
	}
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	apply(t, s, "c3", serverApply(t, b, complaint.Action{Type: complaint.ActionClaim}, peeters))
	if got := s.writeConnSwitches.Load(); got != 0 {
		t.Errorf("write transactions moved to another connection %d times, want 0", got)
	}
}

// writerMmapSize is the mmap_size of the write connection now.
func writerMmapSize(t *testing.T, s *Store) int64 {
	t.Helper()
	var size int64
	err := s.onWriteConn(context.Background(), func(conn *sql.Conn) error {
		return conn.QueryRowContext(context.Background(), `PRAGMA mmap_size`).Scan(&size)
	})
	if err != nil {
		t.Fatal(err)
	}
	return size
}

// The write connection never reads the file through the memory map:
// during a first sync every page it touched would count in the sync
// process's resident memory, and outside one every page an incremental
// sync first touches in a new map is a page fault, which costs more than
// reading the page into the writer's own cache (see onWriteConn).
func TestWriterNeverMapsTheCache(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if began, err := s.BeginFirstSync(ctx); err != nil || !began {
		t.Fatalf("first sync: %v, %v", began, err)
	}
	recs := storetest.Records(30, 3)
	apply(t, s, "c1", recs[:10]...)
	if got := writerMmapSize(t, s); got != 0 {
		t.Errorf("during a first sync: writer mmap_size %d, want 0", got)
	}
	if err := s.EndFirstSync(ctx); err != nil {
		t.Fatal(err)
	}
	apply(t, s, "c2", recs[10:20]...)
	if got := writerMmapSize(t, s); got != 0 {
		t.Errorf("after a first sync, same process: writer mmap_size %d, want 0", got)
	}
	// Nor does a later process, for its incremental pages.
	s = reopen(t, s)
	apply(t, s, "c3", recs[20:]...)
	if got := writerMmapSize(t, s); got != 0 {
		t.Errorf("after an incremental page: writer mmap_size %d, want 0", got)
	}
	// Nor a first sync that resumes (interrupted earlier).
	if _, err := s.db.Exec(`INSERT INTO meta(key, value) VALUES(?, '{}')`, metaDeferred); err != nil {
		t.Fatal(err)
	}
	if began, err := s.BeginFirstSync(ctx); err != nil || !began {
		t.Fatalf("resumed first sync: %v, %v", began, err)
	}
	apply(t, s, "c4", recs[:10]...)
	if got := writerMmapSize(t, s); got != 0 {
		t.Errorf("during a resumed first sync: writer mmap_size %d, want 0", got)
	}
	if err := s.EndFirstSync(ctx); err != nil {
		t.Fatal(err)
	}
}
