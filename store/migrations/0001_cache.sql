-- The cache.
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
