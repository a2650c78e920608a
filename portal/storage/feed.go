package storage

import "context"

// FeedQuery runs a store's query of one page of a zone's feed: the changes
// of zone after position after, by position, at most limit, as rows of
// (reference, position, version, tombstone, record or NULL for a
// tombstone, total), where total is, when count is set, how many changes
// of the zone follow position after (0 otherwise), read in the same
// snapshot as the rows. It gives the rows to read and closes them; it may
// read again (a newer snapshot), each read starting the page over. A
// position ahead of the database (a cursor of a database restored from an
// older backup) is ErrEpoch.
type FeedQuery func(ctx context.Context, zone string, after int64, limit int, count bool, read func(Rows) error) error

// ReadFeedPage is FeedPage for every store: it decodes the cursor, runs q
// for one item more than limit (to know whether more follow), builds the
// items and the cursor after the last one.
func ReadFeedPage(ctx context.Context, cursors Cursors, q FeedQuery, zone, cursor string, limit int, count bool) (FeedPage, error) {
	after, err := cursors.Decode(zone, cursor)
	if err != nil {
		return FeedPage{}, err
	}
	page := FeedPage{Items: make([]FeedItem, 0, min(limit, 64))}
	last := after
	var total int64
	err = q(ctx, zone, after, limit+1, count, func(rows Rows) error {
		page.Items, page.More, last, total = page.Items[:0], false, after, 0
		for rows.Next() {
			var it FeedItem
			var pos int64
			var rec []byte
			if err := rows.Scan(&it.Reference, &pos, &it.Version, &it.Tombstone, &rec, &total); err != nil {
				return err
			}
			if len(page.Items) == limit {
				page.More = true
				continue
			}
			if !it.Tombstone {
				it.Record = rec
			}
			page.Items = append(page.Items, it)
			last = pos
		}
		return rows.Err()
	})
	if err != nil {
		return FeedPage{}, err
	}
	page.Cursor = cursors.Encode(zone, last)
	if count {
		n := max(total-int64(len(page.Items)), 0)
		page.Remaining = &n
	}
	return page, nil
}
