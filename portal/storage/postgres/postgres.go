// Package postgres is the portal's storage on PostgreSQL (pgx, pgxpool):
// several guichetd nodes behind a load balancer share one database and
// nothing else. Every guarantee is the database's: one claim winner by a
// version check in the UPDATE, idempotency by the primary key of the
// idempotency table (a concurrent request with the same key waits for the
// first one's commit), tombstones written in the forward's transaction, an
// append-only audit trail enforced by triggers, outbox leases taken with
// FOR UPDATE SKIP LOCKED. No process-local lock guards any of them.
//
// # The gap-free feed
//
// A zone's feed is read page by page after an opaque cursor, and a reader
// must never pass a change that commits after the reader went by its
// position (a sequence number taken at 100 by a transaction that commits
// after 101 was read). Of the two classic cures, a per-zone counter taken
// under a row lock in the writing transaction, or positions read only below
// pg_snapshot_xmin(pg_current_snapshot()), this store uses the second:
//
//   - a row's position is (the writing transaction's xid8 << 20) | its
//     index in the transaction, so positions follow transaction ids;
//   - a reader takes only positions below the oldest transaction id still
//     running: every transaction below it has ended, so nothing will ever
//     be written there again, and every running or later transaction
//     writes above it.
//
// The counter would serialise every write of a zone through its commit
// (fsync): with one busy zone that is one intake per fsync, about 300 a
// second on the benchmark machine, and each node's writers would queue
// behind the others'. The horizon costs writers nothing (PostgreSQL's own
// group commit batches concurrent commits); a reader waits at most for the
// longest writing transaction running on the cluster, which for the
// portal's own is milliseconds. (A long writing transaction left open by
// hand on the same cluster delays every feed until it ends; nothing is
// skipped.) The epoch in meta makes cursors of another database (or of a
// database copied by guichetd migrate) invalid, and a cursor ahead of the
// current transaction id (a database restored from an older backup) is
// refused the same way.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"guichet/portal/storage"
	"guichet/sqlmigrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations are the schema's migrations, in order.
func Migrations() ([]sqlmigrate.Migration, error) {
	return sqlmigrate.Load(migrationFiles, "migrations")
}

// Options configures a Store.
type Options struct {
	// Logger receives the errors of writes nobody waits for (the audit
	// of reads). Discarded when nil.
	Logger *slog.Logger
	// MaxConns bounds the pool of connections that read (default 16; a
	// pool_max_conns parameter in the URL wins). The writers have a
	// connection each besides, so that a commit never waits for a
	// connection behind the reads.
	MaxConns int32

	// writeTracer, in tests, sees every statement the writers send;
	// readTracer every statement of the read pool.
	writeTracer, readTracer pgx.QueryTracer
}

// Store is the portal's storage on PostgreSQL.
type Store struct {
	log     *slog.Logger
	pool    *pgxpool.Pool // reads and the rare writes of their own
	wpool   *pgxpool.Pool // the writers' connections (writer.go)
	cursors storage.Cursors
	want    int // schema version of this build

	commits     chan commitOp
	writersDone sync.WaitGroup
	later       chan []storage.AuditRecord
	// consultations go to a writer of their own (consultations.go).
	consultations     chan consultation
	consultationsDone chan struct{}
	laterDone         chan struct{}
	closeMu           sync.RWMutex
	closed            bool
}

var _ storage.Store = (*Store)(nil)

// Open connects to the database at url (postgres://…), brings its schema
// up to date (one node at a time) and reads its epoch and cursor key
// (made by the first node that opens it).
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = 16
		if opts.MaxConns > 0 {
			cfg.MaxConns = opts.MaxConns
		}
	}
	wcfg := cfg.Copy()
	wcfg.MaxConns, wcfg.MinConns = writers+1, 0 // the writers and the consultation writer
	if opts.readTracer != nil {
		cfg.ConnConfig.Tracer = opts.readTracer
	}
	if opts.writeTracer != nil {
		wcfg.ConnConfig.Tracer = opts.writeTracer
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	wpool, err := pgxpool.NewWithConfig(ctx, wcfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{log: opts.Logger, pool: pool, wpool: wpool,
		later: make(chan []storage.AuditRecord, 4096), laterDone: make(chan struct{})}
	if err := s.setUp(ctx); err != nil {
		pool.Close()
		wpool.Close()
		return nil, err
	}
	s.commits = make(chan commitOp, 4096)
	s.writersDone.Add(writers)
	for range writers {
		go s.runWriter()
	}
	s.consultations, s.consultationsDone = make(chan consultation, 4096), make(chan struct{})
	go s.runConsultations()
	go s.runLater()
	return s, nil
}

func (s *Store) setUp(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	s.want = len(ms)
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	if _, err := sqlmigrate.Up(ctx, db, sqlmigrate.Postgres{}, ms); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	// The epoch tells cursors of this database from those of another (or
	// of a copy made by guichetd migrate); the key authenticates them.
	// The first node makes them; the others read the same.
	s.cursors, err = storage.LoadCursors(ctx, s.keepMeta)
	return err
}

// Close stores the audit events given to AppendAuditLater and closes the
// pool.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.later)
	close(s.consultations)
	s.closeMu.Unlock()
	<-s.consultationsDone
	<-s.laterDone // the audit of reads goes through the writers
	close(s.commits)
	s.writersDone.Wait()
	s.pool.Close()
	s.wpool.Close()
	return nil
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// SchemaVersion is the database's schema version and the one this build
// migrates to.
func (s *Store) SchemaVersion(ctx context.Context) (have, want int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&have)
	return have, s.want, err
}

// inTx runs fn in a transaction, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if s.isClosed() {
		return storage.ErrClosed
	}
	return pgx.BeginFunc(ctx, s.pool, fn)
}

func (s *Store) isClosed() bool {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	return s.closed
}

// ms is a time as stored: milliseconds since the Unix epoch.
func ms(t time.Time) int64 { return t.UnixMilli() }

func nullMS(t *time.Time) *int64 {
	if t == nil {
		return nil
	}
	v := t.UnixMilli()
	return &v
}

// notFound maps pgx's no-rows error to storage.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return storage.ErrNotFound
	}
	return err
}

// PoolStats describes the node's connection pools: "read" (reads and rare
// writes) and "write" (the writers').
func (s *Store) PoolStats() []storage.PoolStats {
	stats := func(name string, p *pgxpool.Pool) storage.PoolStats {
		st := p.Stat()
		return storage.PoolStats{Pool: name, MaxOpen: int(st.MaxConns()), Open: int(st.TotalConns()),
			InUse: int(st.AcquiredConns()), Idle: int(st.IdleConns()), WaitCount: st.EmptyAcquireCount(),
			WaitDuration: st.EmptyAcquireWaitTime()}
	}
	return []storage.PoolStats{stats("read", s.pool), stats("write", s.wpool)}
}

// keepMeta stores fresh under key in meta unless a value is stored there,
// and returns the stored value.
func (s *Store) keepMeta(ctx context.Context, key string, fresh []byte) ([]byte, error) {
	if _, err := s.pool.Exec(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, fresh); err != nil {
		return nil, err
	}
	var stored []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&stored)
	return stored, err
}
