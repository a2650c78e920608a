package portal

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/complaint"
)

// auditEntry is an event the portal records about itself.
type auditEntry struct {
	Officer, Zone, Kind, Ref, Field, Outcome, Detail string
}

// originPortal marks the portal's own audit events.
const originPortal = "portal"

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// auditTx records e in the transaction of the change it describes.
func (s *Server) auditTx(tx *sql.Tx, e auditEntry) error {
	now := s.now().UTC().UnixMilli()
	_, err := s.txExec(tx, qInsertAudit,
		originPortal, newID(), now, e.Officer, e.Zone, e.Kind, e.Ref, e.Field, e.Outcome, e.Detail, now)
	return err
}

// auditAsync records an event that changes nothing else (a read, an
// authentication failure) without making the request wait for a commit.
func (s *Server) auditAsync(e auditEntry) {
	s.writeAsync(func(tx *sql.Tx) (any, error) { return nil, s.auditTx(tx, e) })
}

// Limits on posted audit events.
const (
	maxAuditBatch = 1000
	maxAuditText  = 2000
)

// checkAuditText accepts valid UTF-8 without NUL within the length limit.
func checkAuditText(s string, max int) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0) && len(s) <= max
}

// An audit event a workstation posts with a time more than
// maxAuditFuture after its receipt, or before minAuditTime, cannot be true
// (a clock set wrong, or a forged batch): it is stored at its receipt, with
// the claimed time kept beside it (AuditRecord.ClaimedAt) as the flag.
const maxAuditFuture = 24 * time.Hour

var minAuditTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// storeAuditBatch stores events posted by officer's workstation; an event
// already stored (same officer, same id) is skipped. The officer and zone
// are those of the token, never what the client claims; an impossible time
// is replaced by the time of receipt and kept as claimed_at. Returns how
// many were new.
func (s *Server) storeAuditBatch(officer complaint.Officer, zone string, events []complaint.AuditEvent) (int, error) {
	clamped := 0
	v, err := s.write(func(tx *sql.Tx) (any, error) {
		now := s.now().UTC()
		stmt, err := tx.Prepare(`INSERT INTO audit (origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, id) DO NOTHING`)
		if err != nil {
			return nil, err
		}
		defer stmt.Close()
		n := 0
		clamped = 0
		for _, e := range events {
			at, claimed := e.At.UTC().UnixMilli(), sql.NullInt64{}
			if e.At.After(now.Add(maxAuditFuture)) || e.At.Before(minAuditTime) {
				claimed = sql.NullInt64{Int64: at, Valid: true}
				at = now.UnixMilli()
				clamped++
			}
			res, err := stmt.Exec(officer.ID, e.ID, at, officer.ID, zone, e.Kind, e.Reference, e.Field, e.Outcome, e.Detail, now.UnixMilli(), claimed)
			if err != nil {
				return nil, err
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		return n, nil
	})
	if err != nil {
		return 0, err
	}
	if clamped > 0 {
		s.log.Warn("audit events with impossible times stored at their receipt", "officer", officer.ID, "zone", zone, "count", clamped)
	}
	return v.(int), nil
}

// AuditFilter selects audit events; empty fields match everything.
type AuditFilter struct {
	Zone, Ref, Officer string
	Limit              int // 0: no limit
}

// AuditRecord is one stored audit event.
type AuditRecord struct {
	complaint.AuditEvent
	Origin     string    `json:"origin"` // "portal" or the posting officer's id
	ReceivedAt time.Time `json:"received_at"`
	// ClaimedAt is the impossible time a workstation gave the event (At is
	// then its receipt); nil for every plausible event.
	ClaimedAt *time.Time `json:"claimed_at,omitempty"`
}

// Audit lists audit events in the order they were stored.
func (s *Server) Audit(f AuditFilter) ([]AuditRecord, error) {
	q := `SELECT origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at FROM audit WHERE 1=1`
	var args []any
	if f.Zone != "" {
		q += ` AND zone = ?`
		args = append(args, f.Zone)
	}
	if f.Ref != "" {
		q += ` AND ref = ?`
		args = append(args, f.Ref)
	}
	if f.Officer != "" {
		q += ` AND officer = ?`
		args = append(args, f.Officer)
	}
	q += ` ORDER BY seq`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.rdb.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditRecord
	for rows.Next() {
		var r AuditRecord
		var at, recv int64
		var claimed sql.NullInt64
		if err := rows.Scan(&r.Origin, &r.ID, &at, &r.Officer, &r.Zone, &r.Kind, &r.Reference, &r.Field, &r.Outcome, &r.Detail, &recv, &claimed); err != nil {
			return nil, err
		}
		r.At = time.UnixMilli(at).UTC()
		r.ReceivedAt = time.UnixMilli(recv).UTC()
		if claimed.Valid {
			c := time.UnixMilli(claimed.Int64).UTC()
			r.ClaimedAt = &c
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
