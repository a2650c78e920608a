package sync

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/store"
)

// The benchmarks share one portal of 100,000 complaints of the test zone,
// filed once per process through the portal's own intake path (demodata.Seed);
// building it takes about a minute and is not timed.
const benchN = 100_000

var (
	benchOnce   stdsync.Once
	benchDir    string
	benchPortal *portal.Server
	benchHTTP   *httptest.Server
	benchToken  string
	benchErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchHTTP != nil {
		benchHTTP.Close()
	}
	if benchPortal != nil {
		benchPortal.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func benchFixture(b *testing.B) {
	b.Helper()
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "guichet-sync-bench-")
		if benchErr != nil {
			return
		}
		benchPortal, benchErr = portal.Open(filepath.Join(benchDir, "portal.db"), portal.Options{})
		if benchErr != nil {
			return
		}
		if _, benchErr = demodata.Seed(context.Background(), benchPortal, testZone, benchN, 42); benchErr != nil {
			return
		}
		benchToken, _, benchErr = benchPortal.AddOfficer(testZone, "Inspecteur Banc")
		if benchErr != nil {
			return
		}
		benchHTTP = httptest.NewServer(benchPortal.Handler())
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
}

// benchEngine opens a fresh cache and an engine on the benchmark portal.
func benchEngine(b *testing.B, dir string) (*store.Store, *Engine) {
	b.Helper()
	st, err := store.Open(filepath.Join(dir, "c", "cache.db"))
	if err != nil {
		b.Fatal(err)
	}
	eng, err := New(Options{Server: benchHTTP.URL, Token: benchToken, PageSize: 1000}, st)
	if err != nil {
		b.Fatal(err)
	}
	return st, eng
}

// liveHeap is the heap in use now.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// heapSampler records the peak live heap while a sync runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > h.peak.Load() {
				h.peak.Store(ms.HeapAlloc)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) finish() uint64 {
	close(h.stop)
	<-h.done
	return h.peak.Load()
}

// BenchmarkInitialSync100k pulls the whole 100,000-complaint zone into an
// empty cache and, in the same iteration, bulk-inserts the same records
// into another empty cache with store.BulkLoad (the baseline: same rows,
// same schema, one transaction, no network). It reports the sync's time,
// the ratio to the baseline, and how much the live heap grew during the
// sync above what it was before (the client holds one page at a time, so
// this must not grow with the zone; it includes the portal serving the
// pages in this process).
func BenchmarkInitialSync100k(b *testing.B) {
	benchFixture(b)
	ctx := context.Background()
	var syncTotal, bulkTotal time.Duration
	var peak uint64
	var records []complaint.Record
	i := 0
	for b.Loop() {
		b.StopTimer()
		dir := filepath.Join(b.TempDir(), fmt.Sprint("sync", i))
		i++
		st, eng := benchEngine(b, dir)
		runtime.GC()
		base0 := liveHeap()
		hs := startHeapSampler()
		b.StartTimer()
		start := time.Now()
		if err := eng.SyncOnce(ctx); err != nil {
			b.Fatal(err)
		}
		syncTotal += time.Since(start)
		b.StopTimer()
		peak = max(peak, hs.finish()-min(base0, hs.peak.Load()))
		if c, _ := st.Counts(ctx, ""); c.All != benchN {
			b.Fatalf("synced %d complaints, want %d", c.All, benchN)
		}
		// The baseline's input: the same records, read back from the
		// synced cache (not timed).
		if records == nil {
			records = allRecords(b, st)
		}
		st.Close()
		base, err := store.Open(filepath.Join(dir, "bulk", "cache.db"))
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if err := base.BulkLoad(ctx, records); err != nil {
			b.Fatal(err)
		}
		bulkTotal += time.Since(start)
		base.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(syncTotal.Milliseconds())/float64(b.N), "sync-ms/op")
	b.ReportMetric(float64(bulkTotal.Milliseconds())/float64(b.N), "bulk-ms/op")
	b.ReportMetric(float64(syncTotal)/float64(bulkTotal), "ratio-to-bulk")
	b.ReportMetric(float64(peak)/(1<<20), "heap-growth-MB")
}

// allRecords reads every cached record through the feed-facing API: the
// server state of each complaint, via keyset pages of the queue.
func allRecords(b *testing.B, st *store.Store) []complaint.Record {
	b.Helper()
	ctx := context.Background()
	var out []complaint.Record
	var after *store.Key
	for {
		rows, err := st.Page(ctx, store.Query{}, after, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(rows) == 0 {
			return out
		}
		for _, r := range rows {
			rec, err := st.Get(ctx, r.Key().Reference())
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, rec)
		}
		k := rows[len(rows)-1].Key()
		after = &k
	}
}

// BenchmarkIncrementalSync100Into100k syncs 100 changes (50 new complaints
// filed, 50 complaints claimed by another officer) into a cache already
// holding the 100,000-complaint zone.
func BenchmarkIncrementalSync100Into100k(b *testing.B) {
	benchFixture(b)
	ctx := context.Background()
	st, eng := benchEngine(b, b.TempDir())
	defer st.Close()
	if err := eng.SyncOnce(ctx); err != nil {
		b.Fatal(err)
	}
	otherTok, _, err := benchPortal.AddOfficer(testZone, "Inspectrice Autre")
	if err != nil {
		b.Fatal(err)
	}
	// Complaints still new, for the other officer to claim.
	var unclaimed []string
	var after *store.Key
	for len(unclaimed) < 50*(b.N+10) && len(unclaimed) < 40_000 {
		rows, err := st.Page(ctx, store.Query{Statuses: []complaint.Status{complaint.StatusNew}}, after, 1000)
		if err != nil || len(rows) == 0 {
			break
		}
		for _, r := range rows {
			unclaimed = append(unclaimed, r.Key().Reference())
		}
		k := rows[len(rows)-1].Key()
		after = &k
	}
	hc := &http.Client{}
	seed := int64(1000)
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		seed++
		if _, err := demodata.Seed(ctx, benchPortal, testZone, 50, seed); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 50 && len(unclaimed) > 0; j++ {
			ref := unclaimed[0]
			unclaimed = unclaimed[1:]
			claimDirect(b, hc, otherTok, ref)
		}
		runtime.GC()
		base0 := liveHeap()
		hs := startHeapSampler()
		b.StartTimer()
		if err := eng.SyncOnce(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		peak = max(peak, hs.finish()-min(base0, hs.peak.Load()))
		if s := eng.State(); s.Pulled != 100 {
			b.Fatalf("pulled %d changes, want 100", s.Pulled)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peak)/(1<<20), "heap-growth-MB")
}

func claimDirect(b *testing.B, hc *http.Client, tok, ref string) {
	b.Helper()
	req, _ := http.NewRequest("POST", benchHTTP.URL+"/v1/zones/"+testZone+"/complaints/"+ref+"/actions",
		strings.NewReader(`{"type":"claim"}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Idempotency-Key", "bench-"+ref)
	resp, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("claim %s: %d", ref, resp.StatusCode)
	}
}
