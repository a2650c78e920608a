package portal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
)

// serve runs one request through the real handler from a given source
// address (no network: 20,000 requests stay fast under -race).
func serve(h http.Handler, method, path, remote, auth string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.RemoteAddr = remote
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestRefusedAuthenticationsAggregatedAndLimited: 20,000 requests with a
// bad token from one address add one audit row per minute (not 20,000),
// are answered 429 with Retry-After after the first 20, and an officer's
// valid token from the same address is never refused meanwhile.
func TestRefusedAuthenticationsAggregatedAndLimited(t *testing.T) {
	// The portal's clock stands still: the run takes 2 s, or a minute and
	// more under -race on a loaded machine, and the figures must not
	// depend on it (with a moving clock the limit refills, 20 a minute,
	// and a run across minutes makes one row per minute).
	at := time.Date(2026, 12, 1, 10, 0, 30, 0, time.UTC)
	tp := newTestPortal(t, Options{Now: func() time.Time { return at }})
	tok, _ := tp.officer("5275", "Agent")
	h := tp.srv.Handler()
	const n = 20_000
	const attacker = "203.0.113.7:40000"
	var got401, got429, officerOK int
	for i := 0; i < n; i++ {
		rec := serve(h, "GET", "/v1/zones/5275/feed?limit=1", attacker, "Bearer guess-"+strconv.Itoa(i), nil)
		switch rec.Code {
		case http.StatusUnauthorized:
			got401++
		case http.StatusTooManyRequests:
			got429++
			if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 60 || rec.Header().Get("WWW-Authenticate") == "" {
				t.Fatalf("429 with Retry-After %q", rec.Header().Get("Retry-After"))
			}
		default:
			t.Fatalf("bad token: %d %s", rec.Code, rec.Body)
		}
		if i%1000 == 999 {
			// The officer works from the same address (a shared NAT).
			if rec := serve(h, "GET", "/v1/zones/5275/feed?limit=1", attacker, "Bearer "+tok, nil); rec.Code != 200 {
				t.Fatalf("officer's request refused after %d bad ones: %d %s", i+1, rec.Code, rec.Body)
			}
			officerOK++
		}
	}
	// Someone else, elsewhere, is not limited by the attacker.
	if rec := serve(h, "GET", "/v1/me", "198.51.100.1:5000", "Bearer nope", nil); rec.Code != http.StatusUnauthorized {
		t.Fatalf("other address: %d", rec.Code)
	}
	if err := tp.srv.flushAuthFailures(true); err != nil {
		t.Fatal(err)
	}
	rows, err := tp.srv.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	added, counted := 0, 0
	for _, e := range rows {
		if e.Kind != "auth" || e.Outcome != string(authBadToken) || !strings.Contains(e.Detail, "source=203.0.113.7 ") {
			continue
		}
		added++
		for _, f := range strings.Fields(e.Detail) {
			if v, ok := strings.CutPrefix(f, "count="); ok {
				c, _ := strconv.Atoi(v)
				counted += c
			}
		}
		if !strings.Contains(e.Detail, "first=") || !strings.Contains(e.Detail, "last=") {
			t.Errorf("aggregate without times: %s", e.Detail)
		}
	}
	t.Logf("%d bad-token requests: %d answered 401, %d answered 429; %d audit rows added; %d officer requests served",
		n, got401, got429, added, officerOK)
	if got401 != 20 || got429 != n-20 {
		t.Errorf("401: %d, 429: %d", got401, got429)
	}
	if added != 1 || counted != n {
		t.Errorf("%d audit rows counting %d refusals, want 1 row counting %d", added, counted, n)
	}
}

// TestAuthFailureLimitConfigurable: the limit refills with time and can be
// set or turned off.
func TestAuthFailureLimitConfigurable(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	tp := newTestPortal(t, Options{Now: clock, AuthFailureLimit: RateLimit{Burst: 3, Per: time.Minute}})
	h := tp.srv.Handler()
	codes := func(k int) string {
		var out []string
		for i := 0; i < k; i++ {
			out = append(out, strconv.Itoa(serve(h, "GET", "/v1/me", "192.0.2.9:1", "Bearer x", nil).Code))
		}
		return strings.Join(out, " ")
	}
	if got := codes(5); got != "401 401 401 429 429" {
		t.Fatalf("codes %s", got)
	}
	mu.Lock()
	now = now.Add(20 * time.Second) // one failure's worth
	mu.Unlock()
	if got := codes(2); got != "401 429" {
		t.Fatalf("after 20 s: %s", got)
	}
	off := newTestPortal(t, Options{AuthFailureLimit: RateLimit{Burst: -1}})
	for i := 0; i < 50; i++ {
		if c := serve(off.srv.Handler(), "GET", "/v1/me", "192.0.2.9:1", "", nil).Code; c != 401 {
			t.Fatalf("limit off: %d", c)
		}
	}
}

// TestIntakeRateLimited: one address files at most the limit, then 429
// with Retry-After and a message in the citizen's language; dry runs and
// other addresses are not limited.
func TestIntakeRateLimited(t *testing.T) {
	tp := newTestPortal(t, Options{IntakeLimit: RateLimit{Burst: 3, Per: time.Hour}})
	h := tp.srv.Handler()
	body := mustJSON(sampleSubmission(time.Now()))
	for i := 0; i < 3; i++ {
		if rec := serve(h, "POST", "/v1/complaints", "192.0.2.1:1000", "", body); rec.Code != http.StatusCreated {
			t.Fatalf("filing %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	req := httptest.NewRequest("POST", "/v1/complaints", bytes.NewReader(body))
	req.RemoteAddr = "192.0.2.1:1001"
	req.Header.Set("Accept-Language", "nl-BE")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("4th filing: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	var eb complaint.ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error.Code != complaint.CodeRateLimited || !strings.Contains(eb.Error.Message, "Probeer het later") {
		t.Fatalf("429 body: %s", rec.Body)
	}
	if ra, _ := strconv.Atoi(rec.Header().Get("Retry-After")); ra < 60 || ra > 20*60 {
		t.Errorf("Retry-After %d s for 3 an hour", ra)
	}
	if rec := serve(h, "POST", "/v1/complaints?dry_run=1", "192.0.2.1:1000", "", body); rec.Code != http.StatusOK {
		t.Errorf("dry run limited: %d", rec.Code)
	}
	if rec := serve(h, "POST", "/v1/complaints", "[2001:db8:1:2::5]:1000", "", body); rec.Code != http.StatusCreated {
		t.Errorf("other address: %d", rec.Code)
	}
	if n := countComplaints(t, tp.srv); n != 4 {
		t.Errorf("%d complaints stored, want 4", n)
	}
	// The default is generous but there is one.
	def := newTestPortal(t, Options{})
	if def.srv.opts.IntakeLimit != DefaultIntakeLimit || DefaultIntakeLimit.Burst < 20 {
		t.Errorf("intake limit %v", def.srv.opts.IntakeLimit)
	}
}

func TestParseRateLimit(t *testing.T) {
	for in, want := range map[string]RateLimit{"20/1m": {20, time.Minute}, "60/1h": {60, time.Hour}, " off ": {Burst: -1}} {
		if got, err := ParseRateLimit(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"", "20", "0/1m", "-1/1m", "20/0s", "x/1m", "20/forever"} {
		if _, err := ParseRateLimit(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestSourceKey(t *testing.T) {
	for remote, want := range map[string]string{
		"192.0.2.1:443":              "192.0.2.1",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:1":   "2001:db8:1:2::/64",
		"[::ffff:192.0.2.1]:80":      "192.0.2.1",
		"not an address":             "(unknown)",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", "203.0.113.9") // no trusted proxy: ignored
		if got := sourceKey(r, nil); got != want {
			t.Errorf("%s: %s, want %s", remote, got, want)
		}
	}
	trusted, err := ParseTrustedProxies("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote string
		xff    []string
		want   string
	}{
		{"127.0.0.1:5000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"127.0.0.1:5000", []string{"203.0.113.66, 198.51.100.7"}, "198.51.100.7"}, // the client's own claim is not believed
		{"127.0.0.1:5000", []string{"198.51.100.7, 10.1.2.3"}, "198.51.100.7"},     // through two proxies
		{"127.0.0.1:5000", []string{"198.51.100.7", "10.1.2.3"}, "198.51.100.7"},   // two headers
		{"127.0.0.1:5000", []string{"garbage, 198.51.100.7"}, "198.51.100.7"},      // garbage left of the client
		{"127.0.0.1:5000", []string{"198.51.100.7, garbage"}, "127.0.0.1"},         // garbage written after the proxies: trust nothing
		{"127.0.0.1:5000", nil, "127.0.0.1"},                                       // a request of the proxy itself
		{"192.0.2.50:5000", []string{"198.51.100.7"}, "192.0.2.50"},                // not a proxy: header ignored
		{"127.0.0.1:5000", []string{"[2001:db8:7:8::1]:443"}, "2001:db8:7:8::/64"}, // with a port
		{"127.0.0.1:5000", []string{"2001:db8:7:8:9::1"}, "2001:db8:7:8::/64"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := sourceKey(r, trusted); got != c.want {
			t.Errorf("%s %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	if _, err := ParseTrustedProxies("10.0.0.0/8,proxy.example"); err == nil {
		t.Error("a host name accepted as a trusted proxy")
	}
}

// TestLimitsBehindProxy: behind a trusted reverse proxy each client has its
// own limit and is named in the audit; without the setting they would all
// share the proxy's.
func TestLimitsBehindProxy(t *testing.T) {
	trusted, _ := ParseTrustedProxies("127.0.0.1")
	at := time.Date(2026, 12, 1, 10, 0, 30, 0, time.UTC)
	tp := newTestPortal(t, Options{Now: func() time.Time { return at }, TrustedProxies: trusted,
		AuthFailureLimit: RateLimit{Burst: 2, Per: time.Minute}})
	h := tp.srv.Handler()
	call := func(client string) int {
		req := httptest.NewRequest("GET", "/v1/me", nil)
		req.RemoteAddr = "127.0.0.1:40000"
		req.Header.Set("X-Forwarded-For", client)
		req.Header.Set("Authorization", "Bearer wrong")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	got := []int{call("198.51.100.1"), call("198.51.100.1"), call("198.51.100.1"), call("198.51.100.2")}
	if fmt.Sprint(got) != "[401 401 429 401]" {
		t.Fatalf("codes %v", got)
	}
	tp.srv.flushAuthFailures(true)
	rows, _ := tp.srv.Audit(AuditFilter{})
	var sources []string
	for _, e := range rows {
		if e.Kind == "auth" {
			sources = append(sources, strings.Fields(e.Detail)[0])
		}
	}
	sort.Strings(sources)
	if fmt.Sprint(sources) != "[source=198.51.100.1 source=198.51.100.2]" {
		t.Errorf("audited sources %v", sources)
	}
}
