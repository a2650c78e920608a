-- The initial schema. Never edit a migration that was released: add one.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;

-- One row: the global change sequence. Every change to a complaint takes the
-- next value inside its write transaction, so feed order is commit order.
CREATE TABLE change_seq (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value INTEGER NOT NULL
);
INSERT INTO change_seq (id, value) VALUES (1, 0);

CREATE TABLE complaints (
	ref         TEXT PRIMARY KEY,
	zone        TEXT NOT NULL,
	status      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	record      BLOB NOT NULL -- complaint.Record as JSON
) WITHOUT ROWID;
CREATE INDEX complaints_by_zone ON complaints (zone, status);

-- The feed of each zone: one row per (zone, complaint) with the change
-- sequence of its latest change there. A complaint that left the zone keeps
-- a tombstone row.
CREATE TABLE feed (
	zone      TEXT NOT NULL,
	ref       TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	version   INTEGER NOT NULL,
	tombstone INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (zone, ref)
) WITHOUT ROWID;
CREATE UNIQUE INDEX feed_by_seq ON feed (zone, seq);

CREATE TABLE officers (
	id         TEXT PRIMARY KEY,
	zone       TEXT NOT NULL,
	name       TEXT NOT NULL,
	token_hash BLOB NOT NULL UNIQUE, -- SHA-256 of the bearer token
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
) WITHOUT ROWID;

-- Idempotency records: the first outcome of a request, replayed for the
-- same key. scope is "intake" or "officer:<id>".
CREATE TABLE idempotency (
	scope        TEXT NOT NULL,
	key          TEXT NOT NULL,
	request_hash BLOB NOT NULL,
	status       INTEGER NOT NULL,
	response     BLOB NOT NULL,
	created_at   INTEGER NOT NULL,
	PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_by_age ON idempotency (created_at);

-- Append-only audit trail. origin is "portal" for the portal's own events
-- and the officer id for events posted by a workstation; (origin, id) makes
-- posting a batch twice store it once.
CREATE TABLE audit (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	origin      TEXT NOT NULL,
	id          TEXT NOT NULL,
	at          INTEGER NOT NULL,
	officer     TEXT NOT NULL,
	zone        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	ref         TEXT NOT NULL,
	field       TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	detail      TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	UNIQUE (origin, id)
);
CREATE INDEX audit_by_ref ON audit (ref);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;

-- Confirmations to citizens waiting to be sent (outbox), written in the
-- same transaction as the action that causes them.
CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	ref          TEXT NOT NULL,
	channel      TEXT NOT NULL,
	payload      BLOB NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER NOT NULL,
	sent_at      INTEGER,
	last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt);
