package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres/pgtest"
)

// TestGroupWritesStoredChangesTogether: the changes of stored complaints
// of a group commit (officers' claims, forwards) are written by one
// statement, as the new complaints are, not one guichet_commit call each,
// and each still gets its own answer: written, refused for a stale
// version or a missing complaint (leaving nothing, not even its
// idempotency key), or the replay of its key; a second change of one
// complaint in the same group is written after the first and refused.
func TestGroupWritesStoredChangesTogether(t *testing.T) {
	ctx := context.Background()
	counter := &statementCounter{}
	s, err := Open(ctx, pgtest.NewDatabase(t), Options{MaxConns: 4, writeTracer: counter})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	withKey := func(c storage.Change, key string) storage.Change {
		c.Idempotency = &storage.Idempotency{Scope: "officer:1", Key: key, RequestHash: []byte("h-" + key), Status: 200,
			Response: []byte(`{"key":"` + key + `"}`), CreatedAt: at}
		c.Audit = []storage.AuditRecord{{AuditEvent: complaint.AuditEvent{ID: "act-" + key, At: at, Kind: "action",
			Reference: c.Complaint.Record.Reference, Zone: c.Complaint.Record.Zone.Code, Outcome: "ok"}, Origin: "portal", ReceivedAt: at}}
		return c
	}
	const stored = 6
	for i := range stored {
		if _, err := s.Commit(ctx, intake(fmt.Sprintf("2026-STOR-%04d", i), "5275")); err != nil {
			t.Fatal(err)
		}
	}
	// A key already used by an earlier claim.
	first := intake("2026-STOR-0005", "5275").Complaint.Record
	first.Version, first.Status = 2, complaint.StatusClaimed
	if _, err := s.Commit(ctx, withKey(storage.Change{Complaint: &storage.ComplaintWrite{Record: first, Previous: 1},
		Feed: []storage.FeedChange{{Zone: "5275"}}}, "used")); err != nil {
		t.Fatal(err)
	}

	change := func(ref, zone string, previous int64, status complaint.Status, feed ...storage.FeedChange) storage.Change {
		r := intake(ref, zone).Complaint.Record
		r.Version, r.Status = previous+1, status
		return storage.Change{Complaint: &storage.ComplaintWrite{Record: r, Previous: previous}, Feed: feed}
	}
	var group []commitOp
	op := func(c storage.Change) {
		group = append(group, commitOp{ctx: ctx, c: c, done: make(chan commitResult, 1)})
	}
	for i := range 3 { // 0-2: claims
		op(withKey(change(fmt.Sprintf("2026-STOR-%04d", i), "5275", 1, complaint.StatusClaimed, storage.FeedChange{Zone: "5275"}), fmt.Sprintf("claim%d", i)))
	}
	// 3: a forward to zone 5340: a tombstone in 5275, the complaint in 5340.
	op(withKey(change("2026-STOR-0003", "5340", 1, complaint.StatusNew,
		storage.FeedChange{Zone: "5275", Tombstone: true}, storage.FeedChange{Zone: "5340"}), "forward"))
	op(withKey(change("2026-STOR-0004", "5275", 7, complaint.StatusClaimed, storage.FeedChange{Zone: "5275"}), "stale"))   // 4
	op(withKey(change("2026-NONE-0000", "5275", 1, complaint.StatusClaimed, storage.FeedChange{Zone: "5275"}), "missing")) // 5
	op(withKey(change("2026-STOR-0005", "5275", 1, complaint.StatusClaimed, storage.FeedChange{Zone: "5275"}), "used"))    // 6: replay
	op(withKey(change("2026-STOR-0000", "5275", 1, complaint.StatusClaimed, storage.FeedChange{Zone: "5275"}), "again"))   // 7: second change of 0000
	op(withKey(intake("2026-NEW0-0000", "5275"), "new0"))                                                                  // 8
	op(withKey(intake("2026-NEW1-0000", "5340"), "new1"))                                                                  // 9

	counter.n.Store(0)
	results, err := s.writeGroup(group)
	if err != nil {
		t.Fatal(err)
	}
	// One statement for the new complaints, one for the changes of stored
	// ones, one for the second change of 2026-STOR-0000 (a reference may
	// be once in a set).
	if n := counter.n.Load(); n != 3 {
		t.Errorf("the group of %d changes sent %d statements, want 3", len(group), n)
	}
	for i, want := range []error{nil, nil, nil, nil, storage.ErrVersion, storage.ErrNotFound, nil, storage.ErrVersion, nil, nil} {
		if r := results[i]; r.err != want {
			t.Errorf("change %d: %v, want %v", i, r.err, want)
		}
	}
	if r := results[6]; r.replay == nil || string(r.replay.Response) != `{"key":"used"}` {
		t.Errorf("used key: %+v, want the replay of the stored answer", r)
	}
	for _, key := range []string{"stale", "missing", "again"} {
		if _, err := s.Idempotency(ctx, "officer:1", key); err != storage.ErrNotFound {
			t.Errorf("the refused change's key %q: %v, want ErrNotFound (nothing written)", key, err)
		}
	}
	for ref, want := range map[string]int64{"2026-STOR-0000": 2, "2026-STOR-0001": 2, "2026-STOR-0002": 2,
		"2026-STOR-0003": 2, "2026-STOR-0004": 1, "2026-STOR-0005": 2, "2026-NEW0-0000": 1} {
		if got := mustRecordVersion(t, s, ref); got != want {
			t.Errorf("%s at version %d, want %d", ref, got, want)
		}
	}
	if c, err := s.Complaint(ctx, "2026-STOR-0003"); err != nil || c.Zone != "5340" {
		t.Errorf("forwarded complaint: zone %q, %v; want 5340", c.Zone, err)
	}
	for i, key := range []string{"claim0", "claim1", "claim2", "forward"} {
		if _, err := s.Idempotency(ctx, "officer:1", key); err != nil {
			t.Errorf("key %q: %v", key, err)
		}
		if a, err := s.Audit(ctx, storage.AuditFilter{Ref: fmt.Sprintf("2026-STOR-%04d", i)}); err != nil || len(a) != 1 || a[0].ID != "act-"+key {
			t.Errorf("audit of change %q: %+v, %v", key, a, err)
		}
	}
	if a, err := s.Audit(ctx, storage.AuditFilter{Ref: "2026-STOR-0004"}); err != nil || len(a) != 0 {
		t.Errorf("audit of the refused change: %+v, %v; want none", a, err)
	}
	feed := func(zone string) map[string]storage.FeedItem {
		p, err := s.FeedPage(ctx, zone, "", 1000, false)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]storage.FeedItem{}
		for _, it := range p.Items {
			if _, dup := out[it.Reference]; dup {
				t.Errorf("%s twice in the feed of %s", it.Reference, zone)
			}
			out[it.Reference] = it
		}
		return out
	}
	z1, z2 := feed("5275"), feed("5340")
	for ref, want := range map[string]int64{"2026-STOR-0000": 2, "2026-STOR-0001": 2, "2026-STOR-0002": 2, "2026-STOR-0004": 1, "2026-NEW0-0000": 1} {
		if it := z1[ref]; it.Version != want || it.Tombstone {
			t.Errorf("feed 5275 %s: %+v, want version %d", ref, it, want)
		}
	}
	if it := z1["2026-STOR-0003"]; !it.Tombstone || it.Version != 2 {
		t.Errorf("feed 5275 of the forwarded complaint: %+v, want a tombstone at version 2", it)
	}
	if it := z2["2026-STOR-0003"]; it.Tombstone || it.Version != 2 {
		t.Errorf("feed 5340 of the forwarded complaint: %+v, want it at version 2", it)
	}
	if _, ok := z1["2026-NONE-0000"]; ok {
		t.Error("the missing complaint's change is in the feed")
	}
}
