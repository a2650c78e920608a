package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"guichet/complaint"
	"guichet/sqlmigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the cache's schema: the numbered files of migrations/,
// with their Go steps, applied in order by sqlmigrate; PRAGMA user_version
// counts how many a file has. Never edit a released migration: add a file.
// They are read at the first migration, not at every start: opening a
// current cache only compares its version with SchemaVersion.
var migrations = sync.OnceValue(loadMigrations)

// schemaVersion is the number of migrations: the files of migrations/
// (loadMigrations refuses any other file there).
var schemaVersion = sync.OnceValue(func() int {
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		panic(err) // the files are embedded: a build that cannot read them is broken
	}
	return len(entries)
})

func loadMigrations() []sqlmigrate.Migration {
	ms, err := sqlmigrate.Load(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the files are embedded: a build that cannot read them is broken
	}
	for i := range ms {
		ms[i].Go = migrationFill(ms[i].Version)
	}
	return ms
}

// vacuumAfter reports whether migration v frees much of the file: the
// file is rewritten (VACUUM) once it ran, so it shrinks on disk. (Switches,
// here and in migrationFill, not maps: nothing built at every start.)
func vacuumAfter(v int) bool { return v == 8 }

// migrationFill is the Go step of migration v (by its number, from 1), run
// in its transaction after its SQL: backfills that need the code that
// derives columns from a record (nil: none).
//
// The search index is built by migration 9 only (rebuildSearchIndex).
// Migrations 6 and 8 changed what it holds too, but a cache below 9 always
// goes on to 9 in the same Open (or, after a crash, in the next one; no
// caller sees the cache in between): building it there as well was work
// thrown away (measured on a 100,000-complaint cache of schema 4: 21 s of
// the 55 s migration in migration 6, 7 s in migration 8).
func migrationFill(v int) func(context.Context, *sql.Tx) error {
	switch v {
	case 3:
		return backfillStatsColumns
	case 8:
		return compressRecords
	case 9:
		return rebuildSearchIndex
	case 10:
		return markSearchHashesUnknown
	}
	return nil
}

// markSearchHashesUnknown is migration 10's Go step: the column it adds
// holds 0 (unknown) in every complaint of an existing cache, and the cache
// notes that they are to be filled (meta search_hash_fill). Filling them
// makes every complaint's search text again from its stored record (24–37 s
// on 100,000 complaints, measured): it is not done at open, with no
// progress shown, but in the background by fillSearchHashes
// (search_hash_fill.go), and the writer treats 0 as unknown (it reads the
// indexed text then, as before the column existed). A migration that
// changes what searchText returns (and so calls rebuildSearchIndex) must
// call it afterwards too.
func markSearchHashesUnknown(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO meta(key, value)
		SELECT '`+searchHashFillKey+`', '1' WHERE EXISTS (SELECT 1 FROM complaints)`)
	return err
}

// rebuildSearchIndex makes the full-text index again from the records,
// with the current searchText (see storedSearchText: a migration must
// call it whenever what searchText returns changes).
func rebuildSearchIndex(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO complaints_fts(complaints_fts) VALUES('rebuild')`)
	return err
}

// compressRecords stores every cached record in the compressed form of
// encodeRecord. The full-text index its SQL made anew stays empty until
// migration 9 builds it (see migrationFill).
func compressRecords(ctx context.Context, tx *sql.Tx) error {
	read, err := tx.PrepareContext(ctx, `SELECT id, server_json, local_json FROM complaint_json
		WHERE id > ? ORDER BY id LIMIT 1000`)
	if err != nil {
		return err
	}
	defer read.Close()
	write, err := tx.PrepareContext(ctx, `UPDATE complaint_json SET server_json = ?, local_json = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer write.Close()
	type stored struct {
		id     int64
		sj, lj []byte
	}
	batch := make([]stored, 0, 1000)
	for after := int64(0); ; {
		rows, err := read.QueryContext(ctx, after)
		if err != nil {
			return err
		}
		batch = batch[:0]
		for rows.Next() {
			var r stored
			if err := rows.Scan(&r.id, &r.sj, &r.lj); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		if len(batch) == 0 {
			break
		}
		for _, r := range batch {
			sj, err := recompress(r.sj)
			if err != nil {
				return fmt.Errorf("complaint %d: %w", r.id, err)
			}
			var lj []byte
			if r.lj != nil {
				if lj, err = recompress(r.lj); err != nil {
					return fmt.Errorf("complaint %d: %w", r.id, err)
				}
			}
			if _, err := write.ExecContext(ctx, sj, lj, r.id); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].id
	}
	return nil
}

// recompress is the compressed form of a stored record.
func recompress(stored []byte) ([]byte, error) {
	js, err := recordJSON(stored)
	if err != nil {
		return nil, err
	}
	if !json.Valid(js) {
		return nil, errors.New("not a JSON record")
	}
	return compressJSON(js)
}

// SchemaVersion is the number of migrations this build knows.
func SchemaVersion() int { return schemaVersion() }

// migrate moves the cache to this build's schema; migrating, when set, is
// told first if the cache was written by an older build.
func (s *Store) migrate(ctx context.Context, migrating func(from, to int)) error {
	var have int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&have); err != nil {
		return fmt.Errorf("store: read schema version of %s: %w (is it a guichet cache?)", s.path, err)
	}
	if have > schemaVersion() {
		return fmt.Errorf("store: cache %s has schema version %d, newer than this guichet (%d); update guichet",
			s.path, have, schemaVersion())
	}
	if have == schemaVersion() {
		// Current: nothing to migrate, and no write lock to take. (Up
		// begins an immediate transaction to read the version under the
		// lock: every Open then waited behind any writer — the
		// workstation's sync — for up to busy_timeout, and failed after.)
		return nil
	}
	if have > 0 && migrating != nil {
		migrating(have, schemaVersion())
	}
	s.wroteMore.Store(true)
	defer s.wroteLog()
	// A pool of its own, one connection, with the settings of a
	// migration (see cacheDSN).
	mdb, err := sql.Open("sqlite", cacheDSN(s.path, true))
	if err != nil {
		return fmt.Errorf("store: open %s: %w", s.path, err)
	}
	defer mdb.Close()
	mdb.SetMaxOpenConns(1)
	if _, err := sqlmigrate.Up(ctx, mdb, sqlmigrate.SQLiteUserVersion{}, migrations()); err != nil {
		if errors.Is(err, sqlmigrate.ErrNewer) {
			// Another guichet migrated it meanwhile.
			return fmt.Errorf("store: cache %s: %w; update guichet", s.path, err)
		}
		return fmt.Errorf("store: %s: %w", s.path, err)
	}
	for v := have; v < schemaVersion() && have > 0; v++ {
		if vacuumAfter(v + 1) {
			// The copy is made in a temporary file (temp_store of a
			// migration), not in memory.
			if _, err := mdb.ExecContext(ctx, `VACUUM`); err != nil {
				return fmt.Errorf("store: vacuum %s: %w", s.path, err)
			}
			return nil
		}
	}
	return nil
}

// backfillStatsColumns fills street, handled_at and closed_at of every
// cached complaint from its effective record, with the code the writer uses
// (closure). It decodes only the fields it needs (a 100,000-complaint
// cache migrates in a few seconds, once).
func backfillStatsColumns(ctx context.Context, tx *sql.Tx) error {
	type filled struct {
		id              int64
		street          string
		handled, closed any
	}
	var view struct {
		Status complaint.Status `json:"status"`
		Facts  struct {
			Place struct {
				Street string `json:"street"`
			} `json:"place"`
		} `json:"facts"`
		History []complaint.StatusChange `json:"history"`
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, received_at, updated_at, coalesce(local_json, server_json) FROM complaints`)
	if err != nil {
		return err
	}
	var all []filled
	for rows.Next() {
		var id, received, updated int64
		var js []byte
		if err := rows.Scan(&id, &received, &updated, &js); err != nil {
			rows.Close()
			return err
		}
		view.Status, view.Facts.Place.Street, view.History = "", "", view.History[:0]
		if err := json.Unmarshal(js, &view); err != nil {
			rows.Close()
			return fmt.Errorf("decode complaint %d: %w", id, err)
		}
		handled, closed := closure(view.Status, view.History, received, updated)
		all = append(all, filled{id, view.Facts.Place.Street, nullable(handled), nullable(closed)})
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	st, err := tx.PrepareContext(ctx, `UPDATE complaints SET street = ?, handled_at = ?, closed_at = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, f := range all {
		if f.street == "" && f.handled == nil && f.closed == nil {
			continue // the defaults
		}
		if _, err := st.ExecContext(ctx, f.street, f.handled, f.closed, f.id); err != nil {
			return err
		}
	}
	return nil
}
