package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet/portal/storage"
)

// LeaseConfirmations takes due confirmations no other sender holds (FOR
// UPDATE SKIP LOCKED: concurrent senders on any node take disjoint rows)
// and moves their next attempt to the end of the lease: a sender that dies
// lets another take them when the lease ends.
func (s *Store) LeaseConfirmations(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]storage.Confirmation, error) {
	v, err := s.write(ctx, &statement{sql: `UPDATE outbox SET next_attempt = $1
		WHERE id IN (SELECT id FROM outbox
			WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt <= $2
			ORDER BY next_attempt, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING id, ref, channel, attempts, payload`, args: []any{ms(now.Add(lease)), ms(now), limit},
		scan: func(rows pgx.Rows) (any, error) { return storage.ScanConfirmations(rows) }})
	if err != nil {
		return nil, err
	}
	return v.([]storage.Confirmation), nil
}

// NextConfirmation is when the next pending confirmation is due.
func (s *Store) NextConfirmation(ctx context.Context) (time.Time, bool, error) {
	var next *int64
	if err := s.pool.QueryRow(ctx, `SELECT min(next_attempt) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`).Scan(&next); err != nil {
		return time.Time{}, false, err
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return storage.FromMS(*next), true, nil
}

// The confirmation sender's writes: one statement each (its audit event
// in the same), in the next group of the node's writers. Each answers
// ErrNotFound when the confirmation is not waiting (sent already).
var (
	qConfirmationSent = `WITH u AS (UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = ''
			WHERE id = $2 AND sent_at IS NULL RETURNING id),
		a AS (INSERT INTO audit (` + auditColumns + `) SELECT x.* FROM ` + auditRows(3) + ` AS x, u
			ON CONFLICT (origin, id) DO NOTHING)
		SELECT count(*) FROM u`
	qConfirmationRetry = `WITH u AS (UPDATE outbox SET attempts = attempts + 1, next_attempt = $1, last_error = $2
			WHERE id = $3 AND sent_at IS NULL RETURNING id)
		SELECT count(*) FROM u`
	qConfirmationFailed = `WITH u AS (UPDATE outbox SET attempts = attempts + 1, failed_at = $1, last_error = $2
			WHERE id = $3 AND sent_at IS NULL RETURNING id, ref, payload),
		r AS (INSERT INTO outbox (ref, channel, payload, next_attempt, replaces, created_at)
			SELECT ref, $4::text, payload, $1, id, $1 FROM u WHERE $4::text <> ''),
		a AS (INSERT INTO audit (` + auditColumns + `) SELECT x.* FROM ` + auditRows(5) + ` AS x, u
			ON CONFLICT (origin, id) DO NOTHING)
		SELECT count(*) FROM u`
)

// ConfirmationSent marks a confirmation sent (once: ErrNotFound after).
func (s *Store) ConfirmationSent(ctx context.Context, id int64, at time.Time, audit storage.AuditRecord) error {
	args := append([]any{ms(at), id}, auditArrays([]storage.AuditRecord{audit})...)
	_, err := s.write(ctx, &statement{sql: qConfirmationSent, args: args, scan: countRows})
	return err
}

// ConfirmationRetry counts a failed attempt and sets the next one.
func (s *Store) ConfirmationRetry(ctx context.Context, id int64, next time.Time, lastError string) error {
	_, err := s.write(ctx, &statement{sql: qConfirmationRetry, args: []any{ms(next), lastError, id}, scan: countRows})
	return err
}

// ConfirmationFailed ends a confirmation, queuing its replacement.
func (s *Store) ConfirmationFailed(ctx context.Context, id int64, at time.Time, lastError, replaceBy string, audit storage.AuditRecord) error {
	args := append([]any{ms(at), lastError, id, replaceBy}, auditArrays([]storage.AuditRecord{audit})...)
	_, err := s.write(ctx, &statement{sql: qConfirmationFailed, args: args, scan: countRows})
	return err
}

// OutboxCounts counts the confirmations per channel (email and post always
// listed, then the others by name).
func (s *Store) OutboxCounts(ctx context.Context) ([]storage.OutboxCount, error) {
	rows, err := s.pool.Query(ctx, storage.OutboxCountsQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanOutboxCounts(rows)
}

// OutboxItems lists the confirmations in state (pending or failed), oldest
// first, at most limit (0: all).
func (s *Store) OutboxItems(ctx context.Context, state string, limit int) ([]storage.OutboxItem, error) {
	q, err := storage.OutboxItemsQuery(state, limit)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanOutboxItems(rows, state)
}

// OutboxBacklog says, per channel (email and post always), how many
// confirmations wait and when the oldest of them was queued.
func (s *Store) OutboxBacklog(ctx context.Context) ([]storage.OutboxBacklog, error) {
	rows, err := s.pool.Query(ctx, storage.OutboxBacklogQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanOutboxBacklog(rows)
}
