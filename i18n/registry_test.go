package i18n

import (
	"runtime"
	"slices"
	"testing"
	"unsafe"
)

// TestForMakesTheCatalogWithoutCopyingIt: For resolves a language into the
// catalog its language file makes, filled from English in place; it does
// not make the file's catalog and then a copy of it (14 kB written twice
// at every start of guichet).
func TestForMakesTheCatalogWithoutCopyingIt(t *testing.T) {
	raw(fallback).raw() // English, which fills the others, made beforehand
	const code = "x-for-test"
	register(Language{Code: code, Name: "test", Rank: 99}, func() *Catalog { return new(Catalog) })
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		delete(entries, code)
		ordered = slices.DeleteFunc(ordered, func(e *entry) bool { return e.Code == code })
		matcher = nil
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c := For(code)
	runtime.ReadMemStats(&after)
	if c.Lang() != code || c.CLI.Messages.ListEmpty == "" {
		t.Fatalf("For(%q) is not the test language filled from English: code %q", code, c.Lang())
	}
	// The catalog, and what filling its maps from English allocates
	// (up to 9 kB when reflect's caches are cold): less than a second
	// catalog.
	size := uint64(unsafe.Sizeof(Catalog{}))
	if got := after.TotalAlloc - before.TotalAlloc; got >= 2*size {
		t.Errorf("For allocated %d bytes for a catalog of %d: it makes the catalog and a copy of it", got, size)
	}
}
