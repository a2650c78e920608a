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

// Group commit. Each node's changes go through a few writer goroutines that
// take every change waiting and write them in one transaction, sent as one
// pipeline (BEGIN, one guichet_commit call per change, COMMIT: one round
// trip and one WAL flush for the group). A busy portal thus pays a round
// trip and an fsync per group rather than per request, as the SQLite store
// does; across nodes the transactions are ordinary ones, ordered by the
// database's row locks. A group that fails as a whole (a deadlock with
// another node's group, a lost connection) is written again change by
// change, each in a transaction of its own.

// maxGroup bounds the changes of one group; writers is how many groups a
// node has in flight at once (one builds while another waits for its
// commit).
const (
	maxGroup = 256
	writers  = 2
)

type commitOp struct {
	ctx  context.Context
	c    storage.Change
	done chan commitResult // buffered (1)
}

type commitResult struct {
	replay *storage.Idempotency
	err    error
}

func (s *Store) runWriter() {
	defer s.writersDone.Done()
	for op := range s.commits {
		group := []commitOp{op}
		keys := map[[2]string]bool{}
		if k := op.c.Idempotency; k != nil {
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
				if k := op.c.Idempotency; k != nil {
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
		replay, err := s.commitTx(op.ctx, s.pool, op.c, new(int))
		op.done <- commitResult{replay, err}
	}
}

// writeGroup sends BEGIN, the calls and COMMIT as one pipeline.
func (s *Store) writeGroup(group []commitOp) ([]commitResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	k := 0
	results := make([]commitResult, len(group))
	queued := make([]int, 0, len(group))
	for i, op := range group {
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
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	res := conn.SendBatch(ctx, b)
	if _, err := res.Exec(); err != nil {
		res.Close()
		return nil, err
	}
	for _, i := range queued {
		var o outcomeRow
		if err := res.QueryRow().Scan(&o.outcome, &o.hash, &o.status, &o.response, &o.created); err != nil {
			res.Close()
			rollback(conn)
			return nil, err
		}
		results[i].replay, results[i].err = o.result(group[i].c)
	}
	if _, err := res.Exec(); err != nil {
		res.Close()
		rollback(conn)
		return nil, fmt.Errorf("commit: %w", err)
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
	done := make(chan commitResult, 1)
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return nil, storage.ErrClosed
	}
	s.commits <- commitOp{ctx: ctx, c: c, done: done}
	s.closeMu.RUnlock()
	r := <-done
	return r.replay, r.err
}

var errUnknownOutcome = errors.New("postgres: unknown outcome of guichet_commit")
