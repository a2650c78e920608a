package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet/portal/storage"
)

// AddOfficer stores a new account with its audit event; the primary key
// and the unique token hash refuse a taken id or token.
func (s *Store) AddOfficer(ctx context.Context, o storage.Officer, audit storage.AuditRecord) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO officers (id, zone, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, o.ID, o.Zone, o.Name, o.TokenHash, ms(o.CreatedAt))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return storage.ErrDuplicate
		}
		_, err = tx.Exec(ctx, qInsertAudit, auditArgs(audit)...)
		return err
	})
}

// RevokeOfficer stops an officer's token at its first revocation time.
func (s *Store) RevokeOfficer(ctx context.Context, id string, at time.Time, audit storage.AuditRecord) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM officers WHERE id = $1 FOR UPDATE`, id).Scan(&one); err != nil {
			return notFound(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE officers SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, ms(at), id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, qInsertAudit, auditArgs(audit)...)
		return err
	})
}

func scanOfficer(row pgx.Row) (storage.Officer, error) {
	o, err := storage.ScanOfficer(row)
	return o, notFound(err)
}

// Officer reads an account by id.
func (s *Store) Officer(ctx context.Context, id string) (storage.Officer, error) {
	return scanOfficer(s.pool.QueryRow(ctx, `SELECT `+storage.OfficerColumns+` FROM officers WHERE id = $1`, id))
}

// OfficerByToken reads the account of a token hash, on every request (a
// revocation on one node holds on every node at once).
func (s *Store) OfficerByToken(ctx context.Context, tokenHash []byte) (storage.Officer, error) {
	return scanOfficer(s.pool.QueryRow(ctx, `SELECT `+storage.OfficerColumns+` FROM officers WHERE token_hash = $1`, tokenHash))
}

// Officers lists every account by zone and creation.
func (s *Store) Officers(ctx context.Context) ([]storage.Officer, error) {
	rows, err := s.pool.Query(ctx, storage.OfficersQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanOfficers(rows)
}

// ZoneTable reads the imported zone table.
func (s *Store) ZoneTable(ctx context.Context) ([]byte, error) {
	var csv []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'zones_csv'`).Scan(&csv)
	return csv, notFound(err)
}

// SaveZoneTable replaces the imported zone table.
func (s *Store) SaveZoneTable(ctx context.Context, csv []byte, audit storage.AuditRecord) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('zones_csv', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, csv); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, qInsertAudit, auditArgs(audit)...)
		return err
	})
}
