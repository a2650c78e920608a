package portal

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
)

// Refused authentications are a security signal, but one audit row per
// refusal lets anyone without an account grow the append-only audit table
// without bound. They are counted in memory per source address, minute,
// officer (the token's, when it is known but revoked or for another zone)
// and outcome, and each count becomes one audit row when its minute is
// over: kind "auth", at = the first refusal, detail = source, count, first
// and last time, and how many were answered 429.

// authFailKey identifies one aggregate.
type authFailKey struct {
	source  string
	minute  int64 // Unix minute
	officer string
	outcome authOutcome
}

// authFailCount is one aggregate.
type authFailCount struct {
	count, limited int
	first, last    time.Time
	zone, field    string
}

// maxAuthFailKeys bounds the aggregates kept in memory between flushes;
// beyond it new sources are counted under "(many sources)".
const maxAuthFailKeys = 10_000

// authFailures holds the open aggregates.
type authFailures struct {
	mu     sync.Mutex
	counts map[authFailKey]*authFailCount
}

// varied is what an aggregate says for a zone or route that differed
// between its refusals.
const varied = "(various)"

func (a *authFailures) note(k authFailKey, at time.Time, zone, field string, limited bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.counts == nil {
		a.counts = map[authFailKey]*authFailCount{}
	}
	c, ok := a.counts[k]
	if !ok {
		if len(a.counts) >= maxAuthFailKeys {
			k.source, k.officer = "(many sources)", ""
			c = a.counts[k]
		}
		if c == nil {
			c = &authFailCount{first: at, zone: zone, field: field}
			a.counts[k] = c
		}
	}
	c.count++
	if limited {
		c.limited++
	}
	c.last = at
	if c.zone != zone {
		c.zone = varied
	}
	if c.field != field {
		c.field = varied
	}
}

// take removes and returns the aggregates of minutes before minute (all of
// them when all is set).
func (a *authFailures) take(minute int64, all bool) map[authFailKey]*authFailCount {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := map[authFailKey]*authFailCount{}
	for k, c := range a.counts {
		if all || k.minute < minute {
			out[k] = c
			delete(a.counts, k)
		}
	}
	return out
}

// refuseAuth answers a request whose token was refused: 401 (403 for
// another zone's path), or 429 with Retry-After once the source address
// has used up its failed authentications. Every refusal is counted into
// the audit trail's aggregates.
func (s *Server) refuseAuth(w http.ResponseWriter, r *http.Request, officer, zone string, outcome authOutcome) {
	now := s.now()
	src := sourceKey(r, s.opts.TrustedProxies)
	ok, retry := true, time.Duration(0)
	if outcome != authOtherZone {
		// A valid token used on another zone's path is not a guess; the
		// officer's own requests must not be slowed by it.
		ok, retry = s.authLimit.allow(src, now)
	}
	s.metrics.AuthFailure(string(outcome))
	s.authFails.note(authFailKey{source: src, minute: now.Unix() / 60, officer: officer, outcome: outcome},
		now, zone, r.Method+" "+r.Pattern, !ok)
	switch {
	case !ok:
		// Still an authentication refusal: a client can tell it from
		// the intake limit.
		w.Header().Set("WWW-Authenticate", `Bearer realm="guichet"`)
		writeTooMany(w, retry, "too many failed authentications from this address; retry later")
	case outcome == authOtherZone:
		writeError(w, http.StatusForbidden, complaint.CodeForbidden, "this token is not for that zone", nil)
	default:
		w.Header().Set("WWW-Authenticate", `Bearer realm="guichet"`)
		writeError(w, http.StatusUnauthorized, complaint.CodeUnauthorized, "missing, unknown or revoked token", nil)
	}
}

// flushAuthFailures writes one audit row per aggregate whose minute is
// over (every aggregate when all is set, at Close).
func (s *Server) flushAuthFailures(all bool) error {
	counts := s.authFails.take(s.now().Unix()/60, all)
	if len(counts) == 0 {
		return nil
	}
	recv := s.now().UTC()
	events := make([]storage.AuditRecord, 0, len(counts))
	for k, c := range counts {
		detail := fmt.Sprintf("source=%s count=%d refused_429=%d first=%s last=%s", k.source, c.count, c.limited,
			c.first.UTC().Format(time.RFC3339Nano), c.last.UTC().Format(time.RFC3339Nano))
		events = append(events, storage.AuditRecord{
			AuditEvent: complaint.AuditEvent{ID: newID(), At: c.first.UTC(), Officer: k.officer, Zone: c.zone, Kind: "auth",
				Field: c.field, Outcome: string(k.outcome), Detail: detail},
			Origin: originPortal, ReceivedAt: recv,
		})
	}
	_, err := s.st.AppendAudit(context.Background(), events)
	if err != nil {
		s.log.Error("audit refused authentications", "err", err, "aggregates", len(counts))
	}
	return err
}

// runAuthFlusher writes the aggregates of each minute shortly after it
// ends, until stop is closed.
func (s *Server) runAuthFlusher(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			s.flushAuthFailures(false)
		}
	}
}
