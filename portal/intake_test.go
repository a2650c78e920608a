package portal

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
)

func TestIntakeRoutesByPlaceOfFacts(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok5275, _ := tp.officer("5275", "Inspecteur Dupont")
	tok5339, _ := tp.officer("5339", "Agent Bruxelles")

	body := mustJSON(sampleSubmission(time.Now()))
	dry := tp.do("POST", "/v1/complaints?dry_run=1", "", "", body)
	if dry.Status != http.StatusOK {
		t.Fatalf("dry run: %d %s", dry.Status, dry.Body)
	}
	var recap struct {
		Zone complaint.Zone `json:"zone"`
	}
	dry.decode(t, &recap)
	if recap.Zone.Code != "5275" {
		t.Fatalf("dry run zone = %+v, want 5275", recap.Zone)
	}
	r := tp.do("POST", "/v1/complaints", "", "k1", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("intake: %d %s", r.Status, r.Body)
	}
	var rc complaint.IntakeReceipt
	r.decode(t, &rc)
	if rc.Zone.Code != "5275" || rc.Status != complaint.StatusNew || rc.Reference == "" {
		t.Fatalf("receipt %+v", rc)
	}
	page, fr := tp.feed("5275", tok5275, "", 100)
	if fr.Status != 200 || len(page.Items) != 1 || page.Items[0].Reference != rc.Reference {
		t.Fatalf("5275 feed: %d %+v", fr.Status, page)
	}
	rec := page.Items[0].Record
	if rec.Verification.Method != "three_numbers" || len(rec.Verification.Checks) == 0 {
		t.Errorf("verification not kept: %+v", rec.Verification)
	}
	// Brussels' officers (where the complainant lives) see nothing.
	page, fr = tp.feed("5339", tok5339, "", 100)
	if fr.Status != 200 || len(page.Items) != 0 {
		t.Fatalf("5339 feed: %d %+v", fr.Status, page)
	}
}

func countComplaints(t *testing.T, s *Server) int {
	t.Helper()
	// Every stored complaint has its intake event, in the same commit.
	events, err := s.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Kind == "intake" {
			n++
		}
	}
	return n
}

func TestIntakeIdempotency(t *testing.T) {
	tp := newTestPortal(t, Options{})
	body := mustJSON(sampleSubmission(time.Now()))
	first := tp.do("POST", "/v1/complaints", "", "double-click", body)
	again := tp.do("POST", "/v1/complaints", "", "double-click", body)
	if first.Status != 201 || again.Status != 201 || string(first.Body) != string(again.Body) {
		t.Fatalf("replay: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	if n := countComplaints(t, tp.srv); n != 1 {
		t.Fatalf("%d complaints after a double click", n)
	}
	other := sampleSubmission(time.Now())
	other.Facts.Description = "Autre chose."
	r := tp.do("POST", "/v1/complaints", "", "double-click", mustJSON(other))
	if r.Status != http.StatusUnprocessableEntity || r.apiError(t).Code != complaint.CodeKeyReused {
		t.Fatalf("key reuse: %d %s", r.Status, r.Body)
	}
	// Without a key every submission is filed.
	tp.do("POST", "/v1/complaints", "", "", body)
	if n := countComplaints(t, tp.srv); n != 2 {
		t.Fatalf("%d complaints", n)
	}
	// A key that is not printable ASCII is refused.
	if r := tp.do("POST", "/v1/complaints", "", "clé é", body); r.Status != http.StatusBadRequest {
		t.Fatalf("bad key: %d", r.Status)
	}
}

// TestIntakeCutConnectionResolvedByReplay sends a complaint and hangs up
// before the answer; the complaint is stored, and the replay with the same
// key gives its reference without filing it twice.
func TestIntakeCutConnectionResolvedByReplay(t *testing.T) {
	tp := newTestPortal(t, Options{})
	body := mustJSON(sampleSubmission(time.Now()))
	conn, err := net.Dial("tcp", strings.TrimPrefix(tp.http.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /v1/complaints HTTP/1.1\r\nHost: x\r\nIdempotency-Key: cut-1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	conn.Write(body)
	conn.Close() // never reads the answer
	waitFor(t, func() bool { return countComplaints(t, tp.srv) == 1 }, "complaint committed")
	r := tp.do("POST", "/v1/complaints", "", "cut-1", body)
	var rc complaint.IntakeReceipt
	r.decode(t, &rc)
	if r.Status != 201 || rc.Reference == "" || countComplaints(t, tp.srv) != 1 {
		t.Fatalf("replay: %d %s, %d complaints", r.Status, r.Body, countComplaints(t, tp.srv))
	}
	if _, err := tp.srv.st.Complaint(context.Background(), rc.Reference); err != nil {
		t.Fatalf("replay reference %s not stored: %v", rc.Reference, err)
	}
}

func TestIntakeBadInput(t *testing.T) {
	tp := newTestPortal(t, Options{})
	good := mustJSON(sampleSubmission(time.Now()))
	mutate := func(f func(s *complaint.Submission)) []byte {
		s := sampleSubmission(time.Now())
		f(s)
		return mustJSON(s)
	}
	big := strings.Repeat("a", 100_000)
	cases := []struct {
		name  string
		body  []byte
		want  int
		field string
	}{
		{"malformed json", []byte(`{"fact_type": "bicycle_theft",`), 400, "body"},
		{"not an object", []byte(`[1,2,3]`), 422, ""},
		{"trailing garbage", append(append([]byte{}, good...), []byte(`{}`)...), 400, "body"},
		{"wrong type", []byte(strings.Replace(string(good), `"language":"fr"`, `"language":42`, 1)), 422, "language"},
		{"ten megabytes", append([]byte(`{"facts":{"description":"`), append(bytes.Repeat([]byte("x"), 10<<20), []byte(`"}}`)...)...), 413, ""},
		{"unknown fact type", mutate(func(s *complaint.Submission) { s.FactType = "murder" }), 422, "fact_type"},
		{"invalid national number", mutate(func(s *complaint.Submission) { s.Complainant.Identification.NationalNumber = "85073003329" }), 422, "complainant.identification.national_number"},
		{"invalid id card", mutate(func(s *complaint.Submission) { s.Complainant.Identification.IDCardNumber = "591191706459" }), 422, "complainant.identification.id_card_number"},
		{"NUL byte", mutate(func(s *complaint.Submission) { s.Complainant.LastName = "Du\x00bois" }), 422, "complainant.last_name"},
		{"escape sequence", mutate(func(s *complaint.Submission) { s.Complainant.FirstName = "\x1b]52;c;ZXZpbA==\x07Marc" }), 422, "complainant.first_name"},
		{"100 kB string", mutate(func(s *complaint.Submission) { s.Facts.Description = big }), 422, "facts.description"},
		{"invalid utf-8", []byte(strings.Replace(string(good), "Dubois", "Dub\xffois", 1)), 400, "body"},
		{"unknown field", []byte(strings.Replace(string(good), `"language":"fr"`, `"language":"fr","admin":true`, 1)), 422, ""},
		{"place outside Belgium", mutate(func(s *complaint.Submission) { s.Facts.Place.PostalCode = "0000" }), 422, "facts.place.postal_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := tp.do("POST", "/v1/complaints", "", "", c.body)
			if r.Status != c.want {
				t.Fatalf("status %d, want %d: %.300s", r.Status, c.want, r.Body)
			}
			ae := r.apiError(t)
			if ae.Message == "" {
				t.Errorf("no message: %s", r.Body)
			}
			if c.field != "" && ae.Fields[c.field] == "" {
				t.Errorf("no error on %s: %v", c.field, ae.Fields)
			}
		})
	}
	if n := countComplaints(t, tp.srv); n != 0 {
		t.Fatalf("%d complaints stored from bad input", n)
	}
	// Still serving.
	if r := tp.do("POST", "/v1/complaints", "", "", good); r.Status != 201 {
		t.Fatalf("good complaint after bad ones: %d", r.Status)
	}
}

func TestIntakeFASAssertion(t *testing.T) {
	pub, priv := fasKey(t)
	_, otherPriv := fasKey(t)
	tp := newTestPortal(t, Options{FASPublicKey: pub})
	now := time.Now()
	valid := Assertion{NationalNumber: "85.07.30-033.28", FirstName: "Marc", LastName: "Dubois", Method: "eid",
		IssuedAt: now.Add(-time.Minute).Unix(), ExpiresAt: now.Add(9 * time.Minute).Unix()}
	withAssertion := func(method, assertion string) []byte {
		s := sampleSubmission(now)
		s.Complainant.Identification = complaint.Identification{Method: method, Assertion: assertion}
		return mustJSON(s)
	}
	r := tp.do("POST", "/v1/complaints", "", "", withAssertion("eid", SignAssertion(priv, valid)))
	if r.Status != 201 {
		t.Fatalf("valid assertion: %d %s", r.Status, r.Body)
	}
	var rc complaint.IntakeReceipt
	r.decode(t, &rc)
	tok, _ := tp.officer("5275", "Agent")
	g := tp.do("GET", "/v1/zones/5275/complaints/"+rc.Reference, tok, "", nil)
	var rec complaint.Record
	g.decode(t, &rec)
	if rec.Verification.Method != "eid" || !slices.Contains(rec.Verification.Checks, complaint.CheckAssertionSig) ||
		rec.Complainant.Identification.NationalNumber != "85073003328" || rec.Complainant.Identification.Assertion != "" {
		t.Fatalf("record identification: %+v %+v", rec.Verification, rec.Complainant.Identification)
	}

	expired := valid
	expired.IssuedAt, expired.ExpiresAt = now.Add(-30*time.Minute).Unix(), now.Add(-20*time.Minute).Unix()
	otherName := valid
	otherName.LastName = "Dupont"
	wrongBirth := valid
	wrongBirth.NationalNumber = "90020197614" // valid number, another birth date
	tampered := SignAssertion(priv, valid)
	tampered = tampered[:5] + string('A'+(tampered[5]-'A'+1)%26) + tampered[6:]
	cases := map[string][]byte{
		"expired":          withAssertion("eid", SignAssertion(priv, expired)),
		"tampered":         withAssertion("eid", tampered),
		"other key":        withAssertion("eid", SignAssertion(otherPriv, valid)),
		"name mismatch":    withAssertion("eid", SignAssertion(priv, otherName)),
		"birth mismatch":   withAssertion("eid", SignAssertion(priv, wrongBirth)),
		"method mismatch":  withAssertion("token", SignAssertion(priv, valid)),
		"not an assertion": withAssertion("eid", "hello"),
	}
	for name, body := range cases {
		r := tp.do("POST", "/v1/complaints", "", "", body)
		if r.Status != 422 || r.apiError(t).Fields["complainant.identification"] == "" {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	// Without a configured key, eid is refused, not trusted.
	noKey := newTestPortal(t, Options{})
	if r := noKey.do("POST", "/v1/complaints", "", "", withAssertion("eid", SignAssertion(priv, valid))); r.Status != 422 {
		t.Errorf("no key: %d", r.Status)
	}
}

// TestIntakeFormAssertionKey: an assertion signed with the form's key is
// accepted beside the FAS's, alone too; a third key is not.
func TestIntakeFormAssertionKey(t *testing.T) {
	fasPub, fasPriv := fasKey(t)
	formPub, formPriv := fasKey(t)
	_, otherPriv := fasKey(t)
	now := time.Now()
	valid := Assertion{NationalNumber: "85.07.30-033.28", FirstName: "Marc", LastName: "Dubois", Method: "eid",
		IssuedAt: now.Add(-time.Minute).Unix(), ExpiresAt: now.Add(9 * time.Minute).Unix()}
	file := func(tp *testPortal, priv ed25519.PrivateKey) int {
		s := sampleSubmission(now)
		s.Complainant.Identification = complaint.Identification{Method: "eid", Assertion: SignAssertion(priv, valid)}
		return tp.do("POST", "/v1/complaints", "", "", mustJSON(s)).Status
	}
	both := newTestPortal(t, Options{FASPublicKey: fasPub, FormAssertionKey: formPub})
	formOnly := newTestPortal(t, Options{FormAssertionKey: formPub})
	for _, tc := range []struct {
		name string
		tp   *testPortal
		priv ed25519.PrivateKey
		want int
	}{
		{"FAS key", both, fasPriv, 201},
		{"form key", both, formPriv, 201},
		{"other key", both, otherPriv, 422},
		{"form key alone", formOnly, formPriv, 201},
		{"FAS key not configured", formOnly, fasPriv, 422},
	} {
		if got := file(tc.tp, tc.priv); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestRestartLosesNothing(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	refs := tp.seed("5275", 50)
	for i, ref := range refs[:10] {
		tp.action("5275", ref, tok, "c"+ref, complaint.Action{Type: complaint.ActionClaim})
		if i%2 == 0 {
			tp.action("5275", ref, tok, "h"+ref, complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"})
		}
	}
	before, _ := tp.feed("5275", tok, "", 1000)
	auditBefore, _ := tp.srv.Audit(AuditFilter{Zone: "5275", Officer: ""})
	tp.restart()
	after, r := tp.feed("5275", tok, "", 1000)
	if r.Status != 200 || len(after.Items) != len(before.Items) {
		t.Fatalf("after restart: %d, %d items (before %d)", r.Status, len(after.Items), len(before.Items))
	}
	for i := range before.Items {
		b, a := before.Items[i], after.Items[i]
		if b.Reference != a.Reference || b.Version != a.Version || a.Record.Status != b.Record.Status {
			t.Fatalf("item %d differs: %+v / %+v", i, b, a)
		}
	}
	auditAfter, _ := tp.srv.Audit(AuditFilter{Zone: "5275"})
	if len(auditAfter) < len(auditBefore) {
		t.Fatalf("audit shrank: %d → %d", len(auditBefore), len(auditAfter))
	}
	// Replays still answer after the restart.
	if r := tp.action("5275", refs[0], tok, "h"+refs[0], complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"}); r.Status != 200 {
		t.Fatalf("replay after restart: %d %s", r.Status, r.Body)
	}
}

// TestWriteCarriedOutAfterClientLeft serves an intake and a claim whose
// client has already gone (the request's context is cancelled once the
// body is read): both are stored, so the retry with the same key finds
// them instead of the citizen or officer being left unsure.
func TestWriteCarriedOutAfterClientLeft(t *testing.T) {
	tp := newTestPortal(t, Options{})
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	serve := func(path, token, key string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequestWithContext(gone, "POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		tp.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	serve("/v1/complaints", "", "gone-1", mustJSON(sampleSubmission(time.Now())))
	if n := countComplaints(t, tp.srv); n != 1 {
		t.Fatalf("%d complaints stored after the citizen left, want 1", n)
	}
	ref := tp.seed("5275", 1)[0]
	tok, _ := tp.officer("5275", "Agent")
	serve("/v1/zones/5275/complaints/"+ref+"/actions", tok, "gone-claim", mustJSON(complaint.Action{Type: complaint.ActionClaim}))
	c, err := tp.srv.st.Complaint(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := c.Record()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != complaint.StatusClaimed {
		t.Fatalf("claim after the officer left: status %s, want %s", rec.Status, complaint.StatusClaimed)
	}
}

// TestIntakeKeyLookedUpInItsCommit: a valid submission's key is looked up
// in the commit's own transaction, not read beforehand as well (one query
// less per intake; with the idempotency reads failing, a valid intake is
// still filed), and a replay of a submission that would no longer pass is
// still answered from the record.
func TestIntakeKeyLookedUpInItsCommit(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	tp := newTestPortal(t, Options{Now: clock})
	body := mustJSON(sampleSubmission(now))
	tp.store.fail("Idempotency")
	first := tp.do("POST", "/v1/complaints", "", "key-1", body)
	if first.Status != http.StatusCreated {
		t.Fatalf("valid intake with the idempotency reads failing: %d %s", first.Status, first.Body)
	}
	tp.store.mu.Lock()
	tp.store.failing = nil
	tp.store.mu.Unlock()
	// A day earlier the facts lie in the future: the submission is refused
	// now, but its replay gets the first answer.
	mu.Lock()
	now = now.Add(-24 * time.Hour)
	mu.Unlock()
	if r := tp.do("POST", "/v1/complaints", "", "", body); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("the submission still passes a day earlier: %d %s", r.Status, r.Body)
	}
	again := tp.do("POST", "/v1/complaints", "", "key-1", body)
	if again.Status != http.StatusCreated || string(again.Body) != string(first.Body) {
		t.Fatalf("replay: %d %s, want %d %s", again.Status, again.Body, first.Status, first.Body)
	}
	if n := countComplaints(t, tp.srv); n != 1 {
		t.Fatalf("%d complaints", n)
	}
}
