package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet/portal/storage"
)

const qInsertAudit = `INSERT INTO audit (origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (origin, id) DO NOTHING`

func auditArgs(e storage.AuditRecord) []any {
	return []any{e.Origin, e.ID, ms(e.At), e.Officer, e.Zone, e.Kind, e.Reference, e.Field, e.Outcome, e.Detail,
		ms(e.ReceivedAt), nullMS(e.ClaimedAt)}
}

// queueAudit adds the inserts of events to a batch.
func queueAudit(b *pgx.Batch, events []storage.AuditRecord) {
	for _, e := range events {
		b.Queue(qInsertAudit, auditArgs(e)...)
	}
}

// AppendAudit stores events, skipping those stored already.
func (s *Store) AppendAudit(ctx context.Context, events []storage.AuditRecord) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		n = 0
		b := &pgx.Batch{}
		queueAudit(b, events)
		res := tx.SendBatch(ctx, b)
		for range events {
			tag, err := res.Exec()
			if err != nil {
				res.Close()
				return err
			}
			n += int(tag.RowsAffected())
		}
		return res.Close()
	})
	return n, err
}

// AppendAuditLater queues events for the background writer.
func (s *Store) AppendAuditLater(events []storage.AuditRecord) {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		s.log.Error("audit events after close", "count", len(events))
		return
	}
	s.later <- events
}

// runLater stores the queued events, many per transaction, until Close.
func (s *Store) runLater() {
	defer close(s.laterDone)
	for evs := range s.later {
		batch := evs
	drain:
		for len(batch) < 1000 {
			select {
			case more, ok := <-s.later:
				if !ok {
					break drain
				}
				batch = append(batch, more...)
			default:
				break drain
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			b := &pgx.Batch{}
			queueAudit(b, batch)
			return tx.SendBatch(ctx, b).Close()
		})
		cancel()
		if err != nil {
			s.log.Error("store audit events", "err", err, "count", len(batch))
		}
	}
}

// Audit lists events in the order they were stored.
func (s *Store) Audit(ctx context.Context, f storage.AuditFilter) ([]storage.AuditRecord, error) {
	q, args := storage.AuditQuery(f, func(n int) string { return fmt.Sprintf("$%d", n) })
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanAudit(rows)
}
