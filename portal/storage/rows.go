package storage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"guichet/complaint"
)

// What the SQL stores share: the queries both dialects run as they are, and
// the reading of their rows into the portal's types. Times are stored as
// milliseconds since the Unix epoch in both.

// Rows is what the rows of a query offer in database/sql and in pgx alike.
// The functions below read them to the end; closing them stays with the
// store that ran the query.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Placeholder writes the n-th (from 1) parameter of a query in a store's
// dialect: "?" for SQLite, "$n" for PostgreSQL.
type Placeholder func(n int) string

// FromMS is a stored time.
func FromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// FromNullMS is a stored time that may be NULL.
func FromNullMS(v *int64) *time.Time {
	if v == nil {
		return nil
	}
	t := FromMS(*v)
	return &t
}

// OutboxCountsQuery counts the confirmations per channel; ScanOutboxCounts
// reads its rows.
const OutboxCountsQuery = `SELECT channel,
	count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),
	count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL AND attempts > 0),
	count(*) FILTER (WHERE failed_at IS NOT NULL),
	count(*) FILTER (WHERE sent_at IS NOT NULL)
	FROM outbox GROUP BY channel ORDER BY channel`

// ScanOutboxCounts reads the rows of OutboxCountsQuery, in the order of
// OrderOutboxCounts.
func ScanOutboxCounts(rows Rows) ([]OutboxCount, error) {
	var counts []OutboxCount
	for rows.Next() {
		var c OutboxCount
		if err := rows.Scan(&c.Channel, &c.Pending, &c.Retrying, &c.Failed, &c.Sent); err != nil {
			return nil, err
		}
		counts = append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return OrderOutboxCounts(counts), nil
}

// OutboxItemsQuery lists the confirmations in state (pending or failed),
// oldest first, at most limit (0: all); ScanOutboxItems reads its rows.
func OutboxItemsQuery(state string, limit int) (string, error) {
	var where string
	switch state {
	case "pending":
		where = `sent_at IS NULL AND failed_at IS NULL`
	case "failed":
		where = `failed_at IS NOT NULL`
	default:
		return "", fmt.Errorf("outbox state %q: pending or failed", state)
	}
	q := `SELECT id, ref, channel, attempts, last_error, next_attempt, failed_at, coalesce(replaces, 0) FROM outbox WHERE ` + where + ` ORDER BY id`
	if limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, limit)
	}
	return q, nil
}

// ScanOutboxItems reads the rows of OutboxItemsQuery(state, …).
func ScanOutboxItems(rows Rows, state string) ([]OutboxItem, error) {
	var out []OutboxItem
	for rows.Next() {
		var it OutboxItem
		var next int64
		var failed *int64
		if err := rows.Scan(&it.ID, &it.Reference, &it.Channel, &it.Attempts, &it.LastError, &next, &failed, &it.Replaces); err != nil {
			return nil, err
		}
		it.State = state
		if failed != nil {
			it.FailedAt = FromNullMS(failed)
		} else {
			t := FromMS(next)
			it.NextAttempt = &t
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// OutboxBacklogQuery counts the confirmations waiting per channel and finds
// the oldest; ScanOutboxBacklog reads its rows.
const OutboxBacklogQuery = `SELECT channel, count(*), min(created_at) FROM outbox
	WHERE sent_at IS NULL AND failed_at IS NULL GROUP BY channel ORDER BY channel`

// ScanOutboxBacklog reads the rows of OutboxBacklogQuery: e-mail and post
// always first, then the other channels by name.
func ScanOutboxBacklog(rows Rows) ([]OutboxBacklog, error) {
	byChannel := map[string]OutboxBacklog{}
	var others []string
	for rows.Next() {
		var b OutboxBacklog
		var oldest int64
		if err := rows.Scan(&b.Channel, &b.Pending, &oldest); err != nil {
			return nil, err
		}
		b.Oldest = FromMS(oldest)
		byChannel[b.Channel] = b
		if b.Channel != complaint.ChannelEmail && b.Channel != complaint.ChannelPost {
			others = append(others, b.Channel)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []OutboxBacklog{}
	for _, ch := range append([]string{complaint.ChannelEmail, complaint.ChannelPost}, others...) {
		b := byChannel[ch]
		b.Channel = ch
		out = append(out, b)
	}
	return out, nil
}

// ScanConfirmations reads leased confirmations, rows of (id, ref, channel,
// attempts, payload), sorted by id.
func ScanConfirmations(rows Rows) ([]Confirmation, error) {
	var out []Confirmation
	for rows.Next() {
		var c Confirmation
		if err := rows.Scan(&c.ID, &c.Reference, &c.Channel, &c.Attempts, &c.Payload); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Confirmation) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// AuditQuery lists the events f selects in the order they were stored;
// ScanAudit reads its rows.
func AuditQuery(f AuditFilter, ph Placeholder) (string, []any) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"zone", f.Zone}, {"ref", f.Ref}, {"officer", f.Officer}} {
		if c.v != "" {
			args = append(args, c.v)
			where = append(where, c.col+" = "+ph(len(args)))
		}
	}
	q := `SELECT origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at FROM audit`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY seq`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += ` LIMIT ` + ph(len(args))
	}
	return q, args
}

// ScanAudit reads the rows of AuditQuery.
func ScanAudit(rows Rows) ([]AuditRecord, error) {
	var out []AuditRecord
	for rows.Next() {
		var r AuditRecord
		var at, recv int64
		var claimed *int64
		if err := rows.Scan(&r.Origin, &r.ID, &at, &r.Officer, &r.Zone, &r.Kind, &r.Reference, &r.Field, &r.Outcome, &r.Detail, &recv, &claimed); err != nil {
			return nil, err
		}
		r.At, r.ReceivedAt, r.ClaimedAt = FromMS(at), FromMS(recv), FromNullMS(claimed)
		out = append(out, r)
	}
	return out, rows.Err()
}

// OfficerColumns are the columns ScanOfficer reads, in its order.
const OfficerColumns = `id, name, zone, token_hash, created_at, revoked_at`

// OfficersQuery lists every account by zone and creation; ScanOfficers
// reads its rows.
const OfficersQuery = `SELECT ` + OfficerColumns + ` FROM officers ORDER BY zone, created_at, id`

// ScanOfficer reads an account from a row of OfficerColumns. Its error is
// the driver's (the store maps "no rows" to ErrNotFound).
func ScanOfficer(row interface{ Scan(dest ...any) error }) (Officer, error) {
	var o Officer
	var created int64
	var revoked *int64
	if err := row.Scan(&o.ID, &o.Name, &o.Zone, &o.TokenHash, &created, &revoked); err != nil {
		return o, err
	}
	o.CreatedAt, o.RevokedAt = FromMS(created), FromNullMS(revoked)
	return o, nil
}

// ScanOfficers reads the rows of OfficersQuery.
func ScanOfficers(rows Rows) ([]Officer, error) {
	var out []Officer
	for rows.Next() {
		o, err := ScanOfficer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
