package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"guichet/complaint"
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
		var out []storage.Confirmation
		for rows.Next() {
			var c storage.Confirmation
			if err := rows.Scan(&c.ID, &c.Reference, &c.Channel, &c.Attempts, &c.Payload); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := v.([]storage.Confirmation)
	slices.SortFunc(out, func(a, b storage.Confirmation) int { return int(a.ID - b.ID) })
	return out, nil
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
	rows, err := s.rdb.QueryContext(ctx, `SELECT channel,
		count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),
		count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL AND attempts > 0),
		count(*) FILTER (WHERE failed_at IS NOT NULL),
		count(*) FILTER (WHERE sent_at IS NOT NULL)
		FROM outbox GROUP BY channel ORDER BY channel`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var counts []storage.OutboxCount
	for rows.Next() {
		var c storage.OutboxCount
		if err := rows.Scan(&c.Channel, &c.Pending, &c.Retrying, &c.Failed, &c.Sent); err != nil {
			return nil, err
		}
		counts = append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return storage.OrderOutboxCounts(counts), nil
}

// OutboxItems lists the confirmations in state (pending or failed), oldest
// first, at most limit (0: all).
func (s *Store) OutboxItems(ctx context.Context, state string, limit int) ([]storage.OutboxItem, error) {
	var where string
	switch state {
	case "pending":
		where = `sent_at IS NULL AND failed_at IS NULL`
	case "failed":
		where = `failed_at IS NOT NULL`
	default:
		return nil, fmt.Errorf("outbox state %q: pending or failed", state)
	}
	q := `SELECT id, ref, channel, attempts, last_error, next_attempt, failed_at, coalesce(replaces, 0) FROM outbox WHERE ` + where + ` ORDER BY id`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	rows, err := s.rdb.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []storage.OutboxItem
	for rows.Next() {
		var it storage.OutboxItem
		var next int64
		var failed sql.NullInt64
		if err := rows.Scan(&it.ID, &it.Reference, &it.Channel, &it.Attempts, &it.LastError, &next, &failed, &it.Replaces); err != nil {
			return nil, err
		}
		it.State = state
		if failed.Valid {
			t := time.UnixMilli(failed.Int64).UTC()
			it.FailedAt = &t
		} else {
			t := time.UnixMilli(next).UTC()
			it.NextAttempt = &t
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// OutboxBacklog says, per channel, how many confirmations wait and since
// when the oldest does.
func (s *Store) OutboxBacklog(ctx context.Context) ([]storage.OutboxBacklog, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT channel, count(*), min(created_at) FROM outbox
		WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY channel ORDER BY channel`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byChannel := map[string]storage.OutboxBacklog{}
	var others []string
	for rows.Next() {
		var b storage.OutboxBacklog
		var oldest sql.NullInt64
		if err := rows.Scan(&b.Channel, &b.Pending, &oldest); err != nil {
			return nil, err
		}
		b.Oldest = time.UnixMilli(oldest.Int64).UTC()
		byChannel[b.Channel] = b
		if b.Channel != complaint.ChannelEmail && b.Channel != complaint.ChannelPost {
			others = append(others, b.Channel)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []storage.OutboxBacklog{}
	for _, ch := range append([]string{complaint.ChannelEmail, complaint.ChannelPost}, others...) {
		b := byChannel[ch]
		b.Channel = ch
		out = append(out, b)
	}
	return out, nil
}
