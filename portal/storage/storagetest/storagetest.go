// Package storagetest is the conformance suite of the portal's storage:
// every guarantee the portal relies on, checked through the storage.Store
// interface alone, so that every implementation (SQLite today, PostgreSQL
// next) passes the same tests. An implementation's own test calls Run
// with a function that opens a new, empty store.
package storagetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
)

// Run runs the whole suite; open returns a new, empty store, closed by the
// suite.
func Run(t *testing.T, open func(t *testing.T) storage.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s storage.Store)
	}{
		{"ComplaintRoundTrip", testComplaintRoundTrip},
		{"DuplicateReference", testDuplicateReference},
		{"Versions", testVersions},
		{"OneClaimWinner", testOneClaimWinner},
		{"IdempotentReplay", testIdempotentReplay},
		{"IdempotentReplayRace", testIdempotentReplayRace},
		{"FeedOrderedPages", testFeedOrderedPages},
		{"FeedNoGapUnderConcurrentWrites", testFeedNoGap},
		{"FeedTombstoneOnForward", testFeedTombstone},
		{"Epochs", testEpochs},
		{"AuditAppendOnly", testAuditAppendOnly},
		{"AuditLater", testAuditLater},
		{"ConsultationJournal", testConsultationJournal},
		{"OutboxDeliveredOnce", testOutboxOnce},
		{"OutboxRetryAndFailure", testOutboxRetryFailure},
		{"Officers", testOfficers},
		{"ZoneTable", testZoneTable},
		{"PurgeIdempotency", testPurgeIdempotency},
		{"CommitAll", testCommitAll},
		{"FormSessions", testFormSessions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
	t.Run("EpochOfAnotherStore", func(t *testing.T) {
		a, b := open(t), open(t)
		defer a.Close()
		defer b.Close()
		ctx := context.Background()
		mustCommit(t, a, newComplaint("2026-EPOC-HA01", "5275", t0))
		mustCommit(t, b, newComplaint("2026-EPOC-HB01", "5275", t0))
		pa := feedAll(t, a, "5275", "", 10)
		if _, err := b.FeedPage(ctx, "5275", pa.Cursor, 10, false); !errors.Is(err, storage.ErrEpoch) {
			t.Fatalf("cursor of another database: %v, want ErrEpoch", err)
		}
	})
}

var (
	ctx = context.Background()
	// t0 is a time with millisecond precision, as stores keep times.
	t0 = time.Date(2026, 3, 14, 9, 26, 53, 589_000_000, time.UTC)
)

// record is a minimal complaint record of zone.
func record(ref, zone string, at time.Time) complaint.Record {
	return complaint.Record{
		Submission: complaint.Submission{FactType: "bicycle_theft", Language: "fr"},
		Reference:  ref, Zone: complaint.Zone{Code: zone, Name: "Zone " + zone},
		Status: complaint.StatusNew, Version: 1, ReceivedAt: at, UpdatedAt: at,
		History: []complaint.StatusChange{{At: at, To: complaint.StatusNew, Action: "intake"}},
	}
}

// newComplaint is the change of an intake: the complaint, its zone's feed,
// an audit event.
func newComplaint(ref, zone string, at time.Time) storage.Change {
	return storage.Change{
		Complaint: &storage.ComplaintWrite{Record: record(ref, zone, at)},
		Feed:      []storage.FeedChange{{Zone: zone}},
		Audit:     []storage.AuditRecord{auditEvent("intake-"+ref, zone, "intake", ref, at)},
	}
}

func auditEvent(id, zone, kind, ref string, at time.Time) storage.AuditRecord {
	return storage.AuditRecord{
		AuditEvent: complaint.AuditEvent{ID: id, At: at, Zone: zone, Kind: kind, Reference: ref, Outcome: "ok"},
		Origin:     "portal", ReceivedAt: at,
	}
}

// update is the change of an officer's action: the record's next version.
func update(rec complaint.Record, f func(*complaint.Record)) storage.Change {
	next := rec
	next.History = slices.Clone(rec.History)
	f(&next)
	next.Version = rec.Version + 1
	return storage.Change{
		Complaint: &storage.ComplaintWrite{Record: next, Previous: rec.Version},
		Feed:      []storage.FeedChange{{Zone: next.Zone.Code}},
	}
}

func mustCommit(t *testing.T, s storage.Store, c storage.Change) {
	t.Helper()
	replay, err := s.Commit(ctx, c)
	if err != nil || replay != nil {
		t.Fatalf("commit: replay %v, err %v", replay, err)
	}
}

func mustRecord(t *testing.T, s storage.Store, ref string) complaint.Record {
	t.Helper()
	c, err := s.Complaint(ctx, ref)
	if err != nil {
		t.Fatalf("read %s: %v", ref, err)
	}
	r, err := c.Record()
	if err != nil {
		t.Fatalf("decode %s: %v", ref, err)
	}
	if r.Reference != ref || r.Zone.Code != c.Zone || r.Version != c.Version {
		t.Fatalf("stored %s: record %s zone %s v%d, columns zone %s v%d", ref, r.Reference, r.Zone.Code, r.Version, c.Zone, c.Version)
	}
	return r
}

// feedAll reads zone's feed from cursor to its end, page by page.
func feedAll(t *testing.T, s storage.Store, zone, cursor string, limit int) storage.FeedPage {
	t.Helper()
	var all storage.FeedPage
	all.Cursor = cursor
	for {
		p, err := s.FeedPage(ctx, zone, all.Cursor, limit, false)
		if err != nil {
			t.Fatalf("feed %s: %v", zone, err)
		}
		if len(p.Items) > limit {
			t.Fatalf("page of %d items for limit %d", len(p.Items), limit)
		}
		all.Items = append(all.Items, p.Items...)
		all.Cursor = p.Cursor
		if !p.More {
			return all
		}
		if len(p.Items) == 0 {
			t.Fatal("empty page says more follow")
		}
	}
}

func refsOf(items []storage.FeedItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Reference)
	}
	return out
}

func ref(i int) string { return fmt.Sprintf("2026-%04d-TEST", i) }

func testComplaintRoundTrip(t *testing.T, s storage.Store) {
	if _, err := s.Complaint(ctx, "2026-NONE-XXXX"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing complaint: %v, want ErrNotFound", err)
	}
	want := record(ref(1), "5275", t0)
	want.Details = json.RawMessage(`{"brand":"Gazelle"}`)
	c := newComplaint(ref(1), "5275", t0)
	c.Complaint.Record = want
	mustCommit(t, s, c)
	got := mustRecord(t, s, ref(1))
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if !bytes.Equal(gj, wj) {
		t.Fatalf("stored record differs:\n got %s\nwant %s", gj, wj)
	}
}

func testDuplicateReference(t *testing.T, s storage.Store) {
	mustCommit(t, s, newComplaint(ref(1), "5275", t0))
	dup := newComplaint(ref(1), "5339", t0.Add(time.Second))
	dup.Audit[0].ID = "intake-dup"
	if _, err := s.Commit(ctx, dup); !errors.Is(err, storage.ErrDuplicate) {
		t.Fatalf("second complaint with the same reference: %v, want ErrDuplicate", err)
	}
	if r := mustRecord(t, s, ref(1)); r.Zone.Code != "5275" {
		t.Fatalf("the refused complaint replaced the first: zone %s", r.Zone.Code)
	}
	if p := feedAll(t, s, "5339", "", 10); len(p.Items) != 0 {
		t.Fatalf("the refused complaint reached a feed: %v", refsOf(p.Items))
	}
	if a, _ := s.Audit(ctx, storage.AuditFilter{}); len(a) != 1 {
		t.Fatalf("the refused change left audit events: %d events", len(a))
	}
}

func testVersions(t *testing.T, s storage.Store) {
	mustCommit(t, s, newComplaint(ref(1), "5275", t0))
	rec := mustRecord(t, s, ref(1))
	claim := update(rec, func(r *complaint.Record) { r.Status = complaint.StatusClaimed })
	mustCommit(t, s, claim)
	if got := mustRecord(t, s, ref(1)); got.Version != 2 || got.Status != complaint.StatusClaimed {
		t.Fatalf("after the update: v%d %s", got.Version, got.Status)
	}
	stale := update(rec, func(r *complaint.Record) { r.Status = complaint.StatusRejected })
	stale.Audit = []storage.AuditRecord{auditEvent("stale", "5275", "action", ref(1), t0)}
	if _, err := s.Commit(ctx, stale); !errors.Is(err, storage.ErrVersion) {
		t.Fatalf("update from a stale version: %v, want ErrVersion", err)
	}
	if got := mustRecord(t, s, ref(1)); got.Version != 2 || got.Status != complaint.StatusClaimed {
		t.Fatalf("the refused update was written: v%d %s", got.Version, got.Status)
	}
	if a, _ := s.Audit(ctx, storage.AuditFilter{Ref: ref(1), Zone: "5275"}); len(a) != 1 {
		t.Fatalf("the refused update left its audit event: %d events", len(a))
	}
	ghost := update(record(ref(2), "5275", t0), func(*complaint.Record) {})
	if _, err := s.Commit(ctx, ghost); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("update of a missing complaint: %v, want ErrNotFound", err)
	}
}

// testOneClaimWinner: officers who all read version 1 claim at once;
// exactly one claim is stored, the others are told the complaint changed.
func testOneClaimWinner(t *testing.T, s storage.Store) {
	const officers = 16
	for round := 0; round < 5; round++ {
		r := ref(round)
		mustCommit(t, s, newComplaint(r, "5275", t0))
		rec := mustRecord(t, s, r)
		errs := make([]error, officers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range officers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := update(rec, func(r *complaint.Record) {
					r.Status = complaint.StatusClaimed
					r.ClaimedBy = &complaint.Officer{ID: fmt.Sprintf("o-%d", i), Name: "Agent"}
				})
				<-start
				_, errs[i] = s.Commit(ctx, c)
			}()
		}
		close(start)
		wg.Wait()
		winners := 0
		var winner string
		for i, err := range errs {
			switch {
			case err == nil:
				winners++
				winner = fmt.Sprintf("o-%d", i)
			case !errors.Is(err, storage.ErrVersion):
				t.Fatalf("claim %d: %v, want nil or ErrVersion", i, err)
			}
		}
		if winners != 1 {
			t.Fatalf("round %d: %d claims stored, want exactly 1", round, winners)
		}
		if got := mustRecord(t, s, r); got.Version != 2 || got.ClaimedBy == nil || got.ClaimedBy.ID != winner {
			t.Fatalf("round %d: stored v%d claimed by %+v, winner %s", round, got.Version, got.ClaimedBy, winner)
		}
	}
}

func intakeWithKey(r, key string, hash []byte) storage.Change {
	c := newComplaint(r, "5275", t0)
	c.Idempotency = &storage.Idempotency{Scope: "intake", Key: key, RequestHash: hash,
		Status: 201, Response: []byte(`{"reference":"` + r + `"}`), CreatedAt: t0}
	return c
}

func testIdempotentReplay(t *testing.T, s storage.Store) {
	if _, err := s.Idempotency(ctx, "intake", "k1"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown key: %v, want ErrNotFound", err)
	}
	mustCommit(t, s, intakeWithKey(ref(1), "k1", []byte("body-1")))
	// The same request again (a retry after a lost answer) under a new
	// reference: the first answer, nothing stored.
	replay, err := s.Commit(ctx, intakeWithKey(ref(2), "k1", []byte("body-1")))
	if err != nil || replay == nil {
		t.Fatalf("replay: %v %v, want the first answer", replay, err)
	}
	if replay.Status != 201 || string(replay.Response) != `{"reference":"`+ref(1)+`"}` || !replay.CreatedAt.Equal(t0) {
		t.Fatalf("replayed %d %s %v", replay.Status, replay.Response, replay.CreatedAt)
	}
	// The same key for another request: refused, nothing stored.
	if _, err := s.Commit(ctx, intakeWithKey(ref(3), "k1", []byte("body-2"))); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("same key, other body: %v, want ErrConflict", err)
	}
	for _, r := range []string{ref(2), ref(3)} {
		if _, err := s.Complaint(ctx, r); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("complaint %s of a replayed or refused request was stored (%v)", r, err)
		}
	}
	if p := feedAll(t, s, "5275", "", 10); !slices.Equal(refsOf(p.Items), []string{ref(1)}) {
		t.Fatalf("feed after replays: %v", refsOf(p.Items))
	}
	got, err := s.Idempotency(ctx, "intake", "k1")
	if err != nil || !bytes.Equal(got.RequestHash, []byte("body-1")) || got.Status != 201 {
		t.Fatalf("stored record: %+v %v", got, err)
	}
	// Scopes are separate: an officer's key k1 is another key.
	other := intakeWithKey(ref(4), "k1", []byte("body-2"))
	other.Idempotency.Scope = "officer:o-1"
	mustCommit(t, s, other)
}

// testIdempotentReplayRace: the same request sent many times at once is
// stored once; every other answer is its replay.
func testIdempotentReplayRace(t *testing.T, s storage.Store) {
	const n = 16
	replays := make([]*storage.Idempotency, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replays[i], errs[i] = s.Commit(ctx, intakeWithKey(ref(i), "same", []byte("body")))
		}()
	}
	wg.Wait()
	stored := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		if replays[i] == nil {
			stored++
		}
	}
	p := feedAll(t, s, "5275", "", 100)
	if stored != 1 || len(p.Items) != 1 {
		t.Fatalf("%d requests stored, %d complaints in the feed; want 1 and 1", stored, len(p.Items))
	}
	for i := range n {
		if replays[i] != nil && string(replays[i].Response) != `{"reference":"`+p.Items[0].Reference+`"}` {
			t.Fatalf("replay %d answers %s, stored %s", i, replays[i].Response, p.Items[0].Reference)
		}
	}
}

func testFeedOrderedPages(t *testing.T, s storage.Store) {
	for i := range 10 {
		mustCommit(t, s, newComplaint(ref(i), "5275", t0))
		mustCommit(t, s, newComplaint(ref(100+i), "5339", t0))
	}
	// A change moves a complaint to the end of its feed.
	rec := mustRecord(t, s, ref(3))
	mustCommit(t, s, update(rec, func(r *complaint.Record) { r.Status = complaint.StatusClaimed }))
	want := []string{ref(0), ref(1), ref(2), ref(4), ref(5), ref(6), ref(7), ref(8), ref(9), ref(3)}
	for _, limit := range []int{1, 3, 10, 100} {
		p := feedAll(t, s, "5275", "", limit)
		if !slices.Equal(refsOf(p.Items), want) {
			t.Fatalf("limit %d: feed %v, want %v", limit, refsOf(p.Items), want)
		}
		last := p.Items[len(p.Items)-1]
		if last.Version != 2 || last.Tombstone {
			t.Fatalf("claimed complaint in the feed: %+v", last)
		}
		var r complaint.Record
		if err := json.Unmarshal(last.Record, &r); err != nil || r.Status != complaint.StatusClaimed || r.Version != 2 {
			t.Fatalf("record in the feed: %v %s v%d", err, r.Status, r.Version)
		}
	}
	first, err := s.FeedPage(ctx, "5275", "", 4, true)
	if err != nil {
		t.Fatal(err)
	}
	if !first.More || first.Remaining == nil || *first.Remaining != 6 {
		t.Fatalf("first page of 4: more %v remaining %v, want true and 6", first.More, first.Remaining)
	}
	end := feedAll(t, s, "5275", "", 100)
	again, err := s.FeedPage(ctx, "5275", end.Cursor, 100, true)
	if err != nil || len(again.Items) != 0 || again.More || *again.Remaining != 0 {
		t.Fatalf("page after the end: %+v %v", again, err)
	}
	// Nothing new: the cursor at the end still reads the next change.
	mustCommit(t, s, newComplaint(ref(50), "5275", t0))
	if next, err := s.FeedPage(ctx, "5275", again.Cursor, 100, false); err != nil || !slices.Equal(refsOf(next.Items), []string{ref(50)}) {
		t.Fatalf("after the end, a new complaint: %v %v", refsOf(next.Items), err)
	}
	if p := feedAll(t, s, "9999", "", 10); len(p.Items) != 0 {
		t.Fatalf("a zone without complaints: %v", refsOf(p.Items))
	}
}

// testFeedNoGap: while writers commit complaints, a reader follows the
// feed page by page; when they stop, the reader has seen every complaint
// exactly once. A position taken by a write that commits late must not be
// passed by a reader (the sequence-gap bug).
func testFeedNoGap(t *testing.T, s storage.Store) {
	const writers, each = 8, 60
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := s.Commit(ctx, newComplaint(ref(w*1000+i), "5275", t0)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int{}
	cursor := ""
	read := func() {
		p, err := s.FeedPage(ctx, "5275", cursor, 7, false)
		if err != nil {
			t.Fatalf("feed: %v", err)
		}
		for _, it := range p.Items {
			seen[it.Reference]++
		}
		cursor = p.Cursor
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			read()
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for range writers * each {
		read()
	}
	if len(seen) != writers*each {
		t.Fatalf("the reader saw %d complaints, %d were committed", len(seen), writers*each)
	}
	for r, n := range seen {
		if n != 1 {
			t.Fatalf("%s seen %d times", r, n)
		}
	}
}

func testFeedTombstone(t *testing.T, s storage.Store) {
	mustCommit(t, s, newComplaint(ref(1), "5275", t0))
	mustCommit(t, s, newComplaint(ref(2), "5275", t0))
	from := feedAll(t, s, "5275", "", 10)
	rec := mustRecord(t, s, ref(1))
	fwd := update(rec, func(r *complaint.Record) {
		r.Zone = complaint.Zone{Code: "5339", Name: "Zone 5339"}
		r.Status = complaint.StatusNew
	})
	fwd.Feed = []storage.FeedChange{{Zone: "5275", Tombstone: true}, {Zone: "5339"}}
	mustCommit(t, s, fwd)
	src := feedAll(t, s, "5275", "", 10)
	if len(src.Items) != 2 || src.Items[1].Reference != ref(1) || !src.Items[1].Tombstone || src.Items[1].Record != nil || src.Items[1].Version != 2 {
		t.Fatalf("source zone's feed after the forward: %+v", src.Items)
	}
	if news := feedAll(t, s, "5275", from.Cursor, 10); len(news.Items) != 1 || !news.Items[0].Tombstone {
		t.Fatalf("the source zone's reader misses the tombstone: %+v", news.Items)
	}
	dst := feedAll(t, s, "5339", "", 10)
	if len(dst.Items) != 1 || dst.Items[0].Tombstone || dst.Items[0].Version != 2 || len(dst.Items[0].Record) == 0 {
		t.Fatalf("target zone's feed: %+v", dst.Items)
	}
	if r := mustRecord(t, s, ref(1)); r.Zone.Code != "5339" {
		t.Fatalf("forwarded complaint is in zone %s", r.Zone.Code)
	}
	// Back again: the tombstone in 5275 becomes the record.
	rec = mustRecord(t, s, ref(1))
	back := update(rec, func(r *complaint.Record) { r.Zone = complaint.Zone{Code: "5275"} })
	back.Feed = []storage.FeedChange{{Zone: "5339", Tombstone: true}, {Zone: "5275"}}
	mustCommit(t, s, back)
	src = feedAll(t, s, "5275", "", 10)
	if len(src.Items) != 2 || src.Items[1].Tombstone || src.Items[1].Version != 3 || len(src.Items[1].Record) == 0 {
		t.Fatalf("source zone's feed after the way back: %+v", src.Items)
	}
}

func testEpochs(t *testing.T, s storage.Store) {
	mustCommit(t, s, newComplaint(ref(1), "5275", t0))
	mustCommit(t, s, newComplaint(ref(2), "5275", t0))
	p, err := s.FeedPage(ctx, "5275", "", 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.FeedPage(ctx, "5275", p.Cursor, 1, false); err != nil {
		t.Fatalf("the zone's own cursor: %v", err)
	}
	tampered := []byte(p.Cursor)
	tampered[len(tampered)/2] ^= 1
	for name, c := range map[string]string{
		"another zone's":  p.Cursor + "",
		"tampered":        string(tampered),
		"not base64":      "%%%%",
		"short":           "AQ",
		"very long":       string(bytes.Repeat([]byte("A"), 300)),
		"truncated":       p.Cursor[:len(p.Cursor)-4],
		"with extra byte": p.Cursor + "A",
	} {
		zone := "5275"
		if name == "another zone's" {
			zone = "5339"
		}
		if _, err := s.FeedPage(ctx, zone, c, 10, false); !errors.Is(err, storage.ErrEpoch) {
			t.Errorf("%s cursor: %v, want ErrEpoch", name, err)
		}
	}
}

func testAuditAppendOnly(t *testing.T, s storage.Store) {
	evs := []storage.AuditRecord{
		auditEvent("e1", "5275", "view", ref(1), t0),
		auditEvent("e2", "5275", "copy", ref(1), t0.Add(time.Second)),
		auditEvent("e3", "5339", "view", ref(2), t0.Add(2*time.Second)),
	}
	evs[1].Origin, evs[1].Officer = "o-1", "o-1"
	claimed := t0.Add(1000 * time.Hour)
	evs[1].ClaimedAt = &claimed
	if n, err := s.AppendAudit(ctx, evs); err != nil || n != 3 {
		t.Fatalf("append: %d %v", n, err)
	}
	// The same events again (a workstation retrying a batch), one changed:
	// nothing new is stored and nothing is overwritten.
	again := slices.Clone(evs)
	again[0].Outcome = "rewritten"
	again = append(again, auditEvent("e4", "5275", "view", ref(1), t0.Add(3*time.Second)))
	if n, err := s.AppendAudit(ctx, again); err != nil || n != 1 {
		t.Fatalf("append again: %d stored (%v), want 1", n, err)
	}
	// The same id from another origin is another event.
	other := auditEvent("e1", "5275", "view", ref(1), t0)
	other.Origin = "o-2"
	if n, err := s.AppendAudit(ctx, []storage.AuditRecord{other}); err != nil || n != 1 {
		t.Fatalf("same id, other origin: %d %v", n, err)
	}
	all, err := s.Audit(ctx, storage.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range all {
		ids = append(ids, e.Origin+"/"+e.ID)
	}
	if !slices.Equal(ids, []string{"portal/e1", "o-1/e2", "portal/e3", "portal/e4", "o-2/e1"}) {
		t.Fatalf("stored in order %v", ids)
	}
	if all[0].Outcome != "ok" {
		t.Fatalf("a stored event was overwritten: %+v", all[0])
	}
	if !all[1].At.Equal(evs[1].At) || all[1].ClaimedAt == nil || !all[1].ClaimedAt.Equal(claimed) || !all[1].ReceivedAt.Equal(evs[1].ReceivedAt) {
		t.Fatalf("times of a stored event: %+v", all[1])
	}
	if all[0].ClaimedAt != nil {
		t.Fatalf("claimed time on a plausible event: %v", all[0].ClaimedAt)
	}
	for _, tt := range []struct {
		f    storage.AuditFilter
		want int
	}{
		{storage.AuditFilter{Zone: "5275"}, 4},
		{storage.AuditFilter{Ref: ref(2)}, 1},
		{storage.AuditFilter{Officer: "o-1"}, 1},
		{storage.AuditFilter{Zone: "5275", Limit: 2}, 2},
		{storage.AuditFilter{Zone: "nowhere"}, 0},
	} {
		got, err := s.Audit(ctx, tt.f)
		if err != nil || len(got) != tt.want {
			t.Errorf("filter %+v: %d events (%v), want %d", tt.f, len(got), err, tt.want)
		}
	}
}

func testAuditLater(t *testing.T, s storage.Store) {
	for i := range 50 {
		s.AppendAuditLater([]storage.AuditRecord{auditEvent(fmt.Sprintf("read-%d", i), "5275", "feed_read", "", t0)})
	}
	for {
		got, err := s.Audit(ctx, storage.AuditFilter{Zone: "5275"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 50 {
			return
		}
		if dl, ok := t.Deadline(); ok && time.Until(dl) < 5*time.Second {
			t.Fatalf("%d of 50 events given to AppendAuditLater were stored", len(got))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func withConfirmation(c storage.Change, channel string, due time.Time) storage.Change {
	ref := c.Complaint.Record.Reference
	c.Outbox = append(c.Outbox, storage.NewConfirmation{Reference: ref, Channel: channel, Payload: []byte(`{"reference":"` + ref + `"}`), Due: due})
	return c
}

// testOutboxOnce: senders that lease at the same moment never get the
// same confirmation; a lease that is not settled ends, and a sent one is
// never taken again.
func testOutboxOnce(t *testing.T, s storage.Store) {
	const n = 40
	for i := range n {
		mustCommit(t, s, withConfirmation(newComplaint(ref(i), "5275", t0), complaint.ChannelEmail, t0))
	}
	mustCommit(t, s, withConfirmation(newComplaint(ref(999), "5275", t0), complaint.ChannelPost, t0.Add(time.Hour)))
	const senders = 4
	leased := make([][]storage.Confirmation, senders)
	var wg sync.WaitGroup
	for i := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n { // bounded: a store that leases twice must not loop forever
				got, err := s.LeaseConfirmations(ctx, t0, time.Minute, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				leased[i] = append(leased[i], got...)
			}
		}()
	}
	wg.Wait()
	owner := map[int64]int{}
	for i, l := range leased {
		for _, c := range l {
			if j, ok := owner[c.ID]; ok {
				t.Fatalf("confirmation %d leased by senders %d and %d", c.ID, j, i)
			}
			owner[c.ID] = i
			if c.Channel != complaint.ChannelEmail || c.Attempts != 0 || string(c.Payload) != `{"reference":"`+c.Reference+`"}` {
				t.Fatalf("leased %+v", c)
			}
		}
	}
	if len(owner) != n {
		t.Fatalf("%d confirmations leased, %d due", len(owner), n)
	}
	if next, ok, err := s.NextConfirmation(ctx); err != nil || !ok || !next.Equal(t0.Add(time.Minute)) {
		t.Fatalf("next due: %v %v %v, want the end of the leases", next, ok, err)
	}
	// Half are sent; the senders of the others die. After the lease the
	// others are taken again, and only they.
	sent := map[int64]bool{}
	for id := range owner {
		if id%2 == 0 {
			if err := s.ConfirmationSent(ctx, id, t0.Add(time.Second), auditEvent(fmt.Sprintf("sent-%d", id), "5275", "confirmation", "", t0)); err != nil {
				t.Fatal(err)
			}
			sent[id] = true
		}
	}
	if got, _ := s.LeaseConfirmations(ctx, t0.Add(30*time.Second), time.Minute, 100); len(got) != 0 {
		t.Fatalf("%d confirmations leased again before their lease ended", len(got))
	}
	again, err := s.LeaseConfirmations(ctx, t0.Add(time.Minute), time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != n-len(sent) {
		t.Fatalf("%d taken again after the lease, want %d", len(again), n-len(sent))
	}
	for i, c := range again {
		if sent[c.ID] {
			t.Fatalf("sent confirmation %d taken again", c.ID)
		}
		if i > 0 && c.ID < again[i-1].ID {
			t.Fatalf("leased out of order: %d after %d", c.ID, again[i-1].ID)
		}
	}
	if err := s.ConfirmationSent(ctx, again[0].ID, t0, auditEvent("x", "5275", "confirmation", "", t0)); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmationSent(ctx, again[0].ID, t0, auditEvent("y", "5275", "confirmation", "", t0)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("sent twice: %v, want ErrNotFound", err)
	}
	counts, err := s.OutboxCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []storage.OutboxCount{
		{Channel: complaint.ChannelEmail, Pending: n - len(sent) - 1, Sent: len(sent) + 1},
		{Channel: complaint.ChannelPost, Pending: 1},
	}
	if !slices.Equal(counts, want) {
		t.Fatalf("counts %+v, want %+v", counts, want)
	}
}

func testOutboxRetryFailure(t *testing.T, s storage.Store) {
	if _, ok, err := s.NextConfirmation(ctx); ok || err != nil {
		t.Fatalf("next due of an empty outbox: %v %v", ok, err)
	}
	if counts, err := s.OutboxCounts(ctx); err != nil || len(counts) != 2 || counts[0] != (storage.OutboxCount{Channel: complaint.ChannelEmail}) {
		t.Fatalf("counts of an empty outbox: %+v %v", counts, err)
	}
	mustCommit(t, s, withConfirmation(newComplaint(ref(1), "5275", t0), complaint.ChannelEmail, t0))
	got, err := s.LeaseConfirmations(ctx, t0, time.Minute, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("lease: %v %v", got, err)
	}
	id := got[0].ID
	if err := s.ConfirmationRetry(ctx, id, t0.Add(10*time.Second), "smtp RCPT: 451 4.3.0"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LeaseConfirmations(ctx, t0.Add(9*time.Second), time.Minute, 10); len(got) != 0 {
		t.Fatalf("leased before its retry time: %+v", got)
	}
	got, _ = s.LeaseConfirmations(ctx, t0.Add(10*time.Second), time.Minute, 10)
	if len(got) != 1 || got[0].Attempts != 1 {
		t.Fatalf("at its retry time: %+v", got)
	}
	items, err := s.OutboxItems(ctx, "pending", 0)
	if err != nil || len(items) != 1 || items[0].Attempts != 1 || items[0].LastError != "smtp RCPT: 451 4.3.0" || items[0].NextAttempt == nil {
		t.Fatalf("pending items: %+v %v", items, err)
	}
	failedAt := t0.Add(11 * time.Second)
	if err := s.ConfirmationFailed(ctx, id, failedAt, "smtp RCPT: 550 5.1.1", complaint.ChannelPost, auditEvent("f", "5275", "confirmation", ref(1), t0)); err != nil {
		t.Fatal(err)
	}
	failed, err := s.OutboxItems(ctx, "failed", 0)
	if err != nil || len(failed) != 1 || failed[0].ID != id || failed[0].Attempts != 2 || failed[0].FailedAt == nil || !failed[0].FailedAt.Equal(failedAt) || failed[0].State != "failed" {
		t.Fatalf("failed items: %+v %v", failed, err)
	}
	letter, _ := s.LeaseConfirmations(ctx, failedAt, time.Minute, 10)
	if len(letter) != 1 || letter[0].Channel != complaint.ChannelPost || letter[0].Reference != ref(1) || string(letter[0].Payload) != `{"reference":"`+ref(1)+`"}` {
		t.Fatalf("replacing letter: %+v", letter)
	}
	pending, _ := s.OutboxItems(ctx, "pending", 0)
	if len(pending) != 1 || pending[0].Replaces != id {
		t.Fatalf("the letter does not say what it replaces: %+v", pending)
	}
	if _, err := s.OutboxItems(ctx, "lost", 0); err == nil {
		t.Fatal("unknown state accepted")
	}
	if err := s.ConfirmationRetry(ctx, 424242, t0, ""); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("retry of an unknown confirmation: %v", err)
	}
	if a, _ := s.Audit(ctx, storage.AuditFilter{Ref: ref(1)}); len(a) != 2 {
		t.Fatalf("audit of the failure: %d events", len(a))
	}
}

func testOfficers(t *testing.T, s storage.Store) {
	a := storage.Officer{Officer: complaint.Officer{ID: "o-a", Name: "Agent A"}, Zone: "5275", TokenHash: bytes.Repeat([]byte{1}, 32), CreatedAt: t0}
	b := storage.Officer{Officer: complaint.Officer{ID: "o-b", Name: "Agent B"}, Zone: "5275", TokenHash: bytes.Repeat([]byte{2}, 32), CreatedAt: t0.Add(time.Second)}
	c := storage.Officer{Officer: complaint.Officer{ID: "o-c", Name: "Agent C"}, Zone: "21", TokenHash: bytes.Repeat([]byte{3}, 32), CreatedAt: t0.Add(2 * time.Second)}
	for _, o := range []storage.Officer{b, a, c} {
		if err := s.AddOfficer(ctx, o, auditEvent("add-"+o.ID, o.Zone, "officer_add", "", o.CreatedAt)); err != nil {
			t.Fatal(err)
		}
	}
	dupToken := storage.Officer{Officer: complaint.Officer{ID: "o-d"}, Zone: "5275", TokenHash: a.TokenHash, CreatedAt: t0}
	if err := s.AddOfficer(ctx, dupToken, auditEvent("add-d", "5275", "officer_add", "", t0)); !errors.Is(err, storage.ErrDuplicate) {
		t.Fatalf("second officer with the same token hash: %v", err)
	}
	dupID := c
	dupID.TokenHash = bytes.Repeat([]byte{4}, 32)
	if err := s.AddOfficer(ctx, dupID, auditEvent("add-c2", "21", "officer_add", "", t0)); !errors.Is(err, storage.ErrDuplicate) {
		t.Fatalf("second officer with the same id: %v", err)
	}
	got, err := s.OfficerByToken(ctx, a.TokenHash)
	if err != nil || got.ID != "o-a" || got.Name != "Agent A" || got.Zone != "5275" || !got.CreatedAt.Equal(t0) || got.RevokedAt != nil {
		t.Fatalf("by token: %+v %v", got, err)
	}
	if _, err := s.OfficerByToken(ctx, bytes.Repeat([]byte{9}, 32)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	if err := s.RevokeOfficer(ctx, "o-a", t0.Add(time.Hour), auditEvent("rev-a", "5275", "officer_revoke", "", t0)); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeOfficer(ctx, "o-a", t0.Add(2*time.Hour), auditEvent("rev-a2", "5275", "officer_revoke", "", t0)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.OfficerByToken(ctx, a.TokenHash)
	if got.RevokedAt == nil || !got.RevokedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("revoked at %v, want its first revocation", got.RevokedAt)
	}
	if err := s.RevokeOfficer(ctx, "o-none", t0, auditEvent("rev-x", "", "officer_revoke", "", t0)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}
	if o, err := s.Officer(ctx, "o-c"); err != nil || o.Zone != "21" {
		t.Fatalf("by id: %+v %v", o, err)
	}
	if _, err := s.Officer(ctx, "o-none"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
	list, err := s.Officers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range list {
		ids = append(ids, o.ID)
	}
	if !slices.Equal(ids, []string{"o-c", "o-a", "o-b"}) {
		t.Fatalf("officers in order %v, want by zone then creation", ids)
	}
	if a, _ := s.Audit(ctx, storage.AuditFilter{}); len(a) != 5 {
		t.Fatalf("%d audit events, want 5 (3 added, 2 revocations)", len(a))
	}
}

func testZoneTable(t *testing.T, s storage.Store) {
	if _, err := s.ZoneTable(ctx); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("no table imported: %v", err)
	}
	for _, csv := range []string{"zone_code,zone_name,nis5,municipality\n1,A,2,B\n", "zone_code,zone_name,nis5,municipality\n3,C,4,D\n"} {
		if err := s.SaveZoneTable(ctx, []byte(csv), auditEvent("z"+csv[len(csv)-3:], "", "zones_import", "", t0)); err != nil {
			t.Fatal(err)
		}
		got, err := s.ZoneTable(ctx)
		if err != nil || string(got) != csv {
			t.Fatalf("table %q %v, want %q", got, err, csv)
		}
	}
}

func testPurgeIdempotency(t *testing.T, s storage.Store) {
	for i, at := range []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour)} {
		c := storage.Change{Idempotency: &storage.Idempotency{Scope: "intake", Key: fmt.Sprint(i), RequestHash: []byte("h"), Status: 422, Response: []byte("{}"), CreatedAt: at}}
		mustCommit(t, s, c)
	}
	n, err := s.PurgeIdempotency(ctx, t0.Add(time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("purged %d (%v), want 1", n, err)
	}
	if _, err := s.Idempotency(ctx, "intake", "0"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("purged record still read: %v", err)
	}
	if _, err := s.Idempotency(ctx, "intake", "1"); err != nil {
		t.Fatalf("kept record: %v", err)
	}
}

// testCommitAll: a batch is stored change by change; a refused change
// leaves the others stored and says which it was.
func testCommitAll(t *testing.T, s storage.Store) {
	mustCommit(t, s, newComplaint(ref(2), "5275", t0))
	var cs []storage.Change
	for i := range 5 {
		cs = append(cs, newComplaint(ref(i), "5275", t0))
	}
	errs := s.CommitAll(ctx, cs)
	if len(errs) != 5 {
		t.Fatalf("%d errors for 5 changes", len(errs))
	}
	for i, err := range errs {
		if (i == 2) != errors.Is(err, storage.ErrDuplicate) || (i != 2 && err != nil) {
			t.Fatalf("change %d: %v", i, err)
		}
	}
	p := feedAll(t, s, "5275", "", 100)
	if !slices.Equal(refsOf(p.Items), []string{ref(2), ref(0), ref(1), ref(3), ref(4)}) {
		t.Fatalf("feed after the batch: %v", refsOf(p.Items))
	}
}

// testFormSessions: a saved session reads back as saved and is replaced by
// the next save of its key; deleting it (or a missing one) leaves none;
// expiry erases the data of sessions idle since before the first cutoff,
// keeping their keys, and deletes those older than the second.
func testFormSessions(t *testing.T, s storage.Store) {
	if _, err := s.FormSession(ctx, "none"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing session: %v, want ErrNotFound", err)
	}
	save := func(key, data string, at time.Time) {
		t.Helper()
		if err := s.SaveFormSession(ctx, storage.FormSession{Key: key, Data: []byte(data), LastUse: at}); err != nil {
			t.Fatalf("save %s: %v", key, err)
		}
	}
	read := func(key string) storage.FormSession {
		t.Helper()
		fs, err := s.FormSession(ctx, key)
		if err != nil {
			t.Fatalf("read %s: %v", key, err)
		}
		return fs
	}
	save("a", `{"draft":1}`, t0)
	save("a", `{"draft":2}`, t0.Add(time.Minute))
	if fs := read("a"); fs.Key != "a" || string(fs.Data) != `{"draft":2}` || !fs.LastUse.Equal(t0.Add(time.Minute)) {
		t.Errorf("read back %q %q %v, want the second save", fs.Key, fs.Data, fs.LastUse)
	}
	if err := s.DeleteFormSession(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FormSession(ctx, "a"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("deleted session: %v, want ErrNotFound", err)
	}
	if err := s.DeleteFormSession(ctx, "a"); err != nil {
		t.Errorf("deleting a missing session: %v", err)
	}

	save("old", "x", t0.Add(-25*time.Hour))
	save("idle", "y", t0.Add(-61*time.Minute))
	save("live", "z", t0.Add(-59*time.Minute))
	erased, deleted, err := s.ExpireFormSessions(ctx, t0.Add(-time.Hour), t0.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if erased != 1 || deleted != 1 {
		t.Errorf("erased %d, deleted %d, want 1 and 1", erased, deleted)
	}
	if _, err := s.FormSession(ctx, "old"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("session idle for a day: %v, want ErrNotFound", err)
	}
	if fs := read("idle"); fs.Data != nil || !fs.LastUse.Equal(t0.Add(-61*time.Minute)) {
		t.Errorf("idle session: data %q at %v, want no data at its last use", fs.Data, fs.LastUse)
	}
	if fs := read("live"); string(fs.Data) != "z" {
		t.Errorf("live session: data %q, want z", fs.Data)
	}
	if erased, _, _ := s.ExpireFormSessions(ctx, t0.Add(-time.Hour), t0.Add(-24*time.Hour)); erased != 0 {
		t.Errorf("second expiry erased %d again", erased)
	}
}

// testConsultationJournal: the record of a consultation is listed by Audit
// once its durable returned, also when several readers queue theirs
// before any waits.
func testConsultationJournal(t *testing.T, s storage.Store) {
	var durables []func() error
	for i := range 3 {
		durables = append(durables, s.JournalConsultation(ctx, auditEvent(fmt.Sprintf("read-%d", i), "5275", "feed_read", "", t0)))
	}
	for i := len(durables) - 1; i >= 0; i-- {
		if err := durables[i](); err != nil {
			t.Fatal(err)
		}
		got, err := s.Audit(ctx, storage.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(got, func(a storage.AuditRecord) bool { return a.ID == fmt.Sprintf("read-%d", i) }) {
			t.Fatalf("read-%d is not listed once durable", i)
		}
	}
}
