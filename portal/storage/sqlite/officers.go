package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"guichet/portal/storage"
)

// AddOfficer stores a new account with its audit event.
func (s *Store) AddOfficer(ctx context.Context, o storage.Officer, audit storage.AuditRecord) error {
	_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		res, err := tx.Exec(`INSERT INTO officers (id, zone, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, o.ID, o.Zone, o.Name, o.TokenHash, o.CreatedAt.UnixMilli())
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil, storage.ErrDuplicate
		}
		return nil, s.insertAudit(tx, []storage.AuditRecord{audit})
	})
	return err
}

// RevokeOfficer stops an officer's token.
func (s *Store) RevokeOfficer(ctx context.Context, id string, at time.Time, audit storage.AuditRecord) error {
	_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		var one int
		if err := tx.QueryRow(`SELECT 1 FROM officers WHERE id = ?`, id).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, storage.ErrNotFound
			}
			return nil, err
		}
		if _, err := tx.Exec(`UPDATE officers SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, at.UnixMilli(), id); err != nil {
			return nil, err
		}
		return nil, s.insertAudit(tx, []storage.AuditRecord{audit})
	})
	return err
}

func scanOfficer(row *sql.Row) (storage.Officer, error) {
	o, err := storage.ScanOfficer(row)
	if errors.Is(err, sql.ErrNoRows) {
		return o, storage.ErrNotFound
	}
	return o, err
}

// Officer reads an account by id.
func (s *Store) Officer(ctx context.Context, id string) (storage.Officer, error) {
	return scanOfficer(s.rdb.QueryRowContext(ctx, `SELECT `+storage.OfficerColumns+` FROM officers WHERE id = ?`, id))
}

// OfficerByToken reads the account of a token hash. It reads the database
// on every request so a revocation takes effect at once.
func (s *Store) OfficerByToken(ctx context.Context, tokenHash []byte) (storage.Officer, error) {
	ctx, err := shortRead(ctx)
	if err != nil {
		return storage.Officer{}, err
	}
	return scanOfficer(s.reads.officerByToken.QueryRowContext(ctx, tokenHash))
}

// Officers lists every account, revoked ones included.
func (s *Store) Officers(ctx context.Context) ([]storage.Officer, error) {
	rows, err := s.rdb.QueryContext(ctx, storage.OfficersQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return storage.ScanOfficers(rows)
}
