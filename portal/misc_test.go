package portal

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
)

func TestAuditBatchIdempotentAndAppendOnly(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, off := tp.officer("5275", "Agent")
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	batch := mustJSON(map[string]any{"events": []complaint.AuditEvent{
		{ID: "ev-1", At: at, Officer: "someone-else", Zone: "9999", Kind: "copy", Reference: "2026-AAAA-BBBB", Field: "complainant.national_number", Outcome: "ok"},
		{ID: "ev-2", At: at, Kind: "view", Reference: "2026-AAAA-BBBB", Outcome: "ok"},
	}})
	for i := 0; i < 2; i++ {
		r := tp.do("POST", "/v1/zones/5275/audit", tok, "", batch)
		if r.Status != 200 {
			t.Fatalf("post %d: %d %s", i, r.Status, r.Body)
		}
	}
	events, _ := tp.srv.Audit(AuditFilter{Ref: "2026-AAAA-BBBB"})
	if len(events) != 2 {
		t.Fatalf("%d events stored, want 2", len(events))
	}
	// The officer and zone are the token's, not what the client wrote.
	if events[0].Officer != off.ID || events[0].Zone != "5275" || events[0].Origin != off.ID {
		t.Errorf("event %+v", events[0])
	}
	for name, body := range map[string]string{
		"no id":      `{"events":[{"at":"2026-11-26T10:00:00Z","kind":"view"}]}`,
		"NUL":        `{"events":[{"id":"x","at":"2026-11-26T10:00:00Z","kind":"vi\u0000ew"}]}`,
		"wrong type": `{"events":[{"id":1}]}`,
		"malformed":  `{"events":[`,
	} {
		if r := tp.do("POST", "/v1/zones/5275/audit", tok, "", []byte(body)); r.Status/100 != 4 {
			t.Errorf("%s: %d", name, r.Status)
		}
	}
}

func TestIdempotencyRecordsKept30Days(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	tp := newTestPortal(t, Options{Now: clock})
	tok, _ := tp.officer("5275", "Agent")
	ref := tp.seed("5275", 1)[0]
	first := tp.action("5275", ref, tok, "old-key", complaint.Action{Type: complaint.ActionClaim})
	advance(29 * 24 * time.Hour)
	tp.srv.purgeIdempotency()
	if r := tp.action("5275", ref, tok, "old-key", complaint.Action{Type: complaint.ActionClaim}); string(r.Body) != string(first.Body) {
		t.Fatalf("replay after 29 days differs")
	}
	advance(2 * 24 * time.Hour)
	tp.srv.purgeIdempotency()
	if _, err := tp.srv.st.Idempotency(context.Background(), scopeOfficer(tp.officerID(tok)), "old-key"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("record older than 30 days kept (%v)", err)
	}
}

func TestZonesImport(t *testing.T) {
	tp := newTestPortal(t, Options{})
	csv := complaint.EmbeddedZonesCSV()
	// A broken table is refused and changes nothing.
	if _, err := tp.srv.ImportZones(strings.NewReader("zone_code,zone_name,nis5,municipality\n5275,X,99999,Nowhere\n"), "admin"); err == nil {
		t.Fatal("broken table accepted")
	}
	// Rename zone 5275 and import: used at once and after a restart.
	renamed := bytes.ReplaceAll(csv, []byte("5275,Ottignies-Louvain-la-Neuve,"), []byte("5275,OLLN renamed,"))
	if _, err := tp.srv.ImportZones(bytes.NewReader(renamed), "admin"); err != nil {
		t.Fatal(err)
	}
	tp.restart()
	if z, ok := tp.srv.Router().Zone("5275"); !ok || z.Name != "OLLN renamed" {
		t.Fatalf("zone after import and restart: %+v", z)
	}
	if countAudit(t, tp.srv, "zones_import", "ok") != 1 {
		t.Error("import not audited")
	}
}

func TestPublicEndpoints(t *testing.T) {
	tp := newTestPortal(t, Options{})
	for _, p := range []string{"/v1/healthz", "/v1/zones", "/v1/catalog"} {
		if r := tp.do("GET", p, "", "", nil); r.Status != 200 {
			t.Errorf("%s: %d", p, r.Status)
		}
	}
	if r := tp.do("GET", "/v1/nope", "", "", nil); r.Status != 404 {
		t.Errorf("unknown path: %d", r.Status)
	}
}

// FuzzIntake throws arbitrary bodies at the intake handler: never a 5xx,
// and a complaint is stored only when the answer says so. Under -fuzz the
// instrumented SQLite is slow, so GUICHET_FUZZ_DRYRUN=1 fuzzes the dry-run
// path (same decoding, validation and identification, no storage).
func FuzzIntake(f *testing.F) {
	good := mustJSON(sampleSubmission(time.Now()))
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"fact_type":"graffiti","details":{"area_m2":1e309}}`))
	f.Add(bytes.Replace(good, []byte("Marc"), []byte("M\x1b[2Jarc"), 1))
	f.Add(bytes.Replace(good, []byte(`"1340"`), []byte(`1340`), 1))
	s, err := Open(f.TempDir()+"/fuzz.db", Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	dryRun := os.Getenv("GUICHET_FUZZ_DRYRUN") == "1"
	f.Fuzz(func(t *testing.T, body []byte) {
		before := countComplaints(t, s)
		if dryRun {
			req := httptest.NewRequest("POST", "/v1/complaints?dry_run=1", bytes.NewReader(body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 && (rec.Code < 400 || rec.Code >= 500) {
				t.Fatalf("dry run status %d: %s", rec.Code, rec.Body)
			}
			return
		}
		req := httptest.NewRequest("POST", "/v1/complaints", bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		after := countComplaints(t, s)
		switch {
		case rec.Code == http.StatusCreated:
			if after != before+1 {
				t.Fatalf("201 but %d → %d complaints", before, after)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if after != before {
				t.Fatalf("%d but stored something", rec.Code)
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

// TestImpossibleAuditTimesClamped: an event a workstation posts in year
// 9999, more than a day ahead, or before 2000 is stored at its receipt with
// the claimed time kept as the flag; a clock a little off is kept as is.
func TestImpossibleAuditTimesClamped(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	tp := newTestPortal(t, Options{Now: func() time.Time { return now }})
	tok, _ := tp.officer("5275", "Agent")
	times := map[string]time.Time{
		"year-9999":   time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		"two-days":    now.Add(49 * time.Hour),
		"year-1":      time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC),
		"year-1999":   time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC),
		"hour-ahead":  now.Add(time.Hour),
		"last-week":   now.Add(-7 * 24 * time.Hour),
		"day-ahead-1": now.Add(24*time.Hour - time.Minute),
	}
	var events []complaint.AuditEvent
	for id, at := range times {
		events = append(events, complaint.AuditEvent{ID: id, At: at, Kind: "view", Reference: "2026-AAAA-BBBB", Outcome: "ok"})
	}
	if r := tp.do("POST", "/v1/zones/5275/audit", tok, "", mustJSON(map[string]any{"events": events})); r.Status != 200 {
		t.Fatalf("post: %d %s", r.Status, r.Body)
	}
	stored, err := tp.srv.Audit(AuditFilter{Ref: "2026-AAAA-BBBB"})
	if err != nil || len(stored) != len(times) {
		t.Fatalf("%d stored: %v", len(stored), err)
	}
	for _, e := range stored {
		claimed := times[e.ID]
		impossible := e.ID == "year-9999" || e.ID == "two-days" || e.ID == "year-1" || e.ID == "year-1999"
		switch {
		case impossible && (!e.At.Equal(now) || e.ClaimedAt == nil || !e.ClaimedAt.Equal(claimed)):
			t.Errorf("%s: stored at %v, claimed %v", e.ID, e.At, e.ClaimedAt)
		case !impossible && (!e.At.Equal(claimed) || e.ClaimedAt != nil):
			t.Errorf("%s: stored at %v (claimed %v), want %v", e.ID, e.At, e.ClaimedAt, claimed)
		}
	}
}

// TestOfficerNameRules: an officer's name reaches colleagues' screens; the
// rules of names apply.
func TestOfficerNameRules(t *testing.T) {
	tp := newTestPortal(t, Options{})
	for _, name := range []string{"", "  ", "Agent\x1b[31m", "Agent\u009b", "\u202eAgent", "Ag\u200bent", strings.Repeat("a", 201)} {
		if _, _, err := tp.srv.AddOfficer("5275", name); err == nil {
			t.Errorf("%q accepted", name)
		}
	}
	if _, o, err := tp.srv.AddOfficer("5275", "  Inspectrice Müller-Özdemir "); err != nil || o.Name != "Inspectrice Müller-Özdemir" {
		t.Errorf("%v %+v", err, o)
	}
}

// TestAuditIDsSortInOrderMade: the portal's audit ids are unique and sort
// in the order they were made (the unique index on them grows at its end).
func TestAuditIDsSortInOrderMade(t *testing.T) {
	ids := make([]string, 200)
	for i := range ids {
		ids[i] = newID()
	}
	if !slices.IsSorted(ids) {
		t.Fatalf("ids out of order: %v", ids[:5])
	}
	if len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Fatal("an id was made twice")
	}
	for _, id := range ids {
		if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("id %q is not 32 hex digits", id)
		}
	}
}
