package store

import (
	"path/filepath"
	"testing"
)

// GlobQuote makes any name match itself, and only itself, in a glob
// pattern; a name without glob characters (every cache path guichet
// makes) costs no allocation.
func TestGlobQuote(t *testing.T) {
	for _, name := range []string{"/home/o/.local/share/guichet/h-443-5275.db", `/tmp/a*b?c[d]\e.db`, "[", `\`} {
		if ok, err := filepath.Match(GlobQuote(name), name); !ok || err != nil {
			t.Errorf("GlobQuote(%q) = %q does not match the name (%v)", name, GlobQuote(name), err)
		}
		if ok, _ := filepath.Match(GlobQuote(name), name+"x"); ok {
			t.Errorf("GlobQuote(%q) matches another name", name)
		}
	}
	if n := testing.AllocsPerRun(10, func() { GlobQuote("/home/o/.local/share/guichet/h-443-5275.db.open-") }); n != 0 {
		t.Errorf("GlobQuote of a plain path allocates %v times, want 0", n)
	}
}
