package tui

import (
	"context"
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store/storetest"
)

// TestForwardedStaysVisible: a complaint the officer forwarded, once the
// portal accepted it and its tombstone removed it from every tab, is still
// listed with its destination zone on the forwards screen (>), in each
// language.
func TestForwardedStaysVisible(t *testing.T) {
	for _, lang := range allLangs {
		recs := storetest.Records(40, 1)
		h := newHarness(t, recs, lang, 100, 24)
		ctx := context.Background()
		ref := h.queue().SelectedRef()
		if err := h.src.Act(ctx, ref, complaint.Action{Type: complaint.ActionClaim}); err != nil {
			t.Fatal(err)
		}
		if err := h.src.Act(ctx, ref, complaint.Action{Type: complaint.ActionForward, ToZone: "5339", Reason: "lieu"}); err != nil {
			t.Fatal(err)
		}
		acts, err := h.st.PendingActions(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range acts {
			if err := h.st.AckAction(ctx, a.ID, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := h.st.ApplyFeedPage(ctx, []complaint.FeedItem{{Reference: ref, Version: 99, Tombstone: true}}, "c"); err != nil {
			t.Fatal(err)
		}
		h.keys("r")
		for tab := range int(tabCount) {
			h.keys(string(rune('1' + tab)))
			for _, r := range h.queue().rows {
				if r.Reference == ref {
					t.Fatalf("%s: %s still in tab %d after its tombstone", lang, ref, tab+1)
				}
			}
		}
		h.keys(">")
		v := h.view()
		if !strings.Contains(v, ref) || !strings.Contains(v, "→ 5339") || !strings.Contains(v, i18n.For(lang).TUI.Forwards.Confirmed) {
			t.Fatalf("%s: forwards screen:\n%s", lang, v)
		}
		h.keys("<esc>")
		if _, ok := h.app.Top().(*queueModel); !ok {
			t.Fatalf("%s: esc left %T", lang, h.app.Top())
		}
	}
}
