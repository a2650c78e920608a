package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"guichet/portal/storage"
)

// FormSession reads a session of the citizen's form.
func (s *Store) FormSession(ctx context.Context, key string) (storage.FormSession, error) {
	fs := storage.FormSession{Key: key}
	var last int64
	err := s.rdb.QueryRowContext(ctx, `SELECT data, last_use FROM form_sessions WHERE key = ?`, key).Scan(&fs.Data, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return storage.FormSession{}, storage.ErrNotFound
	}
	if err != nil {
		return storage.FormSession{}, err
	}
	fs.LastUse = storage.FromMS(last)
	return fs, nil
}

// SaveFormSession stores a session in place of the one of its key.
func (s *Store) SaveFormSession(ctx context.Context, fs storage.FormSession) error {
	_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		_, err := tx.Exec(`INSERT INTO form_sessions (key, data, last_use) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET data = excluded.data, last_use = excluded.last_use`,
			fs.Key, fs.Data, fs.LastUse.UnixMilli())
		return nil, err
	})
	return err
}

// DeleteFormSession deletes a session.
func (s *Store) DeleteFormSession(ctx context.Context, key string) error {
	_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
		_, err := tx.Exec(`DELETE FROM form_sessions WHERE key = ?`, key)
		return nil, err
	})
	return err
}

// ExpireFormSessions erases the data of idle sessions and deletes old ones.
func (s *Store) ExpireFormSessions(ctx context.Context, idleBefore, forgetBefore time.Time) (erased, deleted int64, err error) {
	_, err = s.write(ctx, func(tx *sql.Tx) (any, error) {
		res, err := tx.Exec(`DELETE FROM form_sessions WHERE last_use < ?`, forgetBefore.UnixMilli())
		if err != nil {
			return nil, err
		}
		deleted, _ = res.RowsAffected()
		res, err = tx.Exec(`UPDATE form_sessions SET data = NULL WHERE last_use < ? AND data IS NOT NULL`, idleBefore.UnixMilli())
		if err != nil {
			return nil, err
		}
		erased, _ = res.RowsAffected()
		return nil, nil
	})
	if err != nil {
		return 0, 0, err
	}
	return erased, deleted, nil
}
