package portal

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"guichet/complaint"
)

// Options configures a Server. The zero value is usable: default zone
// table, no FAS key (eid/token identification refused), no SMTP, no letters.
type Options struct {
	// Logger receives structured logs; never personal data or tokens.
	Logger *slog.Logger
	// FASPublicKey verifies identity assertions of the federal
	// authentication service (eid and token identification).
	FASPublicKey ed25519.PublicKey
	// FormAssertionKey also verifies them: the key with which guichetd's
	// own citizen form states what an OpenID Connect login at the FAS
	// certified (package fas; made anew by each guichetd process).
	FormAssertionKey ed25519.PublicKey
	// SMTPAddr (host:port) and MailFrom enable e-mail confirmations.
	SMTPAddr string
	MailFrom string
	// LettersDir enables post confirmations: printable letter files.
	LettersDir string
	// Now is the clock (tests); time.Now when nil.
	Now func() time.Time
	// RetryBase is the first delay before resending a failed confirmation
	// (doubles up to RetryMax). Defaults 2 s and 5 min.
	RetryBase, RetryMax time.Duration
	// IdempotencyRetention is how long idempotency records are kept
	// (at least 30 days; smaller values are raised to 30 days).
	IdempotencyRetention time.Duration
	// AuthFailureLimit bounds refused authentications per source address
	// (then 429 with Retry-After); IntakeLimit bounds complaints filed per
	// source address. Zero values: DefaultAuthFailureLimit and
	// DefaultIntakeLimit; Burst < 0 turns a limit off. An officer's valid
	// token is never limited.
	AuthFailureLimit, IntakeLimit RateLimit
	// StatusLookupLimit bounds the citizen's status lookups (reference and
	// birth date) per source address; zero: DefaultStatusLookupLimit.
	StatusLookupLimit RateLimit
	// TrustedProxies are the reverse proxies in front of the portal: for
	// a request from one of them, the limits and the audit take the client
	// address from X-Forwarded-For. Without them every request counts as
	// the TCP peer's.
	TrustedProxies []netip.Prefix
}

// Server is an open portal database with its HTTP API.
type Server struct {
	opts   Options
	log    *slog.Logger
	now    func() time.Time
	wdb    *sql.DB // one connection, used only by the writer goroutine and admin setup
	rdb    *sql.DB // read pool
	epoch  []byte
	curKey []byte

	routerMu sync.RWMutex
	router   *complaint.Router

	writes     chan writeOp
	writerDone chan struct{}
	closeMu    sync.RWMutex
	closed     bool

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // the writer's prepared statements

	outboxKick chan struct{}
	senderMu   sync.Mutex // one confirmation sender at a time

	metrics *metrics

	authLimit, intakeLimit *limiter
	statusLimit            *limiter
	authFails              authFailures
	flusherStop            chan struct{}
	flusherDone            chan struct{}
	flusherOnce            sync.Once
}

const minRetention = 30 * 24 * time.Hour

// Open opens (creating if needed) the portal database at path.
func Open(path string, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RetryBase <= 0 {
		opts.RetryBase = 2 * time.Second
	}
	if opts.RetryMax <= 0 {
		opts.RetryMax = 5 * time.Minute
	}
	if opts.IdempotencyRetention < minRetention {
		opts.IdempotencyRetention = minRetention
	}
	opts.AuthFailureLimit = opts.AuthFailureLimit.orDefault(DefaultAuthFailureLimit)
	opts.IntakeLimit = opts.IntakeLimit.orDefault(DefaultIntakeLimit)
	opts.StatusLookupLimit = opts.StatusLookupLimit.orDefault(DefaultStatusLookupLimit)
	wdb, rdb, err := openDB(path)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts: opts, log: slog.New(requestIDHandler{opts.Logger.Handler()}), now: opts.Now,
		wdb: wdb, rdb: rdb,
		writes:      make(chan writeOp, 4096),
		writerDone:  make(chan struct{}),
		outboxKick:  make(chan struct{}, 1),
		authLimit:   newLimiter(opts.AuthFailureLimit),
		intakeLimit: newLimiter(opts.IntakeLimit),
		statusLimit: newLimiter(opts.StatusLookupLimit),
		flusherStop: make(chan struct{}),
		flusherDone: make(chan struct{}),
	}
	if opts.LettersDir != "" {
		if err := s.prepareSpool(opts.LettersDir); err != nil {
			s.closeDBs()
			return nil, err
		}
	}
	for k, dst := range map[string]*[]byte{"epoch": &s.epoch, "cursor_key": &s.curKey} {
		if err := wdb.QueryRow(`SELECT value FROM meta WHERE key = ?`, k).Scan(dst); err != nil {
			s.closeDBs()
			return nil, fmt.Errorf("read %s: %w", k, err)
		}
	}
	if err := s.prepareWriter(); err != nil {
		s.closeDBs()
		return nil, err
	}
	if err := s.loadRouter(); err != nil {
		s.closeDBs()
		return nil, err
	}
	s.metrics = newMetrics(s)
	go s.runWriter()
	go s.runAuthFlusher(s.flusherStop, s.flusherDone)
	return s, nil
}

func (s *Server) closeDBs() {
	s.rdb.Close()
	s.wdb.Close()
}

// Close waits for pending writes to commit and closes the database.
func (s *Server) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closeMu.Unlock()
	// The refused authentications of the current minute are written now.
	s.flusherOnce.Do(func() {
		close(s.flusherStop)
		<-s.flusherDone
		s.flushAuthFailures(true)
	})
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	close(s.writes)
	s.closeMu.Unlock()
	<-s.writerDone
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	err1 := s.rdb.Close()
	err2 := s.wdb.Close()
	return errors.Join(err1, err2)
}

// Router returns the zone table in use.
func (s *Server) Router() *complaint.Router {
	s.routerMu.RLock()
	defer s.routerMu.RUnlock()
	return s.router
}

// loadRouter uses the imported zone table if there is one, else the
// embedded one.
func (s *Server) loadRouter() error {
	var csv []byte
	err := s.wdb.QueryRow(`SELECT value FROM meta WHERE key = 'zones_csv'`).Scan(&csv)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		s.router = complaint.DefaultRouter()
		return nil
	case err != nil:
		return err
	}
	rt, err := complaint.LoadZones(bytes.NewReader(csv))
	if err != nil {
		return fmt.Errorf("imported zone table: %w", err)
	}
	s.router = rt
	return nil
}

// ImportZones replaces the zone table with a CSV in the embedded format
// (zone_code,zone_name,nis5,municipality). The table is validated first
// and stored atomically; the import is audited. Complaints already filed
// keep their zone.
func (s *Server) ImportZones(r io.Reader, by string) (zones int, err error) {
	csv, err := io.ReadAll(io.LimitReader(r, 8<<20))
	if err != nil {
		return 0, err
	}
	rt, err := complaint.LoadZones(bytes.NewReader(csv))
	if err != nil {
		return 0, err
	}
	n := len(rt.Zones())
	if n == 0 {
		return 0, errors.New("zone table has no zones")
	}
	_, err = s.write(func(tx *sql.Tx) (any, error) {
		if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('zones_csv', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, csv); err != nil {
			return nil, err
		}
		return nil, s.auditTx(tx, auditEntry{Officer: by, Kind: "zones_import", Outcome: "ok", Detail: fmt.Sprintf("zones=%d", n)})
	})
	if err != nil {
		return 0, err
	}
	s.routerMu.Lock()
	s.router = rt
	s.routerMu.Unlock()
	return n, nil
}

// Run sends confirmations and purges old idempotency records until ctx is
// done. Start it once per Server (guichetd serve does).
func (s *Server) Run(ctx context.Context) {
	purge := time.NewTicker(time.Hour)
	defer purge.Stop()
	s.purgeIdempotency()
	retry := time.NewTimer(0)
	defer retry.Stop()
	for {
		next := s.sendDue(ctx)
		if next <= 0 || next > time.Minute {
			next = time.Minute
		}
		retry.Reset(next)
		select {
		case <-ctx.Done():
			return
		case <-s.outboxKick:
		case <-retry.C:
		case <-purge.C:
			s.purgeIdempotency()
		}
	}
}

// purgeIdempotency deletes idempotency records older than the retention
// (30 days at least, longer than any offline period of a workstation).
func (s *Server) purgeIdempotency() {
	cutoff := s.now().Add(-s.opts.IdempotencyRetention).UnixMilli()
	v, err := s.write(func(tx *sql.Tx) (any, error) {
		res, err := tx.Exec(`DELETE FROM idempotency WHERE created_at < ?`, cutoff)
		if err != nil {
			return nil, err
		}
		return res.RowsAffected()
	})
	if err != nil {
		s.log.Error("purge idempotency records", "err", err)
		return
	}
	if n, _ := v.(int64); n > 0 {
		s.log.Info("purged idempotency records", "count", n)
	}
}
