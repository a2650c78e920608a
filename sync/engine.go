package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"time"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store"
)

// Engine synchronises one local cache with the portal. Its methods are safe
// for concurrent use; sync rounds never overlap.
type Engine struct {
	opts Options
	base *url.URL
	hc   *http.Client
	st   *store.Store
	hub  stateHub

	// round admits one sync round at a time (a channel, not a mutex, so a
	// waiting caller can give up when its context ends).
	round   chan struct{}
	trigger chan struct{}

	idMu    stdsync.Mutex
	officer complaint.Officer
	zone    complaint.Zone

	// tokenRefused: the portal refused the token (401/403, or the 429 of
	// refused authentications) since the last good round; a 429 is then
	// that limit even when it does not say so.
	tokenRefused atomic.Bool
}

// Me is the answer of GET /v1/me: who the token belongs to.
type Me struct {
	Officer complaint.Officer `json:"officer"`
	Zone    complaint.Zone    `json:"zone"`
}

// New makes an engine for the cache st. It checks the options (server URL
// and scheme, token present) but makes no request: call Hello or SyncOnce.
func New(opts Options, st *store.Store) (*Engine, error) {
	if st == nil {
		return nil, errors.New("sync: no cache")
	}
	e, err := newEngine(opts, st)
	if err != nil {
		return nil, err
	}
	// Until a round of this run ends well, the state says when the cache
	// last received the feed: an officer starting offline on a synced
	// cache is not told it was never synced.
	if last, err := st.LastSync(context.Background()); err == nil && !last.IsZero() {
		e.hub.update(func(s *State) { s.LastSync = last })
	}
	return e, nil
}

// WhoAmI asks the portal who the token belongs to (GET /v1/me) before any
// cache is open, with the engine's rules: https, or http to loopback only
// unless Insecure, and redirects never followed.
func WhoAmI(ctx context.Context, opts Options) (Me, error) {
	e, err := newEngine(opts, nil)
	if err != nil {
		return Me{}, err
	}
	return e.fetchMe(ctx)
}

// newEngine checks the options; st may be nil only for WhoAmI.
func newEngine(opts Options, st *store.Store) (*Engine, error) {
	base, err := checkServer(opts.Server, opts.Insecure)
	if err != nil {
		return nil, err
	}
	opts.Token = strings.TrimSpace(opts.Token)
	if opts.Token == "" {
		return nil, errors.New("no officer token given (--token or GUICHET_TOKEN)")
	}
	if strings.ContainsAny(opts.Token, " \t\r\n") {
		return nil, errors.New("officer token contains white space")
	}
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	if opts.PageSize > maxPageSize {
		opts.PageSize = maxPageSize
	}
	if opts.AuditBatch <= 0 {
		opts.AuditBatch = DefaultAuditBatch
	}
	if !i18n.Supported(opts.Lang) {
		opts.Lang = "en"
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	e := &Engine{
		opts: opts, base: base, hc: hc, st: st,
		round:   make(chan struct{}, 1),
		trigger: make(chan struct{}, 1),
	}
	return e, nil
}

// State returns the current synchronisation state.
func (e *Engine) State() State { return e.hub.get() }

// Subscribe returns a channel holding the current state and then the latest
// state after every change. A slow reader only misses intermediate values;
// it never slows the engine. cancel closes the channel.
func (e *Engine) Subscribe() (<-chan State, func()) { return e.hub.subscribe() }

// DebugLog is the engine's debug log (nil when none), for the program's
// other raw errors.
func (e *Engine) DebugLog() *DebugLog { return e.opts.DebugLog }

// Identity returns the officer and zone learnt by Hello (zero values before).
func (e *Engine) Identity() (complaint.Officer, complaint.Zone) {
	e.idMu.Lock()
	defer e.idMu.Unlock()
	return e.officer, e.zone
}

// Hello asks the portal who the token belongs to (GET /v1/me), checks that
// the cache belongs to the same portal and zone, and records the identity in
// the cache. A refused token gives ErrAuth; a cache of another zone gives
// ErrZoneMismatch.
func (e *Engine) Hello(ctx context.Context) (Me, error) {
	me, err := e.fetchMe(ctx)
	if err != nil {
		e.noteNetwork(err)
		if !errors.Is(err, context.Canceled) {
			e.opts.DebugLog.Error("hello", err)
		}
		return me, err
	}
	id := store.Identity{ServerURL: e.base.String(), Zone: me.Zone.Code, OfficerID: me.Officer.ID, OfficerName: me.Officer.Name}
	if err := e.st.SetIdentity(ctx, id); err != nil {
		if errors.Is(err, store.ErrIdentityMismatch) {
			err = fmt.Errorf("%w (%v)", ErrZoneMismatch, err)
			e.hub.update(func(s *State) { s.AuthFailed, s.Err = true, err })
		}
		return me, err
	}
	e.idMu.Lock()
	e.officer, e.zone = me.Officer, me.Zone
	e.idMu.Unlock()
	return me, nil
}

// fetchMe reads GET /v1/me.
func (e *Engine) fetchMe(ctx context.Context) (Me, error) {
	var me Me
	resp, err := e.do(ctx, http.MethodGet, "/v1/me", nil, "")
	if err != nil {
		return me, err
	}
	defer drainClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return me, e.statusError("GET /v1/me", resp)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&me); err != nil {
		return me, fmt.Errorf("GET /v1/me: bad answer: %w", err)
	}
	if me.Officer.ID == "" || me.Zone.Code == "" {
		return me, errors.New("GET /v1/me: answer without officer or zone")
	}
	return me, nil
}

// SyncOnce runs one round: push the outbox, pull the feed to its end, push
// the audit log. It stops at the first error (the next round resumes where
// this one stopped: nothing is lost or applied twice).
func (e *Engine) SyncOnce(ctx context.Context) (err error) {
	select {
	case e.round <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-e.round }()

	e.hub.update(func(s *State) { s.Syncing, s.Pulled, s.Total = true, 0, 0 })
	defer func() {
		if err != nil && !errors.Is(err, context.Canceled) {
			e.opts.DebugLog.Error("sync round", err)
		}
		e.refreshCounts(context.WithoutCancel(ctx))
		if err == nil {
			e.tokenRefused.Store(false)
		}
		e.hub.update(func(s *State) {
			s.Syncing = false
			s.Err = err
			if err == nil {
				s.Online, s.AuthFailed, s.LastSync = true, false, time.Now()
			}
		})
	}()

	if _, zone := e.Identity(); zone.Code == "" {
		if _, err := e.Hello(ctx); err != nil {
			return err
		}
	}
	if err := e.pushOutbox(ctx); err != nil {
		return err
	}
	if err := e.pull(ctx); err != nil {
		return err
	}
	if err := e.pushAudit(ctx); err != nil {
		return err
	}
	return nil
}

// noteNetwork records what an error says about the link: a refused token
// stops syncing, a network error or 5xx means offline, any other answer
// means the portal is reachable.
func (e *Engine) noteNetwork(err error) {
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	var se *StatusError
	e.hub.update(func(s *State) {
		switch {
		case errors.Is(err, ErrAuth):
			s.AuthFailed, s.Online = true, true
		case errors.As(err, &se) && !se.transient():
			s.Online = true
		default:
			s.Online = false
		}
	})
}

// refreshCounts reads the pending and conflict counts from the cache (two
// small tables: it runs after every round, and must not scan complaints).
func (e *Engine) refreshCounts(ctx context.Context) {
	pending, conflicts, err := e.st.OutboxCounts(ctx)
	if err != nil {
		return
	}
	e.hub.update(func(s *State) { s.Pending, s.Conflicts = pending, conflicts })
}

// do sends one request to the portal with the token.
func (e *Engine) do(ctx context.Context, method, path string, body []byte, idemKey string) (*http.Response, error) {
	u := *e.base
	u.Path = e.base.Path + path
	u.RawPath = ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		u.Path = e.base.Path + path[:i]
		u.RawQuery = path[i+1:]
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+e.opts.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Language", e.opts.Lang)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	return e.hc.Do(req)
}

// statusError reads a non-2xx answer: its error body, Retry-After, and
// whether a 429 is the portal's limit on refused authentications (it says
// WWW-Authenticate, or this engine's token was refused before: an older
// portal may not say it).
func (e *Engine) statusError(op string, resp *http.Response) *StatusError {
	se := &StatusError{Op: op, Status: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	var body complaint.ErrorBody
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&body); err == nil {
		se.API = body.Error
	}
	switch se.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		e.tokenRefused.Store(true)
	case http.StatusTooManyRequests:
		se.AuthLimited = resp.Header.Get("WWW-Authenticate") != "" || e.tokenRefused.Load()
		if se.AuthLimited {
			e.tokenRefused.Store(true)
		}
	}
	return se
}

// drainClose reads a little of what is left so the connection can be
// reused, then closes the body.
func drainClose(rc io.ReadCloser) {
	io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	rc.Close()
}

// zonePath is /v1/zones/{zone} for the token's zone.
func (e *Engine) zonePath() string {
	_, z := e.Identity()
	return "/v1/zones/" + url.PathEscape(z.Code)
}
