package main

import (
	"path/filepath"
	"testing"
)

// globEscape makes any name match itself, and only itself, in a glob
// pattern; a name without glob characters costs no allocation.
func TestGlobEscape(t *testing.T) {
	for _, name := range []string{"/home/o/.local/share/guichet/h-443-", `/tmp/a*b?c[d]\e`, "[", `\`} {
		if ok, err := filepath.Match(globEscape(name), name); !ok || err != nil {
			t.Errorf("globEscape(%q) = %q does not match the name (%v)", name, globEscape(name), err)
		}
		if ok, _ := filepath.Match(globEscape(name), name+"x"); ok {
			t.Errorf("globEscape(%q) matches another name", name)
		}
	}
	if n := testing.AllocsPerRun(10, func() { globEscape("/home/o/.local/share/guichet") }); n != 0 {
		t.Errorf("globEscape of a plain path allocates %v times, want 0", n)
	}
}
