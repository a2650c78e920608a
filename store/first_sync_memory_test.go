package store

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"guichet/store/storetest"
)

// procStatusKiB is a field of /proc/self/status in KiB.
func procStatusKiB(t *testing.T, field string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kib int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kib)
			return kib
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// peakGrowthKiB runs fn and returns how far above the resident memory
// before it the process's peak resident memory (VmHWM) went meanwhile. It
// skips the test where the peak cannot be reset.
func peakGrowthKiB(t *testing.T, fn func()) int64 {
	t.Helper()
	// Writing 5 to clear_refs resets the peak resident memory to now.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak resident memory: %v", err)
	}
	before := procStatusKiB(t, "VmRSS")
	fn()
	return procStatusKiB(t, "VmHWM") - before
}

// What a Store's Close does after a first sync — refreshing the planner's statistics,
// which counts every row of every index and of the index's data table —
// reads the file without a map: every page read through a map counts in
// the process's resident memory, and `guichet sync` into an empty cache
// peaked at 146–154 MB (goal: 80) when that count read 100,000
// complaints' file mapped. The peak resident memory (VmHWM, reset
// before Close) may grow by a small part of the file only.
func TestCloseAfterAFirstSyncReadsNothingThroughTheMap(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a cache of 20,000 complaints")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the resident memory from /proc")
	}
	s := openTemp(t)
	ctx := context.Background()
	if began, err := s.BeginFirstSync(ctx); err != nil || !began {
		t.Fatalf("first sync: %v, %v", began, err)
	}
	const n, page = 20_000, 1000
	recs := storetest.Records(n, 11)
	for i := 0; i < n; i += page {
		apply(t, s, fmt.Sprint("c", i), recs[i:i+page]...)
	}
	if err := s.EndFirstSync(ctx); err != nil {
		t.Fatal(err)
	}
	// As in `guichet sync`: the checkpointer copies the log into the file
	// and starts it again with a write of its own.
	s.checkpoint()
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no heap growth of the test's own
	runtime.GC()
	grew := peakGrowthKiB(t, func() {
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	})
	file := fi.Size() >> 10
	t.Logf("file %d KiB, peak resident memory during Close +%d KiB", file, grew)
	if grew > file/4 {
		t.Errorf("Close after a first sync grew the resident memory by %d KiB, the file is %d KiB: it read the file through a map", grew, file)
	}
}
