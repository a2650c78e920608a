package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"guichet/portal/storage"
)

// What the operator sees of a running portal: what it counts (Metrics;
// Prometheus in package portal/metrics, served by guichetd on a listener of
// its own, never on the API's) and one request id on every log line of a
// request.

// requestInfo is what the middleware and the handler of one request share:
// its id for the logs and what the metrics need to know of its outcome.
type requestInfo struct {
	id     string
	action string // the action's type, once validated
	dryRun bool
	replay bool // the answer was the stored one of an earlier request
}

type requestInfoKey struct{}

// requestInfoFrom is the request's info; outside the middleware (a
// handler called directly) a blank one that nobody reads.
func requestInfoFrom(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

// noteReplay marks the request's answer as an idempotent replay.
func noteReplay(r *http.Request, resp storedResponse) {
	if resp.Replayed {
		requestInfoFrom(r.Context()).replay = true
	}
}

// requestID keeps a proxy's X-Request-Id when it is a plain token (so one
// id follows a request through the load balancer and the portal), else
// makes a new one.
func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); len(id) > 0 && len(id) <= 64 {
		ok := true
		for i := 0; i < len(id); i++ {
			c := id[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				ok = false
				break
			}
		}
		if ok {
			return id
		}
	}
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// requestIDHandler adds the request id to every record logged with a
// request's context (s.log.InfoContext(r.Context(), ...)).
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, rec slog.Record) error {
	if ri, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		rec.AddAttrs(slog.String("request_id", ri.id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// Route patterns the metrics look at.
const (
	routeIntake  = "POST /v1/complaints"
	routeFeed    = "GET /v1/zones/{zone}/feed"
	routeActions = "POST /v1/zones/{zone}/complaints/{ref}/actions"
)

// Metrics receives what the portal counts for its operator, from fixed
// sets of label values only (route patterns, outcomes, action types,
// reasons): never a reference, a zone's data, a name or a token. Give one
// as Options.Metrics; without it the portal counts nothing. Package
// portal/metrics implements it with Prometheus (guichetd
// --metrics-addr), so that only guichetd links Prometheus: the portal a
// workstation embeds for its demo does not.
type Metrics interface {
	// Request is one answered request: its route pattern ("unmatched"
	// when none matched) and status code.
	Request(route string, status int)
	// Intake is one answered filing (POST /v1/complaints): its outcome
	// (created, replayed, dry_run, invalid, key_reused, malformed,
	// too_large, rate_limited, error, other) and the time to answer.
	Intake(outcome string, d time.Duration)
	// Feed is one zone's feed page answered 200, and its time.
	Feed(d time.Duration)
	// Action is one officer's action: its type ("unknown" when refused
	// before it was read) and outcome (ok, replayed, conflict, not_found,
	// invalid, refused, error, other).
	Action(action, outcome string)
	// AuthFailure is one refused officer authentication, by reason.
	AuthFailure(outcome string)
}

// noMetrics counts nothing: the portal without Options.Metrics.
type noMetrics struct{}

func (noMetrics) Request(string, int)          {}
func (noMetrics) Intake(string, time.Duration) {}
func (noMetrics) Feed(time.Duration)           {}
func (noMetrics) Action(string, string)        {}
func (noMetrics) AuthFailure(string)           {}

// observe tells the metrics of one answered request.
func (s *Server) observe(ri *requestInfo, pattern string, status int, d time.Duration) {
	route := pattern
	if route == "" {
		route = "unmatched"
	}
	s.metrics.Request(route, status)
	switch pattern {
	case routeIntake:
		s.metrics.Intake(intakeOutcome(ri, status), d)
	case routeFeed:
		if status == http.StatusOK {
			s.metrics.Feed(d)
		}
	case routeActions:
		action := ri.action
		if action == "" {
			action = "unknown"
		}
		s.metrics.Action(action, actionOutcome(ri, status))
	}
}

func intakeOutcome(ri *requestInfo, status int) string {
	switch {
	case ri.replay && status == http.StatusCreated:
		return "replayed"
	case status == http.StatusCreated:
		return "created"
	case status == http.StatusOK && ri.dryRun:
		return "dry_run"
	case ri.replay && status == http.StatusUnprocessableEntity:
		return "key_reused"
	case status == http.StatusUnprocessableEntity:
		return "invalid"
	case status == http.StatusBadRequest:
		return "malformed"
	case status == http.StatusRequestEntityTooLarge:
		return "too_large"
	case status == http.StatusTooManyRequests:
		return "rate_limited"
	case status >= 500:
		return "error"
	}
	return "other"
}

func actionOutcome(ri *requestInfo, status int) string {
	switch {
	case status == http.StatusOK && ri.replay:
		return "replayed"
	case status == http.StatusOK:
		return "ok"
	case status == http.StatusConflict:
		return "conflict"
	case status == http.StatusNotFound:
		return "not_found"
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity || status == http.StatusRequestEntityTooLarge:
		return "invalid"
	case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusTooManyRequests:
		return "refused"
	case status >= 500:
		return "error"
	}
	return "other"
}

// OutboxBacklog says, per channel (email and post always), how many
// confirmations wait and since when: for the operator's metrics.
func (s *Server) OutboxBacklog(ctx context.Context) ([]OutboxBacklog, error) {
	return s.outboxBacklog(ctx)
}

// PoolStats describes the database's connection pools: for the
// operator's metrics.
func (s *Server) PoolStats() []PoolStats { return s.poolStats() }

// PoolStats describes one connection pool of the portal's database.
type PoolStats = storage.PoolStats

// OutboxBacklog is what waits in one channel of the outbox.
type OutboxBacklog = storage.OutboxBacklog
