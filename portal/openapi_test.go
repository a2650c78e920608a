package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"guichet/complaint"
	"guichet/docs"
	"guichet/docs/apitest"
	"guichet/i18n"
)

// The OpenAPI document (docs/openapi.json) is the API's contract. These
// tests hold it against the code: every route of the mux is documented and
// every documented route exists; every documented answer (operation and
// status) is produced by the real portal on a real SQLite file and
// validated against the document's schemas; the document's enumerations are
// the Go lists. kin-openapi validates OpenAPI 3.1 documents with a JSON
// Schema 2020-12 validator (docs/apitest's tests show that it does reject
// what the document forbids).

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := apitest.Load()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := loadOpenAPI(t)
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
}

// documentedRoutes lists the document's operations as mux patterns
// ("GET /v1/zones/{zone}/feed").
func documentedRoutes(doc *openapi3.T) []string {
	var out []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// routeDiff compares the mux's patterns with the document's routes.
func routeDiff(patterns, documented []string) (undocumented, missing []string) {
	registered := map[string]bool{}
	for _, p := range patterns {
		method, path, ok := strings.Cut(p, " ")
		if !ok || method == "" || !strings.HasPrefix(path, "/") {
			// A pattern without a method answers every method: it cannot
			// be documented as one operation (and a "/" catch-all would
			// turn the mux's 405 answers into 404s).
			undocumented = append(undocumented, p+" (give the pattern a method)")
			continue
		}
		path = strings.ReplaceAll(path, "...}", "}")
		registered[method+" "+path] = true
	}
	doc := map[string]bool{}
	for _, r := range documented {
		doc[r] = true
		if !registered[r] {
			missing = append(missing, r)
		}
	}
	for r := range registered {
		if !doc[r] {
			undocumented = append(undocumented, r)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(missing)
	return undocumented, missing
}

func TestOpenAPIRoutesMatchMux(t *testing.T) {
	doc := loadOpenAPI(t)
	tp := newTestPortal(t, Options{})
	patterns := tp.srv.routes().patterns
	if len(patterns) < 2 {
		t.Fatalf("the mux records %d patterns", len(patterns))
	}
	undocumented, missing := routeDiff(patterns, documentedRoutes(doc))
	for _, r := range undocumented {
		t.Errorf("route %s is registered on the portal's mux but not described in docs/openapi.json", r)
	}
	for _, r := range missing {
		t.Errorf("docs/openapi.json describes %s but the portal's mux has no such route", r)
	}
}

// TestOpenAPIRouteDiffFindsStrays shows that the route check fails both
// ways: a route added to the mux alone, and a route left in the document
// alone.
func TestOpenAPIRouteDiffFindsStrays(t *testing.T) {
	doc := loadOpenAPI(t)
	tp := newTestPortal(t, Options{})
	patterns := append(slices.Clone(tp.srv.routes().patterns), "POST /v1/zones/{zone}/export", "/v1/anything")
	undocumented, missing := routeDiff(patterns, append(documentedRoutes(doc), "DELETE /v1/me"))
	wantU := []string{"/v1/anything (give the pattern a method)", "POST /v1/zones/{zone}/export"}
	if !slices.Equal(undocumented, wantU) {
		t.Errorf("undocumented = %q, want %q", undocumented, wantU)
	}
	if !slices.Equal(missing, []string{"DELETE /v1/me"}) {
		t.Errorf("missing = %q, want [DELETE /v1/me]", missing)
	}
}

// TestOpenAPIEnumsMatchGo holds the document's lists against the Go ones,
// so a new language, status or action cannot be left out of the contract.
func TestOpenAPIEnumsMatchGo(t *testing.T) {
	doc := loadOpenAPI(t)
	enum := func(name string) []string {
		s, ok := doc.Components.Schemas[name]
		if !ok || s.Value == nil {
			t.Fatalf("components.schemas.%s is missing", name)
		}
		var out []string
		for _, v := range s.Value.Enum {
			out = append(out, fmt.Sprint(v))
		}
		return out
	}
	var statuses, actions []string
	for _, s := range complaint.Statuses {
		statuses = append(statuses, string(s))
	}
	for _, a := range complaint.ActionTypes() {
		actions = append(actions, string(a))
	}
	// The action table's order is the workstation's; the document lists
	// the same set in its own order.
	slices.Sort(actions)
	for _, c := range []struct {
		schema string
		want   []string
	}{
		{"Language", i18n.Languages()},
		{"Status", statuses},
		{"ActionType", actions},
	} {
		got := enum(c.schema)
		if c.schema == "ActionType" {
			slices.Sort(got)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("components.schemas.%s enum = %q, the code has %q", c.schema, got, c.want)
		}
	}
}

// apiCheck validates exchanges with a portal against the document and
// remembers which documented answers were seen.
type apiCheck struct {
	t *testing.T
	*apitest.Contract
	base string
	// actions200 are the action types that answered 200.
	actions200 map[complaint.ActionType]bool
}

func newAPICheck(t *testing.T, base string) *apiCheck {
	c, err := apitest.New(base)
	if err != nil {
		t.Fatal(err)
	}
	return &apiCheck{t: t, Contract: c, base: base, actions200: map[complaint.ActionType]bool{}}
}

// exchange is one request and the answer the portal must give.
type exchange struct {
	method, path string
	token, key   string
	header       map[string]string
	body         []byte
	want         int
	// badRequest: the request breaks the document on purpose (the portal
	// must refuse it), so only the answer is validated.
	badRequest bool
}

func (c *apiCheck) newRequest(e exchange) *http.Request {
	c.t.Helper()
	var body io.Reader
	if e.body != nil {
		body = bytes.NewReader(e.body)
	}
	req, err := http.NewRequest(e.method, c.base+e.path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if e.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if e.token != "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	if e.key != "" {
		req.Header.Set("Idempotency-Key", e.key)
	}
	for k, v := range e.header {
		req.Header.Set(k, v)
	}
	return req
}

// do sends e to the portal, checks the status, validates the request
// (unless badRequest) and the answer against the document, and returns the
// answer's body.
func (c *apiCheck) do(e exchange) []byte {
	c.t.Helper()
	what := e.method + " " + e.path
	req := c.newRequest(e)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != e.want {
		c.t.Fatalf("%s: status %d, want %d: %s", what, resp.StatusCode, e.want, body)
	}
	op, err := c.Check(apitest.Exchange{Method: e.method, URL: c.base + e.path, Header: req.Header, Body: e.body,
		Status: resp.StatusCode, RespHeader: resp.Header, RespBody: body}, !e.badRequest)
	if op == "" {
		c.t.Fatal(err)
	}
	if err != nil {
		c.t.Error(err)
	}
	if resp.StatusCode == http.StatusOK && strings.HasSuffix(op, "/actions") {
		var a complaint.Action
		json.Unmarshal(e.body, &a)
		c.actions200[a.Type] = true
	}
	return body
}

func actionBody(a complaint.Action) []byte { return mustJSON(a) }

// TestOpenAPIAnswersOfTheRealPortal drives the real portal (real handler,
// real SQLite file, real HTTP) through every documented answer of every
// operation, and validates each request and answer against the document.
func TestOpenAPIAnswersOfTheRealPortal(t *testing.T) {
	// A small filing limit, so the test reaches it (and its 429); the
	// refused-login limit refills over a day, not a minute, so that a slow
	// machine cannot earn a token back between the burst and the checks.
	tp := newTestPortal(t, Options{
		IntakeLimit:      RateLimit{Burst: 10, Per: time.Hour},
		AuthFailureLimit: RateLimit{Burst: DefaultAuthFailureLimit.Burst, Per: 24 * time.Hour},
	})
	c := newAPICheck(t, tp.http.URL)
	tokA, _ := tp.officer("5275", "Inspecteur Dupont")
	tokB, _ := tp.officer("5275", "Inspectrice Peeters")
	tokC, _ := tp.officer("5339", "Inspecteur Weber")
	const otherZone = "5339"

	// Public.
	c.do(exchange{method: "GET", path: "/v1/healthz", want: 200})
	c.do(exchange{method: "GET", path: "/v1/readyz", want: 200})
	if got := c.do(exchange{method: "GET", path: "/v1/openapi.json", want: 200}); string(got) != docs.OpenAPI {
		t.Error("GET /v1/openapi.json does not serve docs/openapi.json")
	}
	c.do(exchange{method: "GET", path: "/v1/zones", want: 200})
	c.do(exchange{method: "GET", path: "/v1/catalog", want: 200})

	// Who am I.
	c.do(exchange{method: "GET", path: "/v1/me", token: tokA, want: 200})
	c.do(exchange{method: "GET", path: "/v1/me", token: "no-such-token", want: 401})
	c.do(exchange{method: "GET", path: "/v1/me", want: 401, badRequest: true})

	// Intake.
	now := time.Now()
	sub := mustJSON(sampleSubmission(now))
	c.do(exchange{method: "POST", path: "/v1/complaints?dry_run=1", body: sub, want: 200})
	var rc complaint.IntakeReceipt
	json.Unmarshal(c.do(exchange{method: "POST", path: "/v1/complaints", key: "intake-1", body: sub, want: 201}), &rc)
	var replay complaint.IntakeReceipt
	json.Unmarshal(c.do(exchange{method: "POST", path: "/v1/complaints", key: "intake-1", body: sub, want: 201}), &replay)
	if rc.Reference == "" || replay.Reference != rc.Reference {
		t.Fatalf("replay of intake-1 gave %q, first answer %q", replay.Reference, rc.Reference)
	}
	c.do(exchange{method: "POST", path: "/v1/complaints", body: []byte(`{"fact_type":"bicycle_theft","language":"fr"}`), want: 422})
	other := sampleSubmission(now)
	other.Facts.Description = "Un autre vélo."
	c.do(exchange{method: "POST", path: "/v1/complaints", key: "intake-1", body: mustJSON(other), want: 422})
	c.do(exchange{method: "POST", path: "/v1/complaints", key: "two words", body: sub, want: 400, badRequest: true})
	c.do(exchange{method: "POST", path: "/v1/complaints", body: []byte(`{"fact_type":`), want: 400, badRequest: true})
	c.do(exchange{method: "POST", path: "/v1/complaints", body: bytes.Repeat([]byte(" "), MaxIntakeBody+1), want: 413, badRequest: true})
	ref1 := rc.Reference
	var refs []string
	for range 2 {
		r, err := tp.srv.Intake(context.Background(), sampleSubmission(now), "")
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r.Reference)
	}
	ref2, ref3 := refs[0], refs[1]

	// Feed.
	feed := "/v1/zones/5275/feed"
	var first complaint.FeedPage
	json.Unmarshal(c.do(exchange{method: "GET", path: feed + "?limit=2", token: tokA, want: 200}), &first)
	if len(first.Items) != 2 || !first.More {
		t.Fatalf("first page: %d items, more=%v", len(first.Items), first.More)
	}
	var counted complaint.FeedPage
	json.Unmarshal(c.do(exchange{method: "GET", path: feed + "?limit=1&count=1", token: tokA, want: 200}), &counted)
	if counted.Remaining == nil || *counted.Remaining != 2 {
		t.Fatalf("count=1: remaining %v, want 2", counted.Remaining)
	}
	c.do(exchange{method: "GET", path: feed + "?limit=0", token: tokA, want: 400, badRequest: true})
	c.do(exchange{method: "GET", path: feed, token: "no-such-token", want: 401})
	c.do(exchange{method: "GET", path: feed, want: 401, badRequest: true})
	c.do(exchange{method: "GET", path: feed, token: tokC, want: 403})
	c.do(exchange{method: "GET", path: feed + "?cursor=not-a-cursor", token: tokA, want: 410})

	// One complaint.
	get := func(zone, ref string) string { return "/v1/zones/" + zone + "/complaints/" + ref }
	c.do(exchange{method: "GET", path: get("5275", ref1), token: tokA, want: 200})
	c.do(exchange{method: "GET", path: get("5275", ref1), token: "no-such-token", want: 401})
	c.do(exchange{method: "GET", path: get("5275", ref1), token: tokC, want: 403})
	c.do(exchange{method: "GET", path: get("5275", "2026-0000-0000"), token: tokA, want: 404})

	// Actions: each action type, and every refusal.
	act := func(ref string) string { return get("5275", ref) + "/actions" }
	key := 0
	next := func() string { key++; return fmt.Sprintf("action-%d", key) }
	claim := actionBody(complaint.Action{Type: complaint.ActionClaim})
	c.do(exchange{method: "POST", path: act(ref1), token: tokA, key: next(), body: claim, want: 200})
	c.do(exchange{method: "POST", path: act(ref1), token: tokA, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionRelease}), want: 200})
	c.do(exchange{method: "POST", path: act(ref1), token: tokA, key: next(), body: claim, want: 200})
	c.do(exchange{method: "POST", path: act(ref1), token: tokB, key: next(), body: claim, want: 409})
	c.do(exchange{method: "POST", path: act(ref1), token: tokB, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionTakeOver}), want: 422})
	c.do(exchange{method: "POST", path: act(ref1), token: tokB, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionTakeOver, Reason: "Fin de service."}), want: 200})
	c.do(exchange{method: "POST", path: act(ref1), token: tokA, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionTakeOver, Reason: "Retour de congé."}), want: 200})
	c.do(exchange{method: "POST", path: act(ref1), token: tokA, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionHandle}), want: 422})
	c.do(exchange{method: "POST", path: act(ref1), token: tokA, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"}), want: 200})
	c.do(exchange{method: "POST", path: act(ref1), token: tokA, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionCorrectPV, PVNumber: "NI.55.L5.012346/2026"}), want: 200})
	c.do(exchange{method: "POST", path: act(ref2), token: tokA, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionCorrectPV, PVNumber: "NI.55.L5.012346/2026"}), want: 409})
	c.do(exchange{method: "POST", path: act(ref2), token: tokA, key: next(), body: claim, want: 200})
	c.do(exchange{method: "POST", path: act(ref2), token: tokA, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionReject, Reason: "Pas une infraction."}), want: 200})
	c.do(exchange{method: "POST", path: act(ref3), token: tokA, key: next(), body: claim, want: 200})
	c.do(exchange{method: "POST", path: act(ref3), token: tokA, key: next(), body: actionBody(complaint.Action{Type: complaint.ActionForward, ToZone: otherZone, Reason: "Faits à Liège."}), want: 200})
	c.do(exchange{method: "POST", path: act(ref3), token: tokA, key: next(), body: claim, want: 404}) // it left the zone
	c.do(exchange{method: "POST", path: act(ref2), token: tokA, body: claim, want: 400, badRequest: true})
	c.do(exchange{method: "POST", path: act(ref2), token: "no-such-token", key: next(), body: claim, want: 401})
	c.do(exchange{method: "POST", path: act(ref2), token: tokC, key: next(), body: claim, want: 403})
	big := mustJSON(complaint.Action{Type: complaint.ActionReject, Reason: strings.Repeat("x", MaxActionBody)})
	c.do(exchange{method: "POST", path: act(ref2), token: tokA, key: next(), body: big, want: 413, badRequest: true})
	for _, a := range complaint.ActionTypes() {
		if !c.actions200[a] {
			t.Errorf("no exchange applies action %q: add one above (and describe it in docs/openapi.json)", a)
		}
	}

	// The forwarded complaint: a tombstone in the source zone's feed, a
	// complaint of the target zone, another zone's complaint (404) here.
	var rest complaint.FeedPage
	json.Unmarshal(c.do(exchange{method: "GET", path: feed + "?cursor=" + first.Cursor, token: tokA, want: 200}), &rest)
	if !slices.ContainsFunc(rest.Items, func(it complaint.FeedItem) bool { return it.Tombstone && it.Reference == ref3 }) {
		t.Errorf("no tombstone of %s in the feed after the forward", ref3)
	}
	c.do(exchange{method: "GET", path: get(otherZone, ref3), token: tokC, want: 200})
	c.do(exchange{method: "GET", path: get("5275", ref3), token: tokA, want: 404})

	// Audit.
	audit := "/v1/zones/5275/audit"
	ev := complaint.AuditEvent{ID: "ev-1", At: now.UTC(), Officer: "x", Zone: "5275", Kind: "view", Reference: ref1, Outcome: "ok"}
	c.do(exchange{method: "POST", path: audit, token: tokA, body: mustJSON(map[string]any{"events": []complaint.AuditEvent{ev}}), want: 200})
	c.do(exchange{method: "POST", path: audit, token: tokA, body: mustJSON([]complaint.AuditEvent{ev}), want: 200})
	c.do(exchange{method: "POST", path: audit, token: tokA, body: []byte(`{"events":`), want: 400, badRequest: true})
	c.do(exchange{method: "POST", path: audit, token: "no-such-token", body: mustJSON([]complaint.AuditEvent{ev}), want: 401})
	c.do(exchange{method: "POST", path: audit, token: tokC, body: mustJSON([]complaint.AuditEvent{ev}), want: 403})
	many := make([]complaint.AuditEvent, maxAuditBatch+1)
	for i := range many {
		many[i] = ev
		many[i].ID = fmt.Sprintf("ev-%d", i)
	}
	c.do(exchange{method: "POST", path: audit, token: tokA, body: mustJSON(many), want: 413, badRequest: true})
	c.do(exchange{method: "POST", path: audit, token: tokA, body: mustJSON([]complaint.AuditEvent{{Kind: "view", At: now}}), want: 422, badRequest: true})

	// Refused authentications from one address: after the limit, the
	// next one of every officer endpoint is 429; a valid token still works.
	for i := 0; i < DefaultAuthFailureLimit.Burst; i++ {
		req, _ := http.NewRequest("GET", tp.http.URL+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer no-such-token")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	c.do(exchange{method: "GET", path: "/v1/me", token: "no-such-token", want: 429})
	c.do(exchange{method: "GET", path: feed, token: "no-such-token", want: 429})
	c.do(exchange{method: "GET", path: get("5275", ref1), token: "no-such-token", want: 429})
	c.do(exchange{method: "POST", path: act(ref2), token: "no-such-token", key: next(), body: claim, want: 429})
	c.do(exchange{method: "POST", path: audit, token: "no-such-token", body: mustJSON([]complaint.AuditEvent{ev}), want: 429})
	c.do(exchange{method: "GET", path: "/v1/me", token: tokA, want: 200})

	// A portal whose database is gone: 503 and 500 answers.
	tp.srv.Close()
	c.do(exchange{method: "GET", path: "/v1/healthz", want: 503})
	c.do(exchange{method: "GET", path: "/v1/readyz", want: 503})
	c.do(exchange{method: "GET", path: "/v1/me", token: tokA, want: 500})
	c.do(exchange{method: "POST", path: "/v1/complaints", key: "intake-2", body: sub, want: 500})
	c.do(exchange{method: "GET", path: feed, token: tokA, want: 500})
	c.do(exchange{method: "GET", path: get("5275", ref1), token: tokA, want: 500})
	c.do(exchange{method: "POST", path: act(ref2), token: tokA, key: next(), body: claim, want: 500})
	c.do(exchange{method: "POST", path: audit, token: tokA, body: mustJSON([]complaint.AuditEvent{ev}), want: 500})

	// Filings from one address: after the limit, 429 (checked before the
	// database, so also now).
	for i := 0; ; i++ {
		if i > 20 {
			t.Fatal("no 429 after 20 filings")
		}
		resp, err := http.Post(tp.http.URL+"/v1/complaints?lang=fr", "application/json", bytes.NewReader(sub))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	c.do(exchange{method: "POST", path: "/v1/complaints", body: sub, want: 429})
	// What the mux refuses outside every operation (an unknown path, a
	// known path with another method) is an Error body too.
	c.outsideOperations()

	for _, k := range c.Unseen() {
		t.Errorf("docs/openapi.json documents %s but no exchange of this test produced it: add one", k)
	}
}

// outsideOperations checks the answers that belong to no operation of the
// document — 404 for an unknown path, 405 with Allow for a known path asked
// with another method — against the Error schema the document gives every
// error.
func (c *apiCheck) outsideOperations() {
	c.t.Helper()
	schema := c.Doc.Components.Schemas["Error"].Value
	for _, e := range []struct {
		method, path string
		want         int
		allow        string
	}{
		{"GET", "/v1/no-such-endpoint", http.StatusNotFound, ""},
		{"GET", "/v1/zones/5275/complaints/2026-0000-0000/actions", http.StatusMethodNotAllowed, "POST"},
		{"DELETE", "/v1/me", http.StatusMethodNotAllowed, "GET, HEAD"},
	} {
		resp, err := http.DefaultClient.Do(c.newRequest(exchange{method: e.method, path: e.path}))
		if err != nil {
			c.t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != e.want || resp.Header.Get("Allow") != e.allow {
			c.t.Errorf("%s %s: %d Allow=%q, want %d Allow=%q", e.method, e.path, resp.StatusCode, resp.Header.Get("Allow"), e.want, e.allow)
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			c.t.Errorf("%s %s: not JSON: %s", e.method, e.path, body)
			continue
		}
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			c.t.Errorf("%s %s → %d: the answer breaks the Error schema of docs/openapi.json: %v", e.method, e.path, resp.StatusCode, err)
		}
	}
}
