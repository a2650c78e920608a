package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// searchHashFillKey is the meta key present while some complaints' search_hash
// is 0 (unknown): set by migration 10 on a cache that held complaints,
// removed by fillSearchHashes once it has filled them all.
const searchHashFillKey = "search_hash_fill"

// searchHashBatch is how many complaints fillSearchHashes hashes per
// write transaction: their indexed texts are read and hashed before the
// write lock is taken, so a batch holds it for a few milliseconds only.
const searchHashBatch = 200

// startSearchHashFill starts fillSearchHashes in the background once per
// Store (the first feed page that finds search_hash_fill in meta); Close
// stops it, and a later run goes on where this one stopped.
func (s *Store) startSearchHashFill() {
	s.hashFillOnce.Do(func() {
		done := s.hashFillDone
		started := s.goBackground(func(ctx context.Context) {
			defer close(done)
			if err := s.fillSearchHashes(ctx, searchHashPause); err != nil && ctx.Err() == nil {
				s.hashFillErr.Store(err)
				s.backgroundError("fill the search hashes", err)
			}
		})
		if !started {
			close(done)
		}
	})
}

// searchHashPause is the pause between two batches of the background fill,
// so the workstation's own reads and writes come first.
var searchHashPause = 10 * time.Millisecond

// fillSearchHashes sets the search_hash of every complaint whose hash is
// unknown (0) to the hash of the text it is indexed with, in batches read
// outside any write transaction and written each in a short one, then
// removes search_hash_fill. A batch writes a hash only where the column is
// still 0: a complaint the writer changed meanwhile has its hash from the
// writer (insert and update always set it), which may differ from the text
// read here. It is resumable: stopped anywhere (ctx), the next run finds the
// complaints still at 0.
func (s *Store) fillSearchHashes(ctx context.Context, pause time.Duration) error {
	read, err := s.db.PrepareContext(ctx, `SELECT c.id, t.body FROM complaints c
		JOIN complaints_search t ON t.id = c.id
		WHERE c.id > ? AND c.search_hash = 0 ORDER BY c.id LIMIT ?`)
	if err != nil {
		return fmt.Errorf("store: fill search hashes: %w", err)
	}
	defer read.Close()
	type hashed struct{ id, hash int64 }
	batch := make([]hashed, 0, searchHashBatch)
	for after := int64(0); ; {
		rows, err := read.QueryContext(ctx, after, searchHashBatch)
		if err != nil {
			return fmt.Errorf("store: fill search hashes: %w", err)
		}
		batch = batch[:0]
		for rows.Next() {
			var id int64
			var body string
			if err := rows.Scan(&id, &body); err != nil {
				rows.Close()
				return fmt.Errorf("store: fill search hashes: %w", err)
			}
			batch = append(batch, hashed{id, searchHash(body)})
		}
		if err := closeRows(rows); err != nil {
			return fmt.Errorf("store: fill search hashes: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		err = s.txNoSync(ctx, false, func(tx *sql.Tx) error {
			st, err := tx.PrepareContext(ctx, `UPDATE complaints SET search_hash = ? WHERE id = ? AND search_hash = 0`)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, h := range batch {
				if _, err := st.ExecContext(ctx, h.hash, h.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: fill search hashes: %w", err)
		}
		after = batch[len(batch)-1].id
		if pause > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(pause):
			}
		}
	}
	// Every complaint present when a batch read it was filled then or by the
	// writer since; every complaint inserted since got its hash from insert.
	return s.txNoSync(ctx, false, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = '`+searchHashFillKey+`'`)
		return err
	})
}

// goBackground runs fn in a goroutine that Close stops (fn's context ends)
// and waits for; false when the Store is already closing.
func (s *Store) goBackground(fn func(context.Context)) bool {
	s.bgMu.Lock()
	defer s.bgMu.Unlock()
	select {
	case <-s.stop:
		return false
	default:
	}
	ctx, cancel := s.untilStop()
	s.stopped.Add(1)
	go func() {
		defer s.stopped.Done()
		defer cancel()
		fn(ctx)
	}()
	return true
}

// untilStop is a context that ends when Close stops the background work
// (or at cancel).
func (s *Store) untilStop() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-s.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
