package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"guichet/portal/storage"
)

// Complaint reads a complaint by reference.
func (s *Store) Complaint(ctx context.Context, ref string) (storage.Complaint, error) {
	var c storage.Complaint
	var raw []byte
	ctx, err := shortRead(ctx)
	if err != nil {
		return c, err
	}
	err = s.reads.complaint.QueryRowContext(ctx, ref).Scan(&c.Zone, &c.Version, &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return c, storage.ErrNotFound
	}
	c.JSON = raw
	return c, err
}

// Commit writes c in the writer's next transaction.
func (s *Store) Commit(ctx context.Context, c storage.Change) (*storage.Idempotency, error) {
	body, err := checkChange(c)
	if err != nil {
		return nil, err
	}
	v, err := s.write(ctx, func(tx *sql.Tx) (any, error) { return s.commitTx(tx, c, body) })
	if err != nil {
		return nil, err
	}
	replay, _ := v.(*storage.Idempotency)
	return replay, nil
}

// CommitAll queues every change before waiting for any, so that they share
// commits.
func (s *Store) CommitAll(ctx context.Context, cs []storage.Change) []error {
	errs := make([]error, len(cs))
	dones := make([]chan writeResult, len(cs))
	for i, c := range cs {
		var body []byte
		if c.Idempotency != nil {
			errs[i] = errors.New("sqlite: CommitAll takes no idempotency keys")
		} else {
			body, errs[i] = checkChange(c)
		}
		if errs[i] != nil {
			continue
		}
		dones[i] = make(chan writeResult, 1)
		if errs[i] = s.submit(ctx, writeOp{fn: func(tx *sql.Tx) (any, error) { return s.commitTx(tx, c, body) }, done: dones[i]}); errs[i] != nil {
			dones[i] = nil
		}
	}
	for i, d := range dones {
		if d != nil {
			errs[i] = (<-d).err
		}
	}
	return errs
}

// checkChange refuses a change that cannot be stored and encodes its
// record, if any: in the request's goroutine, not in the single writer's.
func checkChange(c storage.Change) (record []byte, err error) {
	if len(c.Feed) > 0 && c.Complaint == nil {
		return nil, errors.New("sqlite: a feed change needs the complaint it is about")
	}
	if w := c.Complaint; w != nil {
		if w.Record.Reference == "" || w.Record.Version < 1 {
			return nil, fmt.Errorf("sqlite: complaint %q version %d cannot be stored", w.Record.Reference, w.Record.Version)
		}
		return json.Marshal(w.Record)
	}
	return nil, nil
}

// commitTx runs in the writer, inside the change's savepoint: any error
// undoes all of it. record is c's complaint record as JSON (checkChange).
func (s *Store) commitTx(tx *sql.Tx, c storage.Change, record []byte) (any, error) {
	if idem := c.Idempotency; idem != nil {
		// The key's record first: a key already used (a replay, or
		// another request under the same key) is answered before anything
		// is written, and a new one costs one statement, not a lookup and
		// an insert.
		res, err := s.stmt(tx, qInsertIdem).Exec(idem.Scope, idem.Key, idem.RequestHash, idem.Status, idem.Response, idem.CreatedAt.UnixMilli())
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			stored, err := lookupIdem(s.stmt(tx, qLookupIdem), idem.Scope, idem.Key)
			switch {
			case err != nil:
				return nil, err
			case bytes.Equal(stored.RequestHash, idem.RequestHash):
				return &stored, nil
			default:
				return nil, storage.ErrConflict
			}
		}
	}
	if w := c.Complaint; w != nil {
		if err := s.writeComplaint(tx, w, record); err != nil {
			return nil, err
		}
		rec := w.Record
		for _, f := range c.Feed {
			s.seq++ // stored with the batch (commitBatch)
			if _, err := s.stmt(tx, qPutFeed).Exec(f.Zone, rec.Reference, s.seq, rec.Version, f.Tombstone); err != nil {
				return nil, err
			}
		}
	}
	for _, o := range c.Outbox {
		if _, err := s.stmt(tx, qInsertOutbox).Exec(o.Reference, o.Channel, o.Payload, o.Due.UnixMilli(), o.Due.UnixMilli()); err != nil {
			return nil, err
		}
	}
	if err := s.insertAudit(tx, c.Audit); err != nil {
		return nil, err
	}
	return nil, nil
}

func (s *Store) writeComplaint(tx *sql.Tx, w *storage.ComplaintWrite, body []byte) error {
	rec := w.Record
	if w.Previous == 0 {
		res, err := s.stmt(tx, qInsertComplaint).Exec(rec.Reference, rec.Zone.Code, rec.Status, rec.Version, rec.ReceivedAt.UnixMilli(), body)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return storage.ErrDuplicate
		}
		return nil
	}
	res, err := s.stmt(tx, qUpdateComplaint).Exec(rec.Zone.Code, rec.Status, rec.Version, body, rec.Reference, w.Previous)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	var one int
	if err := tx.QueryRow(`SELECT 1 FROM complaints WHERE ref = ?`, rec.Reference).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return storage.ErrNotFound
	} else if err != nil {
		return err
	}
	return storage.ErrVersion
}

type rowQuerier interface {
	QueryRow(args ...any) *sql.Row
}

func lookupIdem(st rowQuerier, scope, key string) (storage.Idempotency, error) {
	r := storage.Idempotency{Scope: scope, Key: key}
	var created int64
	err := st.QueryRow(scope, key).Scan(&r.RequestHash, &r.Status, &r.Response, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return r, storage.ErrNotFound
	}
	r.CreatedAt = time.UnixMilli(created).UTC()
	return r, err
}

// Idempotency reads a stored answer.
func (s *Store) Idempotency(ctx context.Context, scope, key string) (storage.Idempotency, error) {
	r := storage.Idempotency{Scope: scope, Key: key}
	var created int64
	err := s.rdb.QueryRowContext(ctx, qLookupIdem, scope, key).Scan(&r.RequestHash, &r.Status, &r.Response, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return r, storage.ErrNotFound
	}
	r.CreatedAt = time.UnixMilli(created).UTC()
	return r, err
}

// PurgeIdempotency deletes the records created before cutoff.
func (s *Store) PurgeIdempotency(ctx context.Context, cutoff time.Time) (int64, error) {
	v, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		res, err := tx.Exec(`DELETE FROM idempotency WHERE created_at < ?`, cutoff.UnixMilli())
		if err != nil {
			return nil, err
		}
		return res.RowsAffected()
	})
	n, _ := v.(int64)
	return n, err
}

// FeedPage reads a page of zone's feed. Every change takes the next value
// of one sequence in the single writer's transaction, so the feed's order
// is commit order and has no gap a reader could pass.
func (s *Store) FeedPage(ctx context.Context, zone, cursor string, limit int, count bool) (storage.FeedPage, error) {
	return storage.ReadFeedPage(ctx, s.cursors, s.feedQuery, zone, cursor, limit, count)
}

const (
	qFeedPage = `SELECT f.ref, f.seq, f.version, f.tombstone, c.record, 0
		FROM feed f LEFT JOIN complaints c ON f.tombstone = 0 AND c.id = f.cid
		WHERE f.zone = ?1 AND f.seq > ?2 ORDER BY f.seq LIMIT ?3`
	// The count of the feed's key range (about 10 ms for 100,000, asked
	// once per sync round) is evaluated once, in the page's snapshot.
	qFeedPageCount = `SELECT f.ref, f.seq, f.version, f.tombstone, c.record,
			(SELECT count(*) FROM feed WHERE zone = ?1 AND seq > ?2)
		FROM feed f LEFT JOIN complaints c ON f.tombstone = 0 AND c.id = f.cid
		WHERE f.zone = ?1 AND f.seq > ?2 ORDER BY f.seq LIMIT ?3`
)

func (s *Store) feedQuery(ctx context.Context, zone string, after int64, limit int, count bool, read func(storage.Rows) error) error {
	st := s.reads.feedPage
	if count {
		st = s.reads.feedPageCount
	}
	ctx, err := shortRead(ctx)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, zone, after, limit)
	if err != nil {
		return err
	}
	defer rows.Close()
	fr := &feedRows{Rows: rows}
	if err := read(fr); err != nil {
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if fr.n > 0 || after == 0 {
		return nil
	}
	// Nothing after the cursor: it may be ahead of the database, which
	// was restored from an older backup. (A page with rows cannot be:
	// they come after the cursor, and no further than the sequence.)
	var current int64
	if err := s.reads.changeSeq.QueryRowContext(ctx).Scan(&current); err != nil {
		return err
	}
	if after > current {
		return storage.ErrEpoch
	}
	return nil
}

// feedRows are the rows of a feed page: it counts them, and scans a BLOB
// into a *[]byte without the copy database/sql makes of it: the driver
// (modernc.org/sqlite) hands every row's BLOB in memory of its own, copied
// out of SQLite's, which nothing reuses, so the copy only doubled what a
// feed page allocates (a 100-item page is about 150 kB, allocated twice,
// and on a busy portal the collector runs about as often as that memory
// fills, each time taking a core's share from the readers).
// TestFeedRecordsOwnTheirBytes holds the driver to it.
type feedRows struct {
	*sql.Rows
	n int
}

func (r *feedRows) Next() bool {
	if r.Rows.Next() {
		r.n++
		return true
	}
	return false
}

func (r *feedRows) Scan(dest ...any) error {
	var raw [2]sql.RawBytes
	var to [2]*[]byte
	var args [8]any
	scan := append(args[:0], dest...)
	n := 0
	for i, d := range scan {
		if p, ok := d.(*[]byte); ok && n < len(raw) {
			to[n] = p
			scan[i] = &raw[n]
			n++
		}
	}
	if err := r.Rows.Scan(scan...); err != nil {
		return err
	}
	for i := range n {
		*to[i] = []byte(raw[i])
	}
	return nil
}
