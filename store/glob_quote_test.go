package store

import (
	"path/filepath"
	"testing"
)

// globQuote makes any name match itself, and only itself, in a glob
// pattern; a name without glob characters (every cache path guichet
// makes) costs no allocation.
func TestGlobQuote(t *testing.T) {
	for _, name := range []string{"/home/o/.local/share/guichet/h-443-5275.db", `/tmp/a*b?c[d]\e.db`, "[", `\`} {
		if ok, err := filepath.Match(globQuote(name), name); !ok || err != nil {
			t.Errorf("globQuote(%q) = %q does not match the name (%v)", name, globQuote(name), err)
		}
		if ok, _ := filepath.Match(globQuote(name), name+"x"); ok {
			t.Errorf("globQuote(%q) matches another name", name)
		}
	}
	if n := testing.AllocsPerRun(10, func() { globQuote("/home/o/.local/share/guichet/h-443-5275.db.open-") }); n != 0 {
		t.Errorf("globQuote of a plain path allocates %v times, want 0", n)
	}
}
