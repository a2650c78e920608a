package sqlite

import (
	"context"
	"database/sql"
	"time"

	"guichet/portal/storage"
)

// LeaseConfirmations takes due confirmations by moving their next attempt
// to the end of the lease, in the writer: two senders never get the same
// one, and one that dies lets the next take them when the lease ends.
func (s *Store) LeaseConfirmations(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]storage.Confirmation, error) {
	v, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		rows, err := tx.Query(`UPDATE outbox SET next_attempt = ?
			WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt <= ? ORDER BY id LIMIT ?)
			RETURNING id, ref, channel, attempts, payload`, now.Add(lease).UnixMilli(), now.UnixMilli(), limit)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return storage.ScanConfirmations(rows)
	})
	if err != nil {
		return nil, err
	}
	return v.([]storage.Confirmation), nil
}

// NextConfirmation is when the next pending confirmation is due.
func (s *Store) NextConfirmation(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := s.rdb.QueryRowContext(ctx, `SELECT min(next_attempt) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL`).Scan(&next); err != nil {
		return time.Time{}, false, err
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(next.Int64).UTC(), true, nil
}

// updateOne runs an UPDATE of one outbox row: ErrNotFound when it matched
// none.
func updateOne(tx *sql.Tx, q string, args ...any) error {
	res, err := tx.Exec(q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return storage.ErrNotFound
	}
	return nil
}

// ConfirmationSent marks a confirmation sent.
func (s *Store) ConfirmationSent(ctx context.Context, id int64, at time.Time, audit storage.AuditRecord) error {
	_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		if err := updateOne(tx, `UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ? AND sent_at IS NULL`, at.UnixMilli(), id); err != nil {
			return nil, err
		}
		return nil, s.insertAudit(tx, []storage.AuditRecord{audit})
	})
	return err
}

// ConfirmationRetry counts a failed attempt.
func (s *Store) ConfirmationRetry(ctx context.Context, id int64, next time.Time, lastError string) error {
	_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		return nil, updateOne(tx, `UPDATE outbox SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE id = ? AND sent_at IS NULL`, next.UnixMilli(), lastError, id)
	})
	return err
}

// ConfirmationFailed ends a confirmation, queuing its replacement.
func (s *Store) ConfirmationFailed(ctx context.Context, id int64, at time.Time, lastError, replaceBy string, audit storage.AuditRecord) error {
	_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		if err := updateOne(tx, `UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE id = ? AND sent_at IS NULL`, at.UnixMilli(), lastError, id); err != nil {
			return nil, err
		}
		if replaceBy != "" {
			if _, err := tx.Exec(`INSERT INTO outbox (ref, channel, payload, next_attempt, replaces, created_at)
				SELECT ref, ?, payload, ?, id, ? FROM outbox WHERE id = ?`, replaceBy, at.UnixMilli(), at.UnixMilli(), id); err != nil {
				return nil, err
			}
		}
		return nil, s.insertAudit(tx, []storage.AuditRecord{audit})
	})
	return err
}

// OutboxCounts counts the confirmations per channel (email and post always
// listed).
func (s *Store) OutboxCounts(ctx context.Context) ([]storage.OutboxCount, error) {
	rows, err := s.rdb.QueryContext(ctx, storage.OutboxCountsQuery)
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
	rows, err := s.rdb.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanOutboxItems(rows, state)
}

// OutboxBacklog says, per channel, how many confirmations wait and since
// when the oldest does.
func (s *Store) OutboxBacklog(ctx context.Context) ([]storage.OutboxBacklog, error) {
	rows, err := s.rdb.QueryContext(ctx, storage.OutboxBacklogQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanOutboxBacklog(rows)
}
