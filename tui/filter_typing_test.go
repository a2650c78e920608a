package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/store/storetest"
)

// TestFastTypistSeesLastFilter: an officer types a filter faster than the
// queries answer — every keystroke reaches Update before any query runs,
// and the queries of each keystroke run at once, in any order, as Bubble
// Tea runs commands. Each keystroke cancels the queries of the one before
// (their answers, often errors of a cancelled query, are dropped): the
// queue ends showing the result of the last keystroke's filter, never an
// empty or stale one.
func TestFastTypistSeesLastFilter(t *testing.T) {
	h := newHarness(t, storetest.Records(3000, 11), "en", 120, 40)
	for _, typed := range []string{"dupont", "type:bicycle_theft dup", "lambert", "dupn"} {
		h.keys("<esc>/")
		r := newAsync(h)
		for _, c := range typed {
			_, cmd := h.app.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{c}})
			r.start(cmd)
		}
		r.drain()
		if q := h.queue(); q.filterText != typed {
			t.Fatalf("filter %q after typing %q", q.filterText, typed)
		}
		checkShownFilter(t, h)
		if typed != "dupn" && len(h.queue().rows) == 0 {
			t.Errorf("%q: nothing shown", typed)
		}
	}
}
