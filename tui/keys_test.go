package tui

import (
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/store/storetest"
)

// TestKeyBindingsDoNotCollide: on each screen, no key is bound to two
// things — the screen's own bindings (its full help) and the keys the root
// handles on every screen that takes no text. Every binding, the
// statistics screen's included, is rebindable by name.
func TestKeyBindingsDoNotCollide(t *testing.T) {
	k := NewKeyMap("en")
	global := []key.Binding{k.Quit, k.Help, k.Conflicts, k.Forwards, k.LockNow, k.Refresh}
	screens := map[string]struct {
		help   help.KeyMap
		typing bool
	}{
		"queue":     {help: k.QueueHelp()},
		"detail":    {help: k.DetailHelpWithFields("en")},
		"stats":     {help: k.StatsHelp()},
		"conflicts": {help: k.ConflictsHelp()},
		"list":      {help: k.ListHelp()},
		"dialog":    {help: k.DialogHelp(true), typing: true},
		"filter":    {help: k.FilterHelp(), typing: true},
		"yes/no":    {help: helpKeys{full: [][]key.Binding{{k.Yes, k.No, k.Confirm, k.Cancel}}}},
	}
	for name, s := range screens {
		var all []key.Binding
		for _, col := range s.help.FullHelp() {
			all = append(all, col...)
		}
		if !s.typing {
			all = append(all, global...)
		}
		owner := map[string]key.Binding{}
		for _, b := range all {
			for _, kk := range b.Keys() {
				if prev, taken := owner[kk]; taken && prev.Help() != b.Help() {
					t.Errorf("%s: key %q is %q and %q", name, kk, prev.Help().Desc, b.Help().Desc)
				}
				owner[kk] = b
			}
		}
	}
	for _, name := range []string{"period4", "period12", "period52", "shorterperiod", "longerperiod"} {
		k := NewKeyMap("en")
		if err := k.Rebind(map[string][]string{name: {"@"}}); err != nil {
			t.Errorf("statistics binding %s: %v", name, err)
		}
	}
}

// TestRebindingReachesEveryScreen: the filter line, the reference jump
// and the yes/no questions answer the keys the KeyMap (and so the help)
// gives them, not fixed ones.
func TestRebindingReachesEveryScreen(t *testing.T) {
	recs := storetest.Records(40, 2)
	keys := NewKeyMap("en")
	if err := keys.Rebind(map[string][]string{"confirm": {"ctrl+s"}, "cancel": {"ctrl+g"}}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, recs, "en", 120, 30)
	h.app.c.Keys = keys
	ctrl := func(r tea.KeyType) { h.send(tea.KeyMsg{Type: r}) }

	h.keys("/status:new")
	ctrl(tea.KeyCtrlS)
	q := h.queue()
	if q.typing || q.filterText != "status:new" {
		t.Fatalf("the rebound confirm did not apply the filter: typing %v, %q", q.typing, q.filterText)
	}
	h.keys("/")
	ctrl(tea.KeyCtrlG)
	if q.typing || q.filterText != "" {
		t.Fatalf("the rebound cancel did not clear the filter: typing %v, %q", q.typing, q.filterText)
	}
	if got := keys.FilterHelp().ShortHelp(); got[0].Help().Key != "ctrl+s" || got[1].Help().Key != "ctrl+g" {
		t.Fatalf("filter help shows %q, %q", got[0].Help().Key, got[1].Help().Key)
	}

	h.keys(":")
	if !q.jumping {
		t.Fatal("no jump line")
	}
	ctrl(tea.KeyCtrlG)
	if q.jumping {
		t.Fatal("the rebound cancel did not close the jump line")
	}
}
