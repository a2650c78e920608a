-- A smaller cache (measured on 100,000 demo complaints after a
-- first sync: 4.5 kB a complaint, 2.5× the records' JSON). The records
-- are stored compressed (record_codec.go; compressRecords), and the
-- full-text index keeps no copy of its text: its external content is
-- the view complaints_search, which makes each complaint's text from its
-- stored record with the Go function guichet_search_text (text.go).
-- Every complaint has one index row (a tombstone stub's is empty), so
-- SQLite can remove a row's tokens from the text the view gives, and
-- the writer from the text it reads before a record changes; secure
-- delete still leaves no token of a removed complaint behind.
DROP TABLE complaints_fts;
CREATE VIEW complaints_search(id, body) AS
	SELECT id, guichet_search_text(coalesce(local_json, server_json)) FROM complaint_json;
CREATE VIRTUAL TABLE complaints_fts USING fts5(
	body,
	content = 'complaints_search',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
