package portal

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
)

// countingMetrics counts what the portal tells its Metrics, by the same
// names and labels as the Prometheus metrics of package portal/metrics,
// and keeps every label value it was given.
type countingMetrics struct {
	mu     sync.Mutex
	counts map[string]float64 // "family label=value,label=value"
	labels [][2]string
}

func (m *countingMetrics) add(family string, labels ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.counts == nil {
		m.counts = map[string]float64{}
	}
	key := family
	for i := 0; i+1 < len(labels); i += 2 {
		key += " " + labels[i] + "=" + labels[i+1]
		m.labels = append(m.labels, [2]string{labels[i], labels[i+1]})
	}
	m.counts[key]++
}

func (m *countingMetrics) count(key string) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.counts[key]
}

func (m *countingMetrics) Request(route string, status int) {
	m.add("guichet_http_requests_total", "route", route, "code", strconv.Itoa(status))
}

func (m *countingMetrics) Intake(outcome string, d time.Duration) {
	m.add("guichet_intake_total", "outcome", outcome)
	m.add("guichet_intake_duration_seconds")
}

func (m *countingMetrics) Feed(d time.Duration) { m.add("guichet_feed_duration_seconds") }

func (m *countingMetrics) Action(action, outcome string) {
	m.add("guichet_actions_total", "action", action, "outcome", outcome)
}

func (m *countingMetrics) AuthFailure(outcome string) {
	m.add("guichet_auth_failures_total", "outcome", outcome)
}

// TestMetricsCountWhatThePortalDoes: the portal tells its Metrics every
// filing, feed read, action and refused token, with its outcome, and the
// outbox and pools it reports to the operator; no label value is anything
// but one of a fixed set. (Package portal/metrics turns them into
// Prometheus metrics: TestPrometheusExposition.)
func TestMetricsCountWhatThePortalDoes(t *testing.T) {
	m := &countingMetrics{}
	tp := newTestPortal(t, Options{Metrics: m})
	tok, _ := tp.officer("5275", "Agent Metrics")
	tok2, _ := tp.officer("5275", "Agent Second")
	sub := sampleSubmission(time.Now())

	// Two filings, one replayed, one invalid, one dry run.
	r := tp.do("POST", "/v1/complaints?lang=fr", "", "m-1", mustJSON(sub))
	if r.Status != http.StatusCreated {
		t.Fatalf("intake: %d %s", r.Status, r.Body)
	}
	var rc complaint.IntakeReceipt
	r.decode(t, &rc)
	if r := tp.do("POST", "/v1/complaints?lang=fr", "", "m-1", mustJSON(sub)); r.Status != http.StatusCreated {
		t.Fatalf("replay: %d", r.Status)
	}
	if r := tp.do("POST", "/v1/complaints?lang=fr", "", "m-2", mustJSON(sub)); r.Status != http.StatusCreated {
		t.Fatalf("second intake: %d", r.Status)
	}
	bad := *sub
	bad.FactType = "no_such_type"
	if r := tp.do("POST", "/v1/complaints?lang=fr", "", "m-3", mustJSON(&bad)); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid intake: %d", r.Status)
	}
	if r := tp.do("POST", "/v1/complaints?lang=fr&dry_run=1", "", "", mustJSON(sub)); r.Status != http.StatusOK {
		t.Fatalf("dry run: %d", r.Status)
	}
	// A feed read, a claim that wins and one that conflicts, two refused
	// tokens.
	if _, r := tp.feed("5275", tok, "", 50); r.Status != http.StatusOK {
		t.Fatalf("feed: %d", r.Status)
	}
	if r := tp.action("5275", rc.Reference, tok, "a-1", complaint.Action{Type: complaint.ActionClaim}); r.Status != http.StatusOK {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	if r := tp.action("5275", rc.Reference, tok2, "a-2", complaint.Action{Type: complaint.ActionClaim}); r.Status != http.StatusConflict {
		t.Fatalf("second claim: %d %s", r.Status, r.Body)
	}
	if r := tp.action("5275", rc.Reference, tok, "a-3", complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"}); r.Status != http.StatusOK {
		t.Fatalf("handle: %d %s", r.Status, r.Body)
	}
	tp.do("GET", "/v1/zones/5275/feed", "no-such-token", "", nil)
	tp.do("GET", "/v1/zones/5275/feed", "", "", nil)

	checks := []struct {
		key  string
		want float64
	}{
		{"guichet_intake_total outcome=created", 2},
		{"guichet_intake_total outcome=replayed", 1},
		{"guichet_intake_total outcome=invalid", 1},
		{"guichet_intake_total outcome=dry_run", 1},
		{"guichet_intake_duration_seconds", 5},
		{"guichet_feed_duration_seconds", 1},
		{"guichet_actions_total action=claim outcome=ok", 1},
		{"guichet_actions_total action=claim outcome=conflict", 1},
		{"guichet_auth_failures_total outcome=denied_unknown_token", 1},
		{"guichet_auth_failures_total outcome=denied_no_token", 1},
		{"guichet_actions_total action=handle outcome=ok", 1},
		{"guichet_http_requests_total route=POST /v1/complaints code=201", 3},
	}
	for _, c := range checks {
		if got := m.count(c.key); got != c.want {
			t.Errorf("%s = %v, want %v", c.key, got, c.want)
		}
	}
	// The citizen's confirmation of the handled complaint waits (no SMTP
	// configured); the pools are described.
	backlog, err := tp.srv.OutboxBacklog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pending := map[string]int{}
	for _, b := range backlog {
		pending[b.Channel] = b.Pending
		if b.Channel == "email" && (b.Oldest.IsZero() || time.Since(b.Oldest) > 10*time.Minute) {
			t.Errorf("oldest pending e-mail: %v", b.Oldest)
		}
	}
	if len(pending) != 2 || pending["email"] != 1 || pending["post"] != 0 {
		t.Errorf("outbox backlog %+v, want 1 e-mail and no letter", backlog)
	}
	if pools := tp.srv.PoolStats(); len(pools) == 0 || pools[0].MaxOpen == 0 {
		t.Errorf("pool stats: %+v", pools)
	}

	// No personal data, reference or token in any label value.
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, l := range m.labels {
		if !allowedLabel(l[0], l[1]) {
			t.Errorf("label %s=%q is not one of a fixed set", l[0], l[1])
		}
		for _, secret := range []string{rc.Reference, tok, tok2, sub.Complainant.LastName, sub.Complainant.FirstName,
			sub.Complainant.Email, sub.Complainant.Identification.NationalNumber, "Agent Metrics", "no-such-token", "m-1", "a-1"} {
			if strings.Contains(l[1], secret) {
				t.Errorf("label %s=%q contains %q", l[0], l[1], secret)
			}
		}
	}
}

// allowedLabel says a label value the portal gives its Metrics comes from
// a fixed set: routes, status codes, outcomes, actions, channels, pools.
// (The Prometheus exposition's own labels are checked in portal/metrics.)
func allowedLabel(k, v string) bool {
	switch k {
	case "code":
		return len(v) == 3
	case "route":
		return v == "unmatched" || strings.HasPrefix(v, "GET /v1/") || strings.HasPrefix(v, "POST /v1/")
	case "outcome", "action", "channel", "pool":
		for _, r := range v {
			if !(r >= 'a' && r <= 'z' || r == '_') {
				return false
			}
		}
		return len(v) <= 32
	}
	return false
}

func TestMetricsListenOnlyWhereAsked(t *testing.T) {
	tp := newTestPortal(t, Options{})
	// The API's handler does not serve the metrics: they are for the
	// operator's network, on their own listener (guichetd --metrics-addr).
	if r := tp.do("GET", "/metrics", "", "", nil); r.Status != http.StatusNotFound {
		t.Errorf("GET /metrics on the API: %d, want 404", r.Status)
	}
}

func TestEveryRequestLogLineCarriesItsRequestID(t *testing.T) {
	var logs lockedBuffer
	tp := newTestPortal(t, Options{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	tok, _ := tp.officer("5275", "Agent Log")
	send := func(method, path, token string, body []byte, header map[string]string) string {
		t.Helper()
		req, _ := http.NewRequest(method, tp.http.URL+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		id := resp.Header.Get("X-Request-Id")
		if id == "" {
			t.Fatalf("%s %s: no X-Request-Id in the answer", method, path)
		}
		return id
	}
	ids := map[string]bool{}
	ids[send("POST", "/v1/complaints?lang=fr", "", mustJSON(sampleSubmission(time.Now())), map[string]string{"Idempotency-Key": "l-1"})] = true
	ids[send("GET", "/v1/zones/5275/feed", tok, nil, nil)] = true
	ids[send("GET", "/v1/nowhere", "", nil, nil)] = true
	// A proxy's request id is kept when it is a plain token; anything else
	// (it could carry anything into the logs) is replaced.
	if got := send("GET", "/v1/healthz", "", nil, map[string]string{"X-Request-Id": "lb-7f3a9c"}); got != "lb-7f3a9c" {
		t.Errorf("a proxy's X-Request-Id became %q", got)
	}
	ids["lb-7f3a9c"] = true
	if got := send("GET", "/v1/healthz", "", nil, map[string]string{"X-Request-Id": "bad id\"with quotes"}); strings.ContainsAny(got, " \"") {
		t.Errorf("a malformed X-Request-Id was kept: %q", got)
	} else {
		ids[got] = true
	}
	// A failing request logs twice (the error and the request line): the
	// database is gone.
	tp.store.fail()
	ids[send("GET", "/v1/zones/5275/feed", tok, nil, nil)] = true
	if len(ids) != 6 {
		t.Fatalf("request ids are not distinct: %v", ids)
	}

	seen := map[string]int{}
	errorLines := 0
	for _, line := range logs.lines(t) {
		id, _ := line["request_id"].(string)
		if line["msg"] == "request" || line["msg"] == "request failed" {
			if id == "" {
				t.Errorf("log line without request_id: %v", line)
				continue
			}
			if !ids[id] {
				t.Errorf("log line with request_id %q that no answer carried: %v", id, line)
			}
			seen[id]++
		}
		if line["msg"] == "request failed" {
			errorLines++
		}
	}
	for id := range ids {
		if seen[id] == 0 {
			t.Errorf("request %s left no log line", id)
		}
	}
	if errorLines == 0 {
		t.Error("the failing request logged no error line")
	}
}

func TestReadyzSaysWhetherThePortalCanServe(t *testing.T) {
	tp := newTestPortal(t, Options{})
	r := tp.do("GET", "/v1/readyz", "", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("readyz on a fresh portal: %d %s", r.Status, r.Body)
	}
	var ready struct {
		Status        string `json:"status"`
		SchemaVersion int    `json:"schema_version"`
		Expected      int    `json:"expected_schema_version"`
	}
	r.decode(t, &ready)
	if ready.Status != "ready" || ready.SchemaVersion != ready.Expected || ready.Expected < 1 {
		t.Errorf("readyz = %+v", ready)
	}

	// A database at another schema version (another guichetd version
	// migrated it, or a migration has not run): not ready.
	tp.store.setSchemaBehind(1)
	r = tp.do("GET", "/v1/readyz", "", "", nil)
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(string(r.Body), "schema") {
		t.Errorf("readyz with an old schema: %d %s", r.Status, r.Body)
	}
	if h := tp.do("GET", "/v1/healthz", "", "", nil); h.Status != http.StatusOK {
		t.Errorf("healthz with an old schema: %d (the process is alive)", h.Status)
	}
	tp.store.setSchemaBehind(0)

	// The database is gone: not ready.
	tp.store.fail()
	r = tp.do("GET", "/v1/readyz", "", "", nil)
	if r.Status != http.StatusServiceUnavailable {
		t.Errorf("readyz without a database: %d %s", r.Status, r.Body)
	}
}
