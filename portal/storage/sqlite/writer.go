package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"guichet/portal/storage"
)

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
func (s *Store) runWriter() {
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

func (s *Store) commitBatch(batch []writeOp) {
	results := make([]writeResult, len(batch))
	fail := func(err error) {
		for _, op := range batch {
			if op.done != nil {
				op.done <- writeResult{err: err}
			} else {
				s.log.Error("write nobody waited for failed", "err", err)
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
		if op.done == nil && results[i].err != nil {
			s.log.Error("write nobody waited for failed", "err", results[i].err)
		}
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

// write runs fn in the writer and waits for the commit. ctx bounds the
// wait for a place in the queue; once queued, the write is committed or
// refused before write returns.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) (any, error)) (any, error) {
	done := make(chan writeResult, 1)
	if err := s.submit(ctx, writeOp{fn: fn, done: done}); err != nil {
		return nil, err
	}
	r := <-done
	return r.val, r.err
}

// writeLater submits fn without waiting for it.
func (s *Store) writeLater(fn func(tx *sql.Tx) (any, error)) {
	if err := s.submit(context.Background(), writeOp{fn: fn}); err != nil {
		s.log.Error("write after close dropped", "err", err)
	}
}

func (s *Store) submit(ctx context.Context, op writeOp) error {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return storage.ErrClosed
	}
	select {
	case s.writes <- op:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// The writer's statements, prepared once when the database opens.
const (
	qInsertAudit = `INSERT INTO audit (origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, id) DO NOTHING`
	qInsertComplaint = `INSERT INTO complaints (ref, zone, status, version, received_at, record) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (ref) DO NOTHING`
	qUpdateComplaint = `UPDATE complaints SET zone = ?, status = ?, version = ?, record = ? WHERE ref = ? AND version = ?`
	qInsertIdem      = `INSERT INTO idempotency (scope, key, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)`
	qLookupIdem      = `SELECT request_hash, status, response, created_at FROM idempotency WHERE scope = ? AND key = ?`
	qNextSeq         = `UPDATE change_seq SET value = value + 1 WHERE id = 1 RETURNING value`
	qPutFeed         = `INSERT INTO feed (zone, ref, seq, version, tombstone, cid)
		VALUES (?1, ?2, ?3, ?4, ?5, (SELECT id FROM complaints WHERE ref = ?2))
		ON CONFLICT (zone, ref) DO UPDATE SET seq = excluded.seq, version = excluded.version, tombstone = excluded.tombstone`
	qInsertOutbox = `INSERT INTO outbox (ref, channel, payload, next_attempt, created_at) VALUES (?, ?, ?, ?, ?)`
)

var writerQueries = []string{qInsertAudit, qInsertComplaint, qUpdateComplaint, qInsertIdem, qLookupIdem, qNextSeq, qPutFeed, qInsertOutbox}

func (s *Store) prepareWriter() error {
	s.stmts = make(map[string]*sql.Stmt, len(writerQueries))
	for _, q := range writerQueries {
		st, err := s.wdb.Prepare(q)
		if err != nil {
			s.closeStmts()
			return fmt.Errorf("prepare: %w", err)
		}
		s.stmts[q] = st
	}
	return nil
}

// stmt is a prepared statement of the writer inside tx: the writer has a
// single connection, so tx.Stmt reuses it instead of preparing it again
// for every request. (The map is written only before the writer starts.)
func (s *Store) stmt(tx *sql.Tx, query string) *sql.Stmt {
	return tx.Stmt(s.stmts[query])
}
