package postgres

import (
	"context"
	"time"

	"guichet/portal/storage"
)

// The audit records of consultations (a feed page, a complaint shown) are
// committed by a writer of their own, on a connection of its own: the
// officer's answer waits for that commit, which holds the consultations
// of the moment and nothing else, rather than for the writers' next group
// (behind the group in flight, a WAL flush and the intakes of the moment:
// a feed read waited as long as an intake, and with two nodes its p99 was
// 350-430 ms on the 2-core machine). The consultations of all readers
// waiting at once share one INSERT and one commit.

// consultation is a record waiting for the consultation writer.
type consultation struct {
	rec  storage.AuditRecord
	done chan error // buffered (1)
}

// maxConsultations bounds the records of one commit.
const maxConsultations = 1000

var _ storage.ConsultationJournal = (*Store)(nil)

// JournalConsultation queues rec for the consultation writer and returns
// at once; durable waits for its commit.
func (s *Store) JournalConsultation(ctx context.Context, rec storage.AuditRecord) (durable func() error) {
	c := consultation{rec: rec, done: make(chan error, 1)}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return func() error { return storage.ErrClosed }
	}
	s.consultations <- c
	s.closeMu.RUnlock()
	return func() error {
		select {
		case err := <-c.done:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// runConsultations commits the queued records, all those waiting in one
// statement, until Close.
func (s *Store) runConsultations() {
	defer close(s.consultationsDone)
	for c := range s.consultations {
		batch := []consultation{c}
	drain:
		for len(batch) < maxConsultations {
			select {
			case more, ok := <-s.consultations:
				if !ok {
					break drain
				}
				batch = append(batch, more)
			default:
				break drain
			}
		}
		recs := make([]storage.AuditRecord, len(batch))
		for i, c := range batch {
			recs[i] = c.rec
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err := s.runStatement(ctx, appendAudit(recs))
		cancel()
		for _, c := range batch {
			c.done <- err
		}
	}
}
