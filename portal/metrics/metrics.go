// Package metrics is the portal's Prometheus instrumentation: a
// portal.Metrics that counts requests, filings, feed reads, actions and
// refused authentications, a collector that reads at each scrape what only
// the database knows (the outbox's backlog, the connection pools), and the
// handler of GET /metrics. Label values come from fixed sets (route
// patterns, outcomes, channels, pools): never a reference, a zone's data,
// a name or a token.
//
// Only guichetd links it (and with it client_golang and protobuf): the
// portal a workstation embeds for `guichet --demo` counts nothing.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"guichet/portal"
)

// Prometheus is the portal's metrics in a registry of their own (one per
// portal: tests open many). Give it as portal.Options.Metrics, then Watch
// the opened portal.
type Prometheus struct {
	reg           *prometheus.Registry
	log           *slog.Logger
	requests      *prometheus.CounterVec
	intake        *prometheus.CounterVec
	intakeSeconds prometheus.Histogram
	feedSeconds   prometheus.Histogram
	actions       *prometheus.CounterVec
	authFailures  *prometheus.CounterVec
}

// latencyBuckets: 1 ms to about 16 s.
var latencyBuckets = prometheus.ExponentialBuckets(0.001, 2, 15)

// New makes the metrics; log receives the scrapes' problems (nil: none).
func New(log *slog.Logger) *Prometheus {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Prometheus{
		reg: prometheus.NewRegistry(),
		log: log,
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
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Request implements portal.Metrics.
func (m *Prometheus) Request(route string, status int) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
}

// Intake implements portal.Metrics.
func (m *Prometheus) Intake(outcome string, d time.Duration) {
	m.intake.WithLabelValues(outcome).Inc()
	m.intakeSeconds.Observe(d.Seconds())
}

// Feed implements portal.Metrics.
func (m *Prometheus) Feed(d time.Duration) { m.feedSeconds.Observe(d.Seconds()) }

// Action implements portal.Metrics.
func (m *Prometheus) Action(action, outcome string) { m.actions.WithLabelValues(action, outcome).Inc() }

// AuthFailure implements portal.Metrics.
func (m *Prometheus) AuthFailure(outcome string) { m.authFailures.WithLabelValues(outcome).Inc() }

// Source is what the scrapes read of a portal (*portal.Server has it).
type Source interface {
	OutboxBacklog(ctx context.Context) ([]portal.OutboxBacklog, error)
	PoolStats() []portal.PoolStats
	Now() time.Time
}

// Watch adds what only src's database knows to the metrics, read at each
// scrape: the confirmations waiting per channel and the connection pools.
func (m *Prometheus) Watch(src Source) {
	m.reg.MustRegister(storageCollector{src: src, log: m.log})
}

// Handler serves GET /metrics in the Prometheus text format. Serve it on
// the operator's network only (guichetd --metrics-addr), not on the API's
// listener.
func (m *Prometheus) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// storageCollector reads, at each scrape, what only the database knows.
type storageCollector struct {
	src Source
	log *slog.Logger
}

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
	backlog, err := c.src.OutboxBacklog(ctx)
	if err != nil {
		c.log.Warn("metrics: read the outbox", "err", err)
		ch <- prometheus.MustNewConstMetric(descOutboxUp, prometheus.GaugeValue, 0)
	} else {
		ch <- prometheus.MustNewConstMetric(descOutboxUp, prometheus.GaugeValue, 1)
		now := c.src.Now()
		for _, b := range backlog {
			age := 0.0
			if b.Pending > 0 {
				age = max(now.Sub(b.Oldest).Seconds(), 0)
			}
			ch <- prometheus.MustNewConstMetric(descOutboxPending, prometheus.GaugeValue, float64(b.Pending), b.Channel)
			ch <- prometheus.MustNewConstMetric(descOutboxOldest, prometheus.GaugeValue, age, b.Channel)
		}
	}
	for _, p := range c.src.PoolStats() {
		ch <- prometheus.MustNewConstMetric(descPoolMax, prometheus.GaugeValue, float64(p.MaxOpen), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolOpen, prometheus.GaugeValue, float64(p.Open), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolInUse, prometheus.GaugeValue, float64(p.InUse), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolIdle, prometheus.GaugeValue, float64(p.Idle), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolWaits, prometheus.CounterValue, float64(p.WaitCount), p.Pool)
		ch <- prometheus.MustNewConstMetric(descPoolWaitSeconds, prometheus.CounterValue, p.WaitDuration.Seconds(), p.Pool)
	}
}
