package tui

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestDataLayerInOnePlace: the screens reach the cache and the sync engine
// through the tui's narrow interfaces only; the adapters that implement
// them over store and sync are in backend.go. stats.go may name the
// store's statistics types, which are plain data.
func TestDataLayerInOnePlace(t *testing.T) {
	allowed := map[string]map[string]bool{
		"backend.go": {"guichet/store": true, "guichet/sync": true},
		"stats.go":   {"guichet/store": true},
	}
	files, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		name := f.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if (path == "guichet/store" || path == "guichet/sync") && !allowed[name][path] {
				t.Errorf("%s imports %s: go through the interfaces and adapters of backend.go", name, path)
			}
		}
	}
}
