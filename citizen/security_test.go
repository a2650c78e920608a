package citizen

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/portal"
	"guichet/portal/storage"
)

func TestSecurityHeaders(t *testing.T) {
	ts := newTestSite(t, Options{FrameAncestors: []string{"https://www.police.be", "https://www.zpz-ottignies.be"}}, portal.Options{})
	b := ts.browser()
	for _, path := range []string{"/fr/", "/fr/eligibility", "/fr/status", "/fr/nothing"} {
		b.get(path)
		h := b.last.Header
		want := "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self' https://www.police.be https://www.zpz-ottignies.be"
		if got := h.Get("Content-Security-Policy"); got != want {
			t.Errorf("%s: CSP %q, want %q", path, got, want)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "Referrer-Policy": "same-origin"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), v)
			}
		}
		// No third-party request: every URL of the page is this site's.
		for _, m := range regexp.MustCompile(`(?:href|src|action)="([^"]*)"`).FindAllStringSubmatch(b.body, -1) {
			if !strings.HasPrefix(m[1], "/") && !strings.HasPrefix(m[1], "#") {
				t.Errorf("%s: a URL leaves the site: %s", path, m[1])
			}
		}
		// The one script is the site's own file (the session's end notice).
		if regexp.MustCompile(`<script(?: [^>]*)?>[^<]`).MatchString(b.body) || strings.Contains(b.body, " style=") ||
			regexp.MustCompile(` on[a-z]+=`).MatchString(b.body) {
			t.Errorf("%s: inline script or style", path)
		}
	}
	b.get("/assets/site.css")
	if strings.Contains(b.body, "url(") || strings.Contains(b.body, "@import") {
		t.Error("the stylesheet loads something")
	}
	// The script talks to the form only, through the page's own path.
	b.get("/assets/session.js")
	if b.last.StatusCode != 200 || !strings.HasPrefix(b.last.Header.Get("Content-Type"), "text/javascript") ||
		regexp.MustCompile(`https?:|//[a-z]|eval\(|innerHTML|document\.write`).MatchString(b.body) {
		t.Errorf("session.js: %d %s, or it loads or injects something", b.last.StatusCode, b.last.Header.Get("Content-Type"))
	}
	if _, err := New(ts.srv, Options{FrameAncestors: []string{"http://evil.example"}}); err == nil {
		t.Error("a plain-http frame ancestor was accepted")
	}
	if _, err := New(ts.srv, Options{FrameAncestors: []string{"https://a.example; script-src *"}}); err == nil {
		t.Error("a frame ancestor that injects a directive was accepted")
	}
}

func TestSessionCookie(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	for _, tc := range []struct {
		host   string
		secure bool
	}{{"127.0.0.1:8080", false}, {"localhost:8080", false}, {"[::1]:8080", false}, {"guichet.police.be", true}} {
		req := httptest.NewRequest("GET", "http://"+tc.host+"/fr/eligibility", nil)
		rec := httptest.NewRecorder()
		ts.form.Handler().ServeHTTP(rec, req)
		cookies := rec.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("%s: cookies %v", tc.host, cookies)
		}
		c := cookies[0]
		if c.Name != sessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.secure || c.Path != "/" {
			t.Errorf("%s: cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v", tc.host, c, tc.secure)
		}
		if c.MaxAge != 0 || !c.Expires.IsZero() {
			t.Errorf("%s: the session cookie outlives the browser: %+v", tc.host, c)
		}
	}
}

// TestFramedSessionCookie: a page loaded in a frame (Sec-Fetch-Dest:
// iframe) of a form that zone websites may frame gets a cookie a browser
// keeps in a cross-site frame (SameSite=None; Secure; Partitioned), the
// session's and the display switch's; a form no website may frame keeps
// SameSite=Lax even in a frame, and top-level pages always do.
func TestFramedSessionCookie(t *testing.T) {
	framed := newTestSite(t, Options{FrameAncestors: []string{"https://www.zpz-ottignies.be"}}, portal.Options{})
	plain := newTestSite(t, Options{}, portal.Options{})
	for _, tc := range []struct {
		name       string
		form       *Form
		dest       string
		thirdParty bool
	}{
		{"framed form in a frame", framed.form, "iframe", true},
		{"framed form at top level", framed.form, "document", false},
		{"unframed form in a frame", plain.form, "iframe", false},
	} {
		for _, req := range []*http.Request{
			httptest.NewRequest("GET", "https://guichet.police.be/fr/eligibility", nil),
			httptest.NewRequest("POST", "https://guichet.police.be/display", strings.NewReader("display=contrast&back=/fr/")),
		} {
			req.Header.Set("Sec-Fetch-Dest", tc.dest)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			tc.form.Handler().ServeHTTP(rec, req)
			cookies := rec.Result().Cookies()
			if len(cookies) != 1 {
				t.Fatalf("%s %s: cookies %v", tc.name, req.URL.Path, cookies)
			}
			c := cookies[0]
			want := http.SameSiteLaxMode
			if tc.thirdParty {
				want = http.SameSiteNoneMode
			}
			if c.SameSite != want || c.Partitioned != tc.thirdParty || !c.Secure || !c.HttpOnly {
				t.Errorf("%s %s: cookie %s, want SameSite %v, Partitioned %v, Secure, HttpOnly", tc.name, req.URL.Path, c, want, tc.thirdParty)
			}
		}
	}
	// Cross-site posts are refused as before, framed or not.
	req := httptest.NewRequest("POST", "https://guichet.police.be/fr/eligibility", strings.NewReader("in_belgium=yes"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Sec-Fetch-Dest", "iframe")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	framed.form.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("cross-site post in a frame: %d, want 403", rec.Code)
	}
}

// headerTransport adds headers to every request (what a browser says of
// a frame).
type headerTransport map[string]string

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestFramedFormOffersNoFAS: in a zone website's frame the identification
// goes straight to the three numbers (the FAS's pages refuse to be framed,
// and a login at top level would not find the frame's partitioned
// cookie); at top level the FAS is offered as before.
func TestFramedFormOffersNoFAS(t *testing.T) {
	ts := newSite(t, Options{FrameAncestors: []string{"http://localhost:1"}}, portal.Options{}, true)
	eligible := url.Values{"in_belgium": {"yes"}, "author_known": {"no"}, "violence": {"no"}}
	framed := ts.browser()
	framed.client.Transport = headerTransport{"Sec-Fetch-Dest": "iframe"}
	framed.post("/fr/eligibility", eligible).at("/fr/three-numbers", 200)
	framed.get("/fr/identify/fas").at("/fr/three-numbers", 200)
	framed.get("/fr/identification").at("/fr/three-numbers", 200)
	top := ts.browser()
	top.post("/fr/eligibility", eligible).at("/fr/identification", 200)
}

// TestAnswersNeverInURLsOrLogs files a complaint while recording every URL
// the browser visits and every line the form and the portal log: none
// holds an answer.
func TestAnswersNeverInURLsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	ts := newTestSite(t, Options{Logger: logger}, portal.Options{Logger: logger})
	b := ts.browser()
	var urls []string
	b.client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		urls = append(urls, req.URL.String())
		return nil
	}
	b.fileBicycleTheft("fr")
	b.post("/fr/submit", nil) // once more: the receipt again
	secrets := []string{marc.NationalNumber, marc.IDCard, marc.SIS, marc.Last, "Gazelle", "marc.dubois", "Combattants", "1985"}
	for _, u := range urls {
		for _, s := range secrets {
			if strings.Contains(u, s) {
				t.Errorf("URL %s holds %q", u, s)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the log holds %q:\n%s", s, logs.String())
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestSessionExpiresAfterAnHourIdle: past IdleTimeout without a request the
// answers are gone, and the next page says so rather than silently
// starting again.
func TestSessionExpiresAfterAnHourIdle(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ts := newTestSite(t, Options{Now: clock}, portal.Options{})
	b := ts.browser()
	b.answers("fr", "when")
	mu.Lock()
	now = now.Add(59 * time.Minute)
	mu.Unlock()
	b.get("/fr/when").at("/fr/when", 200) // still there: a request renews it
	mu.Lock()
	now = now.Add(IdleTimeout + time.Second)
	mu.Unlock()
	// Another citizen's request erases the answers of the idle session
	// from the database; its key stays to say what happened.
	ts.browser().get("/fr/")
	if fs, err := b.storedSession(); err != nil || fs.Data != nil {
		t.Errorf("idle session in the database: %q, %v; want its key without data", fs.Data, err)
	}
	b.get("/fr/when").at("/fr/expired", 200)
	b.contains("Vos réponses ont été effacées", "60 minutes", `href="/fr/eligibility"`)
	if fs, err := b.storedSession(); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("session left after expiry: %q, %v", fs.Data, err)
	}
	// The expiry page is said once; then a new draft starts.
	b.get("/fr/when").at("/fr/eligibility", 200)
}

// TestSubmitTwiceFilesOnce: a double click (two submits at once) and a
// refresh after filing give the same reference, and the zone gets one
// complaint. The answers are deleted once filed.
func TestSubmitTwiceFilesOnce(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	token := ts.officer("5275")
	b := ts.browser()
	b.answers("fr", "")
	refs := make([]string, 2)
	var wg sync.WaitGroup
	for i := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", ts.http.URL+"/fr/submit", nil)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := b.client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if m := regexp.MustCompile(`class="reference">([0-9A-Z-]+)<`).FindSubmatch(body); m != nil {
				refs[i] = string(m[1])
			}
		}()
	}
	wg.Wait()
	b.post("/fr/submit", nil).at("/fr/receipt", 200)
	again := regexp.MustCompile(`class="reference">([0-9A-Z-]+)<`).FindStringSubmatch(b.body)
	if refs[0] == "" || refs[0] != refs[1] || again == nil || again[1] != refs[0] {
		t.Errorf("references %q and after a refresh %q, want one", refs, again)
	}
	if got := ts.feedRefs("5275", token); len(got) != 1 {
		t.Errorf("zone feed %v, want one complaint", got)
	}
	b.get("/fr/check").at("/fr/receipt", 200) // no draft left to show
	b.storesReceiptOnly()
}

func TestStatusLookup(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{StatusLookupLimit: portal.RateLimit{Burst: 4, Per: time.Hour}})
	token := ts.officer("5275")
	ref := ts.browser().fileBicycleTheft("fr")
	ts.officerAction(token, ref, `{"type":"claim"}`)
	ts.officerAction(token, ref, `{"type":"handle","pv_number":"NI.55.L5.012345/2026"}`)
	birth := dateValues("birth_date", time.Date(1985, 7, 30, 0, 0, 0, 0, time.UTC), false)
	b := ts.browser()
	b.post("/es/status", merge(url.Values{"reference": {strings.ToLower(ref)}}, birth)).at("/es/status", 200)
	b.contains(ref, "Tramitada", "NI.55.L5.012345/2026", "Robo de bicicleta", "Ottignies-Louvain-la-Neuve (5275)")
	if strings.Contains(b.body, "Inspecteur") || strings.Contains(b.body, "Dubois") || strings.Contains(b.body, marc.NationalNumber) {
		t.Error("the status page shows more than the status")
	}
	// The wrong birth date gets the same answer as an unknown reference.
	b.post("/es/status", merge(url.Values{"reference": {ref}}, dateValues("birth_date", time.Date(1985, 7, 31, 0, 0, 0, 0, time.UTC), false))).at("/es/status", 404)
	b.post("/es/status", merge(url.Values{"reference": {"2026-AAAA-BBBB"}}, birth)).at("/es/status", 404)
	b.post("/es/status", merge(url.Values{"reference": {ref}}, birth)).at("/es/status", 200)
	b.post("/es/status", merge(url.Values{"reference": {ref}}, birth)).at("/es/status", 429)
	if b.last.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	b.contains("Demasiadas consultas")
}

func (ts *testSite) officerAction(token, ref, body string) {
	ts.t.Helper()
	req, _ := http.NewRequest("POST", ts.http.URL+"/v1/zones/5275/complaints/"+ref+"/actions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", randomToken())
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		ts.t.Fatalf("action %s: %d", body, resp.StatusCode)
	}
}

func TestDisplaySwitch(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	b := ts.browser()
	b.get("/nl/")
	if strings.Contains(b.body, `class="vi"`) || !strings.Contains(b.body, `aria-pressed="false"`) {
		t.Fatal("the display for the visually impaired is on by default")
	}
	b.post("/display", url.Values{"display": {"contrast"}, "back": {"/nl/status"}}).at("/nl/status", 200)
	b.contains(`<html lang="nl" class="vi">`, `aria-pressed="true"`)
	b.get("/nl/").contains(`class="vi"`) // remembered
	b.post("/display", url.Values{"display": {"standard"}, "back": {"//evil.example/x"}}).at("/en/", 200)
	if strings.Contains(b.body, `class="vi"`) {
		t.Error("the display did not switch off")
	}
}

// TestDisplaySwitchLabelFollowsFrenchTypography: French puts a space before
// the colon of the switch's label, the other languages do not.
func TestDisplaySwitchLabelFollowsFrenchTypography(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	b := ts.browser()
	b.get("/fr/").contains("Affichage pour malvoyants : désactivé")
	b.post("/display", url.Values{"display": {"contrast"}, "back": {"/fr/"}}).at("/fr/", 200).contains("Affichage pour malvoyants : activé")
	b.get("/en/").contains("Display for the visually impaired: on")
}

func TestLanguageSwitchKeepsAnswers(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	b := ts.browser()
	b.answers("fr", "description")
	b.get("/fr/description").contains(`href="/nl/description" lang="nl" hreflang="nl"`, `href="/es/description" lang="es" hreflang="es"`)
	b.get("/nl/street").at("/nl/street", 200).contains(`value="Avenue des Combattants"`, "politiezone Ottignies-Louvain-la-Neuve (5275)")
}
