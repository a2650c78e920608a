-- Each complaint keeps the hash of the text it is indexed with
-- (searchHash, text.go), so the writer knows whether a change leaves the
-- search text as it was without making the old text again from the
-- stored record: the index's external content is a view that decompresses
-- and decodes the record (migration 8), which a page of 100 claims into
-- 100,000 complaints did 100 times for nothing. Filled by fillSearchHashes
-- from the text the index holds now.
ALTER TABLE complaints ADD COLUMN search_hash INTEGER NOT NULL DEFAULT 0;
