package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"guichet/complaint"
)

// Kinds and outcomes of the audit events the store itself records; callers
// use their own for view, copy and export.
const (
	AuditView   = "view"
	AuditCopy   = "copy"
	AuditAction = "action"
	AuditExport = "export"

	OutcomeQueued = "queued" // an action accepted locally and put in the outbox
	OutcomeOK     = "ok"
)

// Audit records an event locally until the portal acknowledges it. An empty
// ID is filled with a random one and a zero At with the current time; At is
// stored in UTC. Recording the same ID twice stores it once.
//
// The event is appended to the audit journal beside the cache, without
// touching the database or waiting for the disk (audit_journal.go): it
// survives the process (a crash, a clean exit) at once, and a power loss
// once the next synchronous write (an action, a sync) took it into the
// audit table. A consultation (a listing, a detail view, a copy) thus
// costs no fsync, while an action's event is written with the action,
// synchronously.
func (s *Store) Audit(ctx context.Context, ev complaint.AuditEvent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.fillAudit(&ev); err != nil {
		return err
	}
	return s.journal.append(ctx, &ev)
}

// fillAudit gives ev an id and a time when it has none, in UTC.
func (s *Store) fillAudit(ev *complaint.AuditEvent) error {
	if ev.ID == "" {
		id, err := newKey()
		if err != nil {
			return err
		}
		ev.ID = id
	}
	if ev.At.IsZero() {
		ev.At = s.now()
	}
	ev.At = ev.At.UTC()
	return nil
}

func (s *Store) insertAudit(ctx context.Context, tx *sql.Tx, ev *complaint.AuditEvent) error {
	if err := s.fillAudit(ev); err != nil {
		return err
	}
	js, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit(id, event_json) VALUES(?, ?) ON CONFLICT(id) DO NOTHING`, ev.ID, js); err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// PendingAudit returns up to limit events not yet acknowledged, oldest
// first (limit ≤ 0: all). The audit journal's events are taken into the
// audit table first.
func (s *Store) PendingAudit(ctx context.Context, limit int) ([]complaint.AuditEvent, error) {
	if fi, err := os.Stat(s.journal.path); err == nil && fi.Size() > 0 {
		if err := s.tx(ctx, func(*sql.Tx) error { return nil }); err != nil {
			return nil, err
		}
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT event_json FROM audit ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []complaint.AuditEvent
	for rows.Next() {
		var js []byte
		if err := rows.Scan(&js); err != nil {
			return nil, err
		}
		var ev complaint.AuditEvent
		if err := json.Unmarshal(js, &ev); err != nil {
			return nil, fmt.Errorf("store: decode audit event: %w", err)
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// AckAudit forgets the events the portal acknowledged. Unknown ids are
// ignored (an acknowledgement may be processed twice).
func (s *Store) AckAudit(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `DELETE FROM audit WHERE id = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// journalEvents are the audit journal's whole events as the file holds
// them now (none when there is no journal). Read without its lock: a line
// being appended is cut short and skipped, as when it is taken in.
func (s *Store) journalEvents() ([]complaint.AuditEvent, error) {
	data, err := os.ReadFile(s.journal.path)
	if errors.Is(err, fs.ErrNotExist) || len(data) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: audit journal: %w", err)
	}
	return parseJournal(data), nil
}

// countJournal is how many of events (read from the journal before tx's
// snapshot) tx does not hold in the audit table: the events not yet
// taken in. An event taken in before the snapshot is in the table and
// counted there; one taken in after it was still in the journal when it
// was read (the journal is emptied after the commit), so none is counted
// twice or missed.
func countJournal(ctx context.Context, tx *sql.Tx, events []complaint.AuditEvent) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	st, err := tx.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit WHERE id = ?)`)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	seen := map[string]bool{}
	n := 0
	for _, ev := range events {
		if seen[ev.ID] {
			continue
		}
		seen[ev.ID] = true
		var stored bool
		if err := st.QueryRowContext(ctx, ev.ID).Scan(&stored); err != nil {
			return 0, err
		}
		if !stored {
			n++
		}
	}
	return n, nil
}
