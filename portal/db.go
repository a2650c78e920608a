package portal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite", pure Go

	"guichet/privatefile"
)

// migrations are applied in order; schema_version holds how many ran.
// Never edit an applied migration: append a new one.
var migrations = []string{
	// 1: initial schema.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;

-- One row: the global change sequence. Every change to a complaint takes the
-- next value inside its write transaction, so feed order is commit order.
CREATE TABLE change_seq (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value INTEGER NOT NULL
);
INSERT INTO change_seq (id, value) VALUES (1, 0);

CREATE TABLE complaints (
	ref         TEXT PRIMARY KEY,
	zone        TEXT NOT NULL,
	status      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	record      BLOB NOT NULL -- complaint.Record as JSON
) WITHOUT ROWID;
CREATE INDEX complaints_by_zone ON complaints (zone, status);

-- The feed of each zone: one row per (zone, complaint) with the change
-- sequence of its latest change there. A complaint that left the zone keeps
-- a tombstone row.
CREATE TABLE feed (
	zone      TEXT NOT NULL,
	ref       TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	version   INTEGER NOT NULL,
	tombstone INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (zone, ref)
) WITHOUT ROWID;
CREATE UNIQUE INDEX feed_by_seq ON feed (zone, seq);

CREATE TABLE officers (
	id         TEXT PRIMARY KEY,
	zone       TEXT NOT NULL,
	name       TEXT NOT NULL,
	token_hash BLOB NOT NULL UNIQUE, -- SHA-256 of the bearer token
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
) WITHOUT ROWID;

-- Idempotency records: the first outcome of a request, replayed for the
-- same key. scope is "intake" or "officer:<id>".
CREATE TABLE idempotency (
	scope        TEXT NOT NULL,
	key          TEXT NOT NULL,
	request_hash BLOB NOT NULL,
	status       INTEGER NOT NULL,
	response     BLOB NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_by_age ON idempotency (created_at);

-- Append-only audit trail. origin is "portal" for the portal's own events
-- and the officer id for events posted by a workstation; (origin, id) makes
-- posting a batch twice store it once.
CREATE TABLE audit (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	origin      TEXT NOT NULL,
	id          TEXT NOT NULL,
	at          INTEGER NOT NULL,
	officer     TEXT NOT NULL,
	zone        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	ref         TEXT NOT NULL,
	field       TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	detail      TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	UNIQUE (origin, id)
);
CREATE INDEX audit_by_ref ON audit (ref);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;

-- Confirmations to citizens waiting to be sent (outbox), written in the
-- same transaction as the action that causes them.
CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	ref          TEXT NOT NULL,
	channel      TEXT NOT NULL,
	payload      BLOB NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL,
	sent_at      INTEGER,
	last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt);
`,
	// 2: a feed page of 500 read from few pages. Readers start cold after
	// every commit (SQLite drops a reader's page cache when the WAL has
	// changed), so the page count of a feed page is its cost.
	// - complaints becomes a rowid table: a record (~2 kB) is kept in its
	//   leaf page instead of spilling to an overflow page as in a WITHOUT
	//   ROWID b-tree, and complaints filed one after another sit in
	//   neighbouring pages, as they do in the feed.
	// - feed is keyed by (zone, seq), so a page is one range of its b-tree,
	//   and carries the complaint's rowid, so the join needs no ref lookup.
	`
CREATE TABLE complaints_v2 (
	id          INTEGER PRIMARY KEY,
	ref         TEXT NOT NULL UNIQUE,
	zone        TEXT NOT NULL,
	status      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	record      BLOB NOT NULL -- complaint.Record as JSON
);
INSERT INTO complaints_v2 (ref, zone, status, version, received_at, record)
	SELECT c.ref, c.zone, c.status, c.version, c.received_at, c.record
	FROM complaints c LEFT JOIN feed f ON f.zone = c.zone AND f.ref = c.ref
	ORDER BY f.seq, c.received_at;
DROP TABLE complaints;
ALTER TABLE complaints_v2 RENAME TO complaints;
CREATE INDEX complaints_by_zone ON complaints (zone, status);

CREATE TABLE feed_v2 (
	zone      TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	ref       TEXT NOT NULL,
	cid       INTEGER, -- complaints.id
	version   INTEGER NOT NULL,
	tombstone INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (zone, seq)
) WITHOUT ROWID;
INSERT INTO feed_v2 (zone, seq, ref, cid, version, tombstone)
	SELECT f.zone, f.seq, f.ref, c.id, f.version, f.tombstone
	FROM feed f LEFT JOIN complaints c ON c.ref = f.ref;
DROP TABLE feed;
ALTER TABLE feed_v2 RENAME TO feed;
CREATE UNIQUE INDEX feed_by_ref ON feed (zone, ref);
`,
	// 3: confirmations that cannot be delivered (a relay's permanent
	// refusal) end as failed instead of being retried forever; a letter
	// replacing a failed e-mail says which row it replaces. Errors stored
	// before kept the relay's free text, which can repeat the citizen's
	// address: they are cleared. Audit events a workstation posted with an
	// impossible time are stored at their receipt, the claimed time kept.
	`
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN replaces INTEGER;
UPDATE outbox SET last_error = '(cleared: it may have held personal data)' WHERE last_error LIKE '%@%';
ALTER TABLE audit ADD COLUMN claimed_at INTEGER;
`,
	// 4: when a confirmation was queued, for the age of the oldest one
	// waiting (metrics). Rows queued before take their first attempt's
	// time.
	`
ALTER TABLE outbox ADD COLUMN created_at INTEGER;
UPDATE outbox SET created_at = next_attempt;
`,
}

// dsn builds a modernc.org/sqlite connection string with the pragmas every
// connection needs. synchronous=FULL: an acknowledged commit survives a
// power cut.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		// No mmap, a small page cache: SQLite empties a reader's page
		// cache and unmaps its whole mapping whenever another connection
		// has committed since its last read, which on a live portal (every
		// feed read is audited) is before nearly every read. Faulting a
		// mapping back in page by page cost 30-70 µs a page on the 2-core
		// VM (a 500-item feed page took 200 ms), reading pages with pread
		// a few µs; a small cache is refilled without asking the allocator
		// for fresh memory each time.
		q.Add("_pragma", "mmap_size(0)")
		q.Add("_pragma", "cache_size(-2048)")
	} else {
		// A batch of hundreds of intakes must not spill pages to the WAL
		// before its commit.
		q.Add("_pragma", "cache_size(-16384)")
		// Each request runs in a savepoint: keep its sub-journal in memory.
		q.Add("_pragma", "temp_store(MEMORY)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// openDB opens the writer (one connection) and the read pool, and applies
// the migrations. A new database gets its random epoch and cursor key.
func openDB(path string) (writer, reader *sql.DB, err error) {
	if err := privatefile.Prepare(path, privatefile.Options{What: "portal database"}); err != nil {
		return nil, nil, err
	}
	writer, err = sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, nil, err
	}
	// SQLite serialises writers anyway; one connection avoids SQLITE_BUSY
	// between our own writers and lets group commit batch them.
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	if err := migrate(writer); err != nil {
		writer.Close()
		return nil, nil, err
	}
	reader, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		writer.Close()
		return nil, nil, err
	}
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	return writer, reader, nil
}

// PermissionError says a file of the portal's data is accessible by other
// users: the portal refuses to use it.
type PermissionError = privatefile.PermissionError

func migrate(db *sql.DB) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	var version int
	err = tx.QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	fresh := errors.Is(err, sql.ErrNoRows)
	switch {
	case fresh:
		if _, err := tx.Exec(`INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this guichetd (%d)", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.Exec(migrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if _, err := tx.Exec(`UPDATE schema_version SET version = ?`, len(migrations)); err != nil {
		return err
	}
	if fresh {
		// The epoch tells cursors of this database from cursors of another
		// one (or of a re-created one); the key authenticates cursors.
		for _, k := range []string{"epoch", "cursor_key"} {
			b := make([]byte, 32)
			if k == "epoch" {
				b = b[:16]
			}
			rand.Read(b)
			if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES (?, ?)`, k, b); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// writeOp is one unit of work for the writer goroutine. fn runs inside its
// own savepoint of the shared transaction; if it returns an error its
// changes are rolled back and the error is its result. done receives the
// result only after the shared commit.
type writeOp struct {
	fn   func(tx *sql.Tx) (any, error)
	done chan writeResult // buffered (1); nil for fire-and-forget
}

type writeResult struct {
	val any
	err error
}

// maxBatch bounds how many requests share one commit.
const maxBatch = 512

// runWriter is the single writer: it takes every pending op, runs them in
// one transaction and commits once (group commit).
func (s *Server) runWriter() {
	defer close(s.writerDone)
	for op := range s.writes {
		batch := []writeOp{op}
	drain:
		for len(batch) < maxBatch {
			select {
			case op, ok := <-s.writes:
				if !ok {
					break drain
				}
				batch = append(batch, op)
			default:
				break drain
			}
		}
		s.commitBatch(batch)
	}
}

func (s *Server) commitBatch(batch []writeOp) {
	results := make([]writeResult, len(batch))
	fail := func(err error) {
		for _, op := range batch {
			if op.done != nil {
				op.done <- writeResult{err: err}
			}
		}
	}
	tx, err := s.wdb.Begin()
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	for i, op := range batch {
		results[i] = runInSavepoint(tx, op.fn)
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		s.log.Error("commit failed", "err", err, "batch", len(batch))
		fail(fmt.Errorf("commit: %w", err))
		return
	}
	for i, op := range batch {
		if op.done != nil {
			op.done <- results[i]
		}
	}
	// Confirmations may have been queued: wake the sender.
	select {
	case s.outboxKick <- struct{}{}:
	default:
	}
}

func runInSavepoint(tx *sql.Tx, fn func(tx *sql.Tx) (any, error)) (res writeResult) {
	if _, err := tx.Exec(`SAVEPOINT op`); err != nil {
		return writeResult{err: err}
	}
	defer func() {
		if p := recover(); p != nil {
			res = writeResult{err: fmt.Errorf("panic in write: %v", p)}
			tx.Exec(`ROLLBACK TO op`)
			tx.Exec(`RELEASE op`)
		}
	}()
	val, err := fn(tx)
	if err != nil {
		tx.Exec(`ROLLBACK TO op`)
		tx.Exec(`RELEASE op`)
		return writeResult{err: err}
	}
	if _, err := tx.Exec(`RELEASE op`); err != nil {
		return writeResult{err: err}
	}
	return writeResult{val: val}
}

// errClosed answers writes submitted after Close.
var errClosed = errors.New("portal: server closed")

// write runs fn in the writer and waits for the commit.
func (s *Server) write(fn func(tx *sql.Tx) (any, error)) (any, error) {
	done := make(chan writeResult, 1)
	if !s.submit(writeOp{fn: fn, done: done}) {
		return nil, errClosed
	}
	r := <-done
	return r.val, r.err
}

// writeAsync submits fn without waiting (used for audit events of reads,
// which must not slow the read down).
func (s *Server) writeAsync(fn func(tx *sql.Tx) (any, error)) {
	s.submit(writeOp{fn: fn})
}

func (s *Server) submit(op writeOp) bool {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return false
	}
	s.writes <- op
	return true
}

// The writer's statements, prepared once when the database opens.
const (
	qInsertAudit = `INSERT INTO audit (origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertComplaint = `INSERT INTO complaints (ref, zone, status, version, received_at, record) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (ref) DO NOTHING`
	qInsertIdem = `INSERT INTO idempotency (scope, key, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)`
	qLoadRecord = `SELECT record FROM complaints WHERE ref = ?`
	qNextSeq    = `UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value`
	qPutFeed    = `INSERT INTO feed (zone, ref, seq, version, tombstone, cid)
		VALUES (?1, ?2, ?3, ?4, ?5, (SELECT id FROM complaints WHERE ref = ?2))
		ON CONFLICT (zone, ref) DO UPDATE SET seq = excluded.seq, version = excluded.version, tombstone = excluded.tombstone`
	qSaveRecord = `UPDATE complaints SET zone = ?, status = ?, version = ?, record = ? WHERE ref = ?`
)

var writerQueries = []string{qInsertAudit, qInsertComplaint, qInsertIdem, qLoadRecord, qNextSeq, qPutFeed, qSaveRecord}

func (s *Server) prepareWriter() error {
	s.stmts = make(map[string]*sql.Stmt, len(writerQueries))
	for _, q := range writerQueries {
		st, err := s.wdb.Prepare(q)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		s.stmts[q] = st
	}
	return nil
}

// txExec runs a statement of the writer inside tx, preparing it once per
// database: the writer has a single connection, so tx.Stmt reuses the
// prepared statement instead of preparing it again for every request.
func (s *Server) txExec(tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := s.writerStmt(query)
	if err != nil {
		return tx.Exec(query, args...)
	}
	return tx.Stmt(st).Exec(args...)
}

func (s *Server) txQueryRow(tx *sql.Tx, query string, args ...any) *sql.Row {
	st, err := s.writerStmt(query)
	if err != nil {
		return tx.QueryRow(query, args...)
	}
	return tx.Stmt(st).QueryRow(args...)
}

func (s *Server) writerStmt(query string) (*sql.Stmt, error) {
	// Never prepare here: the writer's only connection is busy with tx.
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	return nil, fmt.Errorf("statement not prepared: %s", query)
}

// nextSeq takes the next value of the global change sequence.
func (s *Server) nextSeq(tx *sql.Tx) (int64, error) {
	var seq int64
	err := s.txQueryRow(tx, qNextSeq).Scan(&seq)
	return seq, err
}
