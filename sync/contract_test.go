package sync

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	stdsync "sync"
	"testing"

	"guichet/complaint"
	"guichet/docs/apitest"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/store"
)

// TestSyncSpeaksTheDocumentedAPI runs two officers' real engines and caches
// against the real portal through a middleware that checks every request
// the engine sends and every answer it gets against docs/openapi.json:
// who-am-I, feed pages with their count, every action type, a conflict,
// audit batches. A request or an answer the document does not describe
// (an undeclared query parameter, a new member of an answer) fails here.
func TestSyncSpeaksTheDocumentedAPI(t *testing.T) {
	ctx := context.Background()
	srv, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"), portal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	contract, err := apitest.New(base)
	if err != nil {
		t.Fatal(err)
	}
	var mu stdsync.Mutex
	var problems []error
	ts.Config.Handler = contract.Middleware(base, srv.Handler(), func(err error) {
		mu.Lock()
		problems = append(problems, err)
		mu.Unlock()
	})
	ts.Start()
	defer ts.Close()

	refs, err := demodata.Seed(ctx, srv, testZone, 25, 3)
	if err != nil {
		t.Fatal(err)
	}
	type officer struct {
		st  *store.Store
		eng *Engine
		who complaint.Officer
	}
	open := func(name string) officer {
		tok, o, err := srv.AddOfficer(testZone, name)
		if err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(filepath.Join(t.TempDir(), "cache", "guichet.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		eng, err := New(Options{Server: base, Token: tok, Lang: "fr", PageSize: 10}, st)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := eng.Hello(ctx); err != nil {
			t.Fatal(err)
		}
		return officer{st: st, eng: eng, who: o}
	}
	a, b := open("Inspecteur Dupont"), open("Inspectrice Peeters")
	syncOK := func(o officer) {
		t.Helper()
		if err := o.eng.SyncOnce(ctx); err != nil {
			t.Fatalf("sync of %s: %v", o.who.Name, err)
		}
	}
	act := func(o officer, ref string, act complaint.Action) {
		t.Helper()
		if _, err := o.st.Act(ctx, ref, act, o.who, "fr"); err != nil {
			t.Fatalf("%s %s by %s: %v", act.Type, ref, o.who.Name, err)
		}
	}
	syncOK(a)
	syncOK(b)

	claim := complaint.Action{Type: complaint.ActionClaim}
	act(a, refs[0], claim)
	act(a, refs[0], complaint.Action{Type: complaint.ActionRelease})
	act(a, refs[1], claim)
	act(a, refs[1], complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"})
	act(a, refs[1], complaint.Action{Type: complaint.ActionCorrectPV, PVNumber: "NI.55.L5.012346/2026"})
	act(a, refs[2], claim)
	act(a, refs[2], complaint.Action{Type: complaint.ActionReject, Reason: "Pas une infraction."})
	act(a, refs[3], claim)
	act(a, refs[3], complaint.Action{Type: complaint.ActionForward, ToZone: "5339", Reason: "Faits à Ixelles."})
	act(b, refs[4], claim)
	act(b, refs[5], claim)
	syncOK(b)
	syncOK(a)
	act(a, refs[4], complaint.Action{Type: complaint.ActionTakeOver, Reason: "Fin de service."})
	syncOK(a)
	// b's cache still says refs[4] is b's: b releases it, the portal says
	// 409 with the current state.
	act(b, refs[4], complaint.Action{Type: complaint.ActionRelease})
	syncOK(b)

	mu.Lock()
	for _, p := range problems {
		t.Error(p)
	}
	mu.Unlock()
	for _, want := range []struct {
		op     string
		status int
	}{
		{"GET /v1/me", 200},
		{"GET /v1/zones/{zone}/feed", 200},
		{"POST /v1/zones/{zone}/complaints/{ref}/actions", 200},
		{"POST /v1/zones/{zone}/complaints/{ref}/actions", 409},
		{"POST /v1/zones/{zone}/audit", 200},
	} {
		if !contract.Seen(want.op, want.status) {
			t.Errorf("no %s → %d went through the check", want.op, want.status)
		}
	}
	recs, err := srv.Audit(portal.AuditFilter{Zone: testZone})
	if err != nil {
		t.Fatal(err)
	}
	applied := map[string]bool{}
	for _, r := range recs {
		if r.Origin == "portal" && r.Kind == "action" && r.Outcome == "ok" {
			applied[r.Field] = true
		}
	}
	for _, at := range complaint.ActionTypes() {
		if !applied[string(at)] {
			t.Errorf("no %s was pushed and applied: add it above", at)
		}
	}
}
