package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres/pgtest"
)

// TestWritesDoNotWaitForReads: with every connection of the read pool
// taken (a burst of reads, or a slow one on each), the writes still
// commit: requests' changes, the audit trail and the confirmation
// sender's writes have connections of their own.
func TestWritesDoNotWaitForReads(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, pgtest.NewDatabase(t), Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var held []*pgxpool.Conn
	for range 2 {
		c, err := s.pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	defer func() {
		for _, c := range held {
			c.Release()
		}
	}()

	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	audit := func(id string) storage.AuditRecord {
		return storage.AuditRecord{AuditEvent: complaint.AuditEvent{ID: id, At: at, Kind: "test", Outcome: "ok"}, Origin: "portal", ReceivedAt: at}
	}
	for i := range 3 {
		c := intake(fmt.Sprintf("2026-W-%d", i), "5275")
		c.Outbox = []storage.NewConfirmation{{Reference: c.Complaint.Record.Reference, Channel: complaint.ChannelEmail, Payload: []byte("{}"), Due: at}}
		if _, err := s.Commit(ctx, c); err != nil {
			t.Fatalf("commit with the read pool taken: %v", err)
		}
	}
	if n, err := s.AppendAudit(ctx, []storage.AuditRecord{audit("a1"), audit("a2")}); err != nil || n != 2 {
		t.Fatalf("append audit with the read pool taken: %d, %v", n, err)
	}
	leased, err := s.LeaseConfirmations(ctx, at, time.Minute, 10)
	if err != nil || len(leased) != 3 {
		t.Fatalf("lease with the read pool taken: %d, %v", len(leased), err)
	}
	if err := s.ConfirmationSent(ctx, leased[0].ID, at, audit("sent")); err != nil {
		t.Fatalf("confirmation sent: %v", err)
	}
	if err := s.ConfirmationRetry(ctx, leased[1].ID, at.Add(time.Minute), "421 4.3.0"); err != nil {
		t.Fatalf("confirmation retry: %v", err)
	}
	if err := s.ConfirmationFailed(ctx, leased[2].ID, at, "550 5.1.1", complaint.ChannelPost, audit("failed")); err != nil {
		t.Fatalf("confirmation failed: %v", err)
	}
	if err := s.ConfirmationSent(ctx, leased[0].ID, at, audit("sent-again")); err != storage.ErrNotFound {
		t.Fatalf("confirmation sent twice: %v, want ErrNotFound", err)
	}
}

// statementCounter counts the statements the writers send, BEGIN and
// COMMIT aside.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.count(d.SQL)
	return ctx
}
func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *statementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}
func (c *statementCounter) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	c.count(d.SQL)
}
func (c *statementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (c *statementCounter) count(sql string) {
	if sql != "BEGIN" && sql != "COMMIT" {
		c.n.Add(1)
	}
}

// TestGroupWritesNewComplaintsTogether: the new complaints of a group
// commit are written by one statement, not one per change (the server's
// work per statement was most of an intake's cost on PostgreSQL), and
// each change of the group still gets its own answer: written, refused
// for a taken reference (leaving nothing, not even its idempotency key),
// or the replay of its key; a change of a stored complaint and a
// statement of the audit trail in the same group are written beside them.
func TestGroupWritesNewComplaintsTogether(t *testing.T) {
	ctx := context.Background()
	counter := &statementCounter{}
	s, err := Open(ctx, pgtest.NewDatabase(t), Options{MaxConns: 4, writeTracer: counter})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	withKey := func(c storage.Change, key string) storage.Change {
		c.Idempotency = &storage.Idempotency{Scope: "intake", Key: key, RequestHash: []byte("h-" + key), Status: 201,
			Response: []byte(`{"key":"` + key + `"}`), CreatedAt: at}
		c.Audit = []storage.AuditRecord{{AuditEvent: complaint.AuditEvent{ID: "intake-" + key, At: at, Kind: "intake",
			Reference: c.Complaint.Record.Reference, Zone: c.Complaint.Record.Zone.Code, Outcome: "ok"}, Origin: "portal", ReceivedAt: at}}
		return c
	}
	stored := intake("2026-STOR-0001", "5275")
	if _, err := s.Commit(ctx, withKey(stored, "stored")); err != nil {
		t.Fatal(err)
	}
	claimed := stored.Complaint.Record
	claimed.Version, claimed.Status = 2, complaint.StatusClaimed

	const fresh = 60
	var group []commitOp
	op := func(c storage.Change) {
		group = append(group, commitOp{ctx: ctx, c: c, done: make(chan commitResult, 1)})
	}
	for i := range fresh {
		op(withKey(intake(fmt.Sprintf("2026-NEW%d-0000", i), []string{"5275", "5340"}[i%2]), fmt.Sprintf("k%d", i)))
	}
	op(withKey(intake("2026-STOR-0001", "5275"), "taken-ref")) // fresh + 0: the reference is taken
	op(withKey(intake("2026-OTHR-0002", "5275"), "stored"))    // fresh + 1: the key was used
	op(storage.Change{Complaint: &storage.ComplaintWrite{Record: claimed, Previous: 1},
		Feed: []storage.FeedChange{{Zone: "5275"}}}) // fresh + 2
	group = append(group, commitOp{ctx: ctx, stmt: appendAudit([]storage.AuditRecord{{AuditEvent: complaint.AuditEvent{
		ID: "read-1", At: at, Kind: "feed", Zone: "5275", Outcome: "ok"}, Origin: "portal", ReceivedAt: at}}),
		done: make(chan commitResult, 1)}) // fresh + 3

	counter.n.Store(0)
	results, err := s.writeGroup(group)
	if err != nil {
		t.Fatal(err)
	}
	// One statement for the new complaints, one for the claim, one for
	// the audit.
	if n := counter.n.Load(); n > 3 {
		t.Errorf("the group of %d writes sent %d statements, want 3", len(group), n)
	}
	for i := range fresh {
		if r := results[i]; r.err != nil || r.replay != nil {
			t.Errorf("new complaint %d: %v, replay %v", i, r.err, r.replay)
		}
	}
	if err := results[fresh].err; err != storage.ErrDuplicate {
		t.Errorf("taken reference: %v, want ErrDuplicate", err)
	}
	if r := results[fresh+1]; r.err != nil || r.replay == nil || string(r.replay.Response) != `{"key":"stored"}` || r.replay.Status != 201 {
		t.Errorf("used key: %+v, want the replay of the stored answer", r)
	}
	if err := results[fresh+2].err; err != nil {
		t.Errorf("claim in the group: %v", err)
	}
	if n, _ := results[fresh+3].val.(int); results[fresh+3].err != nil || n != 1 {
		t.Errorf("audit in the group: %v, %v", results[fresh+3].val, results[fresh+3].err)
	}

	if _, err := s.Idempotency(ctx, "intake", "taken-ref"); err != storage.ErrNotFound {
		t.Errorf("the refused change's key: %v, want ErrNotFound (nothing written)", err)
	}
	if _, err := s.Complaint(ctx, "2026-OTHR-0002"); err != storage.ErrNotFound {
		t.Errorf("the replayed change's complaint: %v, want ErrNotFound", err)
	}
	if got := mustRecordVersion(t, s, "2026-STOR-0001"); got != 2 {
		t.Errorf("stored complaint at version %d, want 2 (claimed, not replaced)", got)
	}
	for i := range fresh {
		ref := fmt.Sprintf("2026-NEW%d-0000", i)
		if got := mustRecordVersion(t, s, ref); got != 1 {
			t.Errorf("%s at version %d", ref, got)
		}
		if r, err := s.Idempotency(ctx, "intake", fmt.Sprintf("k%d", i)); err != nil || string(r.RequestHash) != fmt.Sprintf("h-k%d", i) {
			t.Errorf("key of %s: %v", ref, err)
		}
		if a, err := s.Audit(ctx, storage.AuditFilter{Ref: ref}); err != nil || len(a) != 1 {
			t.Errorf("audit of %s: %d events, %v", ref, len(a), err)
		}
	}
	// Each zone's feed holds its complaints once, in positions of their own.
	seen := map[string]int{}
	for _, zone := range []string{"5275", "5340"} {
		p, err := s.FeedPage(ctx, zone, "", 1000, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			seen[it.Reference]++
		}
	}
	if len(seen) != fresh+1 {
		t.Errorf("feeds hold %d complaints, want %d", len(seen), fresh+1)
	}
	for ref, n := range seen {
		if n != 1 {
			t.Errorf("%s is %d times in the feeds", ref, n)
		}
	}
}

func mustRecordVersion(t *testing.T, s *Store, ref string) int64 {
	t.Helper()
	c, err := s.Complaint(context.Background(), ref)
	if err != nil {
		t.Fatalf("complaint %s: %v", ref, err)
	}
	return c.Version
}

// waitFor polls cond until it holds (10 s at most).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}
