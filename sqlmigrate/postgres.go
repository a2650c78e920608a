package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
)

// Postgres keeps the version in a one-row table schema_version (version
// integer) and holds a session advisory lock on the migrating connection
// for the whole run: nodes starting at once against one database migrate
// one after the other, and the later ones find the work done. The database
// must be reached through a database/sql driver (pgx's stdlib).
type Postgres struct {
	// LockKey names the advisory lock; every node of one database must use
	// the same. Zero is DefaultPostgresLockKey.
	LockKey int64
}

// DefaultPostgresLockKey is the advisory lock of the portal's schema
// ("guichet" in ASCII).
const DefaultPostgresLockKey int64 = 0x67756963686574

func (p Postgres) key() int64 {
	if p.LockKey == 0 {
		return DefaultPostgresLockKey
	}
	return p.LockKey
}

func (p Postgres) Lock(ctx context.Context, conn *sql.Conn) (func() error, error) {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, p.key()); err != nil {
		return nil, err
	}
	return func() error {
		// The lock belongs to the session: released here, or when the
		// connection ends if this fails.
		_, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, p.key())
		return err
	}, nil
}

func (Postgres) Version(ctx context.Context, tx *sql.Tx) (int, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`); err != nil {
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

func (Postgres) SetVersion(ctx context.Context, tx *sql.Tx, v int) error {
	_, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = $1`, v)
	return err
}
