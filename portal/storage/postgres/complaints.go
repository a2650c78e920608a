package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet/portal/storage"
)

// Complaint reads a complaint by reference.
func (s *Store) Complaint(ctx context.Context, ref string) (storage.Complaint, error) {
	var c storage.Complaint
	var raw []byte
	err := s.pool.QueryRow(ctx, `SELECT zone, version, record FROM complaints WHERE ref = $1`, ref).Scan(&c.Zone, &c.Version, &raw)
	c.JSON = raw
	return c, notFound(err)
}

// Commit writes c atomically with one call of guichet_commit, in the
// transaction of the node's next group (see writer.go). The idempotency
// record is written first: a concurrent request with the same key (on any
// node) waits on its primary key until this transaction ends, then replays
// it. A refusal writes nothing.
func (s *Store) Commit(ctx context.Context, c storage.Change) (*storage.Idempotency, error) {
	if err := checkChange(c); err != nil {
		return nil, err
	}
	return s.commit(ctx, c)
}

// commitAllChunk bounds the changes of one CommitAll transaction.
const commitAllChunk = 500

// CommitAll commits the changes in transactions of up to 500 changes, in
// order (the feed follows the slice). A refused change writes nothing and
// does not stop the others; a failure of the database fails the changes of
// its transaction.
func (s *Store) CommitAll(ctx context.Context, cs []storage.Change) []error {
	errs := make([]error, len(cs))
	for start := 0; start < len(cs); start += commitAllChunk {
		end := min(start+commitAllChunk, len(cs))
		chunkErrs := make([]error, end-start)
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			// One round trip for the chunk: every call queued at once,
			// each with the feed indices it may take.
			b := &pgx.Batch{}
			var queued []int
			k := 0
			for i, c := range cs[start:end] {
				if c.Idempotency != nil {
					chunkErrs[i] = errors.New("postgres: CommitAll takes no idempotency keys")
					continue
				}
				if err := checkChange(c); err != nil {
					chunkErrs[i] = err
					continue
				}
				args, err := commitArgs(c, k)
				if err != nil {
					chunkErrs[i] = err
					continue
				}
				k += len(c.Feed)
				b.Queue(qCommit, args...)
				queued = append(queued, i)
			}
			res := tx.SendBatch(ctx, b)
			defer res.Close()
			for _, i := range queued {
				var outcome string
				var hash, response []byte
				var status *int32
				var created *int64
				if err := res.QueryRow().Scan(&outcome, &hash, &status, &response, &created); err != nil {
					return err
				}
				switch outcome {
				case "ok":
				case "duplicate":
					chunkErrs[i] = storage.ErrDuplicate
				case "version":
					chunkErrs[i] = storage.ErrVersion
				case "not_found":
					chunkErrs[i] = storage.ErrNotFound
				default:
					return fmt.Errorf("postgres: guichet_commit answered %q", outcome)
				}
			}
			return res.Close()
		})
		if err != nil {
			for i := range chunkErrs {
				if chunkErrs[i] == nil {
					chunkErrs[i] = err
				}
			}
		}
		copy(errs[start:end], chunkErrs)
	}
	return errs
}

func checkChange(c storage.Change) error {
	if len(c.Feed) > 0 && c.Complaint == nil {
		return errors.New("postgres: a feed change needs the complaint it is about")
	}
	return nil
}

// commitTx writes c inside tx with one call of guichet_commit (one round
// trip). k counts the feed rows this transaction wrote (their positions
// within it). A refusal (ErrDuplicate, ErrVersion, ErrNotFound) leaves
// nothing of the change written; when the change had written its
// idempotency record, the database raised it and tx can only be rolled
// back.
func (s *Store) commitTx(ctx context.Context, tx querier, c storage.Change, k *int) (*storage.Idempotency, error) {
	args, err := commitArgs(c, *k)
	if err != nil {
		return nil, err
	}
	var o outcomeRow
	if err := tx.QueryRow(ctx, qCommit, args...).Scan(&o.outcome, &o.hash, &o.status, &o.response, &o.created); err != nil {
		return nil, err
	}
	replay, err := o.result(c)
	if err == nil {
		*k += len(c.Feed)
	}
	return replay, err
}

// outcomeRow is what guichet_commit answers.
type outcomeRow struct {
	outcome        string
	hash, response []byte
	status         *int32
	created        *int64
}

// result is the outcome for the change c.
func (o outcomeRow) result(c storage.Change) (*storage.Idempotency, error) {
	switch o.outcome {
	case "ok":
		return nil, nil
	case "replay":
		if !bytes.Equal(o.hash, c.Idempotency.RequestHash) {
			return nil, storage.ErrConflict
		}
		stored := storage.Idempotency{Scope: c.Idempotency.Scope, Key: c.Idempotency.Key, RequestHash: o.hash, Response: o.response}
		if o.status != nil {
			stored.Status = int(*o.status)
		}
		if o.created != nil {
			stored.CreatedAt = storage.FromMS(*o.created)
		}
		return &stored, nil
	case "duplicate":
		return nil, storage.ErrDuplicate
	case "version":
		return nil, storage.ErrVersion
	case "not_found":
		return nil, storage.ErrNotFound
	}
	return nil, fmt.Errorf("%w: %q", errUnknownOutcome, o.outcome)
}

const qCommit = `SELECT outcome, r_hash, r_status, r_response, r_created FROM guichet_commit(
	$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
	$17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)`

// commitArgs are guichet_commit's arguments for c.
func commitArgs(c storage.Change, k int) ([]any, error) {
	if k+len(c.Feed) > 1<<20 {
		return nil, errors.New("postgres: more than 2^20 feed changes in one transaction")
	}
	args := make([]any, 0, 32)
	if i := c.Idempotency; i != nil {
		args = append(args, i.Scope, i.Key, i.RequestHash, int32(i.Status), i.Response, ms(i.CreatedAt))
	} else {
		args = append(args, nil, nil, nil, nil, nil, nil)
	}
	if w := c.Complaint; w != nil {
		rec := w.Record
		if rec.Reference == "" || rec.Version < 1 {
			return nil, fmt.Errorf("postgres: complaint %q version %d cannot be stored", rec.Reference, rec.Version)
		}
		body, err := json.Marshal(rec)
		if err != nil {
			return nil, err
		}
		args = append(args, rec.Reference, rec.Zone.Code, string(rec.Status), rec.Version, ms(rec.ReceivedAt), body, w.Previous)
	} else {
		args = append(args, nil, nil, nil, nil, nil, nil, nil)
	}
	zones, tombs := make([]string, len(c.Feed)), make([]bool, len(c.Feed))
	for i, f := range c.Feed {
		zones[i], tombs[i] = f.Zone, f.Tombstone
	}
	args = append(args, zones, tombs, int64(k))
	n := len(c.Outbox)
	refs, channels, payloads, due := make([]string, n), make([]string, n), make([][]byte, n), make([]int64, n)
	for i, o := range c.Outbox {
		refs[i], channels[i], payloads[i], due[i] = o.Reference, o.Channel, o.Payload, ms(o.Due)
	}
	args = append(args, refs, channels, payloads, due)
	return append(args, auditArrays(c.Audit)...), nil
}

// auditArrays are the audit events as the twelve column arrays
// guichet_commit takes.
func auditArrays(events []storage.AuditRecord) []any {
	n := len(events)
	origin, id, officer, zone, kind, ref, field, outcome, detail := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	at, recv, claimed := make([]int64, n), make([]int64, n), make([]*int64, n)
	for i, e := range events {
		origin[i], id[i], at[i], officer[i], zone[i], kind[i], ref[i] = e.Origin, e.ID, ms(e.At), e.Officer, e.Zone, e.Kind, e.Reference
		field[i], outcome[i], detail[i], recv[i], claimed[i] = e.Field, e.Outcome, e.Detail, ms(e.ReceivedAt), nullMS(e.ClaimedAt)
	}
	return []any{origin, id, at, officer, zone, kind, ref, field, outcome, detail, recv, claimed}
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func lookupIdem(ctx context.Context, q querier, scope, key string) (storage.Idempotency, error) {
	r := storage.Idempotency{Scope: scope, Key: key}
	var created int64
	err := q.QueryRow(ctx, `SELECT request_hash, status, response, created_at FROM idempotency WHERE scope = $1 AND key = $2`,
		scope, key).Scan(&r.RequestHash, &r.Status, &r.Response, &created)
	r.CreatedAt = storage.FromMS(created)
	return r, notFound(err)
}

// Idempotency reads a stored answer.
func (s *Store) Idempotency(ctx context.Context, scope, key string) (storage.Idempotency, error) {
	return lookupIdem(ctx, s.pool, scope, key)
}

// PurgeIdempotency deletes the records created before cutoff.
func (s *Store) PurgeIdempotency(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM idempotency WHERE created_at < $1`, ms(cutoff))
	return tag.RowsAffected(), err
}
