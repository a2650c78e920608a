package citizen

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Session lifetime: a draft is deleted after IdleTimeout without a request;
// the pages say so, and a request with an expired session gets the expiry
// page rather than a silent fresh start.
const (
	IdleTimeout = 60 * time.Minute
	// maxSessions bounds the memory of the store: past it the session idle
	// for the longest time is dropped to make room.
	maxSessions   = 50_000
	sessionCookie = "guichet_session"
)

// session is one citizen's visit. Everything personal stays here, on the
// server, never in a URL, a cookie or a log.
type session struct {
	mu      sync.Mutex // one request of a session at a time
	key     string     // sha256 of the cookie value
	lastUse time.Time
	draft   *Draft
	// receipt is what remains after filing: enough to answer a double
	// click or a refresh with the same reference.
	receipt *Receipt
}

// sessions is the server-side store, keyed by the hash of the cookie value
// (a memory dump does not give usable cookies).
type sessions struct {
	mu      sync.Mutex
	byKey   map[string]*session
	expired map[string]time.Time // recently expired keys: say so once
	now     func() time.Time
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{byKey: map[string]*session{}, expired: map[string]time.Time{}, now: now}
}

func hashID(id string) string {
	h := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// lookup returns the session of the request's cookie; expired reports a
// cookie whose session ended by inactivity (shown the expiry page once).
func (s *sessions) lookup(r *http.Request) (sess *session, expired bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 43 {
		return nil, false
	}
	key := hashID(c.Value)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	if sess, ok := s.byKey[key]; ok {
		sess.lastUse = now
		return sess, false
	}
	if _, ok := s.expired[key]; ok {
		delete(s.expired, key)
		return nil, true
	}
	return nil, false
}

// create starts a session and sets its cookie on w.
func (s *sessions) create(w http.ResponseWriter, r *http.Request) *session {
	b := make([]byte, 32)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	sess := &session{key: hashID(id), lastUse: now}
	s.mu.Lock()
	if len(s.byKey) >= maxSessions {
		s.dropOldestLocked()
	}
	s.byKey[sess.key] = sess
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: !loopbackRequest(r),
	})
	return sess
}

// end forgets a session at once (its draft is gone with it).
func (s *sessions) end(sess *session) {
	s.mu.Lock()
	delete(s.byKey, sess.key)
	s.mu.Unlock()
}

func (s *sessions) sweepLocked(now time.Time) {
	for k, sess := range s.byKey {
		if now.Sub(sess.lastUse) > IdleTimeout {
			delete(s.byKey, k)
			s.expired[k] = now
		}
	}
	for k, at := range s.expired {
		if now.Sub(at) > 24*time.Hour || len(s.expired) > maxSessions {
			delete(s.expired, k)
		}
	}
}

func (s *sessions) dropOldestLocked() {
	var oldest *session
	for _, sess := range s.byKey {
		if oldest == nil || sess.lastUse.Before(oldest.lastUse) {
			oldest = sess
		}
	}
	if oldest != nil {
		delete(s.byKey, oldest.key)
	}
}

// count is the number of live sessions (tests).
func (s *sessions) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byKey)
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
