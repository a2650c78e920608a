package tui

import (
	_ "embed"
	"strings"
	"sync"
)

// The names of countries and languages in the officer's language come
// from names.tsv, CLDR's names (golang.org/x/text/language/display) of
// every ISO 3166 country and ISO 639-1 language in English, French, Dutch
// and German: one line per code — kind, code, then the four names.
// TestNameTable checks the file against x/text and rewrites it with
// -update. Linking x/text/language/display instead cost every start of
// guichet about 2 ms in its init (a language matcher built over all its
// languages), listing or not.

//go:embed data/names.tsv
var namesTSV string

// nameColumns are the languages of the names, in the file's order.
var nameColumns = [...]string{"en", "fr", "nl", "de"}

// nameTable is names.tsv read: kind ("country", "language") → code → the
// names in nameColumns' order.
type nameTable map[string]map[string][len(nameColumns)]string

// names reads names.tsv once, at the first name asked for.
var names = sync.OnceValue(func() nameTable {
	t := nameTable{}
	for line := range strings.Lines(namesTSV) {
		cols := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(cols) != 2+len(nameColumns) {
			continue
		}
		if t[cols[0]] == nil {
			t[cols[0]] = map[string][len(nameColumns)]string{}
		}
		var n [len(nameColumns)]string
		copy(n[:], cols[2:])
		t[cols[0]][cols[1]] = n
	}
	return t
})

// nameOf is the name of code (a country or a language, by kind) in lang,
// English when lang has none; "" when the code has no name.
func nameOf(kind, code, lang string) string {
	n, ok := names()[kind][code]
	if !ok {
		return ""
	}
	for i, l := range nameColumns {
		if l == lang && n[i] != "" {
			return n[i]
		}
	}
	return n[0]
}
