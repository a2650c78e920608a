package tui

import (
	"flag"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"guichet/complaint"
)

// cldrNames is names.tsv as x/text's CLDR tables give it: every country
// complaint accepts (ISO 3166, XK) and every ISO 639-1 language, named in
// each of nameColumns.
func cldrNames() string {
	dicts := []*display.Dictionary{display.English, display.French, display.Dutch, display.German}
	var b strings.Builder
	row := func(kind, code string, name func(*display.Dictionary) string) {
		var cols []string
		any := false
		for _, d := range dicts {
			n := name(d)
			if strings.EqualFold(n, code) || strings.ContainsAny(n, "\t\n") {
				n = ""
			}
			any = any || n != ""
			cols = append(cols, n)
		}
		if any {
			b.WriteString(kind + "\t" + code + "\t" + strings.Join(cols, "\t") + "\n")
		}
	}
	for a := 'A'; a <= 'Z'; a++ {
		for c := 'A'; c <= 'Z'; c++ {
			code := string([]rune{a, c})
			reg, err := language.ParseRegion(code)
			if !complaint.ValidCountry(code) || err != nil || !reg.IsCountry() {
				continue
			}
			row("country", code, func(d *display.Dictionary) string { return d.Regions().Name(reg) })
		}
	}
	for a := 'a'; a <= 'z'; a++ {
		for c := 'a'; c <= 'z'; c++ {
			code := string([]rune{a, c})
			base, err := language.ParseBase(code)
			if err != nil || base.String() != code {
				continue
			}
			row("language", code, func(d *display.Dictionary) string { return d.Languages().Name(base) })
		}
	}
	return b.String()
}

// TestNameTable: names.tsv is what CLDR says (go test ./tui -run
// TestNameTable -update rewrites it), and the workstation reads it.
func TestNameTable(t *testing.T) {
	want := cldrNames()
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile("data/names.tsv", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if namesTSV != want {
		t.Fatal("data/names.tsv differs from x/text's CLDR names: go test ./tui -run TestNameTable -update")
	}
	for _, c := range []struct{ lang, code, want string }{
		{"fr", "BE", "Belgique"}, {"nl", "be", "België"}, {"de", "DE", "Deutschland"}, {"en", "NL", "Netherlands"},
		{"es", "FR", "France"}, // no Spanish column: English
		{"fr", "ZZ", ""}, {"fr", "Belgium", ""},
	} {
		if got := countryName(c.lang, c.code); got != c.want {
			t.Errorf("countryName(%s, %s) = %q, want %q", c.lang, c.code, got, c.want)
		}
	}
	for _, c := range []struct{ lang, code, want string }{
		{"fr", "nl", "néerlandais"}, {"nl", "FR", "Frans"}, {"de", "en", "Englisch"}, {"en", "de", "German"},
		{"fr", "xx", "xx"}, {"fr", "", ""},
	} {
		if got := languageName(c.lang, c.code); got != c.want {
			t.Errorf("languageName(%s, %s) = %q, want %q", c.lang, c.code, got, c.want)
		}
	}
}
