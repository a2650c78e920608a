package sqlite

import (
	"context"
	"database/sql"

	"guichet/portal/storage"
)

// insertAudit stores events inside tx; it returns how many were new.
func (s *Store) insertAudit(tx *sql.Tx, events []storage.AuditRecord) error {
	_, err := s.insertAuditCount(tx, events)
	return err
}

func (s *Store) insertAuditCount(tx *sql.Tx, events []storage.AuditRecord) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	st := s.stmt(tx, qInsertAudit)
	n := 0
	for _, e := range events {
		var claimed sql.NullInt64
		if e.ClaimedAt != nil {
			claimed = sql.NullInt64{Int64: e.ClaimedAt.UnixMilli(), Valid: true}
		}
		res, err := st.Exec(e.Origin, e.ID, e.At.UnixMilli(), e.Officer, e.Zone, e.Kind, e.Reference, e.Field, e.Outcome, e.Detail,
			e.ReceivedAt.UnixMilli(), claimed)
		if err != nil {
			return 0, err
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// AppendAudit stores events, skipping those stored already, in the
// writer's next commit with the other audit rows of its batch.
func (s *Store) AppendAudit(ctx context.Context, events []storage.AuditRecord) (int, error) {
	done := make(chan writeResult, 1)
	if err := s.submit(ctx, writeOp{audit: events, done: done}); err != nil {
		return 0, err
	}
	r := <-done
	if r.err != nil {
		return 0, r.err
	}
	return r.val.(int), nil
}

// AppendAuditLater queues events for the writer's next transaction.
func (s *Store) AppendAuditLater(events []storage.AuditRecord) {
	if err := s.submit(context.Background(), writeOp{audit: events}); err != nil {
		s.log.Error("audit after close dropped", "err", err, "events", len(events))
	}
}

// Audit lists events in the order they were stored.
func (s *Store) Audit(ctx context.Context, f storage.AuditFilter) ([]storage.AuditRecord, error) {
	q, args := storage.AuditQuery(f, func(int) string { return "?" })
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanAudit(rows)
}
