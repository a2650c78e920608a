package sqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
)

// TestFeedRecordsOwnTheirBytes: every record of a feed page is the
// stored one, in memory of its own, also once the page has been read to
// its end and the next page read: the feed keeps the driver's copy of
// each BLOB instead of copying it again (feedRows), which is right only
// while the driver never reuses that memory for a later row.
func TestFeedRecordsOwnTheirBytes(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	want := map[string][]byte{}
	for i := range 7 {
		rec := complaint.Record{Reference: fmt.Sprintf("2026-TEST-%04d", i), Zone: complaint.Zone{Code: "5275"},
			Status: complaint.StatusNew, Version: 1, ReceivedAt: at, UpdatedAt: at}
		// Records of different lengths: a reused buffer would show.
		rec.Facts.Description = string(bytes.Repeat([]byte{'a' + byte(i)}, 100+500*i))
		if _, err := s.Commit(ctx, storage.Change{Complaint: &storage.ComplaintWrite{Record: rec},
			Feed: []storage.FeedChange{{Zone: "5275"}}}); err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		want[rec.Reference] = raw
	}
	first, err := s.FeedPage(ctx, "5275", "", 4, false)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.FeedPage(ctx, "5275", first.Cursor, 4, false)
	if err != nil {
		t.Fatal(err)
	}
	items := append(first.Items, second.Items...)
	if len(items) != len(want) {
		t.Fatalf("%d items, want %d", len(items), len(want))
	}
	for i, it := range items {
		if !bytes.Equal(it.Record, want[it.Reference]) {
			t.Errorf("item %d (%s): record %.60q..., want %.60q...", i, it.Reference, it.Record, want[it.Reference])
		}
		for j, other := range items[:i] {
			if len(it.Record) > 0 && len(other.Record) > 0 && &it.Record[:cap(it.Record)][cap(it.Record)-1] == &other.Record[:cap(other.Record)][cap(other.Record)-1] {
				t.Errorf("items %d and %d share their record's memory", j, i)
			}
		}
	}
}

// BenchmarkFeedPage100 reads a page of 100 records (about 1.5 kB each)
// from the middle of a feed of 1,000, as an officer's request does: with
// the request's context, which can end.
func BenchmarkFeedPage100(b *testing.B) {
	s, err := Open(b.TempDir()+"/portal.db", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	changes := make([]storage.Change, 1000)
	for i := range changes {
		rec := complaint.Record{Reference: fmt.Sprintf("2026-BNCH-%04d", i), Zone: complaint.Zone{Code: "5275"},
			Status: complaint.StatusNew, Version: 1, ReceivedAt: at, UpdatedAt: at}
		rec.Facts.Description = string(bytes.Repeat([]byte{'x'}, 1400))
		changes[i] = storage.Change{Complaint: &storage.ComplaintWrite{Record: rec}, Feed: []storage.FeedChange{{Zone: "5275"}}}
	}
	for _, err := range s.CommitAll(context.Background(), changes) {
		if err != nil {
			b.Fatal(err)
		}
	}
	mid, err := s.FeedPage(context.Background(), "5275", "", 450, false)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		p, err := s.FeedPage(ctx, "5275", mid.Cursor, 100, false)
		if err != nil || len(p.Items) != 100 {
			b.Fatal(err, len(p.Items))
		}
	}
}

// TestReadsRefuseEndedContext: the reads that run without their request's
// end (shortRead) still refuse a request that ended before them.
func TestReadsRefuseEndedContext(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.FeedPage(ctx, "5275", "", 10, false); !errors.Is(err, context.Canceled) {
		t.Errorf("feed page: %v, want context.Canceled", err)
	}
	if _, err := s.Complaint(ctx, "2026-TEST-0001"); !errors.Is(err, context.Canceled) {
		t.Errorf("complaint: %v, want context.Canceled", err)
	}
	if _, err := s.OfficerByToken(ctx, []byte("hash")); !errors.Is(err, context.Canceled) {
		t.Errorf("officer: %v, want context.Canceled", err)
	}
}
