package tui

import (
	"testing"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
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
