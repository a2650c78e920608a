package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/store/storetest"
)

// pressBeforeReload sends key s and runs what follows, except the reloads
// an action's answer asks for: they stay in flight, as on a loaded machine
// where the officer types faster than the cache answers.
func (h *harness) pressBeforeReload(s string) {
	h.t.Helper()
	_, cmd := h.app.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch m := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		case actionDoneMsg:
			h.app.Update(m) // its reloads are dropped
		default:
			_, next := h.app.Update(m)
			queue = append(queue, next)
		}
	}
}

// Claim, then handle at once: the claim the status line calls queued
// counts for the next key, on the detail and on the queue, even before
// the reload of the complaint came back (it said "Claim the complaint
// first" under load, and the typed PV number went to the field keys).
func TestHandleRightAfterClaimQueued(t *testing.T) {
	for _, where := range []string{"detail", "queue"} {
		t.Run(where, func(t *testing.T) {
			h := newHarness(t, storetest.Records(60, 2), "en", 120, 30)
			ref := h.queue().SelectedRef()
			if h.rec(ref).Status != complaint.StatusNew {
				t.Fatalf("first row %s is %s", ref, h.rec(ref).Status)
			}
			if where == "detail" {
				h.openDetail(ref)
			}
			h.pressBeforeReload("c")
			if v := h.view(); !strings.Contains(v, "Claim of "+ref+" queued") {
				t.Fatalf("no claim queued:\n%s", v)
			}
			h.pressBeforeReload("h")
			v := h.view()
			if strings.Contains(v, "Claim the complaint first") || !strings.Contains(v, "Handle complaint "+ref) {
				t.Fatalf("h right after the claim was queued:\n%s", v)
			}
		})
	}
}
