package sqlite

import (
	"path/filepath"
	"testing"

	"guichet/portal/storage"
	"guichet/portal/storage/storagetest"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "portal.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConformance runs the storage conformance suite on SQLite.
func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return openTemp(t) })
}
