package postgres

// Benchmarks of the two stores side by side (go test -bench . with
// GUICHET_TEST_POSTGRES set): intake commits from 50 clients, a feed page
// of 500 from a 100,000-complaint zone, a claim round trip.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres/pgtest"
	"guichet/portal/storage/sqlite"
)

func BenchmarkCommit50Clients(b *testing.B) {
	run := func(b *testing.B, s storage.Store) {
		var n atomic.Int64
		var latMu sync.Mutex
		var lat []time.Duration
		rec := intake("x", "5275").Complaint.Record
		rec.Details = []byte(`{"brand":"Gazelle","model":"Esprit","colour":"bleu","frame_number":"GZ123456789","value_eur":450}`)
		rec.Facts.Description = "Vélo attaché devant la gare, cadenas coupé. Vélo attaché devant la gare, cadenas coupé. Vélo attaché devant la gare"
		for b.Loop() {
			stop := time.Now().Add(3 * time.Second)
			var wg sync.WaitGroup
			for c := range benchClients {
				wg.Go(func() {
					for i := 0; time.Now().Before(stop); i++ {
						ref := fmt.Sprintf("2026-%d-%d-%d", c, i, time.Now().UnixNano())
						r := rec
						r.Reference = ref
						ch := storage.Change{Complaint: &storage.ComplaintWrite{Record: r}, Feed: []storage.FeedChange{{Zone: "5275"}},
							Idempotency: &storage.Idempotency{Scope: "intake", Key: ref, RequestHash: []byte("h"), Status: 201, Response: []byte(`{"reference":"x"}`), CreatedAt: time.Now()},
							Audit:       []storage.AuditRecord{{AuditEvent: complaint.AuditEvent{ID: ref, At: time.Now(), Zone: "5275", Kind: "intake", Reference: ref, Outcome: "ok"}, Origin: "portal", ReceivedAt: time.Now()}}}
						t0 := time.Now()
						if _, err := s.Commit(context.Background(), ch); err != nil {
							b.Error(err)
							return
						}
						d := time.Since(t0)
						latMu.Lock()
						lat = append(lat, d)
						latMu.Unlock()
						n.Add(1)
					}
				})
			}
			wg.Wait()
		}
		b.ReportMetric(float64(n.Load())/b.Elapsed().Seconds(), "intakes/s")
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.Run("sqlite", func(b *testing.B) {
		s, err := sqlite.Open(filepath.Join(b.TempDir(), "p.db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		run(b, s)
	})
	b.Run("postgres", func(b *testing.B) {
		s, err := Open(context.Background(), pgtestURL(b), Options{MaxConns: int32(envInt("BENCH_POOL", 50))})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		run(b, s)
	})
}

func pgtestURL(b *testing.B) string { return pgtest.NewDatabase(b) }

var benchClients = envInt("BENCH_CLIENTS", 50)

func envInt(k string, d int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil {
		return v
	}
	return d
}

func BenchmarkFeedPage500(b *testing.B) {
	fill := func(b *testing.B, s storage.Store) []string {
		rec := intake("x", "5275").Complaint.Record
		rec.Details = []byte(`{"brand":"Gazelle","model":"Esprit","colour":"bleu","frame_number":"GZ123456789","value_eur":450}`)
		rec.Facts.Description = strings.Repeat("Vélo attaché devant la gare, cadenas coupé. ", 20)
		start := time.Now()
		var cs []storage.Change
		for i := range 100_000 {
			r := rec
			r.Reference = fmt.Sprintf("2026-%06d", i)
			cs = append(cs, storage.Change{Complaint: &storage.ComplaintWrite{Record: r}, Feed: []storage.FeedChange{{Zone: "5275"}}})
		}
		for _, err := range s.CommitAll(context.Background(), cs) {
			if err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("100k filled in %s", time.Since(start))
		var cursors []string
		cur := ""
		for {
			p, err := s.FeedPage(context.Background(), "5275", cur, 500, false)
			if err != nil {
				b.Fatal(err)
			}
			cursors = append(cursors, cur)
			cur = p.Cursor
			if !p.More {
				return cursors
			}
		}
	}
	run := func(b *testing.B, s storage.Store) {
		cursors := fill(b, s)
		var lat []time.Duration
		i := 0
		for b.Loop() {
			t := time.Now()
			p, err := s.FeedPage(context.Background(), "5275", cursors[i%len(cursors)], 500, false)
			if err != nil || len(p.Items) == 0 {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t))
			i += 37
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.Run("sqlite", func(b *testing.B) {
		s, err := sqlite.Open(filepath.Join(b.TempDir(), "p.db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		run(b, s)
	})
	b.Run("postgres", func(b *testing.B) {
		s, err := Open(context.Background(), pgtestURL(b), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		run(b, s)
	})
}

// BenchmarkClaimRoundTrip: one officer's claim (read the complaint,
// commit its next version), one at a time.
func BenchmarkClaimRoundTrip(b *testing.B) {
	run := func(b *testing.B, s storage.Store) {
		ctx := context.Background()
		i := 0
		for b.Loop() {
			ref := fmt.Sprintf("2026-CLM-%d", i)
			i++
			b.StopTimer()
			if _, err := s.Commit(ctx, intake(ref, "5275")); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			c, err := s.Complaint(ctx, ref)
			if err != nil {
				b.Fatal(err)
			}
			rec, _ := c.Record()
			next := rec
			next.Status, next.Version = complaint.StatusClaimed, rec.Version+1
			if _, err := s.Commit(ctx, storage.Change{Complaint: &storage.ComplaintWrite{Record: next, Previous: rec.Version},
				Feed: []storage.FeedChange{{Zone: "5275"}}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("sqlite", func(b *testing.B) {
		s, err := sqlite.Open(filepath.Join(b.TempDir(), "p.db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		run(b, s)
	})
	b.Run("postgres", func(b *testing.B) {
		s, err := Open(context.Background(), pgtestURL(b), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		run(b, s)
	})
}
