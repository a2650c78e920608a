package store

import (
	"context"
	"os"
	"testing"
	"time"

	"guichet/complaint"
)

// TestReadOnlySessionRewritesNothingAtClose: a session that only reads
// and audits (guichet list, show) leaves the cache's clean-close record
// (<cache>.closed) as it found it when the file did not change: the
// record already says what it would write.
func TestReadOnlySessionRewritesNothingAtClose(t *testing.T) {
	ctx := context.Background()
	path := closedCacheWithOne(t)
	old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(path+closedSuffix, old, old); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path + closedSuffix)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Page(ctx, Query{}, nil, 50); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, complaint.AuditEvent{Kind: AuditExport, Detail: "list 1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path + closedSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if !fi.ModTime().Equal(old) {
		t.Errorf("a read-only session rewrote %s (modified %v)", closedSuffix, fi.ModTime())
	}
	after, _ := os.ReadFile(path + closedSuffix)
	if string(after) != string(before) {
		t.Errorf("%s says %q after a read-only session, %q before", closedSuffix, after, before)
	}
	// A write changes the file: its close records the new size and time.
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, s, "c2", newRecord("R2", "Bob", "Martin"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if now, _ := os.ReadFile(path + closedSuffix); string(now) != fileStamp(path) {
		t.Errorf("after a write %s says %q, the file is %q", closedSuffix, now, fileStamp(path))
	}
}
