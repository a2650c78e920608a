-- When a confirmation was queued, for the age of the oldest one waiting
-- (metrics). Rows queued before take their first attempt's time.
ALTER TABLE outbox ADD COLUMN created_at INTEGER;
UPDATE outbox SET created_at = next_attempt;
