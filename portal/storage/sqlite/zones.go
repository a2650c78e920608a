package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"guichet/portal/storage"
)

// ZoneTable reads the imported zone table.
func (s *Store) ZoneTable(ctx context.Context) ([]byte, error) {
	var csv []byte
	err := s.rdb.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'zones_csv'`).Scan(&csv)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.ErrNotFound
	}
	return csv, err
}

// SaveZoneTable replaces the imported zone table.
func (s *Store) SaveZoneTable(ctx context.Context, csv []byte, audit storage.AuditRecord) error {
	_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('zones_csv', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, csv); err != nil {
			return nil, err
		}
		return nil, s.insertAudit(tx, []storage.AuditRecord{audit})
	})
	return err
}
