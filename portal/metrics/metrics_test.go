package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"guichet/complaint"
	"guichet/portal"
	"guichet/portal/demodata"
)

// TestPrometheusExposition runs a real portal with these metrics, makes it
// answer a feed read, a claim, a refused token and a malformed filing over
// HTTP, and scrapes GET /metrics as Prometheus does: every family is
// there in the text format with its counts, the outbox and the pools are
// read at the scrape, and no label value is anything but one of a fixed
// set — no reference, token or name.
func TestPrometheusExposition(t *testing.T) {
	m := New(nil)
	srv, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"), portal.Options{Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	m.Watch(srv)
	const zone = "5275"
	refs, err := demodata.Seed(context.Background(), srv, zone, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := srv.AddOfficer(zone, "Agent Prometheus")
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(srv.Handler())
	defer api.Close()
	do := func(method, path, token, key string, body []byte, want int) {
		t.Helper()
		req, _ := http.NewRequest(method, api.URL+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
		}
	}
	do("GET", "/v1/zones/"+zone+"/feed?limit=50", tok, "", nil, http.StatusOK)
	claim, _ := json.Marshal(complaint.Action{Type: complaint.ActionClaim})
	do("POST", "/v1/zones/"+zone+"/complaints/"+refs[0]+"/actions", tok, "a-1", claim, http.StatusOK)
	do("GET", "/v1/zones/"+zone+"/feed", "no-such-token", "", nil, http.StatusUnauthorized)
	do("POST", "/v1/complaints", "", "m-1", []byte("{not json"), http.StatusBadRequest)

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	text := rec.Body.String()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("not the Prometheus text format: %v\n%s", err, text)
	}
	value := func(family string, want map[string]string) (float64, bool) {
		f := fams[family]
		if f == nil {
			return 0, false
		}
		for _, s := range f.GetMetric() {
			match := true
			for k, v := range want {
				found := false
				for _, l := range s.GetLabel() {
					if l.GetName() == k && l.GetValue() == v {
						found = true
					}
				}
				match = match && found
			}
			if !match {
				continue
			}
			switch {
			case s.Counter != nil:
				return s.Counter.GetValue(), true
			case s.Gauge != nil:
				return s.Gauge.GetValue(), true
			case s.Histogram != nil:
				return float64(s.Histogram.GetSampleCount()), true
			}
		}
		return 0, false
	}
	for _, c := range []struct {
		family string
		labels map[string]string
		want   float64
	}{
		{"guichet_feed_duration_seconds", nil, 1},
		{"guichet_actions_total", map[string]string{"action": "claim", "outcome": "ok"}, 1},
		{"guichet_auth_failures_total", map[string]string{"outcome": "denied_unknown_token"}, 1},
		{"guichet_intake_total", map[string]string{"outcome": "malformed"}, 1},
		{"guichet_intake_duration_seconds", nil, 1},
		{"guichet_http_requests_total", map[string]string{"route": "GET /v1/zones/{zone}/feed", "code": "200"}, 1},
		{"guichet_outbox_scrape_ok", nil, 1},
		{"guichet_outbox_pending", map[string]string{"channel": "email"}, 0},
		{"guichet_outbox_pending", map[string]string{"channel": "post"}, 0},
	} {
		if got, ok := value(c.family, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.family, c.labels, got, ok, c.want)
		}
	}
	for _, present := range []string{"guichet_outbox_oldest_pending_seconds", "guichet_db_pool_open_connections",
		"guichet_db_pool_in_use_connections", "guichet_db_pool_max_connections", "guichet_db_pool_idle_connections",
		"guichet_db_pool_wait_total", "guichet_db_pool_wait_seconds_total", "go_goroutines", "process_cpu_seconds_total"} {
		if _, ok := value(present, nil); !ok {
			t.Errorf("no %s in the metrics", present)
		}
	}
	for _, secret := range []string{refs[0], tok, "Agent Prometheus", "no-such-token", "m-1", "a-1"} {
		if strings.Contains(text, secret) {
			t.Errorf("the metrics contain %q", secret)
		}
	}
	for name, f := range fams {
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if !allowedLabel(l.GetName(), l.GetValue()) {
					t.Errorf("%s has label %s=%q, which is not one of a fixed set", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
}

// allowedLabel says a label value comes from a fixed set: routes, outcomes,
// channels, pools, status codes, histogram buckets, Go's build info.
func allowedLabel(k, v string) bool {
	switch k {
	case "cause": // promhttp's own errors: encoding, gathering
		return v == "encoding" || v == "gathering"
	case "le", "quantile", "version", "path", "checksum", "goversion", "revision", "branch", "tags", "goos", "goarch",
		"compiler", "gc_gogc", "gc_percent", "gomemlimit", "maxprocs":
		return true
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
