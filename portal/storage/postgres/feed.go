package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"guichet/portal/storage"
)

// FeedPage reads a page of zone's feed below the horizon: positions of
// transactions that have all ended (see the package documentation). The
// horizon is the xmin of the page query's own snapshot, so what the query
// reads below it is final; the page, its count and the check of the
// cursor against the database go in one round trip.
func (s *Store) FeedPage(ctx context.Context, zone, cursor string, limit int, count bool) (storage.FeedPage, error) {
	return storage.ReadFeedPage(ctx, s.cursors, s.feedQuery, zone, cursor, limit, count)
}

const (
	qFeedNext = `SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint`
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
)

func (s *Store) feedQuery(ctx context.Context, zone string, after int64, limit int, count bool, read func(storage.Rows) error) error {
	b := &pgx.Batch{}
	b.Queue(qFeedNext)
	q := qFeedPage
	if count {
		q = qFeedPageCount
	}
	b.Queue(q, zone, after, limit)
	res := s.pool.SendBatch(ctx, b)
	defer res.Close()
	var next int64
	if err := res.QueryRow().Scan(&next); err != nil {
		return err
	}
	if after>>20 >= next {
		// Ahead of every transaction of this database: a cursor of a
		// database restored from an older backup.
		return storage.ErrEpoch
	}
	rows, err := res.Query()
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := read(rows); err != nil {
		return err
	}
	rows.Close()
	return res.Close()
}
