-- The complaints this workstation forwarded, kept after the
-- portal's tombstone removes the complaint from the cache, so the
-- officer still sees where each went (ForwardsBy). Only what says which
-- complaint went where: no personal data. Triggers on the outbox and
-- the conflicts keep it, so no write path can forget it: a queued
-- forward adds a row, its delivery marks it confirmed, a refusal (the
-- complaint stays here) removes it.
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
