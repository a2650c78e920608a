package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"guichet/complaint"
)

// Act takes an officer action on a complaint: it is checked locally with the
// rules the portal applies (Action.Check, then complaint.Apply on the local
// state), and if accepted the local state (marked pending), an outbox row
// with a fresh idempotency key and an audit event are written in ONE
// transaction. It returns the new local record.
//
// A local refusal writes nothing and returns complaint.FieldErrors (bad PV
// number, missing reason, ...), a *complaint.ConflictError (not claimed,
// claimed by another officer, already final) or ErrNotFound. Claiming a
// complaint one already holds is a success that queues nothing.
//
// Whether a forward's target zone exists is the caller's check (it has the
// zone list).
func (s *Store) Act(ctx context.Context, ref string, a complaint.Action, by complaint.Officer, lang string) (complaint.Record, error) {
	checked, ferrs := a.Check(lang)
	if len(ferrs) > 0 {
		return complaint.Record{}, ferrs
	}
	if by.ID == "" {
		return complaint.Record{}, errors.New("store: action without an officer")
	}
	key, err := newKey()
	if err != nil {
		return complaint.Record{}, err
	}
	var result complaint.Record
	err = s.tx(ctx, func(tx *sql.Tx) error {
		id, server, local, err := loadEntry(ctx, tx, ref)
		if err != nil {
			return err
		}
		eff := server
		if local != nil {
			eff = *local
		}
		now := s.now().UTC()
		next, err := complaint.Apply(eff, checked, by, now)
		if err != nil {
			return err
		}
		if len(next.History) == len(eff.History) {
			// No-op (claim of a complaint already held): nothing to send.
			result = next
			return nil
		}
		aj, err := json.Marshal(checked)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox(idem_key, reference, action_json,
			officer_id, officer_name, created_at) VALUES(?,?,?,?,?,?)`,
			key, ref, aj, by.ID, by.Name, now.UnixNano()); err != nil {
			return fmt.Errorf("store: queue action: %w", err)
		}
		w, err := s.newWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		if err := w.update(id, &server, &next); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		ev := complaint.AuditEvent{Officer: by.ID, Zone: server.Zone.Code, Kind: AuditAction,
			Reference: ref, Outcome: OutcomeQueued, Detail: string(checked.Type), At: now}
		if err := s.insertAudit(ctx, tx, &ev); err != nil {
			return err
		}
		result = next
		return nil
	})
	if err != nil {
		return complaint.Record{}, err
	}
	return result, nil
}

// newKey makes an idempotency key: 128 random bits, hex. It is made once,
// with the action, and stored; retries reuse it.
func newKey() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("store: random key: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// loadEntry reads a cached complaint: row id, server state, local state (nil
// when nothing is pending).
func loadEntry(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, ref string) (int64, complaint.Record, *complaint.Record, error) {
	var id int64
	var sj, lj []byte
	var server complaint.Record
	err := q.QueryRowContext(ctx, `SELECT c.id, j.server_json, j.local_json
		FROM complaints c JOIN complaint_json j ON j.id = c.id WHERE c.reference = ?`, ref).Scan(&id, &sj, &lj)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, server, nil, ErrNotFound
	}
	if err != nil {
		return 0, server, nil, err
	}
	if err := decodeRecord(sj, &server); err != nil {
		return 0, server, nil, fmt.Errorf("store: decode %s: %w", ref, err)
	}
	if lj == nil {
		return id, server, nil, nil
	}
	var local complaint.Record
	if err := decodeRecord(lj, &local); err != nil {
		return 0, server, nil, fmt.Errorf("store: decode %s: %w", ref, err)
	}
	return id, server, &local, nil
}

// OutboxEntry is one queued action, as the sync engine pushes it.
type OutboxEntry struct {
	ID        int64
	Key       string // Idempotency-Key: the same on every retry
	Reference string
	Action    complaint.Action
	By        complaint.Officer
	CreatedAt time.Time
	Attempts  int
	LastError string
}

// PendingActions returns up to limit queued actions, oldest first (limit ≤ 0:
// all). Actions must be pushed in this order.
func (s *Store) PendingActions(ctx context.Context, limit int) ([]OutboxEntry, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, idem_key, reference, action_json, officer_id,
		officer_name, created_at, attempts, last_error FROM outbox ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		var aj []byte
		var at int64
		if err := rows.Scan(&e.ID, &e.Key, &e.Reference, &aj, &e.By.ID, &e.By.Name, &at, &e.Attempts, &e.LastError); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(aj, &e.Action); err != nil {
			return nil, fmt.Errorf("store: decode outbox row %d: %w", e.ID, err)
		}
		e.CreatedAt = time.Unix(0, at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// NoteAttempt records a failed delivery attempt (network error, 5xx) of an
// outbox row; the row stays queued.
func (s *Store) NoteAttempt(ctx context.Context, id int64, cause error) error {
	msg := ""
	if cause != nil {
		msg = cause.Error()
		if len(msg) > 500 {
			msg = msg[:500]
		}
	}
	_, err := s.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?`, msg, id)
	return err
}

// AckAction settles an outbox row the portal accepted (2xx): the row is
// deleted and serverRecord (the state the portal answered; may be nil) is
// applied if newer than the cached one; the complaint stays pending while
// other actions on it are queued. Acknowledging a row already gone is not an
// error (the reply may be processed twice after a crash).
func (s *Store) AckAction(ctx context.Context, id int64, serverRecord *complaint.Record) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var ref string
		err := tx.QueryRowContext(ctx, `DELETE FROM outbox WHERE id = ? RETURNING reference`, id).Scan(&ref)
		if errors.Is(err, sql.ErrNoRows) {
			if serverRecord == nil {
				return nil
			}
			ref = serverRecord.Reference
		} else if err != nil {
			return err
		}
		return s.settle(ctx, tx, ref, serverRecord)
	})
}

// RejectAction settles an outbox row the portal refused for good (409
// conflict or another final 4xx): the row is deleted, the refusal is kept as
// a Conflict the officer can read, and current (the portal's state of the
// complaint, may be nil) is applied. Nothing is silently dropped.
func (s *Store) RejectAction(ctx context.Context, id int64, current *complaint.Record, code, message string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var ref string
		var aj []byte
		var queuedAt int64
		err := tx.QueryRowContext(ctx, `DELETE FROM outbox WHERE id = ? RETURNING reference, action_json, created_at`, id).Scan(&ref, &aj, &queuedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // already settled (reply processed twice)
		}
		if err != nil {
			return err
		}
		var holderID, holderName, status string
		if current != nil {
			status = string(current.Status)
			if current.ClaimedBy != nil {
				holderID, holderName = current.ClaimedBy.ID, current.ClaimedBy.Name
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO conflicts(reference, action_json, code, message,
			holder_id, holder_name, status, queued_at, at) VALUES(?,?,?,?,?,?,?,?,?)`,
			ref, aj, code, message, holderID, holderName, status, queuedAt, s.now().UTC().UnixNano()); err != nil {
			return err
		}
		if current != nil && current.Reference != ref {
			return fmt.Errorf("store: reject of %s carries the state of %s", ref, current.Reference)
		}
		return s.settle(ctx, tx, ref, current)
	})
}

// settle re-derives a complaint after an outbox row for it went away:
// the newer server state is taken and the remaining queued actions replayed.
func (s *Store) settle(ctx context.Context, tx *sql.Tx, ref string, server *complaint.Record) error {
	w, err := s.newWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	id, cached, _, err := loadEntry(ctx, tx, ref)
	if errors.Is(err, ErrNotFound) {
		if server == nil || server.Reference != ref {
			return nil
		}
		if _, err := w.insert(server); err != nil {
			return err
		}
		return w.flush()
	}
	if err != nil {
		return err
	}
	if server != nil && server.Version > cached.Version {
		cached = *server
	}
	local, err := w.replay(cached)
	if err != nil {
		return err
	}
	if local == nil && isTombstoneStub(&cached) {
		// The complaint left the zone while actions on it were queued; the
		// last one is settled, so the row goes now.
		if _, err := deleteWhere(ctx, tx, `id = ?`, id); err != nil {
			return err
		}
		return w.flush()
	}
	if err := w.update(id, &cached, local); err != nil {
		return err
	}
	return w.flush()
}

// Conflict is an action the portal refused, kept for the officer to read:
// what (Action on Reference), why (Code, Message, who holds it), when.
type Conflict struct {
	ID         int64
	Reference  string
	Action     complaint.Action
	Code       string // the portal's error code, e.g. "conflict"
	Message    string // the portal's message
	HolderID   string // who holds the complaint on the portal, if anyone
	HolderName string
	Status     complaint.Status // the complaint's status on the portal
	QueuedAt   time.Time        // when the officer took the action
	At         time.Time        // when the portal refused it
}

// Conflicts lists the refused actions not yet dismissed, oldest first.
func (s *Store) Conflicts(ctx context.Context) ([]Conflict, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, reference, action_json, code, message,
		holder_id, holder_name, status, queued_at, at FROM conflicts ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var c Conflict
		var aj []byte
		var q, at int64
		var st string
		if err := rows.Scan(&c.ID, &c.Reference, &aj, &c.Code, &c.Message, &c.HolderID, &c.HolderName, &st, &q, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(aj, &c.Action); err != nil {
			return nil, fmt.Errorf("store: decode conflict %d: %w", c.ID, err)
		}
		c.Status = complaint.Status(st)
		c.QueuedAt, c.At = time.Unix(0, q).UTC(), time.Unix(0, at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// OutboxCounts returns how many actions are queued and how many refused
// actions wait for the officer: what the sync engine publishes after each
// round. It counts the two small tables only (Counts also reads the
// complaints).
func (s *Store) OutboxCounts(ctx context.Context) (pending, conflicts int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM conflicts)`).
		Scan(&pending, &conflicts)
	return pending, conflicts, err
}

// DismissConflict removes a conflict the officer has read (ErrNotFound if
// there is no such conflict).
func (s *Store) DismissConflict(ctx context.Context, id int64) error {
	res, err := s.exec(ctx, `DELETE FROM conflicts WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
