package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
)

// TestCheckpointerCopiesLogIntoFile: a commit reaches the database file
// itself a moment later, copied there by the checkpointer rather than by a
// commit of the writer once the log has grown past its limit (SQLite's own
// checkpoint, inside the commit that passes 1,000 pages, made every
// request of the next batch wait for it).
func TestCheckpointerCopiesLogIntoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "portal.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	rec := complaint.Record{Reference: "2026-CKPT-0001", Zone: complaint.Zone{Code: "5275"}, Status: complaint.StatusNew,
		Version: 1, ReceivedAt: now, UpdatedAt: now}
	if _, err := s.Commit(context.Background(), storage.Change{Complaint: &storage.ComplaintWrite{Record: rec},
		Feed: []storage.FeedChange{{Zone: "5275"}}}); err != nil {
		t.Fatal(err)
	}
	// The database file alone, without its log, holds the complaint.
	inFile := func() bool {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		copyPath := filepath.Join(dir, "copy.db")
		os.Remove(copyPath)
		if err := os.WriteFile(copyPath, b, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", "file:"+copyPath+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		err = db.QueryRow(`SELECT count(*) FROM complaints WHERE ref = ?`, rec.Reference).Scan(&n)
		return err == nil && n == 1
	}
	for deadline := time.Now().Add(30 * time.Second); !inFile(); {
		if time.Now().After(deadline) {
			t.Fatal("the commit is still only in the write-ahead log after 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFeedSequenceAcrossReopen: the feed sequence the writer keeps is
// stored with each batch, so a reopened database goes on after it: every
// change is read once, in order, across the restart.
func TestFeedSequenceAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	now := time.Now().UTC()
	commit := func(s *Store, ref string) {
		t.Helper()
		rec := complaint.Record{Reference: ref, Zone: complaint.Zone{Code: "5275"}, Status: complaint.StatusNew,
			Version: 1, ReceivedAt: now, UpdatedAt: now}
		if _, err := s.Commit(context.Background(), storage.Change{Complaint: &storage.ComplaintWrite{Record: rec},
			Feed: []storage.FeedChange{{Zone: "5275"}}}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	commit(s, "2026-SEQ0-0001")
	commit(s, "2026-SEQ0-0002")
	first, err := s.FeedPage(context.Background(), "5275", "", 10, false)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	commit(s, "2026-SEQ0-0003")
	next, err := s.FeedPage(context.Background(), "5275", first.Cursor, 10, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 2 || len(next.Items) != 1 || next.Items[0].Reference != "2026-SEQ0-0003" {
		t.Fatalf("before the restart %d items, after it %v", len(first.Items), next.Items)
	}
}
