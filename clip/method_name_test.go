package clip

import (
	"testing"

	"guichet/i18n"
)

// TestMethodNames: every route a copy can take has one name per officer
// language, shared by the workstation and the guichet command (both say
// Method.Name); a method newer than the catalog reads as "clipboard".
func TestMethodNames(t *testing.T) {
	methods := []Method{MethodSystem, MethodOSC52, MethodTmux, MethodTmuxBuffer}
	for _, lang := range i18n.OfficerLanguages() {
		unknown := i18n.For(lang).Clipboard.Unknown
		seen := map[string]Method{}
		for _, m := range methods {
			name := m.Name(lang)
			if name == "" || name == unknown || name == string(m) {
				t.Errorf("%s: %s is named %q", lang, m, name)
			}
			if other, dup := seen[name]; dup {
				t.Errorf("%s: %s and %s are both named %q", lang, m, other, name)
			}
			seen[name] = m
		}
		if got := Method("carrier-pigeon").Name(lang); got != unknown || got == "" {
			t.Errorf("%s: an unknown method is named %q, want %q", lang, got, unknown)
		}
	}
	if got := MethodOSC52.Name("fr"); got != "presse-papiers du terminal (OSC 52)" {
		t.Errorf("fr osc52: %q", got)
	}
}
