package sqlite

import (
	"context"
	"database/sql"
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
