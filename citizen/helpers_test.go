package citizen

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/fas"
	"guichet/fas/devfas"
	"guichet/portal"
	"guichet/portal/storage"
)

// testSite is the real portal (a real SQLite file) with the form mounted
// beside its API, behind a real HTTP server.
type testSite struct {
	t    testing.TB
	srv  *portal.Server
	form *Form
	http *httptest.Server
	now  *time.Time
	// assertionKey is the key the portal trusts for FAS assertions (FAS
	// sites only), for filing an identity the provider certified via the API.
	assertionKey ed25519.PrivateKey
}

func newTestSite(t testing.TB, opts Options, popts portal.Options) *testSite {
	t.Helper()
	return newSite(t, opts, popts, false)
}

// newFASSite is a test site whose form identifies through the real
// relying party (package fas) against the development provider (fas/devfas)
// mounted on the same server, as "guichetd serve --dev-fas" runs them.
func newFASSite(t testing.TB) *testSite {
	t.Helper()
	return newSite(t, Options{}, portal.Options{}, true)
}

func newSite(t testing.TB, opts Options, popts portal.Options, withFAS bool) *testSite {
	t.Helper()
	var handler http.Handler
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(hs.Close)
	var dev *devfas.Provider
	if withFAS {
		pub, priv, _ := ed25519.GenerateKey(nil)
		popts.FASPublicKey = pub
		var err error
		// Both names of the loopback address are registered callbacks, as
		// "guichetd serve --dev-fas" registers them.
		callbacks := []string{hs.URL + "/auth/callback", localhostURL(hs.URL) + "/auth/callback"}
		dev, err = devfas.New(devfas.Options{Issuer: hs.URL + "/dev-fas",
			Clients: []devfas.Client{{ID: "guichet", Secret: "dev-secret", RedirectURIs: callbacks}}})
		if err != nil {
			t.Fatal(err)
		}
		rp, err := fas.New(fas.Config{Issuer: dev.Issuer(), ClientID: "guichet", ClientSecret: "dev-secret",
			RedirectURL: callbacks[0], OtherRedirectURLs: callbacks[1:]})
		if err != nil {
			t.Fatal(err)
		}
		opts.Identifier, opts.AssertionKey = rp, priv
	}
	srv, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"), popts)
	if err != nil {
		t.Fatalf("open portal: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	f, err := New(srv, opts)
	if err != nil {
		t.Fatalf("new form: %v", err)
	}
	site := f.Mount(srv.Handler())
	if dev != nil {
		mux := http.NewServeMux()
		mux.Handle(dev.Path()+"/", dev.Handler())
		mux.Handle("/", site)
		site = mux
	}
	handler = site
	return &testSite{t: t, srv: srv, form: f, http: hs, assertionKey: opts.AssertionKey}
}

// localhostURL is u ("http://127.0.0.1:port") under the name localhost:
// the same server, another site to a browser.
func localhostURL(u string) string {
	return strings.Replace(u, "127.0.0.1", "localhost", 1)
}

// browser is a client with its own cookies, as one citizen's browser.
type browser struct {
	t      testing.TB
	site   *testSite
	base   string // the site's URL as this browser reaches it
	client *http.Client
	last   *http.Response
	body   string
}

func (ts *testSite) browser() *browser {
	return ts.browserAt(ts.http.URL)
}

// browserAt is a browser that opens the site at base (localhostURL).
func (ts *testSite) browserAt(base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: ts.t, site: ts, base: base, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

func (b *browser) do(req *http.Request) *browser {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	b.last, b.body = resp, string(body)
	if strings.Contains(b.body, "⟦") {
		b.t.Errorf("%s %s: page shows a text key without text: %s", req.Method, req.URL.Path, regexp.MustCompile(`⟦[^⟧]*⟧`).FindString(b.body))
	}
	return b
}

// storedSession reads the browser's session as the portal's database
// keeps it.
func (b *browser) storedSession() (storage.FormSession, error) {
	b.t.Helper()
	u, _ := url.Parse(b.base)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			return b.site.srv.FormSessions().FormSession(context.Background(), hashID(c.Value))
		}
	}
	b.t.Fatal("the browser has no session cookie")
	return storage.FormSession{}, nil
}

// storesReceiptOnly checks the browser's session, as stored, has the
// receipt of a filing and no draft.
func (b *browser) storesReceiptOnly() {
	b.t.Helper()
	fs, err := b.storedSession()
	if err != nil {
		b.t.Fatal(err)
	}
	if sess, err := decodeSession(fs.Key, fs.Data, fs.LastUse); err != nil || sess.draft != nil || sess.receipt == nil {
		b.t.Errorf("stored after filing: %s (%v), want the receipt only", fs.Data, err)
	}
}

// get follows redirects.
func (b *browser) get(path string) *browser {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.base+path, nil)
	return b.do(req)
}

// post submits a form as a browser of the site does (same-origin).
func (b *browser) post(path string, form url.Values) *browser {
	b.t.Helper()
	return b.postTo(b.base+path, form)
}

func (b *browser) postTo(u string, form url.Values) *browser {
	b.t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// at checks the page the last request ended on.
func (b *browser) at(path string, status int) *browser {
	b.t.Helper()
	if got := b.last.Request.URL.Path; got != path || b.last.StatusCode != status {
		b.t.Fatalf("at %s %d, want %s %d; page:\n%s", got, b.last.StatusCode, path, status, excerpt(b.body))
	}
	return b
}

func (b *browser) contains(s ...string) *browser {
	b.t.Helper()
	for _, x := range s {
		if !strings.Contains(b.body, x) {
			b.t.Errorf("page %s lacks %q:\n%s", b.last.Request.URL.Path, x, excerpt(b.body))
		}
	}
	return b
}

func excerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}

// A citizen whose three numbers are valid (DESIGN.md's example).
var marc = struct {
	NationalNumber, IDCard, SIS, First, Last, Birth string
}{"85073003328", "591191706458", "1234567890", "Marc", "Dubois", "1985-07-30"}

// factDays are the days of the facts: recent enough for validation.
func factDays() (start, end time.Time) {
	end = time.Now().In(brussels()).AddDate(0, 0, -2)
	start = end.AddDate(0, 0, -1)
	return time.Date(start.Year(), start.Month(), start.Day(), 18, 0, 0, 0, brussels()),
		time.Date(end.Year(), end.Month(), end.Day(), 7, 30, 0, 0, brussels())
}

func dateValues(prefix string, t time.Time, withTime bool) url.Values {
	v := url.Values{
		prefix + ".day":   {itoa(t.Day())},
		prefix + ".month": {itoa(int(t.Month()))},
		prefix + ".year":  {itoa(t.Year())},
	}
	if withTime {
		v.Set(prefix+".time", t.Format("15:04"))
	}
	return v
}

func itoa(n int) string { return strconv.Itoa(n) }

func merge(vs ...url.Values) url.Values {
	out := url.Values{}
	for _, v := range vs {
		for k, x := range v {
			out[k] = x
		}
	}
	return out
}

// formStep is one page of the form as the tests answer it: what it posts
// and the page that answer leads to.
type formStep struct {
	page string
	form url.Values
	next string
}

// bicycleTheftSteps are the pages of the bicycle theft the tests file
// through the form, in order: Marc, with his three numbers, for himself,
// at Avenue des Combattants 35 in 1340 (zone 5275). bicycleTheftJSON is
// the same complaint as an API client writes it.
func bicycleTheftSteps() []formStep {
	start, end := factDays()
	return []formStep{
		{"eligibility", url.Values{"in_belgium": {"yes"}, "author_known": {"no"}, "violence": {"no"}}, "three-numbers"},
		{"three-numbers", url.Values{"national_number": {marc.NationalNumber}, "id_card_number": {marc.IDCard}, "sis_card_number": {marc.SIS}}, "about-you"},
		{"about-you", merge(url.Values{"first_name": {marc.First}, "last_name": {marc.Last}}, dateValues("birth_date", time.Date(1985, 7, 30, 0, 0, 0, 0, time.UTC), false)), "behalf"},
		{"behalf", url.Values{"behalf": {"self"}}, "fact-type"},
		{"fact-type", url.Values{"fact_type": {"bicycle_theft"}}, "when"},
		{"when", merge(dateValues("start", start, true), dateValues("end", end, true)), "where"},
		{"where", url.Values{"postal_code": {"1340"}}, "street"},
		{"street", url.Values{"street": {"Avenue des Combattants"}, "number": {"35"}}, "details"},
		{"details", bicycleDetails(), "description"},
		{"description", url.Values{"description": {"Vélo attaché devant la gare, cadenas coupé."}}, "witnesses"},
		{"witnesses", url.Values{}, "insurance"},
		{"insurance", url.Values{}, "contact"},
		{"contact", url.Values{"confirmation": {"email"}, "email": {"marc.dubois@example.be"}, "phone": {"+32470123456"}, "address.country": {"BE"}}, "check"},
	}
}

// answers posts the pages of the bicycle theft in lang from the first,
// up to but not including the page stop ("" answers them all), each
// answer checked to lead to the next page.
func (b *browser) answers(lang, stop string) {
	b.t.Helper()
	b.answersFrom(lang, "eligibility", stop)
}

// answersFrom posts the pages of the bicycle theft from the page from up
// to but not including stop ("" answers them all). A form given in with
// replaces the answer of the page of its name.
func (b *browser) answersFrom(lang, from, stop string, with ...formStep) {
	b.t.Helper()
	p := "/" + lang + "/"
	on := false
	for _, s := range bicycleTheftSteps() {
		on = on || s.page == from
		if s.page == stop {
			return
		}
		if !on {
			continue
		}
		for _, w := range with {
			if w.page == s.page {
				s.form = w.form
			}
		}
		b.post(p+s.page, s.form).at(p+s.next, 200)
	}
	if stop != "" {
		b.t.Fatalf("no page %q in the bicycle theft", stop)
	}
}

// fileBicycleTheft walks the whole form in lang from its start page and
// returns the reference shown on the receipt.
func (b *browser) fileBicycleTheft(lang string) string {
	b.t.Helper()
	b.fileUpTo(lang, "details")
	return b.fileFrom(lang, "details")
}

// fileUpTo walks the form of the bicycle theft in lang from its start
// page until the page step, which it shows and does not answer.
func (b *browser) fileUpTo(lang, step string) {
	b.t.Helper()
	p := "/" + lang + "/"
	b.get(p).at(p, 200)
	b.get(p+"eligibility").at(p+"eligibility", 200)
	b.answers(lang, step)
}

// fileFrom answers the pages of the bicycle theft from the page step on
// (with, as answersFrom), files it and returns the reference shown on the
// receipt.
func (b *browser) fileFrom(lang, step string, with ...formStep) string {
	b.t.Helper()
	p := "/" + lang + "/"
	b.answersFrom(lang, step, "", with...)
	b.post(p+"submit", nil).at(p+"receipt", 200)
	m := regexp.MustCompile(`class="reference">([0-9A-Z-]+)<`).FindStringSubmatch(b.body)
	if m == nil {
		b.t.Fatalf("no reference on the receipt:\n%s", excerpt(b.body))
	}
	return m[1]
}

func bicycleDetails() url.Values {
	return url.Values{"d.goods.0.brand": {"Gazelle"}, "d.goods.0.model": {"Esprit"}, "d.goods.0.colour": {"bleu"},
		"d.goods.0.frame_number": {"GZ123456789"}, "d.goods.0.value_eur": {"450"}, "d.goods.0.electric": {"no"}}
}

// bicycleTheftJSON is the same complaint as fileBicycleTheft files, as an
// API client writes it.
func bicycleTheftJSON(lang string) string {
	start, end := factDays()
	sub := map[string]any{
		"fact_type": "bicycle_theft", "language": lang,
		"facts": map[string]any{
			"started_at": start.Format(time.RFC3339), "ended_at": end.Format(time.RFC3339),
			"place": map[string]any{"street": "Avenue des Combattants", "number": "35", "postal_code": "1340",
				"municipality": "Ottignies-Louvain-la-Neuve"},
			"description": "Vélo attaché devant la gare, cadenas coupé.",
		},
		"details": map[string]any{},
		"goods": []any{map[string]any{"brand": "Gazelle", "model": "Esprit", "colour": "bleu", "frame_number": "GZ123456789",
			"value_eur": 450, "electric": false}},
		"complainant": map[string]any{
			"identification": map[string]any{"method": "three_numbers", "national_number": marc.NationalNumber,
				"id_card_number": marc.IDCard, "sis_card_number": marc.SIS},
			"first_name": marc.First, "last_name": marc.Last, "birth_date": marc.Birth,
			"email": "marc.dubois@example.be", "phone": "+32470123456",
		},
		"confirmation": "email",
		"on_behalf_of": map[string]any{"kind": "self"},
	}
	b, _ := json.Marshal(sub)
	return string(b)
}

// officerGet decodes the answer of the portal's API at path to an
// officer of token into v; anything but 200 fails the test.
func (ts *testSite) officerGet(path, token string, v any) {
	ts.t.Helper()
	req, _ := http.NewRequest("GET", ts.http.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		ts.t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		ts.t.Fatal(err)
	}
}

// record fetches a complaint as its zone's officer sees it.
func (ts *testSite) record(zone, token, ref string) complaint.Record {
	ts.t.Helper()
	var rec complaint.Record
	ts.officerGet("/v1/zones/"+zone+"/complaints/"+ref, token, &rec)
	return rec
}

func (ts *testSite) officer(zone string) string {
	ts.t.Helper()
	tok, _, err := ts.srv.AddOfficer(zone, "Inspecteur Test")
	if err != nil {
		ts.t.Fatal(err)
	}
	return tok
}

func compactRecord(r complaint.Record) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// feedRefs lists the references of a zone's feed.
func (ts *testSite) feedRefs(zone, token string) []string {
	ts.t.Helper()
	var page complaint.FeedPage
	ts.officerGet("/v1/zones/"+zone+"/feed?limit=500", token, &page)
	var refs []string
	for _, it := range page.Items {
		refs = append(refs, it.Reference)
	}
	return refs
}
