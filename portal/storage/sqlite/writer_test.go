package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
)

// TestAuditJoinsRunningBatch: an audit record that arrives while a batch
// runs is committed with that batch, not with the next one (a reader
// waiting for its consultation's record waits one commit, not two). Here
// the next batch never ends until the test lets it: the record must come
// back before.
func TestAuditJoinsRunningBatch(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	running, queued, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	defer close(release)
	go s.write(ctx, func(tx *sql.Tx) (any, error) {
		close(running)
		<-queued
		return nil, nil
	})
	<-running
	stored := make(chan error, 1)
	go func() {
		_, err := s.AppendAudit(ctx, []storage.AuditRecord{{Origin: "portal", ReceivedAt: time.Now(),
			AuditEvent: complaint.AuditEvent{ID: "late-1", At: time.Now(), Kind: "feed_read"}}})
		stored <- err
	}()
	for len(s.audits)+len(s.writes) == 0 {
		time.Sleep(time.Millisecond)
	}
	// The next batch: it holds the writer until the test ends.
	go s.write(ctx, func(tx *sql.Tx) (any, error) {
		<-release
		return nil, nil
	})
	for len(s.audits)+len(s.writes) != 2 {
		time.Sleep(time.Millisecond)
	}
	close(queued)
	select {
	case err := <-stored:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the audit record waits for the batch after the one it arrived during")
	}
}

// TestConsultationAuditBeforeQueuedWrites: audit records a reader waits
// for that are pending when the writer starts its next batch are committed
// on their own, before the writes pending with them run: a consultation
// waits for the commit in flight and one small commit, not for the whole
// next group of intakes as well. The write queued first sees the record
// committed.
func TestConsultationAuditBeforeQueuedWrites(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	s.afterCommit = func() { once.Do(func() { close(held); <-release }) }
	go s.write(ctx, func(tx *sql.Tx) (any, error) { return nil, nil })
	<-held // the writer has committed and waits: what comes now is pending at its next batch
	seen := make(chan writeResult, 1)
	go func() {
		n, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
			var n int
			err := tx.QueryRow(`SELECT count(*) FROM audit WHERE id = 'consult-1'`).Scan(&n)
			return n, err
		})
		seen <- writeResult{n, err}
	}()
	for len(s.writes) != 1 {
		time.Sleep(time.Millisecond)
	}
	stored := make(chan error, 1)
	go func() {
		_, err := s.AppendAudit(ctx, []storage.AuditRecord{{Origin: "portal", ReceivedAt: time.Now(),
			AuditEvent: complaint.AuditEvent{ID: "consult-1", At: time.Now(), Kind: "feed_read"}}})
		stored <- err
	}()
	for len(s.audits) != 1 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	if err := <-stored; err != nil {
		t.Fatal(err)
	}
	r := <-seen
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.val.(int) != 1 {
		t.Fatal("the write queued before the consultation's audit record ran before it was committed: the record waited for the write's batch")
	}
}
