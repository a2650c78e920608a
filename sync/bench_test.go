package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	stdsync "sync"
	"sync/atomic"
	"syscall"
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
		// GUICHET_SYNC_BENCH_PORTAL names a portal database seeded the same
		// way (a closed one: demodata.Seed of benchN complaints of the zone,
		// seed 42, as the process benchmarks of cmd/guichet keep in
		// GUICHET_PROCESS_BENCH_DIR): each run starts from a copy of it
		// instead of seeding for a minute.
		dbPath := filepath.Join(benchDir, "portal.db")
		seeded := os.Getenv("GUICHET_SYNC_BENCH_PORTAL")
		if seeded != "" {
			if benchErr = copyFile(dbPath, seeded); benchErr != nil {
				return
			}
		}
		benchPortal, benchErr = portal.Open(dbPath, portal.Options{})
		if benchErr != nil {
			return
		}
		if seeded == "" {
			if _, benchErr = demodata.Seed(context.Background(), benchPortal, testZone, benchN, 42); benchErr != nil {
				return
			}
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

// copyFile copies the file src to dst (0600).
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
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
// empty cache and, in the same iteration, runs the raw baseline
// (rawFirstSync): plain SQL written here, not a function of the store,
// writing the same JSON bytes read from the same feed into one table with a
// primary key, a unique reference and two indexes, plus one FTS5 row of
// names, places and descriptions per complaint, in one transaction, with
// the same driver. It reports the sync's time, the ratio to the baseline,
// the cache's bytes per complaint and its ratio to the records' JSON, and
// how much the live heap grew during the sync above what it was before
// (the client holds one page at a time, so this must not grow with the
// zone; it includes the portal serving the pages in this process).
func BenchmarkInitialSync100k(b *testing.B) {
	benchFixture(b)
	ctx := context.Background()
	var syncTotal, rawTotal time.Duration
	var peak uint64
	var cacheBytes, jsonBytes int64
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
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		cacheBytes = fileSize(b, filepath.Join(dir, "c", "cache.db"))
		start = time.Now()
		n, js, err := rawFirstSync(ctx, filepath.Join(dir, "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		rawTotal += time.Since(start)
		if n != benchN {
			b.Fatalf("raw baseline wrote %d complaints, want %d", n, benchN)
		}
		jsonBytes = js
		b.StartTimer()
	}
	b.ReportMetric(float64(syncTotal.Milliseconds())/float64(b.N), "sync-ms/op")
	b.ReportMetric(float64(rawTotal.Milliseconds())/float64(b.N), "raw-ms/op")
	b.ReportMetric(float64(syncTotal)/float64(rawTotal), "ratio-to-raw")
	b.ReportMetric(float64(cacheBytes)/benchN, "cache-B/complaint")
	b.ReportMetric(float64(jsonBytes)/benchN, "json-B/complaint")
	b.ReportMetric(float64(cacheBytes)/float64(jsonBytes), "cache/json")
	b.ReportMetric(float64(peak)/(1<<20), "heap-growth-MB")
}

// fileSize is the size of a closed SQLite file (its write-ahead log
// included, if one was left).
func fileSize(b *testing.B, path string) int64 {
	b.Helper()
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		} else if p == path {
			b.Fatal(err)
		}
	}
	return n
}

// rawFirstSync is the yardstick of a first sync: what plain SQL costs for
// the same work, with nothing of the store. It reads the benchmark portal's
// feed page by page (the same requests and bytes the engine reads), and
// writes each record's JSON as received into one table — primary key,
// unique reference, an index on the received time and one on the status —
// and its names, places and description into an FTS5 table, all in one
// transaction. It returns how many records and JSON bytes it wrote.
func rawFirstSync(ctx context.Context, path string) (int, int64, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `
CREATE TABLE raw (
	id          INTEGER PRIMARY KEY,
	reference   TEXT NOT NULL UNIQUE,
	status      TEXT NOT NULL,
	received_at TEXT NOT NULL,
	record      BLOB NOT NULL
);
CREATE INDEX raw_received ON raw(received_at);
CREATE INDEX raw_status ON raw(status);
CREATE VIRTUAL TABLE raw_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');`); err != nil {
		return 0, 0, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO raw(reference, status, received_at, record) VALUES(?, ?, ?, ?)`)
	if err != nil {
		return 0, 0, err
	}
	fts, err := tx.PrepareContext(ctx, `INSERT INTO raw_fts(rowid, body) VALUES(?, ?)`)
	if err != nil {
		return 0, 0, err
	}
	type rawItem struct {
		Reference string          `json:"reference"`
		Record    json.RawMessage `json:"record"`
	}
	var view struct {
		Status      string `json:"status"`
		ReceivedAt  string `json:"received_at"`
		Complainant struct {
			FirstName string `json:"first_name"`
			LastName  string `json:"last_name"`
		} `json:"complainant"`
		Facts struct {
			Place struct {
				Street       string `json:"street"`
				Municipality string `json:"municipality"`
			} `json:"place"`
			Description string `json:"description"`
		} `json:"facts"`
	}
	n, bytes, cursor := 0, int64(0), ""
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet,
			benchHTTP.URL+"/v1/zones/"+testZone+"/feed?limit=1000&cursor="+url.QueryEscape(cursor), nil)
		if err != nil {
			return 0, 0, err
		}
		req.Header.Set("Authorization", "Bearer "+benchToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, 0, err
		}
		var page struct {
			Items  []rawItem `json:"items"`
			Cursor string    `json:"cursor"`
			More   bool      `json:"more"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return 0, 0, err
		}
		// The page's rows, then their search rows: FTS5 flushes its
		// pending index whenever another statement writes in between.
		first := int64(0)
		bodies := make([]string, 0, len(page.Items))
		for _, it := range page.Items {
			if err := json.Unmarshal(it.Record, &view); err != nil {
				return 0, 0, err
			}
			res, err := ins.ExecContext(ctx, it.Reference, view.Status, view.ReceivedAt, []byte(it.Record))
			if err != nil {
				return 0, 0, err
			}
			if first == 0 {
				if first, err = res.LastInsertId(); err != nil {
					return 0, 0, err
				}
			}
			bodies = append(bodies, strings.Join([]string{view.Complainant.FirstName, view.Complainant.LastName,
				view.Facts.Place.Street, view.Facts.Place.Municipality, view.Facts.Description}, " "))
			n++
			bytes += int64(len(it.Record))
		}
		for i, body := range bodies {
			if _, err := fts.ExecContext(ctx, first+int64(i), body); err != nil {
				return 0, 0, err
			}
		}
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	return n, bytes, tx.Commit()
}

// BenchmarkIncrementalSync100Into100k syncs 100 changes (50 new complaints
// filed, 50 complaints claimed by another officer) into a cache already
// holding the 100,000-complaint zone, in the situations an officer meets:
//   - first-session: with the Store that made the first sync (the
//     workstation's first session);
//   - reopened: with a Store opened on the synced cache and syncing again
//     and again (every later session of the workstation);
//   - fresh-store: each sync with a Store opened for it (every `guichet
//     sync`; opening and closing are not timed).
func BenchmarkIncrementalSync100Into100k(b *testing.B) {
	benchFixture(b)
	ctx := context.Background()
	dir := b.TempDir()
	st, eng := benchEngine(b, dir)
	defer func() { st.Close() }()
	if err := eng.SyncOnce(ctx); err != nil {
		b.Fatal(err)
	}
	otherTok, _, err := benchPortal.AddOfficer(testZone, "Inspectrice Autre")
	if err != nil {
		b.Fatal(err)
	}
	// Complaints still new, for the other officer to claim (b.N is not
	// known before b.Loop runs: enough for 800 rounds).
	var unclaimed []string
	var after *store.Key
	for len(unclaimed) < 40_000 {
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
	// changes files 50 complaints and has 50 claimed by the other officer
	// on the portal: the 100 changes the next sync pulls.
	changes := func(b *testing.B) {
		seed++
		if _, err := demodata.Seed(ctx, benchPortal, testZone, 50, seed); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 50 && len(unclaimed) > 0; j++ {
			ref := unclaimed[0]
			unclaimed = unclaimed[1:]
			claimDirect(b, hc, otherTok, ref)
		}
	}
	// rounds times the syncs of b.N rounds of changes; engine gives the
	// engine of a round.
	rounds := func(b *testing.B, engine func() *Engine) {
		var peak uint64
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			changes(b)
			eng := engine()
			runtime.GC()
			base0 := liveHeap()
			hs := startHeapSampler()
			cpu0 := processCPU(b)
			b.StartTimer()
			if err := eng.SyncOnce(ctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			cpu += processCPU(b) - cpu0
			peak = max(peak, hs.finish()-min(base0, hs.peak.Load()))
			if s := eng.State(); s.Pulled != 100 {
				b.Fatalf("pulled %d changes, want 100", s.Pulled)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(peak)/(1<<20), "heap-growth-MB")
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
	b.Run("first-session", func(b *testing.B) {
		rounds(b, func() *Engine { return eng })
	})
	reopen := func(b *testing.B) {
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		st, eng = benchEngine(b, dir)
	}
	b.Run("reopened", func(b *testing.B) {
		reopen(b)
		rounds(b, func() *Engine { return eng })
	})
	b.Run("fresh-store", func(b *testing.B) {
		rounds(b, func() *Engine {
			reopen(b) // the Store of the round before closes (not timed)
			return eng
		})
	})
}

// processCPU is the CPU time (user and system) this process used so far.
// Measured around a sync, it counts the portal serving it too (the same
// process), but not the waits a loaded machine adds to the wall time.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
