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

// Commit writes c in one transaction. The idempotency record is written
// first: a concurrent request with the same key (on any node) waits on its
// primary key until this transaction ends, then finds it and replays it.
// Any refusal rolls the whole transaction back.
func (s *Store) Commit(ctx context.Context, c storage.Change) (*storage.Idempotency, error) {
	if err := checkChange(c); err != nil {
		return nil, err
	}
	var replay *storage.Idempotency
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		replay, err = s.commitTx(ctx, tx, c, new(int))
		if replay != nil {
			return errReplay
		}
		return err
	})
	if errors.Is(err, errReplay) {
		return replay, nil
	}
	return nil, err
}

// errReplay rolls back the transaction of a replayed request.
var errReplay = errors.New("replay")

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
				_, err := s.commitTx(ctx, tx, c, &k)
				if isRefusal(err) {
					// Refused before it wrote anything: the others go on.
					chunkErrs[i] = err
					continue
				}
				if err != nil {
					return err
				}
			}
			return nil
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

func isRefusal(err error) bool {
	return errors.Is(err, storage.ErrDuplicate) || errors.Is(err, storage.ErrVersion) || errors.Is(err, storage.ErrNotFound)
}

func checkChange(c storage.Change) error {
	if len(c.Feed) > 0 && c.Complaint == nil {
		return errors.New("postgres: a feed change needs the complaint it is about")
	}
	return nil
}

// commitTx writes c inside tx. k counts the feed rows this transaction
// wrote (their positions within it). A refusal (ErrDuplicate, ErrVersion,
// ErrNotFound) comes before the change wrote anything but its idempotency
// record.
func (s *Store) commitTx(ctx context.Context, tx pgx.Tx, c storage.Change, k *int) (*storage.Idempotency, error) {
	if idem := c.Idempotency; idem != nil {
		tag, err := tx.Exec(ctx, `INSERT INTO idempotency (scope, key, request_hash, status, response, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING`,
			idem.Scope, idem.Key, idem.RequestHash, idem.Status, idem.Response, ms(idem.CreatedAt))
		if err != nil {
			return nil, err
		}
		if tag.RowsAffected() == 0 {
			stored, err := lookupIdem(ctx, tx, idem.Scope, idem.Key)
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
	batch := &pgx.Batch{}
	if w := c.Complaint; w != nil {
		cid, err := writeComplaint(ctx, tx, w)
		if err != nil {
			return nil, err
		}
		rec := w.Record
		for _, f := range c.Feed {
			if *k >= 1<<20 {
				return nil, errors.New("postgres: more than 2^20 feed changes in one transaction")
			}
			batch.Queue(`INSERT INTO feed (zone, ref, pos, cid, version, tombstone)
				VALUES ($1, $2, (pg_current_xact_id()::text::bigint << 20) | $3, $4, $5, $6)
				ON CONFLICT (zone, ref) DO UPDATE SET pos = excluded.pos, cid = excluded.cid,
					version = excluded.version, tombstone = excluded.tombstone`,
				f.Zone, rec.Reference, int64(*k), cid, rec.Version, f.Tombstone)
			*k++
		}
	}
	for _, o := range c.Outbox {
		batch.Queue(`INSERT INTO outbox (ref, channel, payload, next_attempt, created_at) VALUES ($1, $2, $3, $4, $5)`,
			o.Reference, o.Channel, o.Payload, ms(o.Due), ms(o.Due))
	}
	queueAudit(batch, c.Audit)
	if batch.Len() == 0 {
		return nil, nil
	}
	return nil, tx.SendBatch(ctx, batch).Close()
}

// writeComplaint inserts a new complaint or replaces version Previous, and
// returns its row id.
func writeComplaint(ctx context.Context, tx pgx.Tx, w *storage.ComplaintWrite) (int64, error) {
	rec := w.Record
	if rec.Reference == "" || rec.Version < 1 {
		return 0, fmt.Errorf("postgres: complaint %q version %d cannot be stored", rec.Reference, rec.Version)
	}
	body, err := json.Marshal(rec)
	if err != nil {
		return 0, err
	}
	var id int64
	if w.Previous == 0 {
		err := tx.QueryRow(ctx, `INSERT INTO complaints (ref, zone, status, version, received_at, record)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ref) DO NOTHING RETURNING id`,
			rec.Reference, rec.Zone.Code, string(rec.Status), rec.Version, ms(rec.ReceivedAt), body).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, storage.ErrDuplicate
		}
		return id, err
	}
	// The row lock of the UPDATE orders concurrent changes of one
	// complaint; the loser re-reads the row after the winner's commit and
	// finds another version.
	err = tx.QueryRow(ctx, `UPDATE complaints SET zone = $1, status = $2, version = $3, record = $4
		WHERE ref = $5 AND version = $6 RETURNING id`,
		rec.Zone.Code, string(rec.Status), rec.Version, body, rec.Reference, w.Previous).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, err
	}
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM complaints WHERE ref = $1`, rec.Reference).Scan(&one); err != nil {
		return 0, notFound(err)
	}
	return 0, storage.ErrVersion
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func lookupIdem(ctx context.Context, q querier, scope, key string) (storage.Idempotency, error) {
	r := storage.Idempotency{Scope: scope, Key: key}
	var created int64
	err := q.QueryRow(ctx, `SELECT request_hash, status, response, created_at FROM idempotency WHERE scope = $1 AND key = $2`,
		scope, key).Scan(&r.RequestHash, &r.Status, &r.Response, &created)
	r.CreatedAt = fromMS(created)
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
