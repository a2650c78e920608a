-- Confirmations that cannot be delivered (a relay's permanent
-- refusal) end as failed instead of being retried forever; a letter
-- replacing a failed e-mail says which row it replaces. Errors stored
-- before kept the relay's free text, which can repeat the citizen's
-- address: they are cleared. Audit events a workstation posted with an
-- impossible time are stored at their receipt, the claimed time kept.
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN replaces INTEGER;
UPDATE outbox SET last_error = '(cleared: it may have held personal data)' WHERE last_error LIKE '%@%';
ALTER TABLE audit ADD COLUMN claimed_at INTEGER;
