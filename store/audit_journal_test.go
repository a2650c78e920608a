package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"guichet/complaint"
)

// TestConsultationAuditWritesNoDatabase: a read-only session (a page, an
// audit event, close) leaves the cache file and its log as they were —
// nothing was written to the database, so nothing was synced — and the
// event is there when the cache is opened again, taken into the audit
// table by the next write.
func TestConsultationAuditWritesNoDatabase(t *testing.T) {
	ctx := context.Background()
	path := closedCacheWithOne(t)
	before := fileStamp(path)
	time.Sleep(20 * time.Millisecond) // a write would move the modification time
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Page(ctx, Query{}, nil, 50); err != nil {
		t.Fatal(err)
	}
	ev := complaint.AuditEvent{Officer: "o-1", Zone: "5275", Kind: AuditView, Reference: "R1", Outcome: OutcomeOK}
	if err := s.Audit(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		t.Errorf("an audit event of a consultation wrote %d bytes of write-ahead log", wal.Size())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if after := fileStamp(path); after != before {
		t.Errorf("a read-only session changed the cache file: %q → %q", before, after)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.PendingAudit(ctx, 0)
	if err != nil || len(got) != 1 || got[0].Reference != "R1" || got[0].Kind != AuditView || got[0].ID == "" {
		t.Fatalf("audit after reopening: %+v, %v", got, err)
	}
	// Taken in: the journal is empty, the event is in the table once.
	if fi, err := os.Stat(path + auditJournalSuffix); err != nil || fi.Size() != 0 {
		t.Errorf("journal after the write: %v %v", fi, err)
	}
	if again, _ := s.PendingAudit(ctx, 0); len(again) != 1 {
		t.Errorf("audit read twice: %+v", again)
	}
}

// TestAuditJournalSkipsTornLines: what a power loss can leave in the
// journal (a line cut short, zeros, a line whose bytes changed) is
// skipped as a whole; every whole line around it is read, including one
// appended right after a torn one.
func TestAuditJournalSkipsTornLines(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	audit := func(ref string) {
		t.Helper()
		if err := s.Audit(ctx, complaint.AuditEvent{Officer: "o-1", Zone: "5275", Kind: AuditCopy, Reference: ref, Outcome: OutcomeOK}); err != nil {
			t.Fatal(err)
		}
	}
	audit("A")
	audit("B")
	jpath := path + auditJournalSuffix
	data, err := os.ReadFile(jpath)
	if err != nil {
		t.Fatal(err)
	}
	// B's line changed in the middle, then a line cut short and zeros.
	i := bytes.LastIndex(data, []byte(`"B"`))
	data[i+1] = 'X'
	data = append(data, []byte("\n0badc0de {\"id\":\"torn")...)
	data = append(data, make([]byte, 100)...)
	if err := os.WriteFile(jpath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	audit("C") // appended after the torn line
	got, err := s.PendingAudit(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, ev := range got {
		refs = append(refs, ev.Reference)
	}
	if strings.Join(refs, ",") != "A,C" {
		t.Errorf("events read: %v, want A and C (B damaged, the torn line skipped)", refs)
	}
	s.Close()
}

// TestAuditJournalLosesNothingToConcurrentWrites: events appended while
// other stores on the same cache take the journal in are all in the audit
// table in the end, each once.
func TestAuditJournalLosesNothingToConcurrentWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c", "cache.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path) // another process's store
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const n = 300
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, st := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := st.PendingAudit(ctx, 1); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := range n {
		st := a
		if i%2 == 1 {
			st = b
		}
		if err := st.Audit(ctx, complaint.AuditEvent{Officer: "o-1", Zone: "5275", Kind: AuditView, Outcome: OutcomeOK}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	got, err := a.PendingAudit(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, ev := range got {
		ids[ev.ID] = true
	}
	if len(got) != n || len(ids) != n {
		t.Errorf("%d events (%d ids) in the audit table, want %d", len(got), len(ids), n)
	}
}

// TestCrashWhileAuditingKeepsWholeEvents: a process killed while it
// appends events and takes them in leaves a cache that opens, and every
// event it recorded is either there whole or absent — never a damaged one.
func TestCrashWhileAuditingKeepsWholeEvents(t *testing.T) {
	for _, delay := range []time.Duration{3 * time.Millisecond, 30 * time.Millisecond, 120 * time.Millisecond} {
		t.Run(delay.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c", "cache.db")
			runAndKill(t, "audit", path, "started", delay)
			s, err := Open(path)
			if err != nil {
				t.Fatalf("cache does not open after SIGKILL: %v", err)
			}
			defer s.Close()
			integrityOK(t, s)
			got, err := s.PendingAudit(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("no event survived the crash")
			}
			ids := map[string]bool{}
			for _, ev := range got {
				if ev.ID == "" || ids[ev.ID] || ev.Kind != AuditView || ev.Reference != "5275-2026-000001" || ev.At.IsZero() ||
					strings.Trim(ev.Detail, "d") != "" {
					t.Fatalf("a damaged or repeated event after the crash: %+v", ev)
				}
				ids[ev.ID] = true
			}
		})
	}
}

// TestAuditWaitsForJournalOnlyWhileContextLasts: while the journal is
// taken in (an exclusive lock held by another process's transaction, or
// by one that stopped holding it), recording a consultation waits for it
// — the event is written once the lock is let go — but only as long as
// its context lasts: a workstation told to end (its context cancelled)
// is not kept waiting by another process, and closes. Before, the shared
// lock was taken blocking, for ever.
func TestAuditWaitsForJournalOnlyWhileContextLasts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ev := func(ref string) complaint.AuditEvent {
		return complaint.AuditEvent{Officer: "off-1", Zone: "5275", Kind: AuditView, Reference: ref, Outcome: OutcomeOK}
	}
	if err := s.Audit(context.Background(), ev("R0")); err != nil {
		t.Fatal(err)
	}
	holder, err := os.OpenFile(path+auditJournalSuffix, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if err := flock(holder, syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}

	// Held until the context ends: Audit gives up with the context's error.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Audit(ctx, ev("R1")) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("audit while the journal is held, context cancelled: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("audit still waiting for the journal 30 s after its context ended")
	}

	// Let go meanwhile: the event is written.
	go func() { done <- s.Audit(context.Background(), ev("R2")) }()
	time.Sleep(50 * time.Millisecond)
	flock(holder, syscall.LOCK_UN)
	if err := <-done; err != nil {
		t.Fatalf("audit once the journal was let go: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path + auditJournalSuffix)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, e := range parseJournal(data) {
		refs = append(refs, e.Reference)
	}
	if strings.Join(refs, ",") != "R0,R2" {
		t.Errorf("journal holds %v, want R0 and R2", refs)
	}
}
