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
	// The words of the new action (an action's labels are messages like
	// any other).
	l := spec.Labels
	words := map[string][4]string{
		l.Noun: {"Question", "Vraag", "Frage", "Question"}, l.Key: {"question", "vraag", "Frage", "ask"},
		l.Dialog:  {"Question pour %s", "Vraag voor %s", "Frage zu %s", "Ask about %s"},
		l.Queued:  {"Question %s enregistrée", "Vraag %s opgeslagen", "Frage %s gespeichert", "Question on %s queued"},
		l.Refused: {"Question %s refusée : %s", "Vraag %s geweigerd: %s", "Frage %s abgelehnt: %s", "Question on %s refused: %s"},
		l.NoBulk:  {"une à la fois (%d)", "één per keer (%d)", "einzeln (%d)", "one at a time (%d)"},
	}
	addMessages(words)
	t.Cleanup(func() {
		for k := range words {
			delete(messages, k)
		}
	})
	recs := storetest.Records(60, 2)
	h := newHarness(t, recs, "en", 120, 30)
	if b := h.app.c.Keys.Bindings()[spec.KeyName()]; b == nil || b.Keys()[0] != spec.Key {
		t.Fatalf("no binding %q for the new action", spec.KeyName())
	}
	found := false
	for _, b := range h.app.c.Keys.actionKeys() {
		found = found || b.Help().Desc == "ask"
	}
	if !found {
		t.Fatal("the new action's key is not in the help")
	}

	// On a new complaint the rules refuse it before any typing.
	fresh := pick(t, recs, func(r complaint.Record) bool { return r.Status == complaint.StatusNew })
	h.openDetail(fresh.Reference)
	h.keys(spec.Key)
	if _, ok := h.app.Top().(*detailModel); !ok || !strings.Contains(h.app.status, "Question on "+fresh.Reference+" refused: Claim the complaint first") {
		t.Fatalf("on a new complaint: top %T, status %q", h.app.Top(), h.app.status)
	}

	// Claimed: the dialog asks for the reason, then stores the action.
	h.keys("c" + spec.Key)
	d, ok := h.app.Top().(*dialogModel)
	if !ok || !strings.Contains(h.view(), "Ask about "+fresh.Reference) {
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
	if !strings.Contains(h.app.status, "Question on "+fresh.Reference+" queued") {
		t.Fatalf("status line %q does not say it was queued", h.app.status)
	}
	if got := statusAfter(spec.Type); got != complaint.StatusClaimed {
		t.Fatalf("announced status %q", got)
	}
}
