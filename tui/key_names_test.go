package tui

import "testing"

// TestKeyNamesInTheOfficersLanguage: the help names the keys themselves
// (enter, esc, space, page down) in the officer's language, not only what
// they do; a rebound key is named the same way.
func TestKeyNamesInTheOfficersLanguage(t *testing.T) {
	tests := []struct {
		lang                         string
		open, back, pageDown, pageUp string
	}{
		{"fr", "entrée", "échap", "pg.suiv", "pg.préc/ctrl+b"},
		{"nl", "enter", "esc", "pgdn", "pgup/ctrl+b"},
		{"de", "Eingabe", "Esc", "Bild↓", "Bild↑/ctrl+b"},
		{"en", "enter", "esc", "pgdn", "pgup/ctrl+b"},
	}
	for _, tt := range tests {
		k := NewKeyMap(tt.lang)
		got := []string{k.Open.Help().Key, k.Back.Help().Key, k.PageDown.Help().Key, k.PageUp.Help().Key}
		want := []string{tt.open, tt.back, tt.pageDown, tt.pageUp}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: key named %q, want %q", tt.lang, got[i], want[i])
			}
		}
		if err := k.Rebind(map[string][]string{"mark": {" "}}); err != nil {
			t.Fatal(err)
		}
		if name := k.Mark.Help().Key; name != map[string]string{"fr": "espace", "nl": "spatie", "de": "Leertaste", "en": "space"}[tt.lang] {
			t.Errorf("%s: rebound space named %q", tt.lang, name)
		}
	}
}
