package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"guichet/portal/storage"
)

// What the operator sees of a running portal: Prometheus metrics (served
// by MetricsHandler on a listener of its own, never on the API's) and one
// request id on every log line of a request. Label values come from fixed
// sets (route patterns, outcomes, channels, pools): never a reference, a
// zone's data, a name or a token.

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

// metrics are the portal's Prometheus metrics, in a registry of its own
// (one per Server: tests open many).
type metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	intake        *prometheus.CounterVec
	intakeSeconds prometheus.Histogram
	feedSeconds   prometheus.Histogram
	actions       *prometheus.CounterVec
	authFailures  *prometheus.CounterVec
}

// latencyBuckets: 1 ms to about 16 s.
var latencyBuckets = prometheus.ExponentialBuckets(0.001, 2, 15)

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		intake: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_intake_total", Help: "Complaint filings (POST /v1/complaints) by outcome: created, replayed, dry_run, invalid, key_reused, malformed, too_large, rate_limited, error.",
		}, []string{"outcome"}),
		intakeSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "guichet_intake_duration_seconds", Help: "Time to answer POST /v1/complaints, every outcome.", Buckets: latencyBuckets,
		}),
		feedSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "guichet_feed_duration_seconds", Help: "Time to answer a zone's feed page (200 answers).", Buckets: latencyBuckets,
		}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_actions_total", Help: "Officers' actions by type (unknown when refused before it was read) and outcome: ok, replayed, conflict, not_found, invalid, refused, error.",
		}, []string{"action", "outcome"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guichet_auth_failures_total", Help: "Refused officer authentications by reason.",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.requests, m.intake, m.intakeSeconds, m.feedSeconds, m.actions, m.authFailures,
		storageCollector{s}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// MetricsHandler serves GET /metrics in the Prometheus text format. Serve
// it on the operator's network only (guichetd --metrics-addr), not on the
// API's listener.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{Registry: s.metrics.reg})
}

// observe records one answered request.
func (m *metrics) observe(ri *requestInfo, pattern string, status int, d time.Duration) {
	route := pattern
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	switch pattern {
	case routeIntake:
		m.intake.WithLabelValues(intakeOutcome(ri, status)).Inc()
		m.intakeSeconds.Observe(d.Seconds())
	case routeFeed:
		if status == http.StatusOK {
			m.feedSeconds.Observe(d.Seconds())
		}
	case routeActions:
		action := ri.action
		if action == "" {
			action = "unknown"
		}
		m.actions.WithLabelValues(action, actionOutcome(ri, status)).Inc()
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

// storageCollector reads, at each scrape, what only the database knows:
// the confirmations waiting per channel and the connection pools.
type storageCollector struct{ s *Server }

var (
	descOutboxPending = prometheus.NewDesc("guichet_outbox_pending",
		"Confirmations waiting to be sent (not sent, not failed for good), by channel.", []string{"channel"}, nil)
	descOutboxOldest = prometheus.NewDesc("guichet_outbox_oldest_pending_seconds",
		"Age of the oldest confirmation waiting, by channel (0 when none waits).", []string{"channel"}, nil)
	descOutboxUp = prometheus.NewDesc("guichet_outbox_scrape_ok",
		"1 when the outbox could be read for this scrape.", nil, nil)
	descPoolMax = prometheus.NewDesc("guichet_db_pool_max_connections",
		"Largest number of connections the pool opens.", []string{"pool"}, nil)
	descPoolOpen = prometheus.NewDesc("guichet_db_pool_open_connections",
		"Connections open now.", []string{"pool"}, nil)
	descPoolInUse = prometheus.NewDesc("guichet_db_pool_in_use_connections",
		"Connections in use now.", []string{"pool"}, nil)
	descPoolIdle = prometheus.NewDesc("guichet_db_pool_idle_connections",
		"Idle connections now.", []string{"pool"}, nil)
	descPoolWaits = prometheus.NewDesc("guichet_db_pool_wait_total",
		"Times a request waited for a connection.", []string{"pool"}, nil)
	descPoolWaitSeconds = prometheus.NewDesc("guichet_db_pool_wait_seconds_total",
		"Time spent waiting for a connection.", []string{"pool"}, nil)
)

func (c storageCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOutboxPending, descOutboxOldest, descOutboxUp, descPoolMax,
		descPoolOpen, descPoolInUse, descPoolIdle, descPoolWaits, descPoolWaitSeconds} {
		ch <- d
	}
}

func (c storageCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	backlog, err := c.s.outboxBacklog(ctx)
	if err != nil {
		c.s.log.Warn("metrics: read the outbox", "err", err)
		ch <- prometheus.MustNewConstMetric(descOutboxUp, prometheus.GaugeValue, 0)
	} else {
		ch <- prometheus.MustNewConstMetric(descOutboxUp, prometheus.GaugeValue, 1)
		now := c.s.now()
		for _, b := range backlog {
			age := 0.0
			if b.Pending > 0 {
				age = max(now.Sub(b.Oldest).Seconds(), 0)
			}
			ch <- prometheus.MustNewConstMetric(descOutboxPending, prometheus.GaugeValue, float64(b.Pending), b.Channel)
			ch <- prometheus.MustNewConstMetric(descOutboxOldest, prometheus.GaugeValue, age, b.Channel)
		}
	}
	for _, p := range c.s.poolStats() {
		ch <- prometheus.MustNewConstMetric(descPoolMax, prometheus.GaugeValue, float64(p.MaxOpen), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolOpen, prometheus.GaugeValue, float64(p.Open), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolInUse, prometheus.GaugeValue, float64(p.InUse), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolIdle, prometheus.GaugeValue, float64(p.Idle), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolWaits, prometheus.CounterValue, float64(p.WaitCount), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolWaitSeconds, prometheus.CounterValue, p.WaitDuration.Seconds(), p.Pool)
	}
}

// PoolStats describes one connection pool of the portal's database.
type PoolStats = storage.PoolStats

// OutboxBacklog is what waits in one channel of the outbox.
type OutboxBacklog = storage.OutboxBacklog
