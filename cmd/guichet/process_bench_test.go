package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"guichet/portal"
	"guichet/portal/demodata"
)

// The process benchmarks run the built guichet binary, as an officer does,
// against one portal of 100,000 demo complaints of the zone (seeded once
// per test process through the portal's intake path, not timed), and
// report what the process costs: time, peak resident memory (the child's
// VmHWM, read while it runs), the cache's bytes per complaint.
const processBenchN = 100_000

var (
	processOnce   stdsync.Once
	processDir    string
	processPortal *portal.Server
	processHTTP   *httptest.Server
	processToken  string
	processCache  string // a cache synced once, for the read benchmarks
	processErr    error
)

func processFixture(b *testing.B) {
	b.Helper()
	bin := guichetBinary(b)
	processOnce.Do(func() {
		// GUICHET_PROCESS_BENCH_DIR keeps the seeded portal and the synced
		// cache between runs of the benchmarks (seeding and syncing 100,000
		// complaints takes minutes); without it they go to a temporary
		// directory removed at the end.
		keep := os.Getenv("GUICHET_PROCESS_BENCH_DIR")
		if keep != "" {
			processDir = keep
			processErr = os.MkdirAll(keep, 0o700)
		} else {
			processDir, processErr = os.MkdirTemp("", "guichet-process-bench-")
		}
		if processErr != nil {
			return
		}
		portalDB := filepath.Join(processDir, "portal.db")
		_, statErr := os.Stat(portalDB)
		seeded := keep != "" && statErr == nil
		if processPortal, processErr = portal.Open(portalDB, portal.Options{}); processErr != nil {
			return
		}
		if !seeded {
			if _, processErr = demodata.Seed(context.Background(), processPortal, zone, processBenchN, 42); processErr != nil {
				return
			}
		}
		if processToken, _, processErr = processPortal.AddOfficer(zone, "Inspecteur Banc"); processErr != nil {
			return
		}
		processHTTP = httptest.NewServer(processPortal.Handler())
		processCache = filepath.Join(processDir, "synced", "cache.db")
		if _, err := os.Stat(processCache); keep != "" && err == nil {
			return // synced by an earlier run
		}
		if _, processErr = runGuichet(bin, processCache, "sync", "--quiet"); processErr != nil {
			return
		}
	})
	if processErr != nil {
		b.Fatal(processErr)
	}
}

// processRun is what one run of the binary cost.
type processRun struct {
	wall   time.Duration
	maxRSS int64 // bytes
}

// runGuichet runs the binary on cache with a fresh HOME and only the
// portal's address and the officer's token in its environment.
func runGuichet(bin, cache string, args ...string) (processRun, error) {
	home := filepath.Join(filepath.Dir(filepath.Dir(cache)), "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		return processRun{}, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GUICHET_LANG=en",
		"GUICHET_SERVER=" + processHTTP.URL, "GUICHET_TOKEN=" + processToken, "GUICHET_DB=" + cache}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return processRun{}, err
	}
	// The child's own high-water mark, read while it runs: the maxrss of
	// its rusage also counts the test process it was started from (Linux
	// keeps the larger of the two across exec).
	peak := make(chan int64)
	done := make(chan struct{})
	go func() {
		var hwm int64
		status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
		for {
			if n := vmHWM(status); n > hwm {
				hwm = n
			}
			select {
			case <-done:
				peak <- hwm
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	r := processRun{wall: wall, maxRSS: <-peak}
	if err != nil {
		return processRun{}, fmt.Errorf("guichet %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return r, nil
}

// vmHWM is the peak resident memory of a running process in bytes, from
// its /proc status (0 once it has exited).
func vmHWM(status string) int64 {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkFirstSyncProcess100k runs `guichet sync --quiet` into an empty
// cache and reports the peak resident memory of the process (goal: at
// most 80 MB) and the cache's bytes per complaint.
func BenchmarkFirstSyncProcess100k(b *testing.B) {
	processFixture(b)
	bin := guichetBinary(b)
	var peak, size int64
	i := 0
	for b.Loop() {
		cache := filepath.Join(b.TempDir(), fmt.Sprint("s", i), "c", "cache.db")
		i++
		r, err := runGuichet(bin, cache, "sync", "--quiet")
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, r.maxRSS)
		fi, err := os.Stat(cache)
		if err != nil {
			b.Fatal(err)
		}
		size = fi.Size()
	}
	b.ReportMetric(float64(peak)/(1<<20), "maxrss-MB")
	b.ReportMetric(float64(size)/processBenchN, "cache-B/complaint")
	if peak > maxFirstSyncRSS {
		b.Errorf("a first sync of %d complaints peaked at %.1f MB resident, the goal is %d MB",
			processBenchN, float64(peak)/(1<<20), maxFirstSyncRSS>>20)
	}
}

// maxFirstSyncRSS is the goal for the peak resident memory of a first sync
// of 100,000 complaints (issue 14).
const maxFirstSyncRSS = 80 << 20

// BenchmarkListProcess100k runs `guichet list --limit 50` on the synced
// 100,000-complaint cache: the whole process, from exec to exit (goal: a
// median of at most 30 ms).
func BenchmarkListProcess100k(b *testing.B) {
	processFixture(b)
	bin := guichetBinary(b)
	var walls []time.Duration
	var peak int64
	for b.Loop() {
		r, err := runGuichet(bin, processCache, "list", "--limit", "50")
		if err != nil {
			b.Fatal(err)
		}
		walls = append(walls, r.wall)
		peak = max(peak, r.maxRSS)
	}
	slices.Sort(walls)
	b.ReportMetric(float64(walls[len(walls)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(peak)/(1<<20), "maxrss-MB")
}

// TestMain removes what the process benchmarks made (a portal of 100,000
// complaints and its caches) once every test and benchmark ran.
func TestMain(m *testing.M) {
	code := m.Run()
	if processHTTP != nil {
		processHTTP.Close()
	}
	if processPortal != nil {
		processPortal.Close()
	}
	if processDir != "" && os.Getenv("GUICHET_PROCESS_BENCH_DIR") == "" {
		os.RemoveAll(processDir)
	}
	os.Exit(code)
}
