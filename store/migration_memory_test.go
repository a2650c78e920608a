package store

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"guichet/store/storetest"
)

// Migrating a cache rewrites whole tables in one transaction each, and
// SQLite keeps the original of every page a statement changes until the
// statement ends. Those copies, and the pages read through a map, must not
// count in the process's resident memory: opening a 100,000-complaint
// cache of schema 4 peaked at 1.3 GB resident when they did (see
// cacheDSN). The peak resident memory (VmHWM, reset before Open) may grow
// by a part of the file only: half of it leaves room for the race
// detector's shadow of the Go heap (measured on 20,000 complaints, a
// 104 MB file: +8 MB, +27 MB under -race; +254 MB with the settings of
// the queries, +100 MB with only their page cache).
func TestMigrationKeepsTheCacheOutOfMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("migrates a cache of 20,000 complaints")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the resident memory from /proc")
	}
	s := openTemp(t)
	const n, page = 20_000, 1000
	recs := storetest.Records(n, 17)
	for i := 0; i < n; i += page {
		apply(t, s, fmt.Sprint("c", i), recs[i:i+page]...)
	}
	// As an older guichet left it (schema 4: the records' JSON in the
	// complaints table, plain; an index with its own copy of the text).
	downgradeTo(t, s, 4)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// The garbage collector stays on: the migration's Go step makes
	// garbage for every record it recompresses.
	runtime.GC()
	grew := peakGrowthKiB(t, func() {
		if s, err = Open(path); err != nil {
			t.Fatal(err)
		}
	})
	defer s.Close()
	var v int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("schema %d after Open (%v), want %d", v, err, SchemaVersion())
	}
	file := fi.Size() >> 10
	t.Logf("file %d KiB, peak resident memory during the migration +%d KiB", file, grew)
	if grew > file/2 {
		t.Errorf("migrating grew the resident memory by %d KiB, the file is %d KiB: the migration kept the cache's pages in memory", grew, file)
	}
}
