// Package sqlite is the portal's storage in one SQLite file
// (modernc.org/sqlite, no cgo): the default of guichetd, the demo and the
// tests.
//
// All writes go through one writer goroutine that groups concurrent
// requests into one transaction (group commit): each request runs inside
// its own savepoint, so one failing request never affects another, and the
// answer is given only after the shared commit (synchronous=FULL)
// succeeded. The audit record of a consultation is made durable beside
// those commits, in a journal file of its own (consultationJournal), and
// reaches the audit table with the writer's next commit. Reads use a pool
// of read-only connections; a checkpointer on its own connection copies
// the write-ahead log into the file outside the writer's commits. The schema is the numbered migrations in migrations/,
// applied by package sqlmigrate.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sync"

	_ "modernc.org/sqlite" // database/sql driver "sqlite", pure Go

	"guichet/portal/storage"
	"guichet/privatefile"
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
}

// Store is the portal's storage in one SQLite file.
type Store struct {
	log     *slog.Logger
	wdb     *sql.DB // one connection, used only by the writer goroutine and Open
	rdb     *sql.DB // read pool
	ckdb    *sql.DB // one connection, used only by the checkpointer
	cursors storage.Cursors

	journal    *consultationJournal
	writes     chan writeOp
	audits     chan writeOp // audit rows a reader waits for (AppendAudit), first in line
	writerDone chan struct{}
	// committed wakes the checkpointer after a commit (capacity 1).
	committed        chan struct{}
	checkpointerDone chan struct{}
	closeMu          sync.RWMutex
	closed           bool

	stmts     map[string]*sql.Stmt // the writer's prepared statements
	reads     readStmts            // the read pool's
	txStmts   map[string]*sql.Stmt // and those bound to txStmtsOf
	txStmtsOf *sql.Tx
	// seq is the feed's sequence: the last value the writer gave a
	// change; seqStored, the value change_seq holds. A change takes the
	// next value in the writer (a value whose change was rolled back is
	// skipped: there is no gap a reader could pass, as the feed only
	// shows committed changes in order), and each batch stores the last
	// in its commit.
	seq, seqStored int64

	// afterCommit, when set (by tests), runs in the writer after each
	// commit, before it takes its next batch.
	afterCommit func()
}

var _ storage.Store = (*Store)(nil)

// dsn builds a modernc.org/sqlite connection string with the pragmas every
// connection needs. synchronous=FULL: an acknowledged commit survives a
// power cut.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		// No mmap, a small page cache: SQLite empties a reader's page
		// cache and unmaps its whole mapping whenever another connection
		// has committed since its last read, which on a live portal (every
		// feed read is audited) is before nearly every read. Faulting a
		// mapping back in page by page cost 30-70 µs a page on the 2-core
		// VM (a 500-item feed page took 200 ms), reading pages with pread
		// a few µs; a small cache is refilled without asking the allocator
		// for fresh memory each time.
		q.Add("_pragma", "mmap_size(0)")
		q.Add("_pragma", "cache_size(-2048)")
	} else {
		// A batch of hundreds of intakes must not spill pages to the WAL
		// before its commit.
		q.Add("_pragma", "cache_size(-16384)")
		// Each request runs in a savepoint: keep its sub-journal in memory.
		q.Add("_pragma", "temp_store(MEMORY)")
		// Write transactions take the write lock at BEGIN: the migration
		// runner reads the schema version under it.
		q.Set("_txlock", "immediate")
		// The checkpointer copies the log into the file (runCheckpointer),
		// but the log starts again from its beginning only after a
		// checkpoint that copied all of it, which under constant writes
		// only the writer itself can do, between a commit and the next:
		// past 16 MB of log (measured under BenchmarkMixedLoad: 29 MB
		// after 10 s with 32 MB) a commit checkpoints, finding most of the
		// log copied by the checkpointer already. A log that grew past
		// 64 MB is cut back when it restarts.
		q.Add("_pragma", "wal_autocheckpoint(4096)")
		q.Add("_pragma", "journal_size_limit(67108864)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed, 0600) the portal database at path and
// brings its schema up to date. A file other users can read is refused
// (*privatefile.PermissionError).
func Open(path string, opts Options) (*Store, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := privatefile.Prepare(path, privatefile.Options{What: "portal database"}); err != nil {
		return nil, err
	}
	wdb, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	// SQLite serialises writers anyway; one connection avoids SQLITE_BUSY
	// between our own writers and lets group commit batch them.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	s := &Store{log: opts.Logger, wdb: wdb,
		writes: make(chan writeOp, 4096), audits: make(chan writeOp, 4096), writerDone: make(chan struct{}),
		committed: make(chan struct{}, 1), checkpointerDone: make(chan struct{})}
	if err := s.setUp(path); err != nil {
		wdb.Close()
		return nil, err
	}
	s.rdb, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		s.closeStmts()
		wdb.Close()
		return nil, err
	}
	s.rdb.SetMaxOpenConns(8)
	s.rdb.SetMaxIdleConns(8)
	if err := s.reads.prepare(s.rdb); err != nil {
		s.closeStmts()
		s.rdb.Close()
		wdb.Close()
		return nil, err
	}
	s.ckdb, err = sql.Open("sqlite", dsn(path, false))
	if err != nil {
		s.closeStmts()
		s.reads.close()
		s.rdb.Close()
		wdb.Close()
		return nil, err
	}
	s.ckdb.SetMaxOpenConns(1)
	go s.runWriter()
	go s.runCheckpointer()
	return s, nil
}

// setUp migrates the schema, reads (or makes) the epoch and cursor key and
// prepares the writer's statements.
func (s *Store) setUp(path string) error {
	ctx := context.Background()
	ms, err := Migrations()
	if err != nil {
		return err
	}
	if _, err := sqlmigrate.Up(ctx, s.wdb, sqlmigrate.SQLiteTable{}, ms); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	// The epoch tells cursors of this database from cursors of another
	// one (or of a re-created one); the key authenticates cursors. Both
	// are made once, with the database.
	s.cursors, err = storage.LoadCursors(ctx, s.keepMeta)
	if err != nil {
		return err
	}
	if err := s.wdb.QueryRowContext(ctx, `SELECT value FROM change_seq WHERE id = 1`).Scan(&s.seq); err != nil {
		return fmt.Errorf("read the feed sequence: %w", err)
	}
	s.seqStored = s.seq
	num, err := recoverJournal(ctx, s.wdb, path, s.log)
	if err != nil {
		return err
	}
	s.journal = newConsultationJournal(s, path, num)
	return s.prepareWriter()
}

// Close waits for pending writes (the audit of reads included) to commit
// and closes the database.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	s.closeMu.Unlock()
	// The journal hands its last records to the writer: only then is
	// the writer's queue closed.
	s.journal.close()
	close(s.writes)
	close(s.audits)
	<-s.writerDone
	<-s.checkpointerDone
	s.closeStmts()
	s.reads.close()
	return errors.Join(s.rdb.Close(), s.ckdb.Close(), s.wdb.Close())
}

func (s *Store) closeStmts() {
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
}

// Ping checks the read pool answers.
func (s *Store) Ping(ctx context.Context) error { return s.rdb.PingContext(ctx) }

// SchemaVersion is the database's schema version and the number of
// migrations of this build.
func (s *Store) SchemaVersion(ctx context.Context) (have, want int, err error) {
	ms, err := Migrations()
	if err != nil {
		return 0, 0, err
	}
	err = s.rdb.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&have)
	return have, len(ms), err
}

// PoolStats describes the writer's connection and the read pool.
func (s *Store) PoolStats() []storage.PoolStats {
	var out []storage.PoolStats
	for _, p := range []struct {
		name string
		db   *sql.DB
	}{{"write", s.wdb}, {"read", s.rdb}} {
		st := p.db.Stats()
		out = append(out, storage.PoolStats{Pool: p.name, MaxOpen: st.MaxOpenConnections, Open: st.OpenConnections,
			InUse: st.InUse, Idle: st.Idle, WaitCount: st.WaitCount, WaitDuration: st.WaitDuration})
	}
	return out
}

// keepMeta stores fresh under key in meta unless a value is stored there,
// and returns the stored value.
func (s *Store) keepMeta(ctx context.Context, key string, fresh []byte) ([]byte, error) {
	if _, err := s.wdb.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, fresh); err != nil {
		return nil, err
	}
	var stored []byte
	err := s.wdb.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&stored)
	return stored, err
}
