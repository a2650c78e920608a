package portal

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"guichet/complaint"
)

// OutboxCount says how many confirmations of one channel wait (Pending,
// of which Retrying have failed at least once), failed for good, or were
// sent. A failed e-mail is replaced by a letter, counted under post.
type OutboxCount struct {
	Channel  string `json:"channel"`
	Pending  int    `json:"pending"`
	Retrying int    `json:"retrying"`
	Failed   int    `json:"failed"`
	Sent     int    `json:"sent"`
}

// OutboxCounts counts the confirmations per channel (email and post always
// listed), for the operator (guichetd outbox).
func (s *Server) OutboxCounts() ([]OutboxCount, error) {
	rows, err := s.rdb.Query(`SELECT channel,
		count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),
		count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL AND attempts > 0),
		count(*) FILTER (WHERE failed_at IS NOT NULL),
		count(*) FILTER (WHERE sent_at IS NOT NULL)
		FROM outbox GROUP BY channel ORDER BY channel`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byChannel := map[string]OutboxCount{}
	for rows.Next() {
		var c OutboxCount
		if err := rows.Scan(&c.Channel, &c.Pending, &c.Retrying, &c.Failed, &c.Sent); err != nil {
			return nil, err
		}
		byChannel[c.Channel] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []OutboxCount{}
	for _, ch := range []string{complaint.ChannelEmail, complaint.ChannelPost} {
		c := byChannel[ch]
		c.Channel = ch
		out = append(out, c)
		delete(byChannel, ch)
	}
	for _, c := range byChannel {
		out = append(out, c)
	}
	return out, nil
}

// OutboxItem is one confirmation as the operator sees it: its reference,
// channel and state, never the citizen's name or address. LastError holds
// the relay's reply code and enhanced status code, or a transport error.
type OutboxItem struct {
	ID          int64      `json:"id"`
	Reference   string     `json:"reference"`
	Channel     string     `json:"channel"`
	State       string     `json:"state"` // pending, failed, sent
	Attempts    int        `json:"attempts"`
	LastError   string     `json:"last_error,omitempty"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
	FailedAt    *time.Time `json:"failed_at,omitempty"`
	Replaces    int64      `json:"replaces,omitempty"` // the failed e-mail a letter replaces
}

// OutboxItems lists the confirmations in state (pending or failed), oldest
// first, at most limit (0: all).
func (s *Server) OutboxItems(state string, limit int) ([]OutboxItem, error) {
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
	rows, err := s.rdb.Query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
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

// outboxBacklog says, per channel (email and post always), how many
// confirmations wait and since when the oldest does.
func (s *Server) outboxBacklog(ctx context.Context) ([]OutboxBacklog, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT channel, count(*), min(created_at) FROM outbox
		WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY channel ORDER BY channel`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byChannel := map[string]OutboxBacklog{}
	for rows.Next() {
		var b OutboxBacklog
		var oldest sql.NullInt64
		if err := rows.Scan(&b.Channel, &b.Pending, &oldest); err != nil {
			return nil, err
		}
		b.Oldest = time.UnixMilli(oldest.Int64)
		byChannel[b.Channel] = b
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []OutboxBacklog{}
	for _, ch := range []string{complaint.ChannelEmail, complaint.ChannelPost} {
		b := byChannel[ch]
		b.Channel = ch
		out = append(out, b)
		delete(byChannel, ch)
	}
	for _, b := range byChannel {
		out = append(out, b)
	}
	return out, nil
}

// poolStats describes the database's connection pools: the single writer
// and the readers.
func (s *Server) poolStats() []PoolStats {
	var out []PoolStats
	for _, p := range []struct {
		name string
		db   *sql.DB
	}{{"write", s.wdb}, {"read", s.rdb}} {
		st := p.db.Stats()
		out = append(out, PoolStats{Pool: p.name, MaxOpen: st.MaxOpenConnections, Open: st.OpenConnections,
			InUse: st.InUse, Idle: st.Idle, WaitCount: st.WaitCount, WaitDuration: st.WaitDuration})
	}
	return out
}

// schemaVersions is the database's schema version and the one this build
// migrates to.
func (s *Server) schemaVersions(ctx context.Context) (have, want int, err error) {
	err = s.rdb.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&have)
	return have, len(migrations), err
}
