package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"guichet/complaint"
)

// migrations are applied in order; PRAGMA user_version counts how many a file
// has. Never edit a released migration: append a new one.
var migrations = []string{
	// 1: the cache.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- One row per complaint of the zone. The queue columns hold the EFFECTIVE
-- state (local overlay when actions are queued, else the server's) so the
-- queue shows what the officer did; server_json is the last server state.
CREATE TABLE complaints (
	id              INTEGER PRIMARY KEY,      -- also the rowid of complaints_fts
	reference       TEXT NOT NULL UNIQUE,
	version         INTEGER NOT NULL,         -- the server's version
	status          TEXT NOT NULL,
	status_rank     INTEGER NOT NULL,         -- queue order of status, for sorting
	received_at     INTEGER NOT NULL,         -- unix nanoseconds UTC
	updated_at      INTEGER NOT NULL,         -- server's, unix nanoseconds UTC (retention)
	fact_type       TEXT NOT NULL,
	municipality    TEXT NOT NULL,            -- place of the facts, as filed
	municipality_key TEXT NOT NULL,           -- folded (lower case, no accents) for sorting
	postal_code     TEXT NOT NULL,
	complainant     TEXT NOT NULL,            -- "First Last", for display
	complainant_key TEXT NOT NULL,            -- folded "last first", for sorting
	claimed_by_id   TEXT NOT NULL DEFAULT '',
	claimed_by_name TEXT NOT NULL DEFAULT '',
	pending         INTEGER NOT NULL DEFAULT 0, -- 1 while outbox rows exist for it
	seen            INTEGER NOT NULL DEFAULT 1, -- 0 = not yet seen by the running relist
	server_json     BLOB NOT NULL,
	local_json      BLOB                      -- effective record while pending, else NULL
) STRICT;

-- Keyset paging: one index per sort key ending in the unique reference, with
-- and without the status in front (tabs filter by status).
CREATE INDEX complaints_received     ON complaints(received_at, reference);
CREATE INDEX complaints_type         ON complaints(fact_type, reference);
CREATE INDEX complaints_municipality ON complaints(municipality_key, reference);
CREATE INDEX complaints_complainant  ON complaints(complainant_key, reference);
CREATE INDEX complaints_status       ON complaints(status_rank, reference);
CREATE INDEX complaints_s_received     ON complaints(status, received_at, reference);
CREATE INDEX complaints_s_type         ON complaints(status, fact_type, reference);
CREATE INDEX complaints_s_municipality ON complaints(status, municipality_key, reference);
CREATE INDEX complaints_s_complainant  ON complaints(status, complainant_key, reference);
CREATE INDEX complaints_s_reference    ON complaints(status, reference);
CREATE INDEX complaints_claimed ON complaints(claimed_by_id, status, received_at, reference);
CREATE INDEX complaints_retention ON complaints(status, updated_at) WHERE status IN ('handled','rejected','forwarded');
CREATE INDEX complaints_pending ON complaints(pending) WHERE pending = 1;
CREATE INDEX complaints_unseen ON complaints(seen) WHERE seen = 0;

-- Full-text search over names, places, descriptions and details. The
-- table keeps its text (it is compared before reindexing, so a status change
-- costs no index work). Removals of personal data (tombstone, purge, relist)
-- switch FTS5 secure-delete on for their deletes so no token is left in the
-- index segments; ordinary reindexing leaves it off (measured: secure-delete
-- costs ~10 ms per deleted row on a 100,000-row index).
CREATE VIRTUAL TABLE complaints_fts USING fts5(
	body,
	tokenize = 'unicode61 remove_diacritics 2'
);

-- Actions waiting for the portal, in the order the officer took them.
-- AUTOINCREMENT: an id is never reused, so a stale id held by the sync
-- engine can never name another action.
CREATE TABLE outbox (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	idem_key    TEXT NOT NULL UNIQUE,   -- Idempotency-Key, made once
	reference   TEXT NOT NULL,
	action_json BLOB NOT NULL,
	officer_id  TEXT NOT NULL,
	officer_name TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0,
	last_error  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_reference ON outbox(reference, id);

-- Actions the portal refused (409 or a final 4xx), for the officer to read.
CREATE TABLE conflicts (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	reference   TEXT NOT NULL,
	action_json BLOB NOT NULL,
	code        TEXT NOT NULL,
	message     TEXT NOT NULL,
	holder_id   TEXT NOT NULL DEFAULT '',
	holder_name TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT '',   -- the complaint's status on the portal then
	queued_at   INTEGER NOT NULL,
	at          INTEGER NOT NULL
) STRICT;

-- Audit events not yet acknowledged by the portal.
CREATE TABLE audit (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	id         TEXT NOT NULL UNIQUE,
	event_json BLOB NOT NULL
) STRICT;
`,
	// 2: how many complaints per (status, holder), kept by triggers in the
	// transaction that changes a complaint, so the tab counts read a few
	// rows instead of counting 100,000 index entries (7–14 ms) on every
	// refresh. Every write path (feed, actions, relist, purge) goes
	// through INSERT, UPDATE or DELETE on complaints, so none can forget
	// it. Rows at zero are kept (there are few (status, holder) pairs).
	`
CREATE TABLE status_counts (
	status        TEXT NOT NULL,
	claimed_by_id TEXT NOT NULL,
	n             INTEGER NOT NULL,
	PRIMARY KEY (status, claimed_by_id)
) STRICT, WITHOUT ROWID;
INSERT INTO status_counts(status, claimed_by_id, n)
	SELECT status, claimed_by_id, count(*) FROM complaints GROUP BY status, claimed_by_id;
CREATE TRIGGER complaints_count_insert AFTER INSERT ON complaints BEGIN
	INSERT INTO status_counts(status, claimed_by_id, n) VALUES (new.status, new.claimed_by_id, 1)
		ON CONFLICT(status, claimed_by_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER complaints_count_delete AFTER DELETE ON complaints BEGIN
	UPDATE status_counts SET n = n - 1 WHERE status = old.status AND claimed_by_id = old.claimed_by_id;
END;
CREATE TRIGGER complaints_count_update AFTER UPDATE OF status, claimed_by_id ON complaints
	WHEN old.status <> new.status OR old.claimed_by_id <> new.claimed_by_id BEGIN
	UPDATE status_counts SET n = n - 1 WHERE status = old.status AND claimed_by_id = old.claimed_by_id;
	INSERT INTO status_counts(status, claimed_by_id, n) VALUES (new.status, new.claimed_by_id, 1)
		ON CONFLICT(status, claimed_by_id) DO UPDATE SET n = n + 1;
END;
`,
	// 3: what the statistics screen groups by, as columns of the
	// effective record (filled by the writer; backfillStatsColumns fills
	// existing caches), so Stats reads indexes instead of decoding the JSON
	// of every complaint (3–7 s for 52 weeks of 100,000).
	`
ALTER TABLE complaints ADD COLUMN street TEXT NOT NULL DEFAULT '';  -- place of the facts
ALTER TABLE complaints ADD COLUMN handled_at INTEGER;  -- first history entry to handled, while handled (unix ns)
ALTER TABLE complaints ADD COLUMN closed_at INTEGER;   -- when a final complaint was closed (unix ns), else NULL
`,
	// 4: the statistics indexes (after the backfill of 3: building an
	// index once is cheaper than updating it row by row). Claims and
	// releases, the feed's most common changes, touch none of them.
	`
-- Complaints per type and week (range counts) and handling times.
CREATE INDEX complaints_stats ON complaints(fact_type, received_at, handled_at);
-- Top streets and municipalities of a period, grouped in index order.
CREATE INDEX complaints_places ON complaints(street, municipality_key, received_at, municipality);
-- Closures per week and before a period (the backlog).
CREATE INDEX complaints_closed ON complaints(closed_at) WHERE closed_at IS NOT NULL;
`,
	// 5: the records' JSON in a table of its own, so complaints holds only
	// the queue and statistics columns (about 170 bytes a row instead of
	// 2 kB): building an index, counting or filtering without an index
	// reads 20 MB instead of 240 on 100,000 complaints (measured: the ten
	// indexes a first sync builds at its end took 4 s, each a scan of the
	// whole table). Deleting a complaint deletes its JSON (trigger), so no
	// write path can leave personal data behind; secure_delete overwrites
	// the pages the moved JSON leaves.
	`
CREATE TABLE complaint_json (
	id          INTEGER PRIMARY KEY,   -- complaints.id
	server_json BLOB NOT NULL,         -- the last state the server sent
	local_json  BLOB                   -- effective record while pending, else NULL
) STRICT;
INSERT INTO complaint_json(id, server_json, local_json) SELECT id, server_json, local_json FROM complaints;
ALTER TABLE complaints DROP COLUMN server_json;
ALTER TABLE complaints DROP COLUMN local_json;
CREATE TRIGGER complaints_json_delete AFTER DELETE ON complaints BEGIN
	DELETE FROM complaint_json WHERE id = old.id;
END;
`,
	// 6: the search text gains the identifiers in the forms officers type
	// them (national number without separators, birth date as 30/07/1985,
	// phone as 0471…, identity card number) and the days of the facts
	// (searched as a range); the Go step rebuilds the index.
	`
-- Rebuilt by reindexSearchText.
SELECT 1;
`,
	// 7: the complaints this workstation forwarded, kept after the
	// portal's tombstone removes the complaint from the cache, so the
	// officer still sees where each went (ForwardsBy). Only what says which
	// complaint went where: no personal data. Triggers on the outbox and
	// the conflicts keep it, so no write path can forget it: a queued
	// forward adds a row, its delivery marks it confirmed, a refusal (the
	// complaint stays here) removes it.
	`
CREATE TABLE forwards (
	reference    TEXT PRIMARY KEY,
	to_zone      TEXT NOT NULL,
	officer_id   TEXT NOT NULL,
	fact_type    TEXT NOT NULL,
	municipality TEXT NOT NULL,
	received_at  INTEGER NOT NULL,   -- unix ns UTC
	forwarded_at INTEGER NOT NULL,   -- unix ns UTC, when the officer forwarded it
	confirmed    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX forwards_officer ON forwards(officer_id, forwarded_at);
CREATE TRIGGER outbox_forward_queued AFTER INSERT ON outbox
	WHEN json_extract(CAST(new.action_json AS TEXT), '$.type') = 'forward' BEGIN
	INSERT OR REPLACE INTO forwards(reference, to_zone, officer_id, fact_type, municipality, received_at, forwarded_at)
		SELECT reference, coalesce(json_extract(CAST(new.action_json AS TEXT), '$.to_zone'), ''), new.officer_id,
			fact_type, municipality, received_at, new.created_at
		FROM complaints WHERE reference = new.reference;
END;
CREATE TRIGGER outbox_forward_settled AFTER DELETE ON outbox
	WHEN json_extract(CAST(old.action_json AS TEXT), '$.type') = 'forward' BEGIN
	UPDATE forwards SET confirmed = 1 WHERE reference = old.reference;
END;
CREATE TRIGGER conflict_forward_refused AFTER INSERT ON conflicts
	WHEN json_extract(CAST(new.action_json AS TEXT), '$.type') = 'forward' BEGIN
	DELETE FROM forwards WHERE reference = new.reference;
END;
`,
	// 8: a smaller cache (measured on 100,000 demo complaints after a
	// first sync: 4.5 kB a complaint, 2.5× the records' JSON). The records
	// are stored compressed (record_codec.go; compressRecords), and the
	// full-text index keeps no copy of its text: its external content is
	// the view complaints_search, which makes each complaint's text from its
	// stored record with the Go function guichet_search_text (text.go).
	// Every complaint has one index row (a tombstone stub's is empty), so
	// SQLite can remove a row's tokens from the text the view gives, and
	// the writer from the text it reads before a record changes; secure
	// delete still leaves no token of a removed complaint behind.
	`
DROP TABLE complaints_fts;
CREATE VIEW complaints_search(id, body) AS
	SELECT id, guichet_search_text(coalesce(local_json, server_json)) FROM complaint_json;
CREATE VIRTUAL TABLE complaints_fts USING fts5(
	body,
	content = 'complaints_search',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
`,
}

// vacuumAfter are the migrations that free much of the file: the file is
// rewritten (VACUUM) once they ran, so it shrinks on disk.
var vacuumAfter = map[int]bool{8: true}

// migrationFills are Go steps of a migration (by its number, from 1), run
// in its transaction after its SQL: backfills that need the code that
// derives columns from a record.
var migrationFills = map[int]func(context.Context, *sql.Tx) error{
	3: backfillStatsColumns,
	6: reindexSearchText,
	8: compressRecords,
}

// compressRecords stores every cached record in the compressed form of
// encodeRecord, then builds the full-text index from the records.
func compressRecords(ctx context.Context, tx *sql.Tx) error {
	read, err := tx.PrepareContext(ctx, `SELECT id, server_json, local_json FROM complaint_json
		WHERE id > ? ORDER BY id LIMIT 1000`)
	if err != nil {
		return err
	}
	defer read.Close()
	write, err := tx.PrepareContext(ctx, `UPDATE complaint_json SET server_json = ?, local_json = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer write.Close()
	type stored struct {
		id     int64
		sj, lj []byte
	}
	batch := make([]stored, 0, 1000)
	for after := int64(0); ; {
		rows, err := read.QueryContext(ctx, after)
		if err != nil {
			return err
		}
		batch = batch[:0]
		for rows.Next() {
			var r stored
			if err := rows.Scan(&r.id, &r.sj, &r.lj); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for _, r := range batch {
			sj, err := recompress(r.sj)
			if err != nil {
				return fmt.Errorf("complaint %d: %w", r.id, err)
			}
			var lj []byte
			if r.lj != nil {
				if lj, err = recompress(r.lj); err != nil {
					return fmt.Errorf("complaint %d: %w", r.id, err)
				}
			}
			if _, err := write.ExecContext(ctx, sj, lj, r.id); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].id
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO complaints_fts(complaints_fts) VALUES('rebuild')`)
	return err
}

// recompress is the compressed form of a stored record.
func recompress(stored []byte) ([]byte, error) {
	js, err := recordJSON(stored)
	if err != nil {
		return nil, err
	}
	if !json.Valid(js) {
		return nil, errors.New("not a JSON record")
	}
	return compressJSON(js)
}

// reindexSearchText rebuilds the full-text index from every complaint's
// effective record with the current searchText. A complaint kept only as
// the stub of a tombstone (queued actions on a complaint that left the
// zone) stays out of it, as the writer keeps it. The new text holds the old
// text's personal data and more, so nothing is left behind that secure
// delete would have to erase.
func reindexSearchText(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM complaints_fts`); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.id, coalesce(j.local_json, j.server_json)
		FROM complaints c JOIN complaint_json j ON j.id = c.id`)
	if err != nil {
		return err
	}
	type indexed struct {
		id   int64
		body string
	}
	var all []indexed
	for rows.Next() {
		var id int64
		var js []byte
		if err := rows.Scan(&id, &js); err != nil {
			rows.Close()
			return err
		}
		var r complaint.Record
		if err := decodeRecord(js, &r); err != nil {
			rows.Close()
			return fmt.Errorf("decode complaint %d: %w", id, err)
		}
		if isTombstoneStub(&r) {
			continue
		}
		all = append(all, indexed{id, searchText(&r)})
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO complaints_fts(rowid, body) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, x := range all {
		if _, err := st.ExecContext(ctx, x.id, x.body); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the number of migrations this build knows.
func SchemaVersion() int { return len(migrations) }

func (s *Store) migrate(ctx context.Context) error {
	var have int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&have); err != nil {
		return fmt.Errorf("store: read schema version of %s: %w (is it a guichet cache?)", s.path, err)
	}
	if have > len(migrations) {
		return fmt.Errorf("store: cache %s has schema version %d, newer than this guichet (%d); update guichet",
			s.path, have, len(migrations))
	}
	for v := have; v < len(migrations); v++ {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return err
			}
			if fill := migrationFills[v+1]; fill != nil {
				if err := fill(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migration %d of %s: %w", v+1, s.path, err)
		}
	}
	for v := have; v < len(migrations) && have > 0; v++ {
		if vacuumAfter[v+1] {
			return s.vacuum(ctx)
		}
	}
	return nil
}

// vacuum rewrites the file without its free pages. The copy is made in a
// temporary file, not in memory (temp_store is memory for queries).
func (s *Store) vacuum(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: vacuum %s: %w", s.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA temp_store = FILE; VACUUM; PRAGMA temp_store = MEMORY`); err != nil {
		return fmt.Errorf("store: vacuum %s: %w", s.path, err)
	}
	return nil
}

// backfillStatsColumns fills street, handled_at and closed_at of every
// cached complaint from its effective record, with the code the writer uses
// (closure). It decodes only the fields it needs (a 100,000-complaint
// cache migrates in a few seconds, once).
func backfillStatsColumns(ctx context.Context, tx *sql.Tx) error {
	type filled struct {
		id              int64
		street          string
		handled, closed any
	}
	var view struct {
		Status complaint.Status `json:"status"`
		Facts  struct {
			Place struct {
				Street string `json:"street"`
			} `json:"place"`
		} `json:"facts"`
		History []complaint.StatusChange `json:"history"`
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, received_at, updated_at, coalesce(local_json, server_json) FROM complaints`)
	if err != nil {
		return err
	}
	var all []filled
	for rows.Next() {
		var id, received, updated int64
		var js []byte
		if err := rows.Scan(&id, &received, &updated, &js); err != nil {
			rows.Close()
			return err
		}
		view.Status, view.Facts.Place.Street, view.History = "", "", view.History[:0]
		if err := json.Unmarshal(js, &view); err != nil {
			rows.Close()
			return fmt.Errorf("decode complaint %d: %w", id, err)
		}
		handled, closed := closure(view.Status, view.History, received, updated)
		all = append(all, filled{id, view.Facts.Place.Street, nullable(handled), nullable(closed)})
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `UPDATE complaints SET street = ?, handled_at = ?, closed_at = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, f := range all {
		if f.street == "" && f.handled == nil && f.closed == nil {
			continue // the defaults
		}
		if _, err := st.ExecContext(ctx, f.street, f.handled, f.closed, f.id); err != nil {
			return err
		}
	}
	return nil
}
