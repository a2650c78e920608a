package i18n

import (
	"testing"

	"golang.org/x/text/language"
)

// Every registered language's code is a BCP 47 tag, parsed at its first
// use rather than at init: each catalog's Tag is its code's.
func TestEveryLanguageHasItsTag(t *testing.T) {
	for _, code := range Languages() {
		want, err := language.Parse(code)
		if err != nil {
			t.Errorf("language %q: %v", code, err)
			continue
		}
		if got := For(code).Tag(); got != want {
			t.Errorf("For(%q).Tag() = %v, want %v", code, got, want)
		}
	}
}
