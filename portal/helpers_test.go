package portal

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/demodata"
	"guichet/portal/storage/sqlite"
)

// testPortal is a real portal on a real SQLite file behind a real HTTP server.
type testPortal struct {
	t    *testing.T
	path string
	opts Options
	srv  *Server
	// store is the server's storage: the real SQLite store, with faults
	// a test can switch on.
	store *faultyStore
	http  *httptest.Server
}

func newTestPortal(t *testing.T, opts Options) *testPortal {
	t.Helper()
	tp := &testPortal{t: t, path: filepath.Join(t.TempDir(), "portal.db"), opts: opts}
	tp.start()
	t.Cleanup(tp.stop)
	return tp
}

func (tp *testPortal) start() {
	tp.t.Helper()
	st, err := sqlite.Open(tp.path, sqlite.Options{Logger: tp.opts.Logger})
	if err != nil {
		tp.t.Fatalf("open portal database: %v", err)
	}
	tp.store = &faultyStore{Store: st}
	srv, err := New(tp.store, tp.opts)
	if err != nil {
		st.Close()
		tp.t.Fatalf("open portal: %v", err)
	}
	tp.srv = srv
	tp.http = httptest.NewServer(srv.Handler())
}

func (tp *testPortal) stop() {
	if tp.http != nil {
		tp.http.Close()
		tp.http = nil
	}
	if tp.srv != nil {
		tp.srv.Close()
		tp.srv = nil
	}
}

// restart closes and reopens the same database file.
func (tp *testPortal) restart() {
	tp.stop()
	tp.start()
}

func (tp *testPortal) officer(zone, name string) (string, complaint.Officer) {
	tp.t.Helper()
	tok, o, err := tp.srv.AddOfficer(zone, name)
	if err != nil {
		tp.t.Fatalf("add officer: %v", err)
	}
	return tok, o
}

// officerID is the id of a token's officer.
func (tp *testPortal) officerID(token string) string {
	tp.t.Helper()
	o, _, outcome, err := tp.srv.authenticate(context.Background(), "Bearer "+token)
	if err != nil || outcome != authOK {
		tp.t.Fatalf("token: %v %s", err, outcome)
	}
	return o.ID
}

func (tp *testPortal) seed(zone string, n int) []string {
	tp.t.Helper()
	refs, err := demodata.Seed(context.Background(), tp.srv, zone, n, 1)
	if err != nil {
		tp.t.Fatalf("seed: %v", err)
	}
	return refs
}

type reply struct {
	Status int
	Body   []byte
}

func (r reply) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

func (r reply) apiError(t *testing.T) complaint.APIError {
	var eb complaint.ErrorBody
	r.decode(t, &eb)
	return eb.Error
}

// do sends a request to the test server.
func (tp *testPortal) do(method, path, token, key string, body []byte) reply {
	tp.t.Helper()
	req, err := http.NewRequest(method, tp.http.URL+path, bytes.NewReader(body))
	if err != nil {
		tp.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tp.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{Status: resp.StatusCode, Body: b}
}

func (tp *testPortal) action(zone, ref, token, key string, a complaint.Action) reply {
	tp.t.Helper()
	b, _ := json.Marshal(a)
	return tp.do("POST", "/v1/zones/"+zone+"/complaints/"+ref+"/actions", token, key, b)
}

func (tp *testPortal) feed(zone, token, cursor string, limit int) (complaint.FeedPage, reply) {
	tp.t.Helper()
	path := "/v1/zones/" + zone + "/feed?limit=" + itoa(limit)
	if cursor != "" {
		path += "&cursor=" + cursor
	}
	r := tp.do("GET", path, token, "", nil)
	var page complaint.FeedPage
	if r.Status == http.StatusOK {
		r.decode(tp.t, &page)
	}
	return page, r
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// sampleSubmission is the DESIGN.md example: a Brussels resident reporting
// a bicycle theft in 1340 Ottignies-Louvain-la-Neuve (zone 5275) — two
// bicycles, for their daughter with her consent, one witness, insured —
// so that every answer of the portal carries every part of a record.
func sampleSubmission(now time.Time) *complaint.Submission {
	loc := time.FixedZone("CET", 3600)
	return &complaint.Submission{
		FactType: "bicycle_theft",
		Language: "fr",
		Facts: complaint.Facts{
			StartedAt:   now.Add(-14 * time.Hour).In(loc).Truncate(time.Minute),
			EndedAt:     now.Add(-2 * time.Hour).In(loc).Truncate(time.Minute),
			Place:       complaint.Place{Street: "Avenue des Combattants", Number: "35", PostalCode: "1340", Municipality: "Ottignies-Louvain-la-Neuve"},
			Description: "Vélo attaché devant la gare, cadenas coupé.",
		},
		Details: json.RawMessage(`{}`),
		Goods: json.RawMessage(`[{"brand":"Gazelle","model":"Esprit","colour":"bleu","frame_number":"GZ123456789","value_eur":450},` +
			`{"brand":"Cube","model":"Kid 160","colour":"rouge","electric":false}]`),
		OnBehalfOf: complaint.Behalf{Kind: complaint.BehalfPerson, Person: &complaint.Person{
			LastName: "Dubois", FirstName: "Léa", BirthDate: "2012-06-01", NationalNumber: "12060112373", Consent: true}},
		Witnesses: []complaint.Witness{{LastName: "Martin", FirstName: "Claire", Phone: "+32470654321",
			Address: complaint.Address{Street: "Rue de la Gare", Number: "2", PostalCode: "1340", Municipality: "Ottignies", Country: "BE"}}},
		Insurance: complaint.Insurance{Company: "Ethias", PolicyNumber: "45.123.789"},
		Complainant: complaint.Complainant{
			Identification: complaint.Identification{Method: "three_numbers", NationalNumber: "85073003328",
				IDCardNumber: "591191706458", SISCardNumber: "1234567890"},
			FirstName: "Marc", LastName: "Dubois", BirthDate: "1985-07-30",
			Address: complaint.Address{Street: "Rue Haute", Number: "12", PostalCode: "1000", Municipality: "Bruxelles", Country: "BE"},
			Email:   "marc.dubois@example.be", Phone: "+32470123456",
		},
		Confirmation: "email",
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// fasKey makes an Ed25519 key pair for assertions in tests.
func fasKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

// waitFor polls cond (for effects of asynchronous audit writes). It has
// no time limit of its own (500 polls, about 5 s, were not enough under
// -race on a loaded machine): it gives up shortly before the test's
// deadline (go test -timeout), saying what never happened.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	// A guard against a hang (a minute is far beyond any expected wait),
	// so a lost write fails here with its name instead of at the
	// package's timeout.
	give := time.Now().Add(time.Minute)
	for !cond() {
		if dl, ok := t.Deadline(); time.Now().After(give) || ok && time.Until(dl) < 10*time.Second {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func httptestServer(s *Server) *httptest.Server { return httptest.NewServer(s.Handler()) }

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func drain(resp *http.Response) {
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// tempDirOutsideTest is a directory shared by benchmark runs (b.TempDir is
// removed after each run of the function, and the 100k database is built once).
func tempDirOutsideTest() (string, error) { return os.MkdirTemp("", "guichet-bench-") }

// fill files n copies of one validated complaint in zone 5275 through the
// storage path of intake (validation once): the quick way to big feeds.
func (tp *testPortal) fill(n int) []string {
	tp.t.Helper()
	p, errs := tp.srv.prepareIntake(mustJSON(sampleSubmission(time.Now())), "fr")
	if len(errs) > 0 {
		tp.t.Fatal(errs)
	}
	prepared := make([]preparedIntake, n)
	for i := range prepared {
		prepared[i] = p
	}
	refs, err := tp.srv.commitBatch(context.Background(), prepared)
	if err != nil {
		tp.t.Fatal(err)
	}
	return refs
}

// lockedBuffer is a log sink the portal's goroutines can share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lines decodes the JSON log lines written so far.
func (l *lockedBuffer) lines(t *testing.T) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, sc.Bytes())
		}
		out = append(out, m)
	}
	return out
}
