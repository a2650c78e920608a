package store

import (
	"bytes"
	"os"
	"testing"
)

// walSalt is the salt of the cache's write-ahead log header: it changes
// whenever a writer starts the log again from its beginning (and writes
// and syncs a new header).
func walSalt(t *testing.T, s *Store) []byte {
	t.Helper()
	f, err := os.Open(s.path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hdr := make([]byte, 32)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		t.Fatal(err)
	}
	return hdr[16:24]
}

// The first write after a complete checkpoint starts the log again and
// syncs its new header: an fsync inside a feed page committed without
// waiting for the disk. The checkpointer restarts the log itself, while
// nothing waits for it, so the next page only appends.
func TestFeedPageAfterACheckpointAppendsToTheLog(t *testing.T) {
	s := openTemp(t)
	a := newRecord("5275-2026-000001", "Jan", "Peeters")
	b := newRecord("5275-2026-000002", "Marie", "Dubois")
	apply(t, s, "c1", a)
	s.checkpoint()
	salt := walSalt(t, s)
	apply(t, s, "c2", b)
	if got := walSalt(t, s); !bytes.Equal(got, salt) {
		t.Errorf("the feed page after a checkpoint started the log again (salt %x → %x)", salt, got)
	}
	if e := mustGet(t, s, b.Reference); e.Server.Reference != b.Reference {
		t.Errorf("page not applied: %+v", e.Server)
	}
}
