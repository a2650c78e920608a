package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
)

// PostgresTable keeps the version in a one-row table schema_version (in
// the connection's first schema of search_path), like SQLiteTable, and
// holds a session advisory lock for the whole run: nodes of a portal that
// start at the same moment migrate one after the other, and the second
// finds the work done. Key tells the schemas of different programs apart
// on one database.
type PostgresTable struct {
	Key int64
}

func (d PostgresTable) Lock(ctx context.Context, conn *sql.Conn) (func() error, error) {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, d.Key); err != nil {
		return nil, err
	}
	return func() error {
		// The session's lock goes with its connection if this fails.
		_, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, d.Key)
		return err
	}, nil
}

func (PostgresTable) Version(ctx context.Context, tx *sql.Tx) (int, error) {
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

func (PostgresTable) SetVersion(ctx context.Context, tx *sql.Tx, v int) error {
	_, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = $1`, v)
	return err
}
