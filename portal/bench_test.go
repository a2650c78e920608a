package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/demodata"
)

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

// BenchmarkIntakeHTTP measures citizen intake over HTTP, 16 concurrent
// clients, each request with its own Idempotency-Key, synchronous=FULL.
func BenchmarkIntakeHTTP(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "p.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ts := httptestServer(s)
	defer ts.Close()
	body := mustJSON(sampleSubmission(time.Now()))
	var n atomic.Int64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(8) // 8 × GOMAXPROCS clients
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", ts.URL+"/v1/complaints", bytesReader(body))
			req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d", n.Add(1)))
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
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "complaints/s")
}

var feedDBOnce sync.Once
var feedDBPath string

// BenchmarkFeedPage500 reads a page of 500 from the middle of a zone feed
// in a 100,000-complaint database (built once, outside the timing).
func BenchmarkFeedPage500(b *testing.B) {
	buildFeedDB(b)
	s, err := Open(feedDBPath, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	tok, _, err := s.AddOfficer("5275", "Bench")
	if err != nil {
		b.Fatal(err)
	}
	ts := httptestServer(s)
	defer ts.Close()
	cursor := middleCursor(b, s)
	client := &http.Client{}
	s.st.FeedPage(context.Background(), "5275", cursor, 500, false) // warm the cache as a running server is
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
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
		if i == 0 {
			var page complaint.FeedPage
			if err := json.Unmarshal(body, &page); err != nil || len(page.Items) != 500 {
				b.Fatalf("page: %v %d", err, len(page.Items))
			}
		}
	}
}

// BenchmarkFeedPage500Query is the storage part of BenchmarkFeedPage500,
// from a warm reader: nothing commits between iterations. Over HTTP each
// read is audited, so the next read starts with an emptied page cache, as
// on a live portal; the difference between the two is mostly that.
func BenchmarkFeedPage500Query(b *testing.B) {
	buildFeedDB(b)
	s, err := Open(feedDBPath, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	cursor := middleCursor(b, s)
	s.st.FeedPage(context.Background(), "5275", cursor, 500, false) // warm the cache as a running server is
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p, err := s.st.FeedPage(context.Background(), "5275", cursor, 500, false); err != nil || len(p.Items) != 500 {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaimRoundTrip measures one claim over HTTP: authentication,
// checks, the committed change (synchronous=FULL) and the answer. Each
// iteration claims another complaint, so history lengths stay realistic.
func BenchmarkClaimRoundTrip(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "p.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	refs, err := demodata.Seed(context.Background(), s, "5275", b.N, 1)
	if err != nil {
		b.Fatal(err)
	}
	tok, _, _ := s.AddOfficer("5275", "Bench")
	ts := httptestServer(s)
	defer ts.Close()
	client := &http.Client{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
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
	}
}

// buildFeedDB makes the 100,000-complaint database once per test binary.
func buildFeedDB(b *testing.B) {
	feedDBOnce.Do(func() {
		dir, err := tempDirOutsideTest()
		if err != nil {
			b.Fatal(err)
		}
		feedDBPath = filepath.Join(dir, "feed100k.db")
		s, err := Open(feedDBPath, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := demodata.Seed(context.Background(), s, "5275", 100_000, 7); err != nil {
			b.Fatal(err)
		}
		s.Close()
	})
}

// TestMain removes the benchmark database after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if feedDBPath != "" {
		os.RemoveAll(filepath.Dir(feedDBPath))
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
