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
		res, err := st.Exec(auditArgs(e)...)
		if err != nil {
			return 0, err
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// auditArgs are the arguments of qInsertAudit for e.
func auditArgs(e storage.AuditRecord) []any {
	var claimed sql.NullInt64
	if e.ClaimedAt != nil {
		claimed = sql.NullInt64{Int64: e.ClaimedAt.UnixMilli(), Valid: true}
	}
	return []any{e.Origin, e.ID, e.At.UnixMilli(), e.Officer, e.Zone, e.Kind, e.Reference, e.Field, e.Outcome, e.Detail,
		e.ReceivedAt.UnixMilli(), claimed}
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

// Audit lists events in the order they were stored. It first waits for
// the writer's commit of what is queued already: the records of
// consultations (JournalConsultation) are then in the table.
func (s *Store) Audit(ctx context.Context, f storage.AuditFilter) ([]storage.AuditRecord, error) {
	if _, err := s.write(ctx, func(*sql.Tx) (any, error) { return nil, nil }); err != nil {
		return nil, err
	}
	q, args := storage.AuditQuery(f, func(int) string { return "?" })
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanAudit(rows)
}
