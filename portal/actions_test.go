package portal

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
)

func TestAuthorisationMatrix(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tokA, _ := tp.officer("5275", "Agent A")
	tokB, _ := tp.officer("5339", "Agent B")
	tokRevoked, offRevoked := tp.officer("5275", "Agent Révoqué")
	if err := tp.srv.RevokeOfficer(offRevoked.ID); err != nil {
		t.Fatal(err)
	}
	refA := tp.seed("5275", 1)[0]
	refB := tp.seed("5339", 1)[0]
	claim := mustJSON(complaint.Action{Type: complaint.ActionClaim})

	endpoints := []struct {
		name, method, path string
		body               []byte
	}{
		{"feed", "GET", "/v1/zones/5275/feed", nil},
		{"get", "GET", "/v1/zones/5275/complaints/" + refA, nil},
		{"action", "POST", "/v1/zones/5275/complaints/" + refA + "/actions", claim},
		{"audit", "POST", "/v1/zones/5275/audit", []byte(`{"events":[]}`)},
	}
	cases := []struct {
		name, token string
		want        int
		outcome     string
	}{
		{"no token", "", http.StatusUnauthorized, "denied_no_token"},
		{"wrong token", "not-a-token", http.StatusUnauthorized, "denied_unknown_token"},
		{"revoked token", tokRevoked, http.StatusUnauthorized, "denied_revoked_token"},
		{"other zone's path", tokB, http.StatusForbidden, "denied_other_zone"},
	}
	for _, ep := range endpoints {
		for _, c := range cases {
			t.Run(ep.name+"/"+c.name, func(t *testing.T) {
				before := countAudit(t, tp.srv, "auth", c.outcome)
				r := tp.do(ep.method, ep.path, c.token, "key-"+ep.name+c.name, ep.body)
				if r.Status != c.want {
					t.Fatalf("status %d, want %d: %s", r.Status, c.want, r.Body)
				}
				// Refusals are audited in aggregates, one row per source
				// and minute, written when the minute is over or now.
				if err := tp.srv.flushAuthFailures(true); err != nil {
					t.Fatal(err)
				}
				if got := countAudit(t, tp.srv, "auth", c.outcome); got != before+1 {
					t.Fatalf("%d audit rows for %s, want %d", got, c.outcome, before+1)
				}
			})
		}
	}
	// Another zone's reference, with a valid token of the right zone path: 404.
	for _, ep := range []struct{ method, path string }{
		{"GET", "/v1/zones/5275/complaints/" + refB},
		{"POST", "/v1/zones/5275/complaints/" + refB + "/actions"},
		{"POST", "/v1/zones/5275/complaints/2026-NOPE-NOPE/actions"},
	} {
		r := tp.do(ep.method, ep.path, tokA, "k-"+ep.path, claim)
		if r.Status != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404: %s", ep.method, ep.path, r.Status, r.Body)
		}
	}
	waitFor(t, func() bool {
		return countAudit(t, tp.srv, "action", "not_found") == 2 && countAudit(t, tp.srv, "view", "not_found") == 1
	}, "404s audited")
	// The other zone's complaint is untouched.
	r := tp.do("GET", "/v1/zones/5339/complaints/"+refB, tokB, "", nil)
	var rec complaint.Record
	r.decode(t, &rec)
	if rec.Status != complaint.StatusNew {
		t.Fatalf("zone B complaint changed: %+v", rec.Status)
	}
	// A token revoked while in use stops at once.
	tokC, offC := tp.officer("5275", "Agent C")
	if _, r := tp.feed("5275", tokC, "", 10); r.Status != 200 {
		t.Fatalf("feed before revoke: %d", r.Status)
	}
	tp.srv.RevokeOfficer(offC.ID)
	if _, r := tp.feed("5275", tokC, "", 10); r.Status != http.StatusUnauthorized {
		t.Fatalf("feed after revoke: %d", r.Status)
	}
}

func countAudit(t *testing.T, s *Server, kind, outcome string) int {
	t.Helper()
	all, err := s.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range all {
		if e.Kind == kind && e.Outcome == outcome {
			n++
		}
	}
	return n
}

func TestClaimRaceOneWinner(t *testing.T) {
	tp := newTestPortal(t, Options{})
	ref := tp.seed("5275", 1)[0]
	tokens := make([]string, 8)
	for i := range tokens {
		tokens[i], _ = tp.officer("5275", fmt.Sprintf("Agent %d", i))
	}
	statuses := make([]int, len(tokens))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = tp.action("5275", ref, tok, "claim-1", complaint.Action{Type: complaint.ActionClaim}).Status
		}()
	}
	close(start)
	wg.Wait()
	won, lost := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusOK:
			won++
		case http.StatusConflict:
			lost++
		}
	}
	if won != 1 || lost != 7 {
		t.Fatalf("statuses %v: want one 200 and seven 409", statuses)
	}
}

func TestHandleRacingForward(t *testing.T) {
	tp := newTestPortal(t, Options{})
	for round := 0; round < 10; round++ {
		ref := tp.seed("5275", 1)[0]
		tok, _ := tp.officer("5275", "Agent")
		if r := tp.action("5275", ref, tok, "c"+ref, complaint.Action{Type: complaint.ActionClaim}); r.Status != 200 {
			t.Fatalf("claim: %d %s", r.Status, r.Body)
		}
		var wg sync.WaitGroup
		var handle, forward reply
		wg.Add(2)
		go func() {
			defer wg.Done()
			handle = tp.action("5275", ref, tok, "h"+ref, complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"})
		}()
		go func() {
			defer wg.Done()
			forward = tp.action("5275", ref, tok, "f"+ref, complaint.Action{Type: complaint.ActionForward, ToZone: "5339", Reason: "faits à Bruxelles"})
		}()
		wg.Wait()
		ok := (handle.Status == 200) != (forward.Status == 200)
		loser := forward
		if forward.Status == 200 {
			loser = handle
		}
		// The loser sees a conflict (handled first) or, the complaint having
		// left the zone, not found.
		if !ok || (loser.Status != http.StatusConflict && loser.Status != http.StatusNotFound) {
			t.Fatalf("handle %d %s / forward %d %s", handle.Status, handle.Body, forward.Status, forward.Body)
		}
	}
}

func TestActionFlowAndForward(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tokA, offA := tp.officer("5275", "Agent A")
	tokA2, _ := tp.officer("5275", "Agent A2")
	tokB, _ := tp.officer("5339", "Agent B")
	refs := tp.seed("5275", 3)

	// Only the claimer acts; the conflict carries the current state.
	if r := tp.action("5275", refs[0], tokA, "a1", complaint.Action{Type: complaint.ActionClaim}); r.Status != 200 {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	r := tp.action("5275", refs[0], tokA2, "a2", complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"})
	if r.Status != http.StatusConflict {
		t.Fatalf("handle by other: %d %s", r.Status, r.Body)
	}
	ae := r.apiError(t)
	if ae.Code != complaint.CodeConflict || ae.Current == nil || ae.Current.ClaimedBy == nil || ae.Current.ClaimedBy.ID != offA.ID {
		t.Fatalf("conflict body: %s", r.Body)
	}
	// Handle without a valid PV number: 422 on pv_number.
	r = tp.action("5275", refs[0], tokA, "a3", complaint.Action{Type: complaint.ActionHandle, PVNumber: "nope"})
	if r.Status != http.StatusUnprocessableEntity || r.apiError(t).Fields["pv_number"] == "" {
		t.Fatalf("bad pv: %d %s", r.Status, r.Body)
	}
	r = tp.action("5275", refs[0], tokA, "a4", complaint.Action{Type: complaint.ActionHandle, PVNumber: "ni 55 l5 012345/26"})
	var rec complaint.Record
	r.decode(t, &rec)
	if r.Status != 200 || rec.Status != complaint.StatusHandled || rec.PVNumber != "NI.55.L5.012345/2026" || rec.Version != 3 {
		t.Fatalf("handle: %d %s", r.Status, r.Body)
	}
	// Release then reject.
	tp.action("5275", refs[1], tokA, "b1", complaint.Action{Type: complaint.ActionClaim})
	if r := tp.action("5275", refs[1], tokA, "b2", complaint.Action{Type: complaint.ActionRelease}); r.Status != 200 {
		t.Fatalf("release: %d", r.Status)
	}
	tp.action("5275", refs[1], tokA2, "b3", complaint.Action{Type: complaint.ActionClaim})
	if r := tp.action("5275", refs[1], tokA2, "b4", complaint.Action{Type: complaint.ActionReject, Reason: "Pas une infraction."}); r.Status != 200 {
		t.Fatalf("reject: %d %s", r.Status, r.Body)
	}
	// Forward to an unknown zone → 422; to 5339 → moves.
	tp.action("5275", refs[2], tokA, "c1", complaint.Action{Type: complaint.ActionClaim})
	if r := tp.action("5275", refs[2], tokA, "c2", complaint.Action{Type: complaint.ActionForward, ToZone: "9999"}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("forward unknown zone: %d %s", r.Status, r.Body)
	}
	page0, _ := tp.feed("5275", tokA, "", 100)
	r = tp.action("5275", refs[2], tokA, "c3", complaint.Action{Type: complaint.ActionForward, ToZone: "5339", Reason: "Faits à Ixelles"})
	r.decode(t, &rec)
	if r.Status != 200 || rec.Status != complaint.StatusForwarded || rec.ForwardedTo != "5339" {
		t.Fatalf("forward: %d %s", r.Status, r.Body)
	}
	// Source feed: a tombstone without personal data.
	page, _ := tp.feed("5275", tokA, page0.Cursor, 100)
	if len(page.Items) != 1 || !page.Items[0].Tombstone || page.Items[0].Record != nil || page.Items[0].Reference != refs[2] {
		t.Fatalf("source feed after forward: %+v", page.Items)
	}
	// Target feed: the complaint as new, with the forward in its history.
	page, _ = tp.feed("5339", tokB, "", 100)
	if len(page.Items) != 1 || page.Items[0].Record == nil {
		t.Fatalf("target feed: %+v", page.Items)
	}
	moved := page.Items[0].Record
	last := moved.History[len(moved.History)-1]
	if moved.Status != complaint.StatusNew || moved.ClaimedBy != nil || moved.Zone.Code != "5339" || last.Action != "forward" || last.FromZone != "5275" {
		t.Fatalf("moved record: %+v", moved)
	}
	// The source zone no longer sees it; the target zone can claim it.
	if r := tp.action("5275", refs[2], tokA, "c4", complaint.Action{Type: complaint.ActionRelease}); r.Status != http.StatusNotFound {
		t.Fatalf("source acts after forward: %d", r.Status)
	}
	if r := tp.action("5339", refs[2], tokB, "c5", complaint.Action{Type: complaint.ActionClaim}); r.Status != 200 {
		t.Fatalf("target claim: %d %s", r.Status, r.Body)
	}
}

func TestIdempotentActions(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	tok2, _ := tp.officer("5275", "Agent 2")
	ref := tp.seed("5275", 1)[0]
	first := tp.action("5275", ref, tok, "same-key", complaint.Action{Type: complaint.ActionClaim})
	if first.Status != 200 {
		t.Fatalf("claim: %d", first.Status)
	}
	page, _ := tp.feed("5275", tok, "", 100)
	again := tp.action("5275", ref, tok, "same-key", complaint.Action{Type: complaint.ActionClaim})
	if again.Status != first.Status || string(again.Body) != string(first.Body) {
		t.Fatalf("replay differs:\n%s\n%s", first.Body, again.Body)
	}
	if p, _ := tp.feed("5275", tok, page.Cursor, 100); len(p.Items) != 0 {
		t.Fatalf("replay changed the feed: %+v", p.Items)
	}
	// Same key, other body → 422 key_reused.
	r := tp.action("5275", ref, tok, "same-key", complaint.Action{Type: complaint.ActionRelease})
	if r.Status != http.StatusUnprocessableEntity || r.apiError(t).Code != complaint.CodeKeyReused {
		t.Fatalf("key reuse: %d %s", r.Status, r.Body)
	}
	// Keys are per officer: another officer's same key is a new request.
	r = tp.action("5275", ref, tok2, "same-key", complaint.Action{Type: complaint.ActionClaim})
	if r.Status != http.StatusConflict {
		t.Fatalf("other officer same key: %d %s", r.Status, r.Body)
	}
	// A 409 outcome is replayed too, even after the state changed.
	tp.action("5275", ref, tok, "rel", complaint.Action{Type: complaint.ActionRelease})
	r2 := tp.action("5275", ref, tok2, "same-key", complaint.Action{Type: complaint.ActionClaim})
	if r2.Status != http.StatusConflict || string(r2.Body) != string(r.Body) {
		t.Fatalf("409 not replayed: %d %s", r2.Status, r2.Body)
	}
	// Missing key → 400.
	if r := tp.action("5275", ref, tok, "", complaint.Action{Type: complaint.ActionClaim}); r.Status != http.StatusBadRequest {
		t.Fatalf("no key: %d", r.Status)
	}
}

// TestOfficerTextRefused: an officer's reason or PV number with control,
// bidi or (in the PV number) invisible characters is refused with 422 and
// the field, so nothing of it reaches the citizen's letter or e-mail; a
// lone surrogate escape, which encoding/json would mend silently, too.
func TestOfficerTextRefused(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	ref := tp.seed("5275", 1)[0]
	if r := tp.action("5275", ref, tok, "claim", complaint.Action{Type: complaint.ActionClaim}); r.Status != 200 {
		t.Fatalf("claim: %d", r.Status)
	}
	path := "/v1/zones/5275/complaints/" + ref + "/actions"
	for i, c := range []struct {
		body, field string
	}{
		{`{"type":"reject","reason":"Pas d'infraction\u001b[2J"}`, "reason"},
		{`{"type":"reject","reason":"\u001b]52;c;cm0gLXJmIH4=\u0007ok"}`, "reason"},
		{`{"type":"reject","reason":"ok\r\nBcc: someone@example.com"}`, "reason"},
		{`{"type":"reject","reason":"ok\u007f"}`, "reason"},
		{`{"type":"reject","reason":"o\u0085k"}`, "reason"},
		{`{"type":"reject","reason":"\u202eok"}`, "reason"},
		{`{"type":"reject","reason":"ok\ud800"}`, "reason"},
		{`{"type":"forward","to_zone":"5339","reason":"\u2066ok\u2069"}`, "reason"},
		{`{"type":"handle","pv_number":"NI.55.L5.012345/2026\u001b"}`, "pv_number"},
		{`{"type":"handle","pv_number":"NI.55.L5.0123\u200b45/2026"}`, "pv_number"},
	} {
		r := tp.do("POST", path, tok, fmt.Sprintf("bad-%d", i), []byte(c.body))
		if r.Status != http.StatusUnprocessableEntity || r.apiError(t).Fields[c.field] == "" {
			t.Errorf("%s: %d %s", c.body, r.Status, r.Body)
		}
	}
	var rec complaint.Record
	tp.do("GET", "/v1/zones/5275/complaints/"+ref, tok, "", nil).decode(t, &rec)
	if rec.Status != complaint.StatusClaimed || rec.Reason != "" || rec.PVNumber != "" {
		t.Fatalf("complaint changed by refused actions: %+v", rec)
	}
}

// countOutbox is how many citizen confirmations are queued for ref.
func countOutbox(t *testing.T, s *Server, ref string) int {
	t.Helper()
	n := 0
	for _, state := range []string{"pending", "failed"} {
		items, err := s.OutboxItems(state, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.Reference == ref {
				n++
			}
		}
	}
	return n
}

func TestTakeOverAndCorrectPV(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tokA, offA := tp.officer("5275", "Agent A")
	tokB, offB := tp.officer("5275", "Agent B")
	ref := tp.seed("5275", 1)[0]
	year := time.Now().Year()
	pv := func(seq string, y int) string { return fmt.Sprintf("NI.55.L5.%s/%d", seq, y) }

	tp.action("5275", ref, tokA, "t1", complaint.Action{Type: complaint.ActionClaim})
	// B is refused by the claim, with the rule named for the workstation.
	r := tp.action("5275", ref, tokB, "t2", complaint.Action{Type: complaint.ActionHandle, PVNumber: pv("000001", year)})
	if ae := r.apiError(t); r.Status != http.StatusConflict || ae.Reason != complaint.ConflictClaimedByOther || strings.Contains(ae.Message, "conflict_") {
		t.Fatalf("handle by B: %d %s", r.Status, r.Body)
	}
	// take_over needs a reason.
	if r := tp.action("5275", ref, tokB, "t3", complaint.Action{Type: complaint.ActionTakeOver}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("take_over without reason: %d %s", r.Status, r.Body)
	}
	before := countAudit(t, tp.srv, "action", "ok")
	r = tp.action("5275", ref, tokB, "t4", complaint.Action{Type: complaint.ActionTakeOver, Reason: "Fin de service de A"})
	var rec complaint.Record
	r.decode(t, &rec)
	if r.Status != 200 || rec.ClaimedBy == nil || rec.ClaimedBy.ID != offB.ID {
		t.Fatalf("take_over: %d %s", r.Status, r.Body)
	}
	last := rec.History[len(rec.History)-1]
	if last.Action != string(complaint.ActionTakeOver) || last.FromOfficer == nil || last.FromOfficer.ID != offA.ID || last.Reason != "Fin de service de A" {
		t.Fatalf("take_over history: %+v", last)
	}
	var audited bool
	all, _ := tp.srv.Audit(AuditFilter{})
	for _, e := range all {
		audited = audited || (e.Kind == "action" && e.Field == "take_over" && e.Outcome == "ok" && e.Reference == ref && e.Officer == offB.ID && e.Detail == "from_officer="+offA.ID)
	}
	if !audited || countAudit(t, tp.srv, "action", "ok") != before+1 {
		t.Fatalf("take_over not audited: %+v", all)
	}
	// A PV number of next year is refused; this year's handles.
	if r := tp.action("5275", ref, tokB, "t5", complaint.Action{Type: complaint.ActionHandle, PVNumber: pv("000001", year+1)}); r.Status != http.StatusUnprocessableEntity || r.apiError(t).Fields["pv_number"] == "" {
		t.Fatalf("handle with next year's PV: %d %s", r.Status, r.Body)
	}
	if r := tp.action("5275", ref, tokB, "t6", complaint.Action{Type: complaint.ActionHandle, PVNumber: pv("000001", year)}); r.Status != 200 {
		t.Fatalf("handle: %d %s", r.Status, r.Body)
	}
	if n := countOutbox(t, tp.srv, ref); n != 1 {
		t.Fatalf("%d confirmations after handling, want 1", n)
	}
	// Correction by a colleague of the zone: recorded, audited, not notified again.
	r = tp.action("5275", ref, tokA, "t7", complaint.Action{Type: complaint.ActionCorrectPV, PVNumber: pv("000002", year)})
	r.decode(t, &rec)
	if r.Status != 200 || rec.Status != complaint.StatusHandled || rec.PVNumber != pv("000002", year) {
		t.Fatalf("correct_pv: %d %s", r.Status, r.Body)
	}
	last = rec.History[len(rec.History)-1]
	if last.PreviousPV != pv("000001", year) || last.By.ID != offA.ID {
		t.Fatalf("correct_pv history: %+v", last)
	}
	if n := countOutbox(t, tp.srv, ref); n != 1 {
		t.Fatalf("%d confirmations after the correction, want still 1", n)
	}
	all, _ = tp.srv.Audit(AuditFilter{})
	audited = false
	for _, e := range all {
		audited = audited || (e.Field == "correct_pv" && e.Outcome == "ok" && e.Detail == "pv="+pv("000001", year)+"->"+pv("000002", year))
	}
	if !audited {
		t.Fatal("correct_pv not audited")
	}
	// The feed carries the correction to the zone.
	page, _ := tp.feed("5275", tokA, "", 100)
	if len(page.Items) != 1 || page.Items[0].Record.PVNumber != pv("000002", year) {
		t.Fatalf("feed after correction: %+v", page.Items)
	}
}
