package postgres

import (
	"context"
	"time"

	"guichet/portal/storage"
)

// FormSession reads a session of the citizen's form.
func (s *Store) FormSession(ctx context.Context, key string) (storage.FormSession, error) {
	fs := storage.FormSession{Key: key}
	var last int64
	err := s.pool.QueryRow(ctx, `SELECT data, last_use FROM form_sessions WHERE key = $1`, key).Scan(&fs.Data, &last)
	if err != nil {
		return storage.FormSession{}, notFound(err)
	}
	fs.LastUse = storage.FromMS(last)
	return fs, nil
}

// SaveFormSession stores a session in place of the one of its key.
func (s *Store) SaveFormSession(ctx context.Context, fs storage.FormSession) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO form_sessions (key, data, last_use) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET data = excluded.data, last_use = excluded.last_use`,
		fs.Key, fs.Data, ms(fs.LastUse))
	return err
}

// DeleteFormSession deletes a session.
func (s *Store) DeleteFormSession(ctx context.Context, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM form_sessions WHERE key = $1`, key)
	return err
}

// ExpireFormSessions erases the data of idle sessions and deletes old ones.
func (s *Store) ExpireFormSessions(ctx context.Context, idleBefore, forgetBefore time.Time) (erased, deleted int64, err error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM form_sessions WHERE last_use < $1`, ms(forgetBefore))
	if err != nil {
		return 0, 0, err
	}
	deleted = tag.RowsAffected()
	tag, err = s.pool.Exec(ctx, `UPDATE form_sessions SET data = NULL WHERE last_use < $1 AND data IS NOT NULL`, ms(idleBefore))
	if err != nil {
		return 0, deleted, err
	}
	return tag.RowsAffected(), deleted, nil
}
