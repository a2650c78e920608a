package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SQLite dialects. Both need transactions that take the write lock at
// BEGIN (modernc.org/sqlite's _txlock=immediate): the version is then read
// under the database's write lock, so a second process starting at the
// same moment waits (busy_timeout) and finds the migration done.

// SQLiteTable keeps the version in a one-row table schema_version
// (version INTEGER), created on first use. The portal's databases have
// always kept it there.
type SQLiteTable struct{}

func (SQLiteTable) Lock(context.Context, *sql.Conn) (func() error, error) { return nil, nil }

func (SQLiteTable) Version(ctx context.Context, tx *sql.Tx) (int, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return 0, err
	}
	var v int
	err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`)
		return 0, err
	}
	return v, err
}

func (SQLiteTable) SetVersion(ctx context.Context, tx *sql.Tx, v int) error {
	_, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, v)
	return err
}

// SQLiteUserVersion keeps the version in the file header (PRAGMA
// user_version), as the workstation's cache always has.
type SQLiteUserVersion struct{}

func (SQLiteUserVersion) Lock(context.Context, *sql.Conn) (func() error, error) { return nil, nil }

func (SQLiteUserVersion) Version(ctx context.Context, tx *sql.Tx) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v)
	return v, err
}

func (SQLiteUserVersion) SetVersion(ctx context.Context, tx *sql.Tx, v int) error {
	_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v))
	return err
}
