package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/demodata"
)

// BenchmarkMixedLoad is the portal at a busy hour: 50 citizens filing
// complaints without pause and 8 officers of the zone each pulling the feed
// from their cursor and claiming what is new, for 10 seconds per iteration.
// It reports intake per second and the feed reads' p50 and p99.
func BenchmarkMixedLoad(b *testing.B) {
	// Every client comes from this machine: the per-address intake limit
	// is off, as for clients behind many addresses.
	s, err := Open(filepath.Join(b.TempDir(), "p.db"), Options{IntakeLimit: RateLimit{Burst: -1}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := demodata.Seed(context.Background(), s, "5275", 5000, 3); err != nil {
		b.Fatal(err)
	}
	ts := httptestServer(s)
	defer ts.Close()
	body := mustJSON(sampleSubmission(time.Now()))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	var filed atomic.Int64
	var feedMu sync.Mutex
	var feedLat []time.Duration
	for b.Loop() {
		stop := time.Now().Add(10 * time.Second)
		var wg sync.WaitGroup
		for c := range 50 {
			wg.Go(func() {
				for i := 0; time.Now().Before(stop); i++ {
					req, _ := http.NewRequest("POST", ts.URL+"/v1/complaints", bytesReader(body))
					req.Header.Set("Idempotency-Key", fmt.Sprintf("load-%d-%d-%d", c, i, time.Now().UnixNano()))
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					drain(resp)
					if resp.StatusCode == http.StatusCreated {
						filed.Add(1)
					}
				}
			})
		}
		for o := range 8 {
			tok, _, err := s.AddOfficer("5275", fmt.Sprintf("Agent %d", o))
			if err != nil {
				b.Fatal(err)
			}
			wg.Go(func() {
				cursor := ""
				for time.Now().Before(stop) {
					start := time.Now()
					req, _ := http.NewRequest("GET", ts.URL+"/v1/zones/5275/feed?limit=100&cursor="+url.QueryEscape(cursor), nil)
					req.Header.Set("Authorization", "Bearer "+tok)
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					var page complaint.FeedPage
					err = json.NewDecoder(resp.Body).Decode(&page)
					drain(resp)
					lat := time.Since(start)
					if err != nil || resp.StatusCode != 200 {
						b.Errorf("feed: %d %v", resp.StatusCode, err)
						return
					}
					feedMu.Lock()
					feedLat = append(feedLat, lat)
					feedMu.Unlock()
					cursor = page.Cursor
					for _, it := range page.Items {
						if it.Record == nil || it.Record.Status != complaint.StatusNew {
							continue
						}
						req, _ := http.NewRequest("POST", ts.URL+"/v1/zones/5275/complaints/"+it.Reference+"/actions",
							bytesReader(mustJSON(complaint.Action{Type: complaint.ActionClaim})))
						req.Header.Set("Authorization", "Bearer "+tok)
						req.Header.Set("Idempotency-Key", fmt.Sprintf("claim-%d-%s", o, it.Reference))
						resp, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						drain(resp)
						break // one claim per page: an officer reads before claiming more
					}
					if !page.More {
						time.Sleep(100 * time.Millisecond) // caught up: poll
					}
				}
			})
		}
		wg.Wait()
	}
	slices.Sort(feedLat)
	pct := func(p float64) float64 {
		if len(feedLat) == 0 {
			return 0
		}
		return float64(feedLat[int(float64(len(feedLat)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(float64(filed.Load())/b.Elapsed().Seconds(), "intake/s")
	b.ReportMetric(pct(0.50), "feed-p50-ms")
	b.ReportMetric(pct(0.99), "feed-p99-ms")
	b.ReportMetric(float64(len(feedLat))/b.Elapsed().Seconds(), "feed-reads/s")
}
