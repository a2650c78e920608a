package tui

import (
	"context"
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/store"
	"guichet/store/storetest"
)

// TestConflictsDismiss: two actions the portal refused are listed with its
// reason; j selects the second, d dismisses it in the cache, and the panel
// keeps only the first.
func TestConflictsDismiss(t *testing.T) {
	recs := storetest.Records(60, 4)
	h := newHarness(t, recs, "en", 100, 24)
	ctx := context.Background()
	var refs []string
	for _, r := range recs {
		if r.Status == complaint.StatusNew && len(refs) < 2 {
			refs = append(refs, r.Reference)
		}
	}
	for _, ref := range refs {
		if _, err := h.st.Act(ctx, ref, complaint.Action{Type: complaint.ActionClaim}, testOfficer, "en"); err != nil {
			t.Fatal(err)
		}
	}
	pending, err := h.st.PendingActions(ctx, 10)
	if err != nil || len(pending) != 2 {
		t.Fatalf("outbox: %v %d", err, len(pending))
	}
	for _, p := range pending {
		if err := h.st.RejectAction(ctx, p.ID, nil, complaint.ConflictClaimedByOther, "held by another officer"); err != nil {
			t.Fatal(err)
		}
	}

	h.keys("!")
	view := h.view()
	for _, ref := range refs {
		if !strings.Contains(view, ref) {
			t.Fatalf("conflict on %s not listed:\n%s", ref, view)
		}
	}
	if strings.Count(view, "held by another officer") != 2 {
		t.Fatalf("the portal's reason is not shown for both:\n%s", view)
	}
	m := h.app.Top().(*conflictsModel)
	first, second := m.list[0].Reference, m.list[1].Reference
	if !strings.Contains(view, "› ") {
		t.Fatalf("no selected conflict:\n%s", view)
	}
	h.keys("jd")
	cs, err := h.st.Conflicts(ctx)
	if err != nil || len(cs) != 1 || cs[0].Reference != first {
		t.Fatalf("after dismissing %s the cache holds %+v (%v)", second, cs, err)
	}
	if panel := m.View(); strings.Contains(panel, second) || !strings.Contains(panel, "› ! ") || !strings.Contains(panel, first) {
		t.Fatalf("panel after dismiss:\n%s", panel)
	}
	if !strings.Contains(h.app.status, "dismissed") {
		t.Fatalf("status %q", h.app.status)
	}
}

// TestConflictsInWords: the panel says the portal's reason in words, never
// its code; a colleague's take-over says who and why; after the last
// conflict is dismissed the panel does not claim the portal accepted
// every action.
func TestConflictsInWords(t *testing.T) {
	recs := storetest.Records(60, 4)
	h := newHarness(t, recs, "fr", 120, 24)
	ctx := context.Background()
	var refs []string
	for _, r := range recs {
		if r.Status == complaint.StatusNew && len(refs) < 2 {
			refs = append(refs, r.Reference)
		}
	}
	for _, ref := range refs {
		if _, err := h.st.Act(ctx, ref, complaint.Action{Type: complaint.ActionClaim}, testOfficer, "fr"); err != nil {
			t.Fatal(err)
		}
	}
	pending, _ := h.st.PendingActions(ctx, 10)
	// An older portal: generic code, the rule's code in the message.
	if err := h.st.RejectAction(ctx, pending[0].ID, nil, complaint.CodeConflict, "Cette plainte est prise en charge par un autre agent. (conflict_claimed_by_other)"); err != nil {
		t.Fatal(err)
	}
	// This portal: the rule named in the reason, stored as the code.
	if err := h.st.RejectAction(ctx, pending[1].ID, nil, complaint.ConflictFinal, "x"); err != nil {
		t.Fatal(err)
	}
	h.keys("!")
	view := h.view()
	if strings.Contains(view, "conflict_") {
		t.Fatalf("a rule's code reaches the screen:\n%s", view)
	}
	if !strings.Contains(view, "prise en charge par un autre agent") || !strings.Contains(view, "déjà clôturée") {
		t.Fatalf("reasons not in words:\n%s", view)
	}
	h.keys("dd")
	view = h.view()
	if strings.Contains(view, "accepté toutes") || !strings.Contains(view, "Aucun conflit à lire") {
		t.Fatalf("after dismissing the last conflict:\n%s", view)
	}
	reason := conflictReason("fr", store.Conflict{Code: complaint.ConflictTakenOver, Message: "fin de service", HolderName: "Agent B"})
	if reason != "Un collègue a repris cette plainte. « fin de service » — reprise par Agent B" {
		t.Fatalf("take-over line: %q", reason)
	}
}
