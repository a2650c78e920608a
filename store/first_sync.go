package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// deferredIndexes are the indexes of complaints a first sync builds after
// its bulk instead of updating them row by row. Their keys (names, places,
// types, references) come in random order, so every feed page of a first
// sync rewrote most of their pages into the write-ahead log (measured: the
// bulk of a 100,000-complaint first sync's time, most of it in system
// calls). Building one at the end is a sort. The indexes the feed appends
// to in order (status and received time, holder, statistics per type,
// closures) stay, so the officer can browse by received time, claim and
// see statistics while the rest streams in.
var deferredIndexes = []string{
	"complaints_s_type", "complaints_s_municipality", "complaints_s_complainant", "complaints_s_reference",
	"complaints_retention", "complaints_places",
}

// deferredJSON is deferredIndexes as a JSON array.
func deferredJSON() string {
	js, _ := json.Marshal(deferredIndexes)
	return string(js)
}

// metaDeferred is the meta key holding the definitions (JSON: name → SQL)
// of the indexes a first sync dropped and has not built yet.
const metaDeferred = "deferred_indexes"

// firstSyncStateSQL reads what decides whether a first sync begins
// (metaDeferred as its argument): whether the cache holds a complaint,
// whether it holds a cursor or a relist under way, and the index
// definitions an interrupted first sync left in meta (NULL: none).
const firstSyncStateSQL = `SELECT
	EXISTS (SELECT 1 FROM complaints),
	EXISTS (SELECT 1 FROM meta WHERE key IN ('cursor', 'relisting') AND value NOT IN ('', '0')),
	(SELECT value FROM meta WHERE key = ?)`

// BeginFirstSync prepares an empty cache for a first sync: when it holds
// no complaint, no cursor and no relist, it drops deferredIndexes (their
// definitions kept in the cache) and returns true; it also returns true
// when a first sync was interrupted and this one resumes it. Pages then
// only append, without overwriting freed pages (secure_delete off, except
// for a page with tombstones); EndFirstSync builds the indexes.
// EndFirstSync builds the indexes. An interrupted first sync leaves them
// dropped: queries still work (queues sorted by another key than received
// time are slower until then), and the next completed pull builds them.
func (s *Store) BeginFirstSync(ctx context.Context) (bool, error) {
	// Every round of the sync engine asks: a cache that holds complaints
	// or a cursor, and no deferred index, is answered by a read, without
	// a write transaction. Neither can begin a first sync later (only an
	// empty cache does), and a first sync of another process that began
	// meanwhile left its definitions in meta, which sends this one to the
	// transaction below.
	var filled, cursor bool
	var deferred sql.NullString
	if err := s.queryRow(ctx, firstSyncStateSQL, metaDeferred).Scan(&filled, &cursor, &deferred); err != nil {
		return false, fmt.Errorf("store: begin first sync: %w", err)
	}
	if !deferred.Valid && (filled || cursor) {
		s.bulk.Store(false)
		return false, nil
	}
	began := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// Again in the transaction: another process may have begun
		// meanwhile.
		if err := tx.QueryRowContext(ctx, firstSyncStateSQL, metaDeferred).Scan(&filled, &cursor, &deferred); err != nil {
			return err
		}
		if deferred.Valid { // an interrupted first sync resumes
			began = true
			return nil
		}
		if filled || cursor {
			return nil
		}
		defs := map[string]string{}
		rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema
			WHERE type = 'index' AND tbl_name = 'complaints' AND sql IS NOT NULL`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return err
			}
			for _, d := range deferredIndexes {
				if d == name {
					defs[name] = def
				}
			}
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		js, err := json.Marshal(defs)
		if err != nil {
			return err
		}
		if err := setMeta(ctx, tx, metaDeferred, string(js)); err != nil {
			return err
		}
		s.deferredBuilt.Store(false)
		for name := range defs {
			if _, err := tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
				return err
			}
		}
		began = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: begin first sync: %w", err)
	}
	s.bulk.Store(began)
	return began, nil
}

// EndFirstSync builds the indexes BeginFirstSync dropped, in one
// transaction; it does nothing when none is missing.
func (s *Store) EndFirstSync(ctx context.Context) error {
	var pending int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = ?`, metaDeferred).Scan(&pending); err != nil {
		return fmt.Errorf("store: end first sync: %w", err)
	}
	if pending == 0 {
		return nil
	}
	// Without waiting for the disk, with a small page cache: a build lost
	// to a power cut leaves the definitions in meta, and is done again.
	err := s.txNoSync(ctx, true, func(tx *sql.Tx) error {
		var js string
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaDeferred).Scan(&js)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // another process built them
		}
		if err != nil {
			return err
		}
		var defs map[string]string
		if err := json.Unmarshal([]byte(js), &defs); err != nil {
			return fmt.Errorf("decode deferred indexes: %w", err)
		}
		for _, name := range deferredIndexes {
			def, ok := defs[name]
			if !ok {
				continue
			}
			if !strings.HasPrefix(def, "CREATE INDEX ") {
				return fmt.Errorf("deferred index %s: unexpected definition %q", name, def)
			}
			def = "CREATE INDEX IF NOT EXISTS " + strings.TrimPrefix(def, "CREATE INDEX ")
			if _, err := tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("build index %s: %w", name, err)
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaDeferred)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: end first sync: %w", err)
	}
	s.bulk.Store(false)
	return nil
}

// usableHint returns hint (" INDEXED BY name", or "") when its index
// exists, else "": during a first sync the deferred indexes are missing,
// and a query naming a missing index fails instead of using another.
//
// Only the deferred indexes can be missing, and once all of them are there
// they stay (a first sync drops them from an empty cache only): the check
// is then skipped (every queue page asks).
func (s *Store) usableHint(ctx context.Context, hint string) (string, error) {
	name, ok := strings.CutPrefix(hint, " INDEXED BY ")
	if !ok || !slices.Contains(deferredIndexes, name) || s.deferredBuilt.Load() {
		return hint, nil
	}
	var all int
	if err := s.queryRow(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'index'
		AND name IN (SELECT value FROM json_each(?))`, deferredJSON()).Scan(&all); err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	if all == len(deferredIndexes) && !s.bulk.Load() {
		s.deferredBuilt.Store(true)
		return hint, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = ?`, name).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("store: %w", err)
	}
	if n == 0 {
		return "", nil
	}
	return hint, nil
}
