package portal

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/sqlite"
	"guichet/privatefile"
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
	// OutboxLease is how long a sender holds the confirmations it took
	// (default 10 min): longer than any send, so that only a node that
	// died loses them to another node, when the lease ends.
	OutboxLease time.Duration
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
	// Metrics receives what the portal counts (package portal/metrics:
	// Prometheus); nil counts nothing.
	Metrics Metrics
}

// Server is the portal: its HTTP API over a storage.Store.
type Server struct {
	opts Options
	log  *slog.Logger
	now  func() time.Time
	st   storage.Store

	routerMu sync.RWMutex
	router   *complaint.Router

	outboxKick chan struct{}
	senderMu   sync.Mutex // one confirmation sender at a time

	metrics Metrics

	authLimit, intakeLimit *limiter
	statusLimit            *limiter
	authFails              authFailures
	flusherStop            chan struct{}
	flusherDone            chan struct{}
	closeOnce              sync.Once
	closeErr               error
}

// PermissionError says a file of the portal's data is accessible by other
// users: the portal refuses to use it.
type PermissionError = privatefile.PermissionError

const minRetention = 30 * 24 * time.Hour

// Open opens (creating if needed) the portal database at path, an SQLite
// file (package portal/storage/sqlite).
func Open(path string, opts Options) (*Server, error) {
	st, err := sqlite.Open(path, sqlite.Options{Logger: opts.Logger})
	if err != nil {
		return nil, err
	}
	s, err := New(st, opts)
	if err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

// New makes a portal over st, which it closes with Close.
func New(st storage.Store, opts Options) (*Server, error) {
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
	if opts.OutboxLease <= 0 {
		opts.OutboxLease = defaultOutboxLease
	}
	if opts.IdempotencyRetention < minRetention {
		opts.IdempotencyRetention = minRetention
	}
	opts.AuthFailureLimit = opts.AuthFailureLimit.orDefault(DefaultAuthFailureLimit)
	opts.IntakeLimit = opts.IntakeLimit.orDefault(DefaultIntakeLimit)
	opts.StatusLookupLimit = opts.StatusLookupLimit.orDefault(DefaultStatusLookupLimit)
	s := &Server{
		opts: opts, log: slog.New(requestIDHandler{opts.Logger.Handler()}), now: opts.Now, st: st,
		outboxKick:  make(chan struct{}, 1),
		authLimit:   newLimiter(opts.AuthFailureLimit),
		intakeLimit: newLimiter(opts.IntakeLimit),
		statusLimit: newLimiter(opts.StatusLookupLimit),
		flusherStop: make(chan struct{}),
		flusherDone: make(chan struct{}),
	}
	if opts.LettersDir != "" {
		if err := s.prepareSpool(opts.LettersDir); err != nil {
			return nil, err
		}
	}
	if err := s.loadRouter(); err != nil {
		return nil, err
	}
	s.metrics = opts.Metrics
	if s.metrics == nil {
		s.metrics = noMetrics{}
	}
	go s.runAuthFlusher(s.flusherStop, s.flusherDone)
	return s, nil
}

// Close writes the refused authentications of the current minute, waits
// for pending writes and closes the storage.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		close(s.flusherStop)
		<-s.flusherDone
		s.flushAuthFailures(true)
		s.closeErr = s.st.Close()
	})
	return s.closeErr
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
	csv, err := s.st.ZoneTable(context.Background())
	switch {
	case errors.Is(err, storage.ErrNotFound):
		s.router = complaint.DefaultRouter()
		return nil
	case err != nil:
		return fmt.Errorf("read the imported zone table: %w", err)
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
	err = s.st.SaveZoneTable(context.Background(), csv, s.auditRecord(auditEntry{Officer: by, Kind: "zones_import", Outcome: "ok", Detail: fmt.Sprintf("zones=%d", n)}))
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
	n, err := s.st.PurgeIdempotency(context.Background(), s.now().Add(-s.opts.IdempotencyRetention))
	if err != nil {
		s.log.Error("purge idempotency records", "err", err)
		return
	}
	if n > 0 {
		s.log.Info("purged idempotency records", "count", n)
	}
}
