package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"guichet/portal/storage"
)

// writeOp is one unit of work for the writer goroutine: either fn, run
// inside its own savepoint of the shared transaction (if it returns an
// error its changes are rolled back and the error is its result), or audit
// rows alone, inserted with every other op's audit rows of the batch under
// one savepoint (they cannot conflict with anything: an event stored
// already is skipped). done receives the result only after the shared
// commit.
type writeOp struct {
	fn    func(tx *sql.Tx) (any, error)
	audit []storage.AuditRecord
	done  chan writeResult // buffered (1); nil for fire-and-forget
}

type writeResult struct {
	val any
	err error
}

// maxBatch bounds how many requests share one commit.
const maxBatch = 512

// runWriter is the single writer: it takes every pending op, runs them in
// one transaction and commits once (group commit). Audit rows a caller
// waits for (AppendAudit: a workstation's batch, a refused
// authentication's; the record of a consultation has a journal of its
// own, consultationJournal) come on a channel of their own, s.audits, and
// go first: those pending when a batch starts are committed on their own
// (a few rows: a short commit) before the writes pending with them run, and
// those that arrive while a batch runs join its commit (commitBatch). A
// consultation thus waits for the commit in flight and one small one, not
// for the next group of hundreds of intakes as well. After an audit-only
// commit the next batch takes the pending writes, so a stream of readers
// cannot hold the intakes back for longer than one small commit each.
func (s *Store) runWriter() {
	defer close(s.writerDone)
	defer close(s.committed)
	writes, audits := s.writes, s.audits
	auditFirst := true
	for writes != nil || audits != nil {
		var batch []writeOp
		if auditFirst && audits != nil && len(audits) > 0 && len(writes) > 0 {
			batch = takePending(audits, nil, maxBatch)
			auditFirst = false
		} else {
			select {
			case op, ok := <-writes:
				if !ok {
					writes = nil
					continue
				}
				batch = append(batch, op)
			case op, ok := <-audits:
				if !ok {
					audits = nil
					continue
				}
				batch = append(batch, op)
			}
			batch = takePending(writes, batch, maxBatch)
			auditFirst = true
		}
		s.commitBatch(batch, audits)
		if s.afterCommit != nil {
			s.afterCommit()
		}
		select { // wake the checkpointer
		case s.committed <- struct{}{}:
		default:
		}
	}
}

// takePending appends the ops waiting on ch, without waiting, until batch
// holds limit.
func takePending(ch <-chan writeOp, batch []writeOp, limit int) []writeOp {
	for len(batch) < limit {
		select {
		case op, ok := <-ch:
			if !ok {
				return batch
			}
			batch = append(batch, op)
		default:
			return batch
		}
	}
	return batch
}

// commitBatch runs batch in one transaction and commits it. Just before
// the commit it takes the audit rows waiting on audits as well: a reader
// whose consultation's record arrived while the batch ran gets its answer
// with this commit instead of the next one.
func (s *Store) commitBatch(batch []writeOp, audits <-chan writeOp) {
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
	results := make([]writeResult, len(batch))
	for i, op := range batch {
		if op.fn == nil {
			continue
		}
		results[i] = s.runInSavepoint(tx, op.fn)
		if op.done == nil && results[i].err != nil {
			s.log.Error("write nobody waited for failed", "err", results[i].err)
		}
	}
	if audits != nil {
		batch = takePending(audits, batch, len(batch)+maxBatch)
		results = append(results, make([]writeResult, len(batch)-len(results))...)
	}
	audit := false
	for _, op := range batch {
		audit = audit || op.fn == nil
	}
	if audit {
		// Every audit row of the batch under one savepoint: an event
		// stored already is skipped, so only a failing database fails
		// them, all together.
		added := make([]int, len(batch))
		r := s.runInSavepoint(tx, func(tx *sql.Tx) (any, error) {
			for i, op := range batch {
				if op.fn == nil {
					n, err := s.insertAuditCount(tx, op.audit)
					if err != nil {
						return nil, err
					}
					added[i] = n
				}
			}
			return nil, nil
		})
		for i, op := range batch {
			if op.fn == nil {
				results[i] = writeResult{val: added[i], err: r.err}
				if op.done == nil && r.err != nil {
					s.log.Error("audit nobody waited for failed", "err", r.err, "events", len(op.audit))
				}
			}
		}
	}
	if s.seq != s.seqStored {
		if _, err := s.stmt(tx, qStoreSeq).Exec(s.seq); err != nil {
			tx.Rollback()
			fail(fmt.Errorf("store the feed sequence: %w", err))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		tx.Rollback()
		s.log.Error("commit failed", "err", err, "batch", len(batch))
		fail(fmt.Errorf("commit: %w", err))
		return
	}
	s.seqStored = s.seq
	// Readers waiting for their consultation's record first: each answer
	// wakes a goroutine, and on a busy machine those woken last wait
	// longest for a core.
	for _, auditFirst := range []bool{true, false} {
		for i, op := range batch {
			if op.done != nil && (op.fn == nil) == auditFirst {
				op.done <- results[i]
			}
		}
	}
}

// runInSavepoint runs fn in a savepoint of tx, with the writer's prepared
// SAVEPOINT, RELEASE and ROLLBACK TO statements (a statement parsed anew
// for each of thousands of requests a second is writer time lost).
func (s *Store) runInSavepoint(tx *sql.Tx, fn func(tx *sql.Tx) (any, error)) (res writeResult) {
	if _, err := s.stmt(tx, qSavepoint).Exec(); err != nil {
		return writeResult{err: err}
	}
	undo := func() {
		s.stmt(tx, qRollbackTo).Exec()
		s.stmt(tx, qRelease).Exec()
	}
	defer func() {
		if p := recover(); p != nil {
			res = writeResult{err: fmt.Errorf("panic in write: %v", p)}
			undo()
		}
	}()
	val, err := fn(tx)
	if err != nil {
		undo()
		return writeResult{err: err}
	}
	if _, err := s.stmt(tx, qRelease).Exec(); err != nil {
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

func (s *Store) submit(ctx context.Context, op writeOp) error {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return storage.ErrClosed
	}
	ch := s.writes
	if op.fn == nil && op.done != nil { // a reader waits for it: see runWriter
		ch = s.audits
	}
	select {
	case ch <- op:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// send queues op for the writer without the check of submit: the
// consultation journal's, which Close waits for before it closes the
// writer's queue.
func (s *Store) send(op writeOp) {
	s.writes <- op
}

// The writer's statements, prepared once when the database opens.
const (
	qInsertAudit = `INSERT INTO audit (origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (origin, id) DO NOTHING`
	qInsertComplaint = `INSERT INTO complaints (ref, zone, status, version, received_at, record) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (ref) DO NOTHING`
	qUpdateComplaint = `UPDATE complaints SET zone = ?, status = ?, version = ?, record = ? WHERE ref = ? AND version = ?`
	qInsertIdem      = `INSERT INTO idempotency (scope, key, request_hash, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (scope, key) DO NOTHING`
	qLookupIdem = `SELECT request_hash, status, response, created_at FROM idempotency WHERE scope = ? AND key = ?`
	qStoreSeq   = `UPDATE change_seq SET value = ? WHERE id = 1`
	qPutFeed    = `INSERT INTO feed (zone, ref, seq, version, tombstone, cid)
		VALUES (?1, ?2, ?3, ?4, ?5, (SELECT id FROM complaints WHERE ref = ?2))
		ON CONFLICT (zone, ref) DO UPDATE SET seq = excluded.seq, version = excluded.version, tombstone = excluded.tombstone`
	qInsertOutbox = `INSERT INTO outbox (ref, channel, payload, next_attempt, created_at) VALUES (?, ?, ?, ?, ?)`
	qSavepoint    = `SAVEPOINT op`
	qRelease      = `RELEASE op`
	qRollbackTo   = `ROLLBACK TO op`
)

var writerQueries = []string{qInsertAudit, qInsertComplaint, qUpdateComplaint, qInsertIdem, qLookupIdem, qStoreSeq, qPutFeed, qInsertOutbox,
	qSavepoint, qRelease, qRollbackTo}

func (s *Store) prepareWriter() error {
	s.stmts = make(map[string]*sql.Stmt, len(writerQueries))
	s.txStmts = make(map[string]*sql.Stmt, len(writerQueries))
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
// for every request, and each is bound to tx once per transaction. (The
// writer goroutine alone uses it; s.stmts is written only before the
// writer starts.)
func (s *Store) stmt(tx *sql.Tx, query string) *sql.Stmt {
	if s.txStmtsOf != tx {
		// s.txStmtsOf keeps the last transaction alive: a new one never
		// has its address.
		s.txStmtsOf = tx
		clear(s.txStmts)
	}
	st, ok := s.txStmts[query]
	if !ok {
		st = tx.Stmt(s.stmts[query])
		s.txStmts[query] = st
	}
	return st
}

// checkpointEvery is the least time between two checkpoints.
const checkpointEvery = 250 * time.Millisecond

// runCheckpointer copies the write-ahead log into the database file a
// moment after commits, on its own connection: a passive checkpoint takes
// no lock the writer or the readers wait for. Left to SQLite, the commit
// that passes 1,000 pages of log copies them and syncs the file itself,
// and every request of the next batch waits for it.
func (s *Store) runCheckpointer() {
	defer close(s.checkpointerDone)
	for range s.committed {
		if _, err := s.ckdb.Exec(`PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
			s.log.Error("checkpoint", "err", err)
		}
		select {
		case <-time.After(checkpointEvery):
		case <-s.writerDone:
			return
		}
	}
}
