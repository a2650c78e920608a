package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/demodata"
	"guichet/portal/storage/postgres"
	"guichet/portal/storage/postgres/pgtest"
)

// The HTTP benchmarks run the real handler over each storage, side by side
// in one run: sub-benchmark "sqlite" on a file with synchronous=FULL,
// "postgres" on the server of GUICHET_TEST_POSTGRES (synchronous_commit=on,
// .ci/postgres start; skipped with a message when unset). For example
//
//	eval "$(.ci/postgres start)"
//	go test ./portal -run '^$' -bench 'IntakeHTTP|FeedPage500$|ClaimRoundTrip' -count 5
//	.ci/postgres stop

// backend opens portals on one storage.
type backend struct {
	name string
	// open returns a portal on a new, empty database, closed when b ends.
	open func(b *testing.B, opts Options) *Server
	// openAt returns a portal on the database at dsn (a file or a URL).
	openAt func(b *testing.B, dsn string, opts Options) *Server
	// newDatabase makes an empty database that outlives b (for the
	// 100,000-complaint feed, built once per test binary) and says how to
	// remove it.
	newDatabase func(b *testing.B) (dsn string, remove func())
}

var backends = []backend{
	{
		name: "sqlite",
		open: func(b *testing.B, opts Options) *Server {
			s, err := Open(filepath.Join(b.TempDir(), "p.db"), opts)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
		openAt: func(b *testing.B, dsn string, opts Options) *Server {
			s, err := Open(dsn, opts)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		},
		newDatabase: func(b *testing.B) (string, func()) {
			dir, err := tempDirOutsideTest()
			if err != nil {
				b.Fatal(err)
			}
			return filepath.Join(dir, "p.db"), func() { os.RemoveAll(dir) }
		},
	},
	{
		name: "postgres",
		open: func(b *testing.B, opts Options) *Server {
			return openPostgres(b, pgtest.NewDatabase(b), opts)
		},
		openAt: openPostgres,
		newDatabase: func(b *testing.B) (string, func()) {
			dsn, drop, err := pgtest.CreateSchema(pgtest.ServerURL(b))
			if err != nil {
				b.Fatal(err)
			}
			return dsn, func() { drop() }
		},
	},
}

func openPostgres(b *testing.B, dsn string, opts Options) *Server {
	pgtest.ServerURL(b) // skips (locally) without a server
	st, err := postgres.Open(context.Background(), dsn, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(st, opts)
	if err != nil {
		st.Close()
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// onEachBackend runs bench as one sub-benchmark per storage.
func onEachBackend(b *testing.B, bench func(b *testing.B, be backend)) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) { bench(b, be) })
	}
}

// latencies collects request durations from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// report adds the median and 99th percentile, in milliseconds.
func (l *latencies) report(b *testing.B) {
	if len(l.d) == 0 {
		return
	}
	slices.Sort(l.d)
	b.ReportMetric(float64(l.d[len(l.d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(l.d[len(l.d)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkPrepareIntake measures validation alone (no storage).
func BenchmarkPrepareIntake(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "p.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	body := mustJSON(sampleSubmission(time.Now()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, errs := s.prepareIntake(body, "fr"); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

// intakeClients is how many citizens file at once in BenchmarkIntakeHTTP.
const intakeClients = 50

// BenchmarkIntakeHTTP measures citizen intake over HTTP: 50 concurrent
// clients, each request with its own Idempotency-Key, every 201 durable
// (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on). It reports
// complaints/s and the requests' p50 and p99.
func BenchmarkIntakeHTTP(b *testing.B) {
	onEachBackend(b, func(b *testing.B, be backend) {
		// Every client comes from this machine: the per-address intake
		// limit is off, as for clients behind many addresses.
		s := be.open(b, Options{IntakeLimit: RateLimit{Burst: -1}, RetryBase: unsentWait, RetryMax: unsentWait})
		ts := httptestServer(s)
		defer ts.Close()
		body := mustJSON(sampleSubmission(time.Now()))
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: intakeClients}}
		var n atomic.Int64
		var lat latencies
		b.ResetTimer()
		var wg sync.WaitGroup
		for range intakeClients {
			wg.Go(func() {
				for i := n.Add(1); i <= int64(b.N); i = n.Add(1) {
					t0 := time.Now()
					req, _ := http.NewRequest("POST", ts.URL+"/v1/complaints", bytesReader(body))
					req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d-%d", b.N, i))
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					drain(resp)
					if resp.StatusCode != http.StatusCreated {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
					lat.add(time.Since(t0))
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "complaints/s")
		lat.report(b)
	})
}

// feedDatabases are the 100,000-complaint databases of each backend, built
// once per test binary (removed by TestMain).
var feedDatabases = map[string]*feedDatabase{}

type feedDatabase struct {
	once   sync.Once
	dsn    string
	remove func()
	err    error
}

// feedOptions are those of the portals on the 100,000-complaint
// databases: their confirmations, tried once when the database is built,
// wait until after the run (not a storm of 100,000 retries beside the
// reads).
var feedOptions = Options{RetryBase: unsentWait, RetryMax: unsentWait}

// BenchmarkFeedPage500 reads a page of 500 from the middle of a zone feed
// of 100,000 complaints over HTTP (authentication, the page, its audit),
// one read at a time, and reports p50 and p99.
func BenchmarkFeedPage500(b *testing.B) {
	onEachBackend(b, func(b *testing.B, be backend) {
		s := be.openAt(b, buildFeedDB(b, be), feedOptions)
		tok, _, err := s.AddOfficer("5275", "Bench")
		if err != nil {
			b.Fatal(err)
		}
		ts := httptestServer(s)
		defer ts.Close()
		cursor := middleCursor(b, s)
		client := &http.Client{}
		s.st.FeedPage(context.Background(), "5275", cursor, 500, false) // warm the cache as a running server is
		var lat latencies
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			req, _ := http.NewRequest("GET", ts.URL+"/v1/zones/5275/feed?limit=500&cursor="+cursor, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("page: %v %d", err, resp.StatusCode)
			}
			lat.add(time.Since(t0))
			if i == 0 {
				var page complaint.FeedPage
				if err := json.Unmarshal(body, &page); err != nil || len(page.Items) != 500 {
					b.Fatalf("page: %v %d", err, len(page.Items))
				}
			}
		}
		b.StopTimer()
		lat.report(b)
	})
}

// BenchmarkFeedPage500Query is the storage part of BenchmarkFeedPage500,
// from a warm reader: nothing commits between iterations. Over HTTP each
// read is audited, so the next read starts after a commit, as on a live
// portal; the difference between the two is mostly that.
func BenchmarkFeedPage500Query(b *testing.B) {
	onEachBackend(b, func(b *testing.B, be backend) {
		s := be.openAt(b, buildFeedDB(b, be), feedOptions)
		cursor := middleCursor(b, s)
		s.st.FeedPage(context.Background(), "5275", cursor, 500, false) // warm the cache as a running server is
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if p, err := s.st.FeedPage(context.Background(), "5275", cursor, 500, false); err != nil || len(p.Items) != 500 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkClaimRoundTrip measures one claim over HTTP: authentication,
// checks, the committed change (durable) and the answer, one at a time.
// Each iteration claims another complaint, so history lengths stay
// realistic.
func BenchmarkClaimRoundTrip(b *testing.B) {
	onEachBackend(b, func(b *testing.B, be backend) {
		s := be.open(b, Options{RetryBase: unsentWait, RetryMax: unsentWait})
		refs, err := demodata.Seed(context.Background(), s, "5275", b.N, 1)
		if err != nil {
			b.Fatal(err)
		}
		waitOutboxTried(b, s)
		tok, _, _ := s.AddOfficer("5275", "Bench")
		ts := httptestServer(s)
		defer ts.Close()
		client := &http.Client{}
		var lat latencies
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			req, _ := http.NewRequest("POST", ts.URL+"/v1/zones/5275/complaints/"+refs[i]+"/actions", bytesReader(mustJSON(complaint.Action{Type: complaint.ActionClaim})))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Idempotency-Key", fmt.Sprintf("c%d", i))
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			drain(resp)
			if resp.StatusCode != 200 {
				b.Fatalf("status %d", resp.StatusCode)
			}
			lat.add(time.Since(t0))
		}
		b.StopTimer()
		lat.report(b)
	})
}

// unsentWait is when the benchmarks' portals, which have no relay and no
// letters spool, try a confirmation again: each costs the sender one
// lease and one delay, as one sent costs a lease and its mark, and the
// retries come after the run.
const unsentWait = time.Hour

// waitOutboxTried waits until the sender has tried every confirmation of
// the seeded complaints once, so that the timed requests do not share the
// database with that burst.
func waitOutboxTried(b *testing.B, s *Server) {
	deadline := time.Now().Add(15 * time.Minute)
	for {
		counts, err := s.st.OutboxCounts(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		untried := 0
		for _, c := range counts {
			untried += c.Pending - c.Retrying
		}
		if untried == 0 {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d confirmations still untried after 15 minutes", untried)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// buildFeedDB makes be's 100,000-complaint database once per test binary
// and returns where it is.
func buildFeedDB(b *testing.B, be backend) string {
	if be.name == "postgres" {
		pgtest.ServerURL(b) // skips (locally) without a server
	}
	db := feedDatabases[be.name]
	if db == nil {
		db = &feedDatabase{}
		feedDatabases[be.name] = db
	}
	db.once.Do(func() {
		db.dsn, db.remove = be.newDatabase(b)
		s := be.openAt(b, db.dsn, feedOptions)
		_, db.err = demodata.Seed(context.Background(), s, "5275", 100_000, 7)
		if db.err == nil {
			waitOutboxTried(b, s)
		}
		s.Close()
	})
	if db.err != nil {
		b.Fatal(db.err)
	}
	return db.dsn
}

// TestMain removes the benchmarks' databases after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, db := range feedDatabases {
		if db.remove != nil {
			db.remove()
		}
	}
	os.Exit(code)
}

// middleCursor is the cursor after the first 50,000 changes of 5275.
func middleCursor(b *testing.B, s *Server) string {
	p, err := s.st.FeedPage(context.Background(), "5275", "", 50_000, false)
	if err != nil || len(p.Items) != 50_000 {
		b.Fatalf("first 50,000 changes: %d %v", len(p.Items), err)
	}
	return p.Cursor
}
