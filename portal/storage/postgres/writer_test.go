package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

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
