// Package store is the officer workstation's local cache: one SQLite file per
// portal and zone holding the zone's complaints (pulled from the feed), the
// outbox of actions not yet delivered to the portal, the conflicts the portal
// answered, and the audit log not yet pushed.
//
// Everything the workstation shows is read from here, so the officer keeps
// working when the network drops. Every change that spans several rows is one
// SQLite transaction (synchronous=FULL in WAL mode), so a crash at any point
// leaves either the whole change or none of it: a queued action is never lost.
// Feed pages alone commit without waiting for the disk: a power cut may take
// the last pages back with their cursor, and they are pulled again.
//
// A complaint is kept twice: the last state the server sent (server_json) and,
// while actions on it are queued, the local state those actions produce
// (local_json), both in complaint_json (compressed, see record_codec.go)
// beside the complaints table of queue and statistics columns; the
// full-text index makes its text from them (see writer). A newer server state pulled while actions are queued replaces
// the server copy and the local state is recomputed by replaying the queued
// actions on it, so a pull never erases a queued action.
//
// The file is created 0600 in a 0700 directory; Open refuses a cache or a
// directory other users can read, because the cache holds personal data.
//
// Who uses what:
//   - the sync engine pulls with ApplyFeedPage (ResetForRelist on a 410,
//     FinishRelist when the feed has no more), pushes PendingActions and
//     settles each with AckAction, RejectAction or NoteAttempt, pushes
//     PendingAudit then AckAudit, and publishes OutboxCounts;
//   - the workstation reads the queue with Page, PageBefore and PageFrom
//     (keyset paging on a Query, positions as Key), Count, Rank,
//     KeyFor and Counts, one complaint with Get or GetEntry, acts with Act,
//     records consultations and copies with Audit, shows Conflicts, and
//     draws the statistics screen with Stats;
//   - the workstation's commands read the whole file with Check or
//     CheckIfChanged; a damaged cache (IsCorrupt, *CorruptError from Open
//     or any operation) is given up with Salvage, which moves it aside and
//     reads its queued actions and audit, and the new cache takes them with
//     Requeue and ReplayQueued (sync.Rebuild does all of it); Peek and
//     Handover deliver the work of a cache left behind by another address
//     of the portal (see integrity.go and salvage.go);
//   - tests and benchmarks of other packages fill a cache with BulkLoad
//     and records from store/storetest.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, FTS5 built in)

	"guichet/privatefile"
)

// ErrNotFound is returned when a complaint, outbox row or conflict is not in
// the cache.
var ErrNotFound = errors.New("store: not found")

// ErrIdentityMismatch is returned by SetIdentity when the cache already
// belongs to another portal or zone.
var ErrIdentityMismatch = errors.New("store: cache belongs to another portal or zone")

// PermissionError says the cache or its directory is accessible by other
// users; Open refuses it.
type PermissionError = privatefile.PermissionError

// Store is an open cache. It is safe for concurrent use by several goroutines
// (the TUI and the sync engine share one).
type Store struct {
	db   *sql.DB
	path string
	// marker is this Store's open marker; openStamp the cache file's size
	// and time when it was opened; checks counts whole-file checks (see
	// integrity.go).
	marker    string
	openStamp string
	checks    atomic.Int64
	// now is the clock used for action and audit timestamps; tests replace it.
	now func() time.Time

	// dense remembers, per full-text expression, how many complaints it
	// matches up to a bound (see Query.indexHint and candidates); only the
	// query plans depend on it.
	denseMu sync.Mutex
	dense   map[string]int

	// searchCounts remembers, per filter with a search, its complaints
	// counted per status and holder at a data version (see Count).
	searchMu     sync.Mutex
	searchCounts map[string]searchGroups
	verMu        sync.Mutex
	verConn      *sql.Conn

	// bulk is set while this process runs a first sync (BeginFirstSync
	// until EndFirstSync).
	bulk atomic.Bool
	// deferredBuilt is set once every index a first sync defers was
	// found in the cache (usableHint).
	deferredBuilt atomic.Bool
	// wroteMore is set by the first write other than an audit event:
	// Close then refreshes the planner's statistics and checkpoints. A
	// session that only read and audited skips both.
	wroteMore atomic.Bool
	// searchMergeDue is set when a feed page wrote index rows without
	// merging: the checkpointer or Close merges (search_merge.go).
	searchMergeDue atomic.Bool
	// lastWrite is when this process last wrote (wroteLog, unix ns): the
	// idle merge runs only once nothing else wrote for a while.
	lastWrite atomic.Int64
	// writeTxs counts the write transactions of tx and txNoSync.
	writeTxs atomic.Int64

	// Every write of this process runs on one connection, writeConn,
	// taken from the pool at the first write and kept: a connection
	// throws its page cache away when another connection wrote since it
	// last read, and rebuilding the writer's (the pages a feed page
	// touches) cost more than the page's own work (see onWriteConn).
	// writeTurn admits one writer at a time and guards writeConn.
	writeTurn   chan struct{}
	writeConn   *sql.Conn
	writeClosed bool // Close took the write connection back
	// writeConnSwitches counts the writes that ran on another connection
	// than the write before them (lastWriter, the driver's connection):
	// only a write connection the driver gave up is replaced.
	writeConnSwitches atomic.Int64
	lastWriter        any

	// writeStmts are the statements of feed pages and other writes,
	// compiled once: database/sql prepares each on the write connection
	// the first time a transaction uses it and keeps it for that
	// connection (see writeStmt). Used with the write turn held.
	writeStmts map[string]*sql.Stmt

	// journal holds the consultations' audit events until the next
	// write transaction (audit_journal.go).
	journal *auditJournal

	// The checkpointer copies the write-ahead log into the file in the
	// background after writes, so committing a feed page or an action does
	// not pay for it (measured: a quarter of a 100-change page apply).
	wrote    chan struct{}
	stop     chan struct{}
	stopOnce sync.Once
	stopped  sync.WaitGroup
	// bgMu orders starting a background goroutine (goBackground) with
	// Close closing stop.
	bgMu sync.Mutex

	// The background fill of unknown search hashes (search_hash_fill.go):
	// started once, hashFillDone closed when it ended, hashFillErr its
	// error if it failed (the writer still works: 0 means unknown).
	hashFillOnce sync.Once
	hashFillDone chan struct{}
	hashFillErr  atomic.Value

	// reportBackground receives the errors of background work
	// (ReportBackgroundErrors); nil: none is reported.
	reportBackground atomic.Pointer[func(what string, err error)]
}

// DefaultPath returns where the cache of serverURL and zone lives:
// $XDG_DATA_HOME/guichet/<host>-<port>-<zone>.db, or
// ~/.local/share/guichet/... when XDG_DATA_HOME is unset. The caller honours
// GUICHET_DB before calling it.
func DefaultPath(serverURL, zone string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("store: server URL %q has no host", serverURL)
	}
	if zone == "" {
		return "", errors.New("store: zone is empty")
	}
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	base := os.Getenv("XDG_DATA_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("store: no home directory for the cache: %w", err)
		}
		base = filepath.Join(home, ".local", "share")
	}
	name := safeName(u.Hostname()) + "-" + safeName(port) + "-" + safeName(zone) + ".db"
	return filepath.Join(base, "guichet", name), nil
}

// safeName keeps a file name component to letters, digits, dot, dash and
// underscore so a hostile URL cannot climb out of the directory.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// Open opens the cache at path, creating its directory (0700) and file (0600)
// when absent, and migrates its schema. It refuses an existing file or
// directory that other users can read or write (*PermissionError).
func Open(path string) (*Store, error) { return OpenWith(path, OpenOptions{}) }

// OpenOptions are what a caller of OpenWith may add to Open.
type OpenOptions struct {
	// Migrating, when set, is called once before a cache written by an
	// older guichet is moved to this one's layout (from and to are schema
	// versions), so that the officer learns why opening takes long: tens
	// of seconds for a large zone. Not called for a new or current cache.
	Migrating func(from, to int)
}

// OpenWith is Open with options.
func OpenWith(path string, o OpenOptions) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: empty cache path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := checkUsable(abs); err != nil {
		return nil, err
	}
	openStamp := fileStamp(abs)
	if err := privatefile.Prepare(abs, privatefile.Options{What: "cache", RefuseOpenDir: true}); err != nil {
		return nil, err
	}
	// busy_timeout: the TUI, the sync engine and a scripted `guichet` command
	// may write at once; they wait for each other instead of failing.
	// synchronous(FULL): a committed action survives power loss, not only a
	// process crash — the outbox is the one thing we must never lose.
	// secure_delete: purged and tombstoned personal data is overwritten in
	// the file, not just unlinked from the b-tree.
	// wal_autocheckpoint(8000): the background checkpointer normally keeps
	// the log short; this is the backstop if it cannot keep up (32 MB).
	// mmap_size(1 GiB, readers only: see onWriteConn): reads take pages
	// from the mapped file instead of copying them into the connection's
	// page cache. SQLite empties a
	// connection's cache at its next read once another connection wrote,
	// and modernc's allocator frees those pages one by one: a queue page
	// right after a sync took 176–229 ms on a connection that had read the
	// statistics of a year, 6.7 ms mapped (BenchmarkPageAfterWrite).
	// _txlock=immediate: write transactions take the write lock at BEGIN so
	// two writers never deadlock upgrading read locks.
	db, err := sql.Open("sqlite", cacheDSN(abs, false))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	db.SetMaxOpenConns(5) // 4 for queries and writes, 1 held for dataVersion
	db.SetMaxIdleConns(5)
	db.SetConnMaxIdleTime(0)
	reserveStack(stackNeverTouched)
	s := &Store{db: db, path: abs, openStamp: openStamp, now: time.Now, dense: map[string]int{},
		searchCounts: map[string]searchGroups{},
		wrote:        make(chan struct{}, 1), stop: make(chan struct{}), hashFillDone: make(chan struct{}),
		writeTurn: make(chan struct{}, 1),
		journal:   &auditJournal{path: abs + auditJournalSuffix}}
	if err := s.migrate(context.Background(), o.Migrating); err != nil {
		db.Close()
		return nil, classify(abs, err)
	}
	if err := s.checkAfterUncleanClose(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	s.stopped.Add(1)
	go s.checkpointer()
	return s, nil
}

// cacheDSN is the data source of the cache file abs (see Open for the
// settings). The connection of a migration (migrating) keeps its
// temporary data in files (SQLite removes them as it opens them), does
// not map the cache and has the small page cache of a first sync: a
// migration rewrites whole tables in one transaction, and SQLite keeps the
// original of every page a statement changes (its statement journal, to
// roll the statement back) in temporary storage. Moving a
// 100,000-complaint cache of schema 4 to the current one peaked at 1.3 GB
// resident with the settings of the queries (946 MB once migrations 6 and
// 8 no longer built the search index: see migrationFill), 37 MB with
// these, in 23 s instead of 27 (TestMigrationKeepsTheCacheOutOfMemory).
func cacheDSN(abs string, migrating bool) string {
	tempStore, mmap, cache := 2, mmapBytes, cacheKiB // memory, mapped
	if migrating {
		tempStore, mmap, cache = 1, 0, bulkCacheKiB
	}
	return "file:" + (&url.URL{Path: abs}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=foreign_keys(1)&_pragma=secure_delete(1)&_pragma=temp_store(" + strconv.Itoa(tempStore) + ")" +
		"&_pragma=cache_size(-" + strconv.Itoa(cache) + ")" +
		"&_pragma=wal_autocheckpoint(8000)&_pragma=mmap_size(" + strconv.Itoa(mmap) + ")&_txlock=immediate"
}

// Path is the absolute path of the cache file.
func (s *Store) Path() string { return s.path }

// Close checkpoints the write-ahead log into the file and closes the cache.
func (s *Store) Close() error {
	s.stopOnce.Do(func() {
		s.bgMu.Lock()
		close(s.stop)
		s.bgMu.Unlock()
	})
	s.stopped.Wait()
	s.writeTurn <- struct{}{} // after the last write
	if s.writeConn != nil {
		_ = s.writeConn.Close()
		s.writeConn = nil
	}
	for _, st := range s.writeStmts {
		_ = st.Close()
	}
	s.writeClosed = true
	<-s.writeTurn
	if s.wroteMore.Load() {
		s.refreshPlannerStats()
		_, _ = s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	s.verMu.Lock()
	if s.verConn != nil {
		_ = s.verConn.Close()
	}
	s.verMu.Unlock()
	s.journal.close()
	err := s.db.Close()
	if err == nil {
		s.recordClose()
		s.unmark() // closed cleanly: the next Open need not check the file
	}
	return err
}

// refreshPlannerStats refreshes the planner's statistics where they are
// stale (optimize only analyzes what changed a lot), from a sample of each
// index (analysis_limit), on a connection of its own with a small page
// cache and no memory map, closed afterwards: after a first sync of
// 100,000 complaints a full ANALYZE read every index through the page
// cache (+30 MB), and even the sampled one filled a 32 MB cache (+50 MB of
// RSS). The sampled one still counts every row of each index it analyzes
// and of the search index's data table (this SQLite counts them exactly
// for its sqlite_stat4 samples): through the memory map every page it
// counted stayed in the process's resident memory, and `guichet sync`
// into an empty cache peaked at 146–150 MB (goal: 80), 61 MB without the
// map (a program running only this statement on the file it made: 154 MB
// mapped, 12 MB not, in the same 0.1 s).
func (s *Store) refreshPlannerStats() {
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return
	}
	_, _ = conn.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(bulkCacheKiB)+
		`; PRAGMA mmap_size = 0; PRAGMA analysis_limit = 1000; PRAGMA optimize`)
	_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // not back to the pool: its cache goes
	_ = conn.Close()
}

// dataVersion changes whenever the cache changed since it was last read:
// PRAGMA data_version on a connection that never writes counts the
// commits of every other connection, in this process or another (a
// scripted `guichet` command next to the TUI).
//
// The connection is opened at the first call, not by Open: a process that
// never asks (guichet list, show) opens one connection, not two (each
// reads the schema and sets the pragmas: about 3 ms).
func (s *Store) dataVersion(ctx context.Context) (int64, error) {
	s.verMu.Lock()
	defer s.verMu.Unlock()
	if s.verConn == nil {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return 0, err
		}
		s.verConn = conn
	}
	var v int64
	err := s.verConn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
	return v, err
}

// Identity is who and where this cache belongs to. It is stored once; the
// portal and zone never change for a given file.
type Identity struct {
	ServerURL   string
	Zone        string
	OfficerID   string
	OfficerName string
}

// Identity returns the stored identity; the zero Identity when none was set.
func (s *Store) Identity(ctx context.Context) (Identity, error) {
	var id Identity
	m, err := s.metaAll(ctx)
	if err != nil {
		return id, err
	}
	id.ServerURL, id.Zone = m["server_url"], m["zone"]
	id.OfficerID, id.OfficerName = m["officer_id"], m["officer_name"]
	return id, nil
}

// SetIdentity stores the identity. When one is already stored, the portal
// and zone must match (ErrIdentityMismatch); the officer may change (a
// workstation shared by colleagues), and is updated.
func (s *Store) SetIdentity(ctx context.Context, id Identity) error {
	if id.ServerURL == "" || id.Zone == "" {
		return errors.New("store: identity needs a server URL and a zone")
	}
	// Every sync of a new process (guichet sync) says who it is: when the
	// cache holds this identity already, a read says so, without a
	// synchronous write transaction (and its fsync).
	if cur, err := s.Identity(ctx); err == nil && cur == id {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var cur Identity
		row := tx.QueryRowContext(ctx, `SELECT
			(SELECT value FROM meta WHERE key='server_url'),
			(SELECT value FROM meta WHERE key='zone')`)
		var srv, zone sql.NullString
		if err := row.Scan(&srv, &zone); err != nil {
			return err
		}
		cur.ServerURL, cur.Zone = srv.String, zone.String
		if cur.ServerURL != "" && (cur.ServerURL != id.ServerURL || cur.Zone != id.Zone) {
			return fmt.Errorf("%w: it holds %s zone %s, not %s zone %s",
				ErrIdentityMismatch, cur.ServerURL, cur.Zone, id.ServerURL, id.Zone)
		}
		for k, v := range map[string]string{"server_url": id.ServerURL, "zone": id.Zone,
			"officer_id": id.OfficerID, "officer_name": id.OfficerName} {
			if err := setMeta(ctx, tx, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Cursor returns the feed cursor stored with the last applied page ("" before
// the first sync and after ResetForRelist).
func (s *Store) Cursor(ctx context.Context) (string, error) {
	var v sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='cursor'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v.String, err
}

// LastSync returns when a feed page was last applied (zero if never).
func (s *Store) LastSync(ctx context.Context) (time.Time, error) {
	var v sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='last_sync'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) || !v.Valid || v.String == "" {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, v.String)
}

func (s *Store) metaAll(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM meta`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

// setMetaSQL stores the value of a meta key (key, value).
const setMetaSQL = `INSERT INTO meta(key, value) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET value=excluded.value`

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, setMetaSQL, key, value)
	return err
}

// checkpointer runs a passive checkpoint a moment after writes (it never
// blocks readers or writers; what it cannot copy now it copies next time).
func (s *Store) checkpointer() {
	defer s.stopped.Done()
	for {
		select {
		case <-s.stop:
			s.mergeSearchIndexAtClose()
			return
		case <-s.wrote:
		}
		select { // let a burst of writes (a sync) finish first
		case <-s.stop:
			s.mergeSearchIndexAtClose()
			return
		case <-time.After(200 * time.Millisecond):
		}
		s.mergeSearchIndexIfDue()
		s.checkpoint()
	}
}

// checkpoint copies the write-ahead log into the file (passive: it never
// waits for readers or writers). When it copied the whole log, it starts
// the log again at its beginning with a write that changes nothing: the
// first write after a complete checkpoint does that, and writes and syncs
// the log's new header even when it commits without waiting for the disk
// (measured: one fsync of 0.4–8 ms in every incremental sync, whose feed
// page otherwise commits without one). Done here, while nothing waits for
// it, the next feed page only appends to the log.
func (s *Store) checkpoint() {
	var busy, logged, copied int
	if err := s.db.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied); err != nil {
		return
	}
	if busy != 0 || logged <= 0 || copied < logged {
		return // readers still need the log, or nothing to restart
	}
	// The write must change a byte (SQLite does not rewrite a page with
	// what it holds). It commits without waiting for the disk (a feed page
	// arriving meanwhile waits for the header's sync only), and outside tx
	// and txNoSync: it journals nothing and does not wake the checkpointer.
	ctx := context.Background()
	_ = s.onWriteConn(ctx, func(conn *sql.Conn) error {
		return s.txNoSyncOn(ctx, conn, false, func(tx *sql.Tx) error {
			// The wall clock, not s.now: any value that differs will do, and
			// this goroutine must not read what the rest of the Store may set.
			return setMeta(ctx, tx, "log_restarted_at", strconv.FormatInt(time.Now().UnixNano(), 10))
		})
	})
}

// mmapBytes is how much of the cache file a connection maps (all of it, for
// any cache this workstation holds).
const mmapBytes = 1 << 30

// Page cache of a connection, in KiB: for queries and ordinary writes, and
// for the writes of a first sync, which only append and keep the sync
// process small with a small one. (Measured: 8 MB for every connection
// brought a first sync's peak from 139 to 82 MB but doubled the time of a
// 100-change feed page into 100,000 complaints. A first sync of 100,000
// demo complaints with `guichet sync`: 4 MB, peak RSS 81.7 MB; 2 MB, 67 MB,
// the same time within the noise of a loaded machine.)
const (
	cacheKiB     = 32768
	bulkCacheKiB = 2048
)

// tx runs fn in one write transaction, committed only if fn returns nil.
//
// The audit journal's events are taken into the same transaction
// (audit_journal.go).
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	s.writeTxs.Add(1)
	s.wroteMore.Store(true)
	defer s.wroteLog()
	ji := s.takeJournal()
	err := s.onWriteConn(ctx, func(conn *sql.Conn) error {
		return s.txOn(ctx, conn, func(tx *sql.Tx) error {
			if err := s.insertJournal(ctx, tx, ji); err != nil {
				return err
			}
			return fn(tx)
		})
	})
	ji.done(err == nil)
	return err
}

// txNoSync is tx committed without waiting for the disk
// (synchronous=NORMAL for this one transaction): still atomic and
// consistent after a crash or power loss, but the power loss may take the
// last such transactions back. Only for what the portal gives again — a
// feed page and its cursor, which are re-fetched from the older cursor —
// never for the outbox or the audit log. It saves the WAL fsync of every
// page (measured: about 12 ms of a 100-change page on 100,000 complaints).
// The next synchronous commit (or checkpoint) makes it durable as well.
//
// With bulk, freed pages are not overwritten either (secure_delete off):
// only for a page of a first sync that deletes nothing.
func (s *Store) txNoSync(ctx context.Context, bulk bool, fn func(*sql.Tx) error) error {
	s.writeTxs.Add(1)
	s.wroteMore.Store(true)
	defer s.wroteLog()
	return s.onWriteConn(ctx, func(conn *sql.Conn) error {
		return s.txNoSyncOn(ctx, conn, bulk, fn)
	})
}

func (s *Store) txNoSyncOn(ctx context.Context, conn *sql.Conn, bulk bool, fn func(*sql.Tx) error) error {
	set := `PRAGMA synchronous = NORMAL`
	if bulk {
		// A first sync only appends: a small page cache does.
		set += `; PRAGMA secure_delete = OFF; PRAGMA cache_size = -` + strconv.Itoa(bulkCacheKiB)
	}
	if _, err := conn.ExecContext(ctx, set); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		// The connection writes again after this: it must be
		// synchronous and overwrite freed pages again, or be dropped.
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA cache_size = -`+strconv.Itoa(cacheKiB)); err != nil {
			s.dropWriteConn()
		}
	}()
	return s.txOn(ctx, conn, fn)
}

func (s *Store) txOn(ctx context.Context, conn *sql.Conn, fn func(*sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// writeStmt returns query as a statement of tx, compiled once per write
// connection: a statement of the Store's database (prepared on whichever
// connection is free the first time), which tx prepares on its own
// connection at its first use and finds there afterwards. The caller
// holds the write turn (tx is a write transaction) and closes the
// statement it got before tx ends.
func (s *Store) writeStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, ok := s.writeStmts[query]
	if !ok {
		var err error
		if st, err = s.db.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		if s.writeStmts == nil {
			s.writeStmts = map[string]*sql.Stmt{}
		}
		s.writeStmts[query] = st
	}
	return tx.StmtContext(ctx, st), nil
}

// execIn runs query in tx as a statement compiled once (writeStmt).
func (s *Store) execIn(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	st, err := s.writeStmt(ctx, tx, query)
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = st.ExecContext(ctx, args...)
	return err
}

// exec runs one writing statement on the write connection.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.onWriteConn(ctx, func(conn *sql.Conn) error {
		var err error
		res, err = conn.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// onWriteConn runs fn on the write connection when no other write of this
// process runs. Writers of other processes still take turns through
// SQLite's lock (busy_timeout).
//
// Why one connection: SQLite throws a connection's page cache away when
// another connection committed since it last read, and modernc's
// allocator returns those pages to the system one by one. Writes that
// moved between pool connections (whichever the readers or the
// checkpointer had left) threw away a warm cache of the pages a feed page
// touches on one write in seven of a benchmark of 100-change pages into
// 100,000 complaints, and paid 80–210 ms for it (then read and allocated
// the pages again); the other writes took 50–80 ms.
func (s *Store) onWriteConn(ctx context.Context, fn func(*sql.Conn) error) error {
	select {
	case s.writeTurn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.writeTurn }()
	if s.writeClosed {
		return errors.New("store: the cache is closed")
	}
	// The open marker says a process may be writing: made before the
	// first write of this Store, not at Open (a listing never makes one).
	if err := s.markOpen(); err != nil {
		return err
	}
	if s.writeConn == nil {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("store: begin: %w", err)
		}
		// The writer never maps the file: it reads through its own page
		// cache, which no other connection's write empties (it is the
		// only writer). Mapped, the pages a first sync touches would all
		// count in the process's resident memory (174 MB for 100,000
		// complaints), and every page an incremental sync first touches
		// in a new map is a page fault, which cost more than reading it
		// (BenchmarkIncrementalSync100Into100k, 100 changes into 100,000,
		// writer mapped vs not, alternated: a Store opened for the sync
		// 46-52 vs 32-38 ms, the first session's 45-46 vs 41 ms,
		// reopened 44-52 vs 42-51 ms).
		if _, err := conn.ExecContext(ctx, `PRAGMA mmap_size = 0`); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			conn.Close()
			return fmt.Errorf("store: begin: %w", err)
		}
		s.writeConn = conn
	}
	conn := s.writeConn
	_ = conn.Raw(func(dc any) error {
		if s.lastWriter != nil && s.lastWriter != dc {
			s.writeConnSwitches.Add(1)
		}
		s.lastWriter = dc
		return nil
	})
	err := fn(conn)
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		s.dropWriteConn() // the driver gave it up: the next write takes another
	}
	return err
}

// dropWriteConn closes the write connection (with its turn held): the next
// write takes a new one from the pool.
func (s *Store) dropWriteConn() {
	if s.writeConn == nil {
		return
	}
	_ = s.writeConn.Raw(func(any) error { return driver.ErrBadConn }) // not back to the pool
	_ = s.writeConn.Close()
	s.writeConn = nil
}

// wroteLog wakes the checkpointer after a commit.
func (s *Store) wroteLog() {
	s.lastWrite.Store(time.Now().UnixNano())
	select {
	case s.wrote <- struct{}{}:
	default:
	}
}
