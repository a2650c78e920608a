-- Fewer indexes on complaints (docs/cache-indexes.md: which query reads
-- which index). Each index is a B-tree every insert updates, and most
-- are keyed on values in random order, so a feed page of 100 changes
-- into 100,000 complaints dirtied about one page of each per change
-- (measured: committing those pages to the write-ahead log was the
-- bulk of an incremental sync). The queue sorted without a status (the
-- "all" tab) now reads the status-first indexes, one range per status
-- merged in order (MERGE (UNION ALL), as the tab of the final statuses
-- does), so the five sort indexes without the status go.
DROP INDEX IF EXISTS complaints_received;
DROP INDEX IF EXISTS complaints_type;
DROP INDEX IF EXISTS complaints_municipality;
DROP INDEX IF EXISTS complaints_complainant;
DROP INDEX IF EXISTS complaints_status;
-- An officer's forwards, newest first, ties by reference, in index
-- order (no sort).
DROP INDEX forwards_officer;
CREATE INDEX forwards_officer ON forwards(officer_id, forwarded_at, reference);
