package portal

import (
	"net/http"
	"testing"

	"guichet/complaint"
)

// TestActionKeyLookedUpByItsCommit: an action does not read its
// idempotency key before deciding (one query fewer per action, the claim
// round trip on PostgreSQL being mostly round trips): the commit, which
// looks the key up before writing anything, answers a replay with the
// first answer and a reused key with key_reused. Here reading a key
// apart fails, so an action that read it would answer 500.
func TestActionKeyLookedUpByItsCommit(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	ref := tp.seed("5275", 1)[0]
	tp.store.fail("Idempotency")
	first := tp.action("5275", ref, tok, "k1", complaint.Action{Type: complaint.ActionClaim})
	if first.Status != http.StatusOK {
		t.Fatalf("claim: %d %s", first.Status, first.Body)
	}
	// Released meanwhile: deciding again would claim anew, the replay
	// answers the first claim.
	if r := tp.action("5275", ref, tok, "k2", complaint.Action{Type: complaint.ActionRelease}); r.Status != http.StatusOK {
		t.Fatalf("release: %d %s", r.Status, r.Body)
	}
	again := tp.action("5275", ref, tok, "k1", complaint.Action{Type: complaint.ActionClaim})
	if again.Status != first.Status || string(again.Body) != string(first.Body) {
		t.Fatalf("replay: %d %s, want the first answer %s", again.Status, again.Body, first.Body)
	}
	var rec complaint.Record
	tp.do("GET", "/v1/zones/5275/complaints/"+ref, tok, "", nil).decode(t, &rec)
	if rec.Status != complaint.StatusNew || rec.ClaimedBy != nil {
		t.Fatalf("the replay changed the complaint: %s %+v", rec.Status, rec.ClaimedBy)
	}
	r := tp.action("5275", ref, tok, "k1", complaint.Action{Type: complaint.ActionRelease})
	if r.Status != http.StatusUnprocessableEntity || r.apiError(t).Code != complaint.CodeKeyReused {
		t.Fatalf("key reused: %d %s", r.Status, r.Body)
	}
}
