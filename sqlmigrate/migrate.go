// Package sqlmigrate applies numbered SQL migrations to a database/sql
// database: one runner for every schema of the project (the portal's
// storage on SQLite and PostgreSQL, the workstation's cache).
//
// Migrations are files named NNNN_what.sql in an fs.FS (an embed.FS in
// practice), numbered from 1 without gaps; a migration may also have a Go
// step, run in its transaction after its SQL (a backfill that needs Go
// code). Each migration runs in its own transaction together with the
// update of the schema version, so a database is always at one version:
// a crash between two migrations leaves the first one applied, never half
// of one.
//
// How the version is kept, and what keeps two processes from migrating the
// same database at once, is the Dialect's: SQLite takes the database's
// write lock with each transaction (BEGIN IMMEDIATE) and reads the version
// under it; PostgreSQL takes an advisory lock for the whole run.
package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"sync"
)

// Migration is one step of a schema.
type Migration struct {
	Version int    // 1, 2, …
	Name    string // the file name, for errors
	SQL     string
	// Go, when set, runs in the migration's transaction after its SQL.
	Go func(ctx context.Context, tx *sql.Tx) error
}

var fileName = sync.OnceValue(func() *regexp.Regexp { // compiled at the first Load, not at every start
	return regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)
})

// Load reads the migrations of dir in fsys. Every .sql file there must be
// named NNNN_what.sql (lower case, digits and underscores) and the numbers
// must run from 0001 without gap or repeat: a misnamed file is an error,
// never a migration silently left out.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlmigrate: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		m := fileName().FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("sqlmigrate: %s: a migration is named NNNN_what.sql", path.Join(dir, e.Name()))
		}
		v, _ := strconv.Atoi(m[1])
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("sqlmigrate: %w", err)
		}
		out = append(out, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sqlmigrate: %s: expected migration %04d here (numbers run from 0001 without gap or repeat)", path.Join(dir, m.Name), i+1)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sqlmigrate: no migration in %s", dir)
	}
	return out, nil
}

// Dialect is what differs between databases: how the version is kept and
// how concurrent runs are kept apart.
type Dialect interface {
	// Lock is taken on conn before the first migration and released
	// after the last; nil release when there is nothing to release.
	Lock(ctx context.Context, conn *sql.Conn) (release func() error, err error)
	// Version reads how many migrations the database has, inside tx (0
	// for a new database). It is read again in every migration's
	// transaction.
	Version(ctx context.Context, tx *sql.Tx) (int, error)
	// SetVersion records v inside tx.
	SetVersion(ctx context.Context, tx *sql.Tx, v int) error
}

// ErrNewer: the database has more migrations than the program knows (it
// was opened by a newer version). Nothing is changed.
var ErrNewer = errors.New("the database's schema is newer than this program")

// Result says what Up did.
type Result struct {
	From, To int // schema versions before and after
}

// Up applies the migrations the database does not have yet, in order.
// Each one runs in its own transaction with the version update. It is
// safe to call from several processes at once: each migration is applied
// once (see Dialect).
func Up(ctx context.Context, db *sql.DB, d Dialect, ms []Migration) (Result, error) {
	for i, m := range ms {
		if m.Version != i+1 {
			return Result{}, fmt.Errorf("sqlmigrate: migration %d is numbered %d", i+1, m.Version)
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return Result{}, err
	}
	defer conn.Close()
	release, err := d.Lock(ctx, conn)
	if err != nil {
		return Result{}, fmt.Errorf("sqlmigrate: lock: %w", err)
	}
	if release != nil {
		defer release()
	}
	res := Result{From: -1}
	for {
		done, before, after, err := step(ctx, conn, d, ms)
		if res.From < 0 {
			res.From = before
		}
		res.To = after
		if err != nil || done {
			return res, err
		}
	}
}

// step applies the next missing migration in one transaction: done when
// there was none. before and after are the database's versions.
func step(ctx context.Context, conn *sql.Conn, d Dialect, ms []Migration) (done bool, before, after int, err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, 0, 0, fmt.Errorf("sqlmigrate: begin: %w", err)
	}
	defer tx.Rollback()
	v, err := d.Version(ctx, tx)
	if err != nil {
		return false, 0, 0, fmt.Errorf("sqlmigrate: read schema version: %w", err)
	}
	switch {
	case v > len(ms):
		return false, v, v, fmt.Errorf("%w (version %d, this program knows %d)", ErrNewer, v, len(ms))
	case v == len(ms):
		return true, v, v, tx.Commit()
	}
	m := ms[v]
	fail := func(what string, err error) (bool, int, int, error) {
		return false, v, v, fmt.Errorf("sqlmigrate: migration %s: %s%w", m.Name, what, err)
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fail("", err)
	}
	if m.Go != nil {
		if err := m.Go(ctx, tx); err != nil {
			return fail("", err)
		}
	}
	if err := d.SetVersion(ctx, tx, m.Version); err != nil {
		return fail("record version: ", err)
	}
	if err := tx.Commit(); err != nil {
		return fail("commit: ", err)
	}
	return false, v, m.Version, nil
}
