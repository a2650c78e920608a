-- The portal's schema on PostgreSQL. Never edit a migration that was
-- released: add one. Times are milliseconds since the Unix epoch (bigint),
-- as in the SQLite schema, so that guichetd migrate copies them as they are.

CREATE TABLE meta (
	key   text PRIMARY KEY,
	value bytea NOT NULL
);

CREATE TABLE complaints (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ref         text NOT NULL UNIQUE,
	zone        text NOT NULL,
	status      text NOT NULL,
	version     bigint NOT NULL CHECK (version >= 1),
	received_at bigint NOT NULL,
	record      bytea NOT NULL -- complaint.Record as JSON, served as stored
);
CREATE INDEX complaints_by_zone ON complaints (zone, status);

-- The feed of each zone: one row per (zone, complaint), at the position of
-- its latest change there; a complaint that left the zone keeps a tombstone.
--
-- pos is (the writing transaction's xid8 << 20) | (the row's index in that
-- transaction). A reader takes only positions below the oldest transaction
-- still running (pg_snapshot_xmin of the current snapshot), so a
-- transaction that took its position early and commits late can never be
-- passed: everything below that horizon is final, everything written later
-- lands above it. See package postgres.
CREATE TABLE feed (
	zone      text NOT NULL,
	ref       text NOT NULL,
	pos       bigint NOT NULL,
	cid       bigint NOT NULL REFERENCES complaints (id),
	version   bigint NOT NULL,
	tombstone boolean NOT NULL DEFAULT false,
	PRIMARY KEY (zone, ref)
);
CREATE UNIQUE INDEX feed_by_pos ON feed (zone, pos);

CREATE TABLE officers (
	id         text PRIMARY KEY,
	zone       text NOT NULL,
	name       text NOT NULL,
	token_hash bytea NOT NULL UNIQUE, -- SHA-256 of the bearer token
	created_at bigint NOT NULL,
	revoked_at bigint
);

-- Idempotency records: the first answer of a request, replayed for the
-- same key. scope is "intake" or "officer:<id>".
CREATE TABLE idempotency (
	scope        text NOT NULL,
	key          text NOT NULL,
	request_hash bytea NOT NULL,
	status       integer NOT NULL,
	response     bytea NOT NULL,
	created_at   bigint NOT NULL,
	PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_by_age ON idempotency (created_at);

-- Append-only audit trail; (origin, id) makes a batch posted twice stored
-- once.
CREATE TABLE audit (
	seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	origin      text NOT NULL,
	id          text NOT NULL,
	at          bigint NOT NULL,
	officer     text NOT NULL,
	zone        text NOT NULL,
	kind        text NOT NULL,
	ref         text NOT NULL,
	field       text NOT NULL,
	outcome     text NOT NULL,
	detail      text NOT NULL,
	received_at bigint NOT NULL,
	claimed_at  bigint,
	UNIQUE (origin, id)
);
CREATE INDEX audit_by_ref ON audit (ref);
CREATE INDEX audit_by_zone ON audit (zone);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit trail is append-only';
END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- Confirmations to citizens (outbox), written in the transaction of the
-- change that causes them. A sender leases rows by moving next_attempt to
-- the end of its lease (FOR UPDATE SKIP LOCKED).
CREATE TABLE outbox (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ref          text NOT NULL,
	channel      text NOT NULL,
	payload      bytea NOT NULL,
	attempts     integer NOT NULL DEFAULT 0,
	next_attempt bigint NOT NULL,
	sent_at      bigint,
	failed_at    bigint,
	last_error   text NOT NULL DEFAULT '',
	replaces     bigint,
	created_at   bigint NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt, id) WHERE sent_at IS NULL AND failed_at IS NULL;
