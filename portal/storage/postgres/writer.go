package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"guichet/portal/storage"
)

// Group commit. Each node's writes go through a few writer goroutines that
// take every write waiting and send them in one transaction, as one
// pipeline (BEGIN, the writes, COMMIT: one round trip and one WAL flush
// for the group). A write is a change or one statement of the outbox or
// the audit trail (a lease, a confirmation sent, the audit of reads), so a
// busy portal pays a round trip and an fsync per group rather than per
// request, as the SQLite store does, and the confirmation sender's writes
// do not queue for the WAL flush behind the requests'. The new complaints
// of a group are written by one statement for all of them
// (guichet_commit_new: one INSERT per table, whatever the group's size);
// every other change is one call of guichet_commit. Across nodes the
// transactions are ordinary ones, ordered by the database's row locks. A
// group that fails as a whole (a deadlock with another node's group, a
// lost connection) is written again write by write, each in a transaction
// of its own.

// maxGroup bounds the changes of one group; writers is how many groups a
// node has in flight at once: while one waits for its WAL flush, another
// runs on another server process. With the new complaints of a group
// written set by set (guichet_commit_new), the server's work per change
// falls as groups grow: two writers rather than four (whose groups were
// often of one change) cost the server about 0.3 ms of CPU per intake
// instead of 0.5 (BenchmarkIntakeHTTP, 50 clients, 2-core machine); one
// writer costs less still but leaves no group running while another
// flushes, and the confirmation sender's writes would queue behind every
// group.
const (
	maxGroup = 256
	writers  = 2
)

type commitOp struct {
	ctx context.Context
	c   storage.Change
	// stmt, when set, is what the op writes instead of a change.
	stmt *statement
	done chan commitResult // buffered (1)
}

// statement is a write of its own: one statement (several changes in
// data-modifying WITH clauses when they go together) and the reading of
// its rows into the op's value. scan answers storage errors the caller
// acts on (ErrNotFound); an error of the statement itself is in rows.Err.
type statement struct {
	sql  string
	args []any
	scan func(pgx.Rows) (any, error)
}

type commitResult struct {
	replay *storage.Idempotency
	val    any
	err    error
}

func (s *Store) runWriter() {
	defer s.writersDone.Done()
	for op := range s.commits {
		group := []commitOp{op}
		keys := map[[2]string]bool{}
		if k := op.c.Idempotency; k != nil && op.stmt == nil {
			keys[[2]string{k.Scope, k.Key}] = true
		}
		var held *commitOp
	drain:
		for len(group) < maxGroup {
			select {
			case op, ok := <-s.commits:
				if !ok {
					break drain
				}
				// Two requests with one key never share a group: the
				// second must see the first one's outcome, committed.
				if k := op.c.Idempotency; k != nil && op.stmt == nil {
					if keys[[2]string{k.Scope, k.Key}] {
						held = &op
						break drain
					}
					keys[[2]string{k.Scope, k.Key}] = true
				}
				group = append(group, op)
			default:
				break drain
			}
		}
		s.commitGroup(group)
		if held != nil {
			s.commitGroup([]commitOp{*held})
		}
	}
}

// commitGroup writes group in one transaction, or change by change when
// that fails.
func (s *Store) commitGroup(group []commitOp) {
	live := group[:0:0]
	for _, op := range group {
		if err := op.ctx.Err(); err != nil {
			op.done <- commitResult{err: err}
			continue
		}
		live = append(live, op)
	}
	if len(live) == 0 {
		return
	}
	if len(live) > 1 {
		results, err := s.writeGroup(live)
		if err == nil {
			for i, op := range live {
				op.done <- results[i]
			}
			return
		}
		s.log.Warn("group commit failed, writing its changes one by one", "err", err, "changes", len(live))
	}
	for _, op := range live {
		if op.stmt != nil {
			v, err := s.runStatement(op.ctx, op.stmt)
			op.done <- commitResult{val: v, err: err}
			continue
		}
		replay, err := s.commitTx(op.ctx, s.wpool, op.c, new(int))
		op.done <- commitResult{replay: replay, err: err}
	}
}

// runStatement runs st in a transaction of its own (one round trip).
func (s *Store) runStatement(ctx context.Context, st *statement) (any, error) {
	rows, err := s.wpool.Query(ctx, st.sql, st.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	v, err := st.scan(rows)
	rows.Close()
	if rows.Err() != nil {
		return nil, rows.Err()
	}
	return v, err
}

// writeGroup sends BEGIN, the group's writes and COMMIT as one pipeline.
// The new complaints of the group (citizens' intakes, most of a busy
// portal's changes) are written together by one call of
// guichet_commit_new, one statement per table for all of them; every
// other change is a call of guichet_commit, every other write its own
// statement. A change that is not written (a replay, a taken reference)
// changes nothing of the others: they are disjoint (distinct keys and
// references; a new complaint's reference is not known to anyone before
// its commit, so no other change of the group can be about it).
func (s *Store) writeGroup(group []commitOp) ([]commitResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	results := make([]commitResult, len(group))
	set := newComplaintSet{}
	rest := make([]int, 0, len(group))
	for i, op := range group {
		if op.stmt == nil && set.add(op.c, i) {
			continue
		}
		rest = append(rest, i)
	}
	k := 0
	if len(set.ops) > 0 {
		args, err := set.args()
		if err != nil {
			return nil, err
		}
		b.Queue(qCommitNew, args...)
		k = set.feedRows
	}
	queued := make([]int, 0, len(rest))
	for _, i := range rest {
		op := group[i]
		if op.stmt != nil {
			b.Queue(op.stmt.sql, op.stmt.args...)
			queued = append(queued, i)
			continue
		}
		if err := checkChange(op.c); err != nil {
			results[i].err = err
			continue
		}
		args, err := commitArgs(op.c, k)
		if err != nil {
			results[i].err = err
			continue
		}
		k += len(op.c.Feed)
		b.Queue(qCommit, args...)
		queued = append(queued, i)
	}
	b.Queue("COMMIT")
	conn, err := s.wpool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	res := conn.SendBatch(ctx, b)
	fail := func(err error) ([]commitResult, error) {
		res.Close()
		rollback(conn)
		return nil, err
	}
	if _, err := res.Exec(); err != nil {
		return fail(err)
	}
	if len(set.ops) > 0 {
		rows, err := res.Query()
		if err != nil {
			return fail(err)
		}
		err = set.read(rows, group, results)
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			return fail(err)
		}
	}
	for _, i := range queued {
		if st := group[i].stmt; st != nil {
			rows, err := res.Query()
			if err == nil {
				results[i].val, results[i].err = st.scan(rows)
				rows.Close()
				err = rows.Err()
			}
			if err != nil {
				return fail(err)
			}
			continue
		}
		var o outcomeRow
		if err := res.QueryRow().Scan(&o.outcome, &o.hash, &o.status, &o.response, &o.created); err != nil {
			return fail(err)
		}
		results[i].replay, results[i].err = o.result(group[i].c)
	}
	if _, err := res.Exec(); err != nil {
		return fail(fmt.Errorf("commit: %w", err))
	}
	if err := res.Close(); err != nil {
		rollback(conn)
		return nil, err
	}
	return results, nil
}

// rollback ends whatever transaction a failed pipeline left open on conn.
func rollback(conn interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn.Exec(ctx, "ROLLBACK")
}

// commit hands c to the node's writers and waits for its group's commit.
func (s *Store) commit(ctx context.Context, c storage.Change) (*storage.Idempotency, error) {
	r := s.submit(commitOp{ctx: ctx, c: c})
	return r.replay, r.err
}

// write hands st to the node's writers and waits for its group's commit.
func (s *Store) write(ctx context.Context, st *statement) (any, error) {
	r := s.submit(commitOp{ctx: ctx, stmt: st})
	return r.val, r.err
}

// writeAfterClose is write for runLater, which Close waits for before it
// stops the writers.
func (s *Store) writeAfterClose(ctx context.Context, st *statement) (any, error) {
	op := commitOp{ctx: ctx, stmt: st, done: make(chan commitResult, 1)}
	s.commits <- op
	r := <-op.done
	return r.val, r.err
}

func (s *Store) submit(op commitOp) commitResult {
	op.done = make(chan commitResult, 1)
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return commitResult{err: storage.ErrClosed}
	}
	s.commits <- op
	s.closeMu.RUnlock()
	return <-op.done
}

// countRows reads the count(*) a statement answers: ErrNotFound when 0
// (the row it was to change does not exist or was changed for good).
func countRows(rows pgx.Rows) (any, error) {
	var n int64
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		return n, storage.ErrNotFound
	}
	return n, nil
}

var errUnknownOutcome = errors.New("postgres: unknown outcome of guichet_commit")
