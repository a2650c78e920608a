package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet/portal/storage"
)

// FeedPage reads a page of zone's feed below the horizon: positions of
// transactions that have all ended (see the package documentation). The
// page, its count and the horizon are read in one snapshot (a read-only
// repeatable-read transaction, sent with the queries in one round trip),
// so what the page holds below the horizon is final.
//
// A change committed before the read but above the horizon (an older
// transaction, of this portal or of another user of the cluster, was
// still writing) is not skipped, only held back; a reader at the end of
// the feed would not see it yet, though its writer (an officer who just
// claimed, on this node or another) has had its answer. So when the page
// is not full and the zone has committed changes held back, FeedPage
// waits for the transactions that were running to end (at most
// feedCatchUp) and reads again, once: a change committed before a read
// began is in that read.
func (s *Store) FeedPage(ctx context.Context, zone, cursor string, limit int, count bool) (storage.FeedPage, error) {
	return storage.ReadFeedPage(ctx, s.cursors, s.feedQuery, zone, cursor, limit, count)
}

// feedCatchUp bounds the wait for older transactions to end.
const feedCatchUp = time.Second

const (
	// qFeedSnapshot: the horizon, the next transaction id, and whether
	// the zone has committed changes above the horizon: whether its
	// latest position is above it, one step down the end of feed_by_pos.
	// (EXISTS over the positions above the horizon was planned as a scan
	// of the whole feed table, which on a caught-up zone finds no such
	// row after reading every one: TestFeedReadTouchesFewPages.)
	qFeedSnapshot = `SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint,
			coalesce((SELECT max(pos) FROM feed WHERE zone = $1), 0) >= pg_snapshot_xmin(s)::text::bigint << 20
		FROM pg_current_snapshot() AS s`
	qFeedPage = `SELECT f.ref, f.pos, f.version, f.tombstone, c.record, 0::bigint
		FROM feed f LEFT JOIN complaints c ON NOT f.tombstone AND c.id = f.cid
		WHERE f.zone = $1 AND f.pos > $2 AND f.pos < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)
		ORDER BY f.pos LIMIT $3`
	qFeedPageCount = `SELECT f.ref, f.pos, f.version, f.tombstone, c.record,
			(SELECT count(*) FROM feed WHERE zone = $1 AND pos > $2
				AND pos < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20))
		FROM feed f LEFT JOIN complaints c ON NOT f.tombstone AND c.id = f.cid
		WHERE f.zone = $1 AND f.pos > $2 AND f.pos < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)
		ORDER BY f.pos LIMIT $3`
	qHorizon = `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint`
)

func (s *Store) feedQuery(ctx context.Context, zone string, after int64, limit int, count bool, read func(storage.Rows) error) error {
	held, full, next, err := s.readFeed(ctx, zone, after, limit, count, read)
	if err != nil || !held || full {
		return err
	}
	// Wait until every transaction that was running has ended, then read
	// once more: every change committed before the first read is below
	// the horizon now. What the second read holds back was committed
	// after the first began (a newer group of this node or another, which
	// on a busy portal follow one another without pause): the next read
	// gets it.
	deadline := time.Now().Add(feedCatchUp)
	for {
		var horizon int64
		if err := s.pool.QueryRow(ctx, qHorizon).Scan(&horizon); err != nil {
			return err
		}
		if horizon >= next {
			break
		}
		if time.Now().After(deadline) {
			return nil // the page read stands: nothing skipped, only late
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
	_, _, _, err = s.readFeed(ctx, zone, after, limit, count, read)
	return err
}

// readFeed reads the page once. held: the zone has committed changes
// above the horizon; full: the page has limit rows; next: the next
// transaction id of the snapshot.
func (s *Store) readFeed(ctx context.Context, zone string, after int64, limit int, count bool, read func(storage.Rows) error) (held, full bool, next int64, err error) {
	b := &pgx.Batch{}
	b.Queue(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`)
	b.Queue(qFeedSnapshot, zone)
	q := qFeedPage
	if count {
		q = qFeedPageCount
	}
	b.Queue(q, zone, after, limit)
	b.Queue(`COMMIT`)
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, false, 0, err
	}
	defer conn.Release()
	res := conn.SendBatch(ctx, b)
	defer func() {
		if cerr := res.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			rollback(conn)
		}
	}()
	if _, err := res.Exec(); err != nil {
		return false, false, 0, err
	}
	var horizon int64
	if err := res.QueryRow().Scan(&horizon, &next, &held); err != nil {
		return false, false, 0, err
	}
	if after>>20 >= next {
		// Ahead of every transaction of this database: a cursor of a
		// database restored from an older backup.
		return false, false, 0, storage.ErrEpoch
	}
	rows, err := res.Query()
	if err != nil {
		return false, false, 0, err
	}
	counted := &countedRows{Rows: rows}
	err = read(counted)
	rows.Close()
	if err != nil {
		return false, false, 0, err
	}
	if err := rows.Err(); err != nil {
		return false, false, 0, err
	}
	if _, err := res.Exec(); err != nil {
		return false, false, 0, err
	}
	return held, counted.n >= limit, next, nil
}

// countedRows counts the rows read.
type countedRows struct {
	pgx.Rows
	n int
}

func (r *countedRows) Next() bool {
	if r.Rows.Next() {
		r.n++
		return true
	}
	return false
}
