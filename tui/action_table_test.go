package tui

import (
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/complaint/actiontest"
	"guichet/store/storetest"
)

// TestFakeActionInTheWorkstation adds an action to complaint's table (in
// this test only) and uses it like the others: its key is in the help and
// rebindable, it is refused before typing where the rules refuse it, its
// dialog asks for its input, the action is stored and the status line and
// the screen-reader announcement say so — with no edit of the tui.
func TestFakeActionInTheWorkstation(t *testing.T) {
	spec := actiontest.Add(t)
	// The words of an action are messages of package i18n, named by its
	// labels; a real new action adds them to the language files. This one
	// borrows the take-over's.
	takeOver, _ := complaint.ActionSpecOf(complaint.ActionTakeOver)
	spec.Labels = takeOver.Labels
	complaint.Actions[len(complaint.Actions)-1].Labels = takeOver.Labels
	l := spec.Labels
	en := func(code string, args ...any) string { return coded("en", code, args...) }
	recs := storetest.Records(60, 2)
	h := newHarness(t, recs, "en", 120, 30)
	if b := h.app.c.Keys.Bindings()[spec.KeyName()]; b == nil || b.Keys()[0] != spec.Key {
		t.Fatalf("no binding %q for the new action", spec.KeyName())
	}
	found := false
	for _, b := range h.app.c.Keys.actionKeys() {
		found = found || b.Help().Desc == en(l.Key)
	}
	if !found {
		t.Fatal("the new action's key is not in the help")
	}

	// On a new complaint the rules refuse it before any typing.
	fresh := pick(t, recs, func(r complaint.Record) bool { return r.Status == complaint.StatusNew })
	h.openDetail(fresh.Reference)
	h.keys(spec.Key)
	if _, ok := h.app.Top().(*detailModel); !ok || !strings.Contains(h.app.status, en(l.Refused, fresh.Reference, "Claim the complaint first")) {
		t.Fatalf("on a new complaint: top %T, status %q", h.app.Top(), h.app.status)
	}

	// Claimed: the dialog asks for the reason, then stores the action.
	h.keys("c" + spec.Key)
	d, ok := h.app.Top().(*dialogModel)
	if !ok || !strings.Contains(h.view(), en(l.Dialog, fresh.Reference)) {
		t.Fatalf("no dialog for the new action: %T\n%s", h.app.Top(), h.view())
	}
	h.keys("<enter>")
	if d.confirming || !strings.Contains(h.view(), "This field is required") {
		t.Fatalf("empty reason accepted:\n%s", h.view())
	}
	h.keys("Which brand<enter><enter>")
	c := h.rec(fresh.Reference)
	last := c.History[len(c.History)-1]
	if !c.Pending || last.Action != string(spec.Type) || last.Reason != "Which brand" || c.Status != complaint.StatusClaimed {
		t.Fatalf("after the new action: pending %v, %s, history %+v", c.Pending, c.Status, last)
	}
	if !strings.Contains(h.app.status, en(l.Queued, fresh.Reference)) {
		t.Fatalf("status line %q does not say it was queued", h.app.status)
	}
	if got := statusAfter(spec.Type); got != complaint.StatusClaimed {
		t.Fatalf("announced status %q", got)
	}

	// Marked rows: not a bulk action, the status line says why.
	h = newHarness(t, recs, "en", 120, 30)
	h.keys("<space>j<space>" + spec.Key)
	if _, ok := h.app.Top().(*queueModel); !ok || h.app.status != en(l.NoBulk, 2) {
		t.Fatalf("on marked rows: top %T, status %q", h.app.Top(), h.app.status)
	}
}
