-- The sessions of the citizen's web form (package citizen): the draft of a
-- complaint being written, shared by every guichetd node. key is the
-- SHA-256 of the session cookie; data is NULL once the session expired
-- (the row stays a day so that the form can say so).
CREATE TABLE form_sessions (
	key      TEXT PRIMARY KEY,
	data     BLOB,
	last_use INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX form_sessions_by_last_use ON form_sessions (last_use);
