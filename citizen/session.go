package citizen

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"guichet/fas"
	"guichet/portal/storage"
)

// Session lifetime: a draft is deleted after IdleTimeout without a request;
// the pages say so, and a request with an expired session gets the expiry
// page rather than a silent fresh start.
const (
	IdleTimeout = 60 * time.Minute
	// forgetAfter is how long the key of an expired session is kept, so
	// that the citizen coming back is told the answers were deleted.
	forgetAfter = 24 * time.Hour
	// sweepEvery is how often expired sessions are erased.
	sweepEvery = time.Minute
	// renewEvery: a session's stored last use moves to a request's time
	// only once it is this old (or a sixtieth of a shorter idle time). A
	// page read again sooner, with nothing changed, writes nothing
	// (writing it back cost about a millisecond of the database's single
	// writer on every page view); the pages say the end that follows
	// from the stored last use, so they stay exact. The keep-alive
	// button renews at once.
	renewEvery    = time.Minute
	sessionCookie = "guichet_session"
)

// session is one citizen's visit. Everything personal stays here, on the
// server (the portal's database), never in a URL, a cookie or a log.
type session struct {
	key string // sha256 of the cookie value
	// lastUse is the last use as stored (the time it was made, for a
	// new session); stored, the data as read (nil for a new session).
	lastUse time.Time
	stored  []byte
	// renew: this request stores its own time as the last use (the
	// keep-alive), however recent the stored one.
	renew bool
	draft *Draft
	// receipt is what remains after filing: enough to answer a double
	// click or a refresh with the same reference.
	receipt *Receipt
}

// sessions keeps the sessions in the portal's database
// (storage.FormSessions), keyed by the hash of the cookie value: any node
// of the portal continues a draft another one started. A session is read
// at the start of a request, locked in this process for the request, and
// written back before the answer leaves (sessionScope).
type sessions struct {
	// cookie makes the session cookie (Form.cookie).
	cookie    func(r *http.Request, name, value string) *http.Cookie
	store     storage.FormSessions
	now       func() time.Time
	idle      time.Duration // Options.IdleTimeout
	log       *slog.Logger
	locks     keyLocks
	lastSweep atomic.Int64 // unix ms of the last expiry sweep
}

func newSessions(store storage.FormSessions, now func() time.Time, idle time.Duration, log *slog.Logger) *sessions {
	return &sessions{store: store, now: now, idle: idle, log: log}
}

func hashID(id string) string {
	h := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// storedSession is a session as the database keeps it.
type storedSession struct {
	Draft   *storedDraft `json:"draft,omitempty"`
	Receipt *Receipt     `json:"receipt,omitempty"`
}

// storedDraft is a Draft with the state its pages keep to themselves.
type storedDraft struct {
	*Draft
	PendingID   *fas.Pending    `json:"pending_identification,omitempty"`
	AssertionAt time.Time       `json:"assertion_at"`
	Done        map[string]bool `json:"done"`
}

func encodeSession(sess *session) ([]byte, error) {
	st := storedSession{Receipt: sess.receipt}
	if d := sess.draft; d != nil {
		st.Draft = &storedDraft{Draft: d, PendingID: d.pendingID, AssertionAt: d.assertionAt, Done: d.done}
	}
	return json.Marshal(st)
}

func decodeSession(key string, data []byte, lastUse time.Time) (*session, error) {
	var st storedSession
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, err
	}
	sess := &session{key: key, lastUse: lastUse, receipt: st.Receipt}
	if sd := st.Draft; sd != nil && sd.Draft != nil {
		d := sd.Draft
		d.pendingID, d.assertionAt, d.done = sd.PendingID, sd.AssertionAt, sd.Done
		if d.done == nil {
			d.done = map[string]bool{}
		}
		if d.Details == nil {
			d.Details = map[string]string{}
		}
		if d.ItemRows == nil {
			d.ItemRows = map[string]int{}
		}
		sess.draft = d
	}
	return sess, nil
}

// requestSessions are the sessions a request opened, written back by
// sessionScope when its handler returns.
type requestSessions struct {
	byKey map[string]*session
}

type scopeKey struct{}

func scopeOf(r *http.Request) *requestSessions {
	rs, _ := r.Context().Value(scopeKey{}).(*requestSessions)
	return rs
}

// lookup returns the session of the request's cookie, locked for the
// request; expired reports a cookie whose session ended by inactivity
// (shown the expiry page once). err is a database failure.
func (s *sessions) lookup(r *http.Request) (sess *session, expired bool, err error) {
	c, cerr := r.Cookie(sessionCookie)
	if cerr != nil || len(c.Value) != 43 {
		return nil, false, nil
	}
	key := hashID(c.Value)
	rs := scopeOf(r)
	if rs == nil {
		return nil, false, errors.New("citizen: session outside sessionScope")
	}
	if sess := rs.byKey[key]; sess != nil {
		return sess, false, nil
	}
	ctx := r.Context()
	now := s.now()
	s.locks.lock(key)
	fs, err := s.store.FormSession(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		s.locks.unlock(key)
		return nil, false, nil
	}
	if err != nil {
		s.locks.unlock(key)
		return nil, false, err
	}
	if fs.Data == nil || now.Sub(fs.LastUse) > s.idle {
		// Said once: the key is forgotten now.
		err := s.store.DeleteFormSession(ctx, key)
		s.locks.unlock(key)
		return nil, err == nil, err
	}
	sess, err = decodeSession(key, fs.Data, fs.LastUse)
	if err != nil {
		// A draft this version cannot read: the citizen starts again.
		s.log.Error("form session unreadable", "err", err)
		s.store.DeleteFormSession(ctx, key)
		s.locks.unlock(key)
		return nil, true, nil
	}
	sess.stored = fs.Data
	rs.byKey[key] = sess
	return sess, false, nil
}

// renewedAt is the last use sess is stored with when a request at now
// ends: now, unless the stored one is younger than renewEvery (or a
// sixtieth of the idle time, when shorter) and the request does not renew
// it. The answers are kept until it plus the idle time.
func (s *sessions) renewedAt(sess *session, now time.Time) time.Time {
	if sess.stored != nil && !sess.renew && now.Sub(sess.lastUse) < min(renewEvery, s.idle/60) {
		return sess.lastUse
	}
	return now
}

// create starts a session and sets its cookie on w; it is stored when the
// request ends.
func (s *sessions) create(w http.ResponseWriter, r *http.Request) *session {
	b := make([]byte, 32)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	sess := &session{key: hashID(id), lastUse: s.now()}
	s.locks.lock(sess.key)
	scopeOf(r).byKey[sess.key] = sess
	http.SetCookie(w, s.cookie(r, sessionCookie, id))
	return sess
}

// finish writes back the sessions of a request and unlocks them; the
// first error is returned, after every one was tried.
func (s *sessions) finish(ctx context.Context, rs *requestSessions) error {
	var first error
	now := s.now()
	for key, sess := range rs.byKey {
		data, err := encodeSession(sess)
		lastUse := s.renewedAt(sess, now)
		if err == nil && (!lastUse.Equal(sess.lastUse) || !bytes.Equal(data, sess.stored)) {
			err = s.store.SaveFormSession(ctx, storage.FormSession{Key: key, Data: data, LastUse: lastUse})
		}
		if err != nil && first == nil {
			first = err
		}
		s.locks.unlock(key)
	}
	return first
}

// sweep erases the sessions idle for longer than IdleTimeout (at most once
// every sweepEvery, by whichever request of the form comes).
func (s *sessions) sweep(ctx context.Context, now time.Time) {
	last := s.lastSweep.Load()
	if now.UnixMilli()-last < sweepEvery.Milliseconds() || !s.lastSweep.CompareAndSwap(last, now.UnixMilli()) {
		return
	}
	if _, _, err := s.store.ExpireFormSessions(ctx, now.Add(-s.idle), now.Add(-forgetAfter)); err != nil {
		s.log.Error("expire form sessions", "err", err)
	}
}

// sessionScope runs a request of the form with its sessions: the answer
// is held back until they are written, so that a page never says an
// answer was kept when the database did not keep it (the citizen then
// gets the error page instead).
func (f *Form) sessionScope(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.sessions.sweep(r.Context(), f.now())
		rs := &requestSessions{byKey: map[string]*session{}}
		r = r.WithContext(context.WithValue(r.Context(), scopeKey{}, rs))
		bw := &heldResponse{header: w.Header(), status: http.StatusOK}
		func() {
			defer func() {
				if p := recover(); p != nil {
					f.sessions.finish(context.WithoutCancel(r.Context()), rs)
					panic(p)
				}
			}()
			next.ServeHTTP(bw, r)
		}()
		if err := f.sessions.finish(context.WithoutCancel(r.Context()), rs); err != nil {
			f.log.Error("store form session", "err", err)
			h := w.Header()
			h.Del("Location")
			h.Del("Set-Cookie")
			f.renderMessage(w, r, pageLanguage(r), http.StatusServiceUnavailable, "error_title", "error_body")
			return
		}
		if !bw.wrote {
			return
		}
		w.WriteHeader(bw.status)
		w.Write(bw.body.Bytes())
	})
}

// heldResponse keeps an answer until the sessions are stored.
type heldResponse struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if !h.wrote {
		h.status, h.wrote = status, true
	}
}

func (h *heldResponse) Write(p []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return h.body.Write(p)
}

// keyLocks lets one request of a session run at a time in this process
// (a double click waits for the first click's answer).
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

func (k *keyLocks) lock(key string) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyLock{}
	}
	l := k.m[key]
	if l == nil {
		l = &keyLock{}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()
	l.mu.Lock()
}

func (k *keyLocks) unlock(key string) {
	k.mu.Lock()
	l := k.m[key]
	l.refs--
	if l.refs == 0 {
		delete(k.m, key)
	}
	k.mu.Unlock()
	l.mu.Unlock()
}

// loopbackRequest reports whether the request came to a loopback host
// (the only place a cookie without Secure is acceptable: a developer's
// machine over plain HTTP). Behind TLS the cookie is always Secure.
func loopbackRequest(r *http.Request) bool {
	if r.TLS != nil {
		return false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
