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
	rows, err := s.pool.Query(ctx, `UPDATE outbox SET next_attempt = $1
		WHERE id IN (SELECT id FROM outbox
			WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt <= $2
			ORDER BY next_attempt, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING id, ref, channel, attempts, payload`, ms(now.Add(lease)), ms(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanConfirmations(rows)
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

// updateOne runs an UPDATE of one outbox row: ErrNotFound when it matched
// none.
func updateOne(ctx context.Context, tx pgx.Tx, q string, args ...any) error {
	tag, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return storage.ErrNotFound
	}
	return nil
}

// ConfirmationSent marks a confirmation sent (once: ErrNotFound after).
func (s *Store) ConfirmationSent(ctx context.Context, id int64, at time.Time, audit storage.AuditRecord) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := updateOne(ctx, tx, `UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = '' WHERE id = $2 AND sent_at IS NULL`, ms(at), id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, qInsertAudit, auditArgs(audit)...)
		return err
	})
}

// ConfirmationRetry counts a failed attempt and sets the next one.
func (s *Store) ConfirmationRetry(ctx context.Context, id int64, next time.Time, lastError string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		return updateOne(ctx, tx, `UPDATE outbox SET attempts = attempts + 1, next_attempt = $1, last_error = $2 WHERE id = $3 AND sent_at IS NULL`, ms(next), lastError, id)
	})
}

// ConfirmationFailed ends a confirmation, queuing its replacement.
func (s *Store) ConfirmationFailed(ctx context.Context, id int64, at time.Time, lastError, replaceBy string, audit storage.AuditRecord) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := updateOne(ctx, tx, `UPDATE outbox SET attempts = attempts + 1, failed_at = $1, last_error = $2 WHERE id = $3 AND sent_at IS NULL`, ms(at), lastError, id); err != nil {
			return err
		}
		if replaceBy != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO outbox (ref, channel, payload, next_attempt, replaces, created_at)
				SELECT ref, $1, payload, $2, id, $2 FROM outbox WHERE id = $3`, replaceBy, ms(at), id); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, qInsertAudit, auditArgs(audit)...)
		return err
	})
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
