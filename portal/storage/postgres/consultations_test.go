package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres/pgtest"
)

// TestConsultationNotBehindWrites: the audit record of a consultation
// (a feed page, a complaint shown) is made durable while every writer of
// the node has a group in flight (here each waits for a row lock another
// node holds): the officer waits for a short commit of its own, not for
// the groups of the moment.
func TestConsultationNotBehindWrites(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.NewDatabase(t)
	s, err := Open(ctx, dbURL, Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	var otherPid int32
	if err := other.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&otherPid); err != nil {
		t.Fatal(err)
	}
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	// One claim per writer, each on a row another node's transaction
	// holds.
	claimsDone := make(chan error, writers)
	for i := range writers {
		stored := intake(fmt.Sprintf("2026-VIEW-%04d", i), "5275")
		if _, err := s.Commit(ctx, stored); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM complaints WHERE ref = $1 FOR UPDATE`, stored.Complaint.Record.Reference); err != nil {
			t.Fatal(err)
		}
		claimed := stored.Complaint.Record
		claimed.Version, claimed.Status = 2, complaint.StatusClaimed
		go func() {
			_, err := s.Commit(ctx, storage.Change{Complaint: &storage.ComplaintWrite{Record: claimed, Previous: 1},
				Feed: []storage.FeedChange{{Zone: "5275"}}})
			claimsDone <- err
		}()
		waitFor(t, "the claim to wait for the row lock", func() bool {
			var n int // read on a connection of its own: a transaction sees one snapshot of the statistics
			s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))`, otherPid).Scan(&n)
			return n == i+1
		})
	}

	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	rec := storage.AuditRecord{AuditEvent: complaint.AuditEvent{ID: "view-1", At: at, Officer: "o1", Zone: "5275",
		Kind: "feed_read", Outcome: "ok", Detail: "limit=100"}, Origin: "portal", ReceivedAt: at}
	durable := consult(ctx, s, rec)
	done := make(chan error, 1)
	go func() { done <- durable() }()
	waitFor(t, "the consultation's record to be durable while the groups wait", func() bool { return len(done) > 0 })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got, err := s.Audit(ctx, storage.AuditFilter{Officer: "o1"})
	if err != nil || len(got) != 1 || got[0].ID != "view-1" {
		t.Fatalf("audit after the consultation: %v, %v", got, err)
	}

	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for range writers {
		if err := <-claimsDone; err != nil {
			t.Fatalf("claim: %v", err)
		}
	}
}

// consult stores the record of a consultation as the portal does: in the
// store's consultation journal when it has one, with AppendAudit
// otherwise.
func consult(ctx context.Context, st storage.Store, rec storage.AuditRecord) (durable func() error) {
	if j, ok := st.(storage.ConsultationJournal); ok {
		return j.JournalConsultation(ctx, rec)
	}
	done := make(chan error, 1)
	go func() {
		_, err := st.AppendAudit(ctx, []storage.AuditRecord{rec})
		done <- err
	}()
	return func() error { return <-done }
}
