-- A feed page of 500 read from few pages. Readers start cold after
-- every commit (SQLite drops a reader's page cache when the WAL has
-- changed), so the page count of a feed page is its cost.
-- - complaints becomes a rowid table: a record (~2 kB) is kept in its
--   leaf page instead of spilling to an overflow page as in a WITHOUT
--   ROWID b-tree, and complaints filed one after another sit in
--   neighbouring pages, as they do in the feed.
-- - feed is keyed by (zone, seq), so a page is one range of its b-tree,
--   and carries the complaint's rowid, so the join needs no ref lookup.
CREATE TABLE complaints_v2 (
	id          INTEGER PRIMARY KEY,
	ref         TEXT NOT NULL UNIQUE,
	zone        TEXT NOT NULL,
	status      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	record      BLOB NOT NULL -- complaint.Record as JSON
);
INSERT INTO complaints_v2 (ref, zone, status, version, received_at, record)
	SELECT c.ref, c.zone, c.status, c.version, c.received_at, c.record
	FROM complaints c LEFT JOIN feed f ON f.zone = c.zone AND f.ref = c.ref
	ORDER BY f.seq, c.received_at;
DROP TABLE complaints;
ALTER TABLE complaints_v2 RENAME TO complaints;
CREATE INDEX complaints_by_zone ON complaints (zone, status);

CREATE TABLE feed_v2 (
	zone      TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	ref       TEXT NOT NULL,
	cid       INTEGER, -- complaints.id
	version   INTEGER NOT NULL,
	tombstone INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (zone, seq)
) WITHOUT ROWID;
INSERT INTO feed_v2 (zone, seq, ref, cid, version, tombstone)
	SELECT f.zone, f.seq, f.ref, c.id, f.version, f.tombstone
	FROM feed f LEFT JOIN complaints c ON c.ref = f.ref;
DROP TABLE feed;
ALTER TABLE feed_v2 RENAME TO feed;
CREATE UNIQUE INDEX feed_by_ref ON feed (zone, ref);
