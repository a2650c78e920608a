package postgres

import (
	"context"

	"guichet/portal/storage"
)

// FeedPage reads a page of zone's feed below the horizon: positions of
// transactions that have all ended (see the package documentation).
func (s *Store) FeedPage(ctx context.Context, zone, cursor string, limit int, count bool) (storage.FeedPage, error) {
	after, err := s.cursors.Decode(zone, cursor)
	if err != nil {
		return storage.FeedPage{}, err
	}
	var horizon, next int64
	if err := s.pool.QueryRow(ctx, `SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint
		FROM pg_current_snapshot() AS s`).Scan(&horizon, &next); err != nil {
		return storage.FeedPage{}, err
	}
	if after>>20 >= next {
		// Ahead of every transaction of this database: a cursor of a
		// database restored from an older backup.
		return storage.FeedPage{}, storage.ErrEpoch
	}
	below := horizon << 20
	rows, err := s.pool.Query(ctx, `SELECT f.ref, f.pos, f.version, f.tombstone, c.record
		FROM feed f LEFT JOIN complaints c ON NOT f.tombstone AND c.id = f.cid
		WHERE f.zone = $1 AND f.pos > $2 AND f.pos < $3 ORDER BY f.pos LIMIT $4`, zone, after, below, limit+1)
	if err != nil {
		return storage.FeedPage{}, err
	}
	defer rows.Close()
	page := storage.FeedPage{Items: make([]storage.FeedItem, 0, min(limit, 64))}
	last := after
	for rows.Next() {
		if len(page.Items) == limit {
			page.More = true
			break
		}
		var it storage.FeedItem
		var pos int64
		var rec []byte
		if err := rows.Scan(&it.Reference, &pos, &it.Version, &it.Tombstone, &rec); err != nil {
			return storage.FeedPage{}, err
		}
		if !it.Tombstone {
			it.Record = rec
		}
		page.Items = append(page.Items, it)
		last = pos
	}
	if err := rows.Err(); err != nil {
		return storage.FeedPage{}, err
	}
	rows.Close()
	page.Cursor = s.cursors.Encode(zone, last)
	if count {
		var n int64
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM feed WHERE zone = $1 AND pos > $2 AND pos < $3`, zone, last, below).Scan(&n); err != nil {
			return storage.FeedPage{}, err
		}
		page.Remaining = &n
	}
	return page, nil
}
