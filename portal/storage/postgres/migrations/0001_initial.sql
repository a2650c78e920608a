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

-- guichet_commit writes one change (storage.Change) in one call: the
-- idempotency record first (a concurrent request with the same key waits
-- for this one and then replays it), the complaint (new, or replacing
-- version c_previous), its feed rows, confirmations and audit events. A
-- refusal (outcome duplicate, version or not_found) leaves nothing of the
-- change written: its idempotency record, written first, is deleted again.
-- Several calls may share one transaction (the store's group commit);
-- f_first is the index in the transaction of the change's first feed row.
CREATE FUNCTION guichet_commit(
	i_scope text, i_key text, i_hash bytea, i_status integer, i_response bytea, i_created bigint,
	c_ref text, c_zone text, c_status text, c_version bigint, c_received bigint, c_record bytea, c_previous bigint,
	f_zones text[], f_tombstones boolean[], f_first bigint,
	o_refs text[], o_channels text[], o_payloads bytea[], o_due bigint[],
	a_origin text[], a_id text[], a_at bigint[], a_officer text[], a_zone text[], a_kind text[], a_ref text[],
	a_field text[], a_outcome text[], a_detail text[], a_received bigint[], a_claimed bigint[]
) RETURNS TABLE (outcome text, r_hash bytea, r_status integer, r_response bytea, r_created bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_cid bigint;
	owned boolean := false;
	refusal text;
BEGIN
	IF i_scope IS NOT NULL THEN
		INSERT INTO idempotency (scope, key, request_hash, status, response, created_at)
			VALUES (i_scope, i_key, i_hash, i_status, i_response, i_created)
			ON CONFLICT (scope, key) DO NOTHING;
		IF NOT FOUND THEN
			RETURN QUERY SELECT 'replay'::text, d.request_hash, d.status, d.response, d.created_at
				FROM idempotency d WHERE d.scope = i_scope AND d.key = i_key;
			RETURN;
		END IF;
		owned := true;
	END IF;
	IF c_ref IS NOT NULL THEN
		IF c_previous = 0 THEN
			INSERT INTO complaints (ref, zone, status, version, received_at, record)
				VALUES (c_ref, c_zone, c_status, c_version, c_received, c_record)
				ON CONFLICT (ref) DO NOTHING RETURNING id INTO v_cid;
			IF v_cid IS NULL THEN
				refusal := 'duplicate';
			END IF;
		ELSE
			-- The row lock orders concurrent changes of one complaint; the
			-- loser re-reads the row after the winner's commit.
			UPDATE complaints SET zone = c_zone, status = c_status, version = c_version, record = c_record
				WHERE ref = c_ref AND version = c_previous RETURNING id INTO v_cid;
			IF v_cid IS NULL THEN
				refusal := CASE WHEN EXISTS (SELECT 1 FROM complaints WHERE ref = c_ref) THEN 'version' ELSE 'not_found' END;
			END IF;
		END IF;
		IF refusal IS NOT NULL THEN
			IF owned THEN
				DELETE FROM idempotency WHERE scope = i_scope AND key = i_key;
			END IF;
			RETURN QUERY SELECT refusal, NULL::bytea, NULL::integer, NULL::bytea, NULL::bigint;
			RETURN;
		END IF;
		INSERT INTO feed (zone, ref, pos, cid, version, tombstone)
			SELECT u.z, c_ref, (pg_current_xact_id()::text::bigint << 20) | (f_first + u.n - 1), v_cid, c_version, u.t
			FROM unnest(f_zones, f_tombstones) WITH ORDINALITY AS u (z, t, n)
			ON CONFLICT (zone, ref) DO UPDATE SET pos = excluded.pos, cid = excluded.cid,
				version = excluded.version, tombstone = excluded.tombstone;
	END IF;
	INSERT INTO outbox (ref, channel, payload, next_attempt, created_at)
		SELECT u.r, u.c, u.p, u.d, u.d FROM unnest(o_refs, o_channels, o_payloads, o_due) AS u (r, c, p, d);
	INSERT INTO audit (origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at)
		SELECT * FROM unnest(a_origin, a_id, a_at, a_officer, a_zone, a_kind, a_ref, a_field, a_outcome, a_detail, a_received, a_claimed)
		ON CONFLICT (origin, id) DO NOTHING;
	RETURN QUERY SELECT 'ok'::text, NULL::bytea, NULL::integer, NULL::bytea, NULL::bigint;
END $$;
