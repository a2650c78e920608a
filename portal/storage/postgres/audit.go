package postgres

import (
	"context"
	"fmt"
	"strings"
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

// auditRows is the rows of the twelve arrays of auditArrays, passed as
// parameters first to first+11, for an INSERT INTO audit … SELECT.
func auditRows(first int) string {
	types := []string{"text", "text", "bigint", "text", "text", "text", "text", "text", "text", "text", "bigint", "bigint"}
	cols := make([]string, len(types))
	for i, t := range types {
		cols[i] = fmt.Sprintf("$%d::%s[]", first+i, t)
	}
	return `unnest(` + strings.Join(cols, ", ") + `)`
}

const auditColumns = `origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at`

// qAppendAudit stores events given as arrays, in one statement, and
// counts the new ones.
var qAppendAudit = `WITH a AS (INSERT INTO audit (` + auditColumns + `) SELECT * FROM ` + auditRows(1) + `
	ON CONFLICT (origin, id) DO NOTHING RETURNING 1) SELECT count(*) FROM a`

// appendAudit is the statement storing events.
func appendAudit(events []storage.AuditRecord) *statement {
	return &statement{sql: qAppendAudit, args: auditArrays(events), scan: func(rows pgx.Rows) (any, error) {
		var n int64
		for rows.Next() {
			if err := rows.Scan(&n); err != nil {
				return nil, err
			}
		}
		return int(n), nil
	}}
}

// AppendAudit stores events, skipping those stored already, in the next
// group's transaction.
func (s *Store) AppendAudit(ctx context.Context, events []storage.AuditRecord) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	v, err := s.write(ctx, appendAudit(events))
	n, _ := v.(int)
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
		_, err := s.writeAfterClose(ctx, appendAudit(batch))
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
