package store

// Saving the officer's work from a damaged cache, and putting saved work
// into another cache.
//
// The complaints themselves are never salvaged: the portal has them, and a
// relist brings them back whole. What only the cache has is the queued
// actions (the outbox) and the audit events not yet acknowledged; Salvage
// reads as many of them as the damage allows, and Requeue queues them again
// with their idempotency keys, so an action the portal already applied is
// answered from its idempotency record instead of being applied twice.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"guichet/complaint"
)

// Saved is the work read from a cache that is being given up: its
// identity, its queued actions (oldest first) and its unsent audit events.
type Saved struct {
	Aside    string // where Salvage moved the damaged file ("" for Handover)
	Identity Identity
	Actions  []OutboxEntry
	Audit    []complaint.AuditEvent
	// Complete is false when some rows could not be read: the damage hid
	// them (their count is unknown).
	Complete bool
}

// maxSalvageProbe bounds the row-by-row reading past a damaged page.
const maxSalvageProbe = 1 << 20

// Salvage moves the damaged cache at path aside — with its write-ahead log,
// to <path>.corrupt-<UTC time>, mode 0600 — and reads from that copy what
// it still can: identity, queued actions and unsent audit events. The
// cache must not be open. A file with nothing readable gives an empty Saved
// and no error; an error means the file could not be moved (it is then left
// where it was).
func Salvage(path string) (Saved, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Saved{}, fmt.Errorf("store: %w", err)
	}
	aside := abs + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
	for i := 2; exists(aside); i++ {
		aside = abs + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z") + "-" + strconv.Itoa(i)
	}
	// The log first: a cache file must never meet a log that is not its own.
	for _, side := range []string{"-wal", "-shm"} {
		if err := os.Rename(abs+side, aside+side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return Saved{}, fmt.Errorf("store: move the damaged cache aside: %w", err)
		}
	}
	if err := os.Rename(abs, aside); err != nil {
		return Saved{}, fmt.Errorf("store: move the damaged cache aside: %w", err)
	}
	for _, m := range staleMarkersAll(abs) {
		os.Remove(m)
	}
	os.Remove(abs + closedSuffix)
	sv := Saved{Aside: aside}
	sv.read(aside)
	if len(sv.Actions) == 0 && len(sv.Audit) == 0 {
		sv.readBehindHeader(aside)
	}
	for _, side := range []string{"", "-wal", "-shm"} {
		_ = os.Chmod(aside+side, 0o600)
	}
	return sv, nil
}

// sqliteMagic starts every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// readBehindHeader reads a file whose 100-byte header is destroyed (the
// pages behind it are often intact): a private copy gets a header made
// for it — trying the page sizes SQLite allows — and is read like the
// file itself. The copy is removed afterwards.
func (sv *Saved) readBehindHeader(p string) {
	data, err := os.ReadFile(p)
	if err != nil || len(data) < 512 || string(data[:16]) == sqliteMagic {
		return
	}
	tmp := p + ".header-repair"
	defer os.Remove(tmp)
	for size := 512; size <= 65536; size *= 2 {
		if len(data)%size != 0 || len(data) < 2*size {
			continue
		}
		// Page 1's b-tree header follows the file header: a table
		// leaf (13) or interior (5) page.
		if data[100] != 13 && data[100] != 5 {
			return
		}
		h := data[:100]
		for i := range h {
			h[i] = 0
		}
		copy(h, sqliteMagic)
		if size == 65536 {
			h[16], h[17] = 0, 1
		} else {
			h[16], h[17] = byte(size>>8), byte(size)
		}
		h[18], h[19] = 1, 1 // rollback journal: the log, if any, is not read
		h[21], h[22], h[23] = 64, 32, 32
		put := func(off int, v uint32) {
			h[off], h[off+1], h[off+2], h[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		}
		put(24, 1)                      // change counter
		put(28, uint32(len(data)/size)) // pages
		put(40, 1)                      // schema cookie
		put(44, 4)                      // schema format
		put(56, 1)                      // UTF-8
		put(92, 1)                      // valid for change counter 1
		put(96, 3049001)                // written by SQLite 3.49.1
		if err := os.WriteFile(tmp, data, 0o600); err != nil {
			return
		}
		var try Saved
		try.read(tmp)
		if len(try.Actions) > 0 || len(try.Audit) > 0 || try.Identity.Zone != "" {
			sv.Identity, sv.Actions, sv.Audit = try.Identity, try.Actions, try.Audit
			sv.Complete = false // what the header hid cannot be known
			return
		}
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// staleMarkersAll lists every open marker of abs, live or not (the file
// they mark is gone).
func staleMarkersAll(abs string) []string {
	m, _ := filepath.Glob(GlobQuote(markerPrefix(abs)) + "*")
	return m
}

// read fills sv from the damaged file at p, as far as it can.
func (sv *Saved) read(p string) {
	sv.Complete = true
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: p}).EscapedPath()+"?_pragma=busy_timeout(2000)&_pragma=writable_schema(1)")
	if err != nil {
		sv.Complete = false
		return
	}
	defer db.Close()
	// writable_schema: SQLite then reads a file shorter than its header
	// says (cut short) instead of refusing it whole; nothing is written.
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if rows, err := db.QueryContext(ctx, `SELECT key, value FROM meta`); err == nil {
		for rows.Next() {
			var k, v string
			if rows.Scan(&k, &v) != nil {
				continue
			}
			switch k {
			case "server_url":
				sv.Identity.ServerURL = v
			case "zone":
				sv.Identity.Zone = v
			case "officer_id":
				sv.Identity.OfficerID = v
			case "officer_name":
				sv.Identity.OfficerName = v
			}
		}
		rows.Close()
	}
	var actionsWhole, auditWhole bool
	sv.Actions, actionsWhole = salvageRows(ctx, db, "outbox", "id", outboxCols, scanOutbox)
	sv.Audit, auditWhole = salvageRows(ctx, db, "audit", "seq", "seq, event_json", scanAudit)
	sv.Complete = sv.Complete && actionsWhole && auditWhole
}

const outboxCols = `id, idem_key, reference, action_json, officer_id, officer_name, created_at, attempts, last_error`

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(...any) error }

// scanOutbox reads one outbox row. Its id is returned whenever it could be
// read, even when the rest of the row is unusable.
func scanOutbox(sc rowScanner) (int64, OutboxEntry, error) {
	var e OutboxEntry
	var aj []byte
	var at int64
	if err := sc.Scan(&e.ID, &e.Key, &e.Reference, &aj, &e.By.ID, &e.By.Name, &at, &e.Attempts, &e.LastError); err != nil {
		return 0, e, err
	}
	if err := json.Unmarshal(aj, &e.Action); err != nil {
		return e.ID, e, err
	}
	if e.Key == "" || e.Reference == "" || e.By.ID == "" {
		return e.ID, e, errors.New("incomplete outbox row")
	}
	e.CreatedAt = time.Unix(0, at).UTC()
	return e.ID, e, nil
}

// scanAudit reads one unsent audit event, like scanOutbox.
func scanAudit(sc rowScanner) (int64, complaint.AuditEvent, error) {
	var seq int64
	var js []byte
	var ev complaint.AuditEvent
	if err := sc.Scan(&seq, &js); err != nil {
		return 0, ev, err
	}
	if err := json.Unmarshal(js, &ev); err != nil {
		return seq, ev, err
	}
	if ev.ID == "" {
		return seq, ev, errors.New("audit event without id")
	}
	return seq, ev, nil
}

// salvageRows reads the rows of an AUTOINCREMENT table of a damaged cache
// in key order: cols from table, the key (its INTEGER PRIMARY KEY) first,
// each read by scan. Past a damaged page it looks each later key up alone,
// up to the last key the table gave (sqlite_sequence), at most
// maxSalvageProbe of them. It returns the rows read and whether every row
// was read; a row scan refuses is left out.
func salvageRows[T any](ctx context.Context, db *sql.DB, table, key, cols string, scan func(rowScanner) (int64, T, error)) ([]T, bool) {
	var out []T
	complete := true
	var last int64
	rows, err := db.QueryContext(ctx, `SELECT `+cols+` FROM `+table+` ORDER BY `+key)
	if err != nil {
		return nil, false // no table to read: nothing of it is known
	}
	for rows.Next() {
		k, v, err := scan(rows)
		last = max(last, k)
		if err != nil {
			complete = false
			continue
		}
		out = append(out, v)
	}
	if rows.Err() == nil {
		rows.Close()
		return out, complete
	}
	rows.Close()
	var top int64
	if err := db.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = ?`, table).Scan(&top); err != nil {
		return out, false
	}
	for k := last + 1; k <= top && k-last <= maxSalvageProbe; k++ {
		if _, v, err := scan(db.QueryRowContext(ctx, `SELECT `+cols+` FROM `+table+` WHERE `+key+` = ?`, k)); err == nil {
			out = append(out, v)
		}
	}
	return out, false
}

// Requeue queues saved work in this cache, in one transaction: the
// identity when this cache has none, every action with its own idempotency
// key, officer and time (an action already queued here, by key, is not
// queued twice), every audit event by its id. The cached complaints the
// actions are about show them at once (pending); complaints not cached yet
// get them when ReplayQueued runs after the next pull. It returns how many
// actions and events were added.
func (s *Store) Requeue(ctx context.Context, sv Saved) (actions, audit int, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		actions, audit = 0, 0
		var cur sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='server_url'`).Scan(&cur); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if cur.String == "" && sv.Identity.ServerURL != "" && sv.Identity.Zone != "" {
			for k, v := range map[string]string{"server_url": sv.Identity.ServerURL, "zone": sv.Identity.Zone,
				"officer_id": sv.Identity.OfficerID, "officer_name": sv.Identity.OfficerName} {
				if err := setMeta(ctx, tx, k, v); err != nil {
					return err
				}
			}
		}
		refs := map[string]bool{}
		var order []string
		for _, e := range sv.Actions {
			aj, err := json.Marshal(e.Action)
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO outbox(idem_key, reference, action_json,
				officer_id, officer_name, created_at, attempts, last_error) VALUES(?,?,?,?,?,?,?,?)
				ON CONFLICT(idem_key) DO NOTHING`,
				e.Key, e.Reference, aj, e.By.ID, e.By.Name, e.CreatedAt.UnixNano(), e.Attempts, e.LastError)
			if err != nil {
				return fmt.Errorf("store: queue saved action: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				actions++
				if !refs[e.Reference] {
					refs[e.Reference] = true
					order = append(order, e.Reference)
				}
			}
		}
		for i := range sv.Audit {
			ev := sv.Audit[i]
			res, err := tx.ExecContext(ctx, `INSERT INTO audit(id, event_json) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM audit WHERE id = ?)`,
				ev.ID, jsonOf(ev), ev.ID)
			if err != nil {
				return fmt.Errorf("store: queue saved audit: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				audit++
			}
		}
		for _, ref := range order {
			if err := s.settle(ctx, tx, ref, nil); err != nil {
				return err
			}
		}
		return nil
	})
	return actions, audit, err
}

func jsonOf(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// ReplayQueued recomputes the local state of every cached complaint with
// queued actions (a relist inserts complaints as the portal has them: after
// Requeue, the actions queued before the complaints came back are replayed
// on them here).
func (s *Store) ReplayQueued(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT reference FROM outbox`)
		if err != nil {
			return err
		}
		var refs []string
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return err
			}
			refs = append(refs, r)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		for _, ref := range refs {
			if err := s.settle(ctx, tx, ref, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// Handover gives this cache's queued actions and unsent audit events to
// into (Requeue), then removes them from this cache: the work of a cache
// that is being given up (another portal address for the same portal)
// reaches the portal through the cache in use. A crash between the two
// steps leaves the work in both; the idempotency keys make the portal apply
// each action once. It returns what was moved.
func (s *Store) Handover(ctx context.Context, into *Store) (Saved, error) {
	var sv Saved
	var err error
	if sv.Identity, err = s.Identity(ctx); err != nil {
		return sv, err
	}
	if sv.Actions, err = s.PendingActions(ctx, 0); err != nil {
		return sv, err
	}
	if sv.Audit, err = s.PendingAudit(ctx, 0); err != nil {
		return sv, err
	}
	sv.Complete = true
	if _, _, err := into.Requeue(ctx, Saved{Actions: sv.Actions, Audit: sv.Audit}); err != nil {
		return sv, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for _, e := range sv.Actions {
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, e.ID); err != nil {
				return err
			}
			if err := s.settle(ctx, tx, e.Reference, nil); err != nil {
				return err
			}
		}
		for _, ev := range sv.Audit {
			if _, err := tx.ExecContext(ctx, `DELETE FROM audit WHERE id = ?`, ev.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return sv, err
}

// Waiting is what a cache file holds that has not reached the portal, as
// Peek reads it.
type Waiting struct {
	Identity Identity
	Actions  int // queued actions
	Audit    int // unsent audit events
}

// Peek reads, without changing anything, whose cache the file at path is
// and how much work in it waits for the portal. A file that is not a
// guichet cache (or cannot be read) is an error; Peek never creates,
// migrates or writes a file, so it is safe on any *.db file.
func Peek(path string) (Waiting, error) {
	var w Waiting
	if _, err := os.Stat(path); err != nil {
		return w, fmt.Errorf("store: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return w, fmt.Errorf("store: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: abs}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(2000)&_pragma=query_only(1)")
	if err != nil {
		return w, fmt.Errorf("store: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	var version int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return w, fmt.Errorf("store: %s: %w", abs, err)
	}
	if version < 1 || version > schemaVersion() {
		return w, fmt.Errorf("store: %s is not a guichet cache this version reads (schema %d)", abs, version)
	}
	rows, err := db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN ('server_url','zone','officer_id','officer_name')`)
	if err != nil {
		return w, fmt.Errorf("store: %s: %w", abs, err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return w, err
		}
		switch k {
		case "server_url":
			w.Identity.ServerURL = v
		case "zone":
			w.Identity.Zone = v
		case "officer_id":
			w.Identity.OfficerID = v
		case "officer_name":
			w.Identity.OfficerName = v
		}
	}
	if err := closeRows(rows); err != nil {
		return w, err
	}
	err = db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM audit)`).Scan(&w.Actions, &w.Audit)
	if err != nil {
		return w, fmt.Errorf("store: %s: %w", abs, err)
	}
	return w, nil
}
