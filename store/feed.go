package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"guichet/complaint"
)

// ApplyFeedPage applies one page of the zone feed and stores nextCursor, in
// one transaction: either the whole page and its cursor are in the cache, or
// nothing is (a cut connection re-fetches the same page).
//
// An item replaces the cached complaint only if its version is higher; an
// item with a lower or equal version is ignored (except during a relist: the
// first appearance of a complaint with a lower version replaces it, see
// applyItem). A tombstone of the cached version or a higher one (or without
// a version) removes the complaint with all its personal data (full-text
// index included) — unless
// actions on it are still queued, in which case only its personal data is
// dropped from search and the row is kept until the outbox is settled. When
// actions are queued for a complaint, the newer server state is stored and
// the local state recomputed by replaying the queued actions on it.
//
// The page is committed without waiting for the disk (txNoSync): a power
// loss may take it back together with its cursor, and the next pull
// fetches it again.
func (s *Store) ApplyFeedPage(ctx context.Context, items []complaint.FeedItem, nextCursor string) error {
	bulk := s.bulk.Load()
	for i := range items {
		bulk = bulk && !items[i].Tombstone // a deletion overwrites what it frees
	}
	ahead, err := s.encodeAhead(ctx, items)
	if err != nil {
		return err
	}
	fillHashes, mergeDue := false, false
	defer func() {
		if fillHashes {
			s.startSearchHashFill()
		}
	}()
	err = s.txNoSync(ctx, bulk, func(tx *sql.Tx) error {
		w, err := s.newWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		w.ahead = ahead
		officer, err := s.writeStmt(ctx, tx, `SELECT coalesce((SELECT value FROM meta WHERE key = 'officer_id'), ''),
			EXISTS (SELECT 1 FROM meta WHERE key = '`+searchHashFillKey+`')`)
		if err != nil {
			return err
		}
		defer officer.Close()
		if err := officer.QueryRowContext(ctx).Scan(&w.officerID, &fillHashes); err != nil {
			return err
		}
		w.now = s.now().UTC()
		write := func() error {
			for i := range items {
				if err := w.applyItem(&items[i]); err != nil {
					return err
				}
			}
			return w.flush()
		}
		if bulk {
			// A first sync's pages merge as they go: nothing reads the
			// index between them, and no idle moment comes before the end.
			if err := write(); err != nil {
				return err
			}
		} else {
			if err := s.withoutSearchMerge(ctx, tx, write); err != nil {
				return err
			}
			mergeDue = true
		}
		if err := s.execIn(ctx, tx, setMetaSQL, "cursor", nextCursor); err != nil {
			return err
		}
		return s.execIn(ctx, tx, setMetaSQL, "last_sync", s.now().UTC().Format(time.RFC3339Nano))
	})
	if err == nil && mergeDue {
		s.searchMergeDue.Store(true)
	}
	return err
}

// ResetForRelist prepares a relist from scratch after the portal answered 410
// (stale cursor): the cursor is cleared and every cached complaint is marked
// unseen. Pages applied afterwards mark what they carry as seen; FinishRelist
// then removes what the portal no longer lists. Outbox, conflicts and audit
// rows are never touched.
func (s *Store) ResetForRelist(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE complaints SET seen = 0`); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, "relisting", "1"); err != nil {
			return err
		}
		return setMeta(ctx, tx, "cursor", "")
	})
}

// Relisting reports whether a relist was started and not finished (it
// survives a restart: the caller resumes pulling from the stored cursor and
// calls FinishRelist when the feed has no more pages).
func (s *Store) Relisting(ctx context.Context) (bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='relisting'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return v == "1", err
}

// FinishRelist ends a relist once the whole feed has been applied: complaints
// the portal did not list again are removed with their personal data, except
// those with queued actions (kept until the outbox settles them). It returns
// how many were removed. Without a running relist it does nothing.
func (s *Store) FinishRelist(ctx context.Context) (int, error) {
	// Every round of the sync engine ends here: without a relist, a read
	// says so, without a write transaction.
	if relisting, err := s.Relisting(ctx); err != nil || !relisting {
		return 0, err
	}
	removed := 0
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='relisting'`).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) || v != "1" {
			return nil
		}
		if err != nil {
			return err
		}
		n, err := deleteWhere(ctx, tx, `seen = 0 AND pending = 0`)
		if err != nil {
			return err
		}
		removed = n
		if _, err := tx.ExecContext(ctx, `UPDATE complaints SET seen = 1 WHERE seen = 0`); err != nil {
			return err
		}
		return setMeta(ctx, tx, "relisting", "0")
	})
	return removed, err
}

// withSecureDelete runs fn with FTS5 secure-delete on: rows deleted then
// leave no token behind in the index (their personal data is gone, not just
// marked deleted until a merge).
func withSecureDelete(ctx context.Context, tx *sql.Tx, fn func() error) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO complaints_fts(complaints_fts, rank) VALUES('secure-delete', 1)`); err != nil {
		return fmt.Errorf("store: secure-delete on: %w", err)
	}
	if err := fn(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO complaints_fts(complaints_fts, rank) VALUES('secure-delete', 0)`); err != nil {
		return fmt.Errorf("store: secure-delete off: %w", err)
	}
	return nil
}

// deleteWhere removes the complaints matching cond with their personal data
// and their full-text rows (securely).
func deleteWhere(ctx context.Context, tx *sql.Tx, cond string, args ...any) (int, error) {
	err := withSecureDelete(ctx, tx, func() error {
		_, err := tx.ExecContext(ctx, `DELETE FROM complaints_fts WHERE rowid IN (SELECT id FROM complaints WHERE `+cond+`)`, args...)
		return err
	})
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM complaints WHERE `+cond, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// BulkLoad inserts records as they are (server state, nothing pending) in
// one transaction, with the same statements ApplyFeedPage uses minus the
// version checks. It is the baseline of "plain bulk insert of the same rows
// into the same schema" for benchmarks, and the fast way to fill a cache in
// tests; it fails if a reference is already cached.
func (s *Store) BulkLoad(ctx context.Context, records []complaint.Record) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		w, err := s.newWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		for i := range records {
			if _, err := w.insert(&records[i]); err != nil {
				return err
			}
		}
		return w.flush()
	})
}

// writer holds the prepared statements of one write transaction.
//
// Full-text changes are collected and written by flush at the end, all
// together: FTS5 writes its pending in-memory index to disk whenever another
// statement of the transaction opens a savepoint, so interleaving them with
// the complaints' upserts made one tiny index segment per row (measured: 10×
// slower bulk loads and ever-growing merges).
//
// The index keeps no copy of its text (external content: the view
// complaints_search makes it from the stored record, see searchTextFunc).
// Every cached complaint has one index row, whose text is the
// storedSearchText of its effective record; removing a row's tokens needs
// that text, so the writer reads it before it changes the record
// (indexedText) and hands it to FTS5 with the 'delete' command. Each row
// of complaints keeps the hash of that text (search_hash): a change that
// leaves the text as it was (a claim, a release, most updates) is known as
// such without making the old text again from the stored record.
type writer struct {
	ctx                                   context.Context
	tx                                    *sql.Tx
	s                                     *Store
	lookup, insertStmt, oldCols           *sql.Stmt
	insertJSON, updateJSON, readServer    *sql.Stmt
	updates                               map[string]*sql.Stmt // by SET clause
	markSeen, ftsPut, ftsDel, delete, old *sql.Stmt
	fts                                   map[int64]*ftsChange
	ftsOrder                              []int64

	// looked are the columns of row lookedID as applyItem's lookup read
	// them, so update need not read them again (nil: read them).
	looked   *queueCols
	lookedID int64

	// ahead are the feed page's server records, compressed and with their
	// search text, by encodeAhead's workers (feed pages only).
	ahead *aheadRecords

	// officerID is the cache's officer (feed pages only): a colleague
	// taking over one of their claims becomes a conflict line for them.
	officerID string
	now       time.Time
}

// ftsChange is what flush does to the index row of one complaint.
type ftsChange struct {
	indexed bool    // the row was indexed before this transaction, with oldText: delete it first
	oldText string  // the text it was indexed with
	erase   bool    // the complaint's personal data goes: delete securely
	body    *string // then insert this text (nil: none)
}

// indexedText is the text complaint id is indexed with now: its stored
// record's, as the index's content view makes it. Call it before the
// record changes.
func (w *writer) indexedText(id int64) (string, error) {
	var old string
	if err := w.old.QueryRowContext(w.ctx, id).Scan(&old); err != nil {
		return "", fmt.Errorf("store: read index text: %w", err)
	}
	return old, nil
}

// change returns the queued change of id, reading the text it is indexed
// with when it is the first change of id in this transaction (an id new in
// this transaction has its change from indexNew).
func (w *writer) change(id int64) (*ftsChange, error) {
	if c, ok := w.fts[id]; ok {
		return c, nil
	}
	old, err := w.indexedText(id)
	if err != nil {
		return nil, err
	}
	c := &ftsChange{indexed: true, oldText: old}
	w.fts[id] = c
	w.ftsOrder = append(w.ftsOrder, id)
	return c, nil
}

// indexNew queues the index text of a complaint inserted in this transaction.
func (w *writer) indexNew(id int64, body string) {
	c := &ftsChange{body: &body}
	w.fts[id] = c
	w.ftsOrder = append(w.ftsOrder, id)
}

// reindex queues new index text for a complaint whose record is about to
// change; nothing is done when the text stays the same. bodyHash is the
// searchHash of body; indexedHash is the
// complaint's search_hash, the searchHash of the text it is indexed with,
// or 0 when unknown (a cache migrated to schema 10 until fillSearchHashes
// reached it): the indexed text is read then.
func (w *writer) reindex(id int64, body string, bodyHash, indexedHash int64) error {
	if _, ok := w.fts[id]; !ok {
		if bodyHash == indexedHash {
			return nil
		}
		old, err := w.indexedText(id)
		if err != nil {
			return err
		}
		if old == body {
			return nil
		}
		w.fts[id] = &ftsChange{indexed: true, oldText: old}
		w.ftsOrder = append(w.ftsOrder, id)
	}
	w.fts[id].body = &body
	return nil
}

// unindex queues the secure removal of a complaint's index row; the caller
// then deletes the complaint or gives it new text with reindex.
func (w *writer) unindex(id int64) error {
	c, err := w.change(id)
	if err != nil {
		return err
	}
	c.erase, c.body = true, nil
	return nil
}

// flush writes the queued index changes: every delete, then every insert.
// It must run before the transaction commits.
func (w *writer) flush() error {
	erase := false
	for _, id := range w.ftsOrder {
		c := w.fts[id]
		erase = erase || (c.erase && c.indexed)
	}
	del := func(id int64, c *ftsChange) error {
		if _, err := w.ftsDel.ExecContext(w.ctx, id, c.oldText); err != nil {
			return fmt.Errorf("store: unindex: %w", err)
		}
		c.indexed = false
		return nil
	}
	if erase {
		err := withSecureDelete(w.ctx, w.tx, func() error {
			for _, id := range w.ftsOrder {
				if c := w.fts[id]; c.erase && c.indexed {
					if err := del(id, c); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, id := range w.ftsOrder {
		if c := w.fts[id]; c.indexed {
			if err := del(id, c); err != nil {
				return err
			}
		}
	}
	for _, id := range w.ftsOrder {
		if b := w.fts[id].body; b != nil {
			if _, err := w.ftsPut.ExecContext(w.ctx, id, *b); err != nil {
				return fmt.Errorf("store: index: %w", err)
			}
		}
	}
	clear(w.fts)
	w.ftsOrder = w.ftsOrder[:0]
	return nil
}

const complaintCols = `reference, version, status, status_rank, received_at, updated_at,
	fact_type, municipality, municipality_key, postal_code, complainant, complainant_key,
	claimed_by_id, claimed_by_name, pending, seen,
	street, handled_at, closed_at, search_hash`

func (s *Store) newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{ctx: ctx, tx: tx, s: s, fts: map[int64]*ftsChange{}, updates: map[string]*sql.Stmt{}}
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = s.writeStmt(ctx, tx, q)
		return st
	}
	w.lookup = prep(`SELECT id, version, pending, seen, ` + oldColsSQL + ` FROM complaints WHERE reference = ?`)
	w.insertStmt = prep(`INSERT INTO complaints(` + complaintCols + `)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?) RETURNING id`)
	w.insertJSON = prep(`INSERT INTO complaint_json(id, server_json, local_json) VALUES(?, ?, NULL)`)
	w.updateJSON = prep(`UPDATE complaint_json SET server_json = ?, local_json = ? WHERE id = ?`)
	w.readServer = prep(`SELECT server_json FROM complaint_json WHERE id = ?`)
	w.oldCols = prep(`SELECT ` + oldColsSQL + ` FROM complaints WHERE id = ?`)
	w.markSeen = prep(`UPDATE complaints SET seen = 1 WHERE id = ? AND seen = 0`)
	w.ftsPut = prep(`INSERT INTO complaints_fts(rowid, body) VALUES(?, ?)`)
	w.ftsDel = prep(`INSERT INTO complaints_fts(complaints_fts, rowid, body) VALUES('delete', ?, ?)`)
	w.old = prep(`SELECT body FROM complaints_search WHERE id = ?`)
	w.delete = prep(`DELETE FROM complaints WHERE id = ?`)
	if err != nil {
		w.close()
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range w.updates {
		st.Close()
	}
	for _, st := range []*sql.Stmt{w.lookup, w.insertStmt, w.insertJSON, w.updateJSON, w.readServer, w.oldCols, w.markSeen, w.ftsPut, w.ftsDel, w.old, w.delete} {
		if st != nil {
			st.Close()
		}
	}
}

// queueCols are the queue and statistics columns of an effective record.
type queueCols struct {
	status                          string
	rank                            int
	received, updated               int64
	factType, muni, muniKey, postal string
	name, nameKey                   string
	claimedID, claimedName          string
	street                          string
	// handledAt is the time of the first history entry to handled while
	// the complaint is handled; closedAt when a final complaint was
	// closed: its first final entry, never before it was received, its
	// last update when no entry says. 0 = none (NULL in the table).
	handledAt, closedAt int64
	// searchHash is the searchHash of the text the complaint is indexed
	// with (set by the writer, not by colsOf).
	searchHash int64
}

// oldColsSQL reads the queueCols of a row, in the order of dest.
const oldColsSQL = `status, status_rank, received_at, updated_at, fact_type, municipality,
	municipality_key, postal_code, complainant, complainant_key, claimed_by_id, claimed_by_name,
	street, coalesce(handled_at, 0), coalesce(closed_at, 0), search_hash`

func (c *queueCols) dest() []any {
	return []any{&c.status, &c.rank, &c.received, &c.updated, &c.factType, &c.muni, &c.muniKey,
		&c.postal, &c.name, &c.nameKey, &c.claimedID, &c.claimedName, &c.street, &c.handledAt, &c.closedAt, &c.searchHash}
}

// nullable stores 0 as NULL.
func nullable(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func colsOf(r *complaint.Record) queueCols {
	c := queueCols{
		status:   string(r.Status),
		rank:     statusRank(r.Status),
		received: nanos(r.ReceivedAt),
		updated:  nanos(r.UpdatedAt),
		factType: r.FactType,
		muni:     r.Facts.Place.Municipality,
		muniKey:  fold(r.Facts.Place.Municipality),
		postal:   r.Facts.Place.PostalCode,
		name:     joinNonEmpty(r.Complainant.FirstName, r.Complainant.LastName),
		nameKey:  fold(joinNonEmpty(r.Complainant.LastName, r.Complainant.FirstName)),
	}
	if r.ClaimedBy != nil {
		c.claimedID, c.claimedName = r.ClaimedBy.ID, r.ClaimedBy.Name
	}
	c.street = r.Facts.Place.Street
	c.handledAt, c.closedAt = closure(r.Status, r.History, c.received, c.updated)
	return c
}

// closure is when a complaint was handled (while it is handled) and closed
// (while it is final), from its history; 0 = not.
func closure(status complaint.Status, history []complaint.StatusChange, received, updated int64) (handledAt, closedAt int64) {
	if !status.Final() {
		return 0, 0
	}
	var handled, closed int64
	for _, h := range history {
		if h.At.IsZero() || !h.To.Final() {
			continue
		}
		if closed == 0 {
			closed = nanos(h.At)
		}
		if handled == 0 && h.To == complaint.StatusHandled {
			handled = nanos(h.At)
		}
	}
	if closed == 0 {
		closed = updated
	}
	if status != complaint.StatusHandled {
		handled = 0
	}
	return handled, max(closed, received, 1)
}

func statusRank(s complaint.Status) int {
	for i, v := range complaint.Statuses {
		if v == s {
			return i
		}
	}
	return len(complaint.Statuses)
}

// insert adds a complaint that is not cached yet, with nothing pending.
func (w *writer) insert(r *complaint.Record) (int64, error) {
	js, err := w.encodeServer(r)
	if err != nil {
		return 0, err
	}
	c := colsOf(r)
	body, hash := w.searchTextOf(r)
	var id int64
	err = w.insertStmt.QueryRowContext(w.ctx, r.Reference, r.Version, c.status, c.rank, c.received,
		c.updated, c.factType, c.muni, c.muniKey, c.postal, c.name, c.nameKey, c.claimedID,
		c.claimedName, 0, c.street, nullable(c.handledAt), nullable(c.closedAt), hash).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: insert %s: %w", r.Reference, err)
	}
	if _, err := w.insertJSON.ExecContext(w.ctx, id, js); err != nil {
		return 0, fmt.Errorf("store: insert %s: %w", r.Reference, err)
	}
	w.indexNew(id, body)
	return id, nil
}

// update rewrites a cached complaint: server is the server state, local the
// effective state while pending (nil otherwise). The index follows the
// effective record's text.
func (w *writer) update(id int64, server *complaint.Record, local *complaint.Record) error {
	sj, err := w.encodeServer(server)
	if err != nil {
		return err
	}
	eff := server
	var lj []byte
	pending := 0
	if local != nil {
		if lj, err = encodeRecord(local); err != nil {
			return err
		}
		eff, pending = local, 1
	}
	c := colsOf(eff)
	var old queueCols
	if w.looked != nil && w.lookedID == id {
		old = *w.looked // read with the lookup of this item
	} else if err := w.oldCols.QueryRowContext(w.ctx, id).Scan(old.dest()...); err != nil {
		return fmt.Errorf("store: update %s: %w", server.Reference, err)
	}
	w.looked = nil
	// Before the record changes: the index's view reads the old one.
	body, hash := w.searchTextOf(eff)
	if err := w.reindex(id, body, hash, old.searchHash); err != nil {
		return err
	}
	c.searchHash = hash
	// Only the changed queue columns are set: SQLite rewrites every index
	// holding a column named in SET, changed or not, and a complaint has
	// eleven. (Measured: a page of 100 status-only changes into 100,000
	// complaints was ~180 ms with every column set.)
	if _, err := w.updateJSON.ExecContext(w.ctx, sj, lj, id); err != nil {
		return fmt.Errorf("store: update %s: %w", server.Reference, err)
	}
	set := "version=?, pending=?, seen=1"
	args := []any{server.Version, pending}
	for _, f := range []struct {
		col      string
		new, old any
	}{
		{"status", c.status, old.status}, {"status_rank", c.rank, old.rank},
		{"received_at", c.received, old.received}, {"updated_at", c.updated, old.updated},
		{"fact_type", c.factType, old.factType}, {"municipality", c.muni, old.muni},
		{"municipality_key", c.muniKey, old.muniKey}, {"postal_code", c.postal, old.postal},
		{"complainant", c.name, old.name}, {"complainant_key", c.nameKey, old.nameKey},
		{"claimed_by_id", c.claimedID, old.claimedID}, {"claimed_by_name", c.claimedName, old.claimedName},
		{"street", c.street, old.street},
		{"handled_at", nullable(c.handledAt), nullable(old.handledAt)},
		{"closed_at", nullable(c.closedAt), nullable(old.closedAt)},
		{"search_hash", c.searchHash, old.searchHash},
	} {
		if f.new != f.old {
			set += ", " + f.col + "=?"
			args = append(args, f.new)
		}
	}
	st, ok := w.updates[set]
	if !ok {
		var err error
		if st, err = w.s.writeStmt(w.ctx, w.tx, `UPDATE complaints SET `+set+` WHERE id=?`); err != nil {
			return fmt.Errorf("store: update %s: %w", server.Reference, err)
		}
		w.updates[set] = st
	}
	if _, err := st.ExecContext(w.ctx, append(args, id)...); err != nil {
		return fmt.Errorf("store: update %s: %w", server.Reference, err)
	}
	return nil
}

func (w *writer) applyItem(it *complaint.FeedItem) error {
	var id, version int64
	var pending, seen int
	var old queueCols
	w.looked = nil
	err := w.lookup.QueryRowContext(w.ctx, it.Reference).Scan(append([]any{&id, &version, &pending, &seen}, old.dest()...)...)
	found := err == nil
	if found {
		w.looked, w.lookedID = &old, id
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: lookup %s: %w", it.Reference, err)
	}
	if it.Tombstone {
		if !found {
			return nil
		}
		if it.Version != 0 && it.Version < version {
			// An older tombstone than what we hold cannot happen in commit
			// order; keep the newer state but count it as seen. A tombstone
			// of the version we hold is applied: the portal gives the
			// tombstone of a forward the version of the forwarded record,
			// which the action's answer may already have stored here.
			_, err := w.markSeen.ExecContext(w.ctx, id)
			return err
		}
		if err := w.unindex(id); err != nil {
			return err
		}
		if pending == 0 {
			_, err := w.delete.ExecContext(w.ctx, id)
			return err
		}
		// Queued actions remain: the portal will refuse them (the complaint
		// left the zone) and RejectAction records the conflict. Until then
		// the row stays, out of search; its server copy is the tombstone.
		return w.tombstonePending(id, it)
	}
	if it.Record == nil {
		return fmt.Errorf("store: feed item %s has no record", it.Reference)
	}
	if it.Record.Reference != it.Reference {
		return fmt.Errorf("store: feed item %s carries record %s", it.Reference, it.Record.Reference)
	}
	if !found {
		_, err := w.insert(it.Record)
		return err
	}
	// Higher version wins — except the first time a relist (after a 410)
	// shows a complaint: the portal's state then replaces ours even if its
	// version is lower (a portal restored from a backup starts a new epoch
	// with older versions; keeping ours would keep a state it no longer has).
	relistFirst := seen == 0 && it.Record.Version < version
	if it.Record.Version <= version && !relistFirst {
		_, err := w.markSeen.ExecContext(w.ctx, id)
		return err
	}
	if err := w.noteTakeOver(&old, it.Record); err != nil {
		return err
	}
	var local *complaint.Record
	if pending != 0 {
		if local, err = w.replay(*it.Record); err != nil {
			return err
		}
	}
	return w.update(id, it.Record, local)
}

// noteTakeOver records a conflict line when next, a newer state of a
// complaint the cache's officer held (old), says a colleague took it over
// from them since: the officer must learn that the complaint is no longer
// theirs, by whom and why.
func (w *writer) noteTakeOver(old *queueCols, next *complaint.Record) error {
	if w.officerID == "" || old.claimedID != w.officerID {
		return nil
	}
	for i := len(next.History) - 1; i >= 0; i-- {
		h := next.History[i]
		if nanos(h.At) <= old.updated {
			return nil
		}
		// Any action that moved the claim away from this officer (a
		// take-over: the history names the previous holder).
		if h.FromOfficer == nil || h.FromOfficer.ID != w.officerID {
			continue
		}
		aj, err := json.Marshal(complaint.Action{Type: complaint.ActionType(h.Action), Reason: h.Reason})
		if err != nil {
			return err
		}
		var holderID, holderName string
		if h.By != nil {
			holderID, holderName = h.By.ID, h.By.Name
		}
		_, err = w.tx.ExecContext(w.ctx, `INSERT INTO conflicts(reference, action_json, code, message,
			holder_id, holder_name, status, queued_at, at) VALUES(?,?,?,?,?,?,?,?,?)`,
			next.Reference, aj, complaint.ConflictTakenOver, h.Reason, holderID, holderName,
			string(next.Status), h.At.UTC().UnixNano(), w.now.UnixNano())
		return err
	}
	return nil
}

// isTombstoneStub recognises the record tombstonePending leaves: no
// complainant identification, which every filed complaint has.
func isTombstoneStub(r *complaint.Record) bool {
	return r.Status == complaint.StatusForwarded && r.Complainant.Identification.Method == ""
}

// tombstonePending keeps a complaint whose actions are still queued after the
// portal sent its tombstone: the row's server copy loses its personal data.
func (w *writer) tombstonePending(id int64, it *complaint.FeedItem) error {
	var sj []byte
	if err := w.readServer.QueryRowContext(w.ctx, id).Scan(&sj); err != nil {
		return err
	}
	var old complaint.Record
	if err := decodeRecord(sj, &old); err != nil {
		return fmt.Errorf("store: decode %s: %w", it.Reference, err)
	}
	gone := complaint.Record{
		Reference:  old.Reference,
		Zone:       old.Zone,
		Status:     complaint.StatusForwarded,
		Version:    it.Version,
		ReceivedAt: old.ReceivedAt,
		UpdatedAt:  old.UpdatedAt,
	}
	gone.FactType = old.FactType
	return w.update(id, &gone, nil)
}

// replay computes the effective record of ref: the queued actions applied in
// order on the server state. An action the rules refuse is skipped (the
// portal will refuse it too and the refusal becomes a conflict); the result
// always carries the server's version.
func (w *writer) replay(server complaint.Record) (*complaint.Record, error) {
	acts, err := queuedFor(w.ctx, w.tx, server.Reference)
	if err != nil {
		return nil, err
	}
	if len(acts) == 0 {
		return nil, nil
	}
	eff := server
	for _, q := range acts {
		if next, err := complaint.Apply(eff, q.Action, q.By, q.CreatedAt); err == nil {
			eff = next
		}
	}
	eff.Version = server.Version
	return &eff, nil
}

// queued is one outbox row as replay needs it.
type queued struct {
	Action    complaint.Action
	By        complaint.Officer
	CreatedAt time.Time
}

func queuedFor(ctx context.Context, tx *sql.Tx, ref string) ([]queued, error) {
	rows, err := tx.QueryContext(ctx, `SELECT action_json, officer_id, officer_name, created_at
		FROM outbox WHERE reference = ? ORDER BY id`, ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []queued
	for rows.Next() {
		var aj []byte
		var q queued
		var at int64
		if err := rows.Scan(&aj, &q.By.ID, &q.By.Name, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(aj, &q.Action); err != nil {
			return nil, fmt.Errorf("store: decode queued action of %s: %w", ref, err)
		}
		q.CreatedAt = time.Unix(0, at).UTC()
		out = append(out, q)
	}
	return out, rows.Err()
}
