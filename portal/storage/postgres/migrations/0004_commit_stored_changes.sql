-- guichet_commit_changed writes the changes of stored complaints of one
-- group commit (those with c_previous > 0: officers' claims, handlings,
-- rejections, forwards) set by set, as guichet_commit_new does for new
-- complaints: one statement per table for the whole group rather than
-- guichet_commit's five per change. Item n of the c_ arrays is one change
-- of the stored version c_previous[n]; its idempotency record is item n
-- of the i_ arrays (i_scope NULL: none); its feed rows, confirmations and
-- audit events are the rows of the f_, o_ and a_ arrays whose owner is n.
-- The caller gives distinct references and distinct keys (the writer
-- sends any other change through guichet_commit).
--
-- What a change writes, and what refuses it, is guichet_commit's: the
-- idempotency records first (a concurrent request with the same key, on
-- any node, waits for this transaction and then replays it); a key stored
-- already answers 'replay' with the stored record; a complaint that is
-- not at version c_previous answers 'version' ('not_found' when there is
-- no such complaint) and its change leaves nothing written (its
-- idempotency record is deleted again). The row lock of the UPDATE orders
-- concurrent changes of one complaint: the loser re-checks the version
-- after the winner's commit. The answer lists only the changes not
-- written; every other change of the group is 'ok'. Feed row i (from 1)
-- of the group takes position (xid8 << 20) | (f_first + i - 1), as in
-- guichet_commit.
CREATE FUNCTION guichet_commit_changed(
	i_scope text[], i_key text[], i_hash bytea[], i_status integer[], i_response bytea[], i_created bigint[],
	c_ref text[], c_zone text[], c_status text[], c_version bigint[], c_record bytea[], c_previous bigint[],
	f_owner integer[], f_zones text[], f_tombstones boolean[], f_first bigint,
	o_owner integer[], o_refs text[], o_channels text[], o_payloads bytea[], o_due bigint[],
	a_owner integer[], a_origin text[], a_id text[], a_at bigint[], a_officer text[], a_zone text[], a_kind text[],
	a_ref text[], a_field text[], a_outcome text[], a_detail text[], a_received bigint[], a_claimed bigint[]
) RETURNS TABLE (n integer, outcome text, r_hash bytea, r_status integer, r_response bytea, r_created bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	replayed integer[] := '{}';
	refused integer[] := '{}';
	cids bigint[];
BEGIN
	IF EXISTS (SELECT 1 FROM unnest(i_scope) AS s WHERE s IS NOT NULL) THEN
		WITH ins AS (
			INSERT INTO idempotency (scope, key, request_hash, status, response, created_at)
				SELECT u.s, u.k, u.h, u.st, u.r, u.cr
				FROM unnest(i_scope, i_key, i_hash, i_status, i_response, i_created) AS u (s, k, h, st, r, cr)
				WHERE u.s IS NOT NULL
				ON CONFLICT (scope, key) DO NOTHING
				RETURNING scope, key)
		SELECT coalesce(array_agg(u.n), '{}') INTO replayed
			FROM unnest(i_scope, i_key) WITH ORDINALITY AS u (s, k, n)
			WHERE u.s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ins WHERE ins.scope = u.s AND ins.key = u.k);
	END IF;
	WITH upd AS (
		UPDATE complaints c SET zone = u.z, status = u.st, version = u.v, record = u.rec
			FROM unnest(c_ref, c_zone, c_status, c_version, c_record, c_previous) WITH ORDINALITY AS u (r, z, st, v, rec, prev, n)
			WHERE c.ref = u.r AND c.version = u.prev AND u.n <> ALL (replayed)
			RETURNING c.id, u.n)
	SELECT array_agg(upd.id ORDER BY u.n), coalesce(array_agg(u.n) FILTER (WHERE upd.id IS NULL AND u.n <> ALL (replayed)), '{}')
		INTO cids, refused
		FROM unnest(c_ref) WITH ORDINALITY AS u (r, n) LEFT JOIN upd ON upd.n = u.n;
	IF cardinality(refused) > 0 THEN
		DELETE FROM idempotency d
			USING unnest(i_scope, i_key) WITH ORDINALITY AS u (s, k, n)
			WHERE u.n = ANY (refused) AND d.scope = u.s AND d.key = u.k;
	END IF;
	INSERT INTO feed (zone, ref, pos, cid, version, tombstone)
		SELECT u.z, c_ref[u.o], (pg_current_xact_id()::text::bigint << 20) | (f_first + u.i - 1), cids[u.o], c_version[u.o], u.t
		FROM unnest(f_owner, f_zones, f_tombstones) WITH ORDINALITY AS u (o, z, t, i)
		WHERE cids[u.o] IS NOT NULL
		ON CONFLICT (zone, ref) DO UPDATE SET pos = excluded.pos, cid = excluded.cid,
			version = excluded.version, tombstone = excluded.tombstone;
	IF cardinality(o_owner) > 0 THEN
		INSERT INTO outbox (ref, channel, payload, next_attempt, created_at)
			SELECT u.r, u.c, u.p, u.d, u.d FROM unnest(o_owner, o_refs, o_channels, o_payloads, o_due) AS u (o, r, c, p, d)
			WHERE cids[u.o] IS NOT NULL;
	END IF;
	IF cardinality(a_owner) > 0 THEN
		INSERT INTO audit (origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at)
			SELECT u.origin, u.id, u.at, u.officer, u.zone, u.kind, u.ref, u.field, u.outcome, u.detail, u.received, u.claimed
			FROM unnest(a_owner, a_origin, a_id, a_at, a_officer, a_zone, a_kind, a_ref, a_field, a_outcome, a_detail, a_received, a_claimed)
				AS u (o, origin, id, at, officer, zone, kind, ref, field, outcome, detail, received, claimed)
			WHERE cids[u.o] IS NOT NULL
			ON CONFLICT (origin, id) DO NOTHING;
	END IF;
	IF cardinality(replayed) > 0 THEN
		RETURN QUERY SELECT u.n::integer, 'replay'::text, d.request_hash, d.status, d.response, d.created_at
			FROM unnest(i_scope, i_key) WITH ORDINALITY AS u (s, k, n)
			LEFT JOIN idempotency d ON d.scope = u.s AND d.key = u.k
			WHERE u.n = ANY (replayed);
	END IF;
	IF cardinality(refused) > 0 THEN
		RETURN QUERY SELECT u.n::integer,
				CASE WHEN EXISTS (SELECT 1 FROM complaints c WHERE c.ref = c_ref[u.n]) THEN 'version' ELSE 'not_found' END,
				NULL::bytea, NULL::integer, NULL::bytea, NULL::bigint
			FROM unnest(refused) AS u (n);
	END IF;
END $$;
