package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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
// from their cursor and claiming what is new, for 10 seconds per iteration,
// over HTTP against the real handler and a real SQLite file. It reports
// intake per second, the feed reads' and the claims' p50 and p99 (a claim
// another officer won first answers 409: it is timed all the same), and
// claims per second, and the CPU time of the process per complaint filed
// (server and clients: on a machine shared with other work, intake/s says
// how much CPU the benchmark got, cpu-ms/intake how much it needed).
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
	var latMu sync.Mutex
	var feedLat, claimLat []time.Duration
	cpu0, cpuOK := processCPU()
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
					if resp.StatusCode != http.StatusCreated {
						b.Errorf("intake: %d", resp.StatusCode)
						return
					}
					filed.Add(1)
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
					raw, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					lat := time.Since(start) // to the page's last byte
					if err != nil || resp.StatusCode != 200 {
						b.Errorf("feed: %d %v", resp.StatusCode, err)
						return
					}
					// What the officer's loop needs of the page: decoding
					// whole records would be the workstation's work, done
					// here on the portal's two cores.
					var page struct {
						Items []struct {
							Reference string
							Record    *struct{ Status complaint.Status }
						}
						Cursor string
						More   bool
					}
					if err := json.Unmarshal(raw, &page); err != nil {
						b.Errorf("feed: %v", err)
						return
					}
					latMu.Lock()
					feedLat = append(feedLat, lat)
					latMu.Unlock()
					cursor = page.Cursor
					for _, it := range page.Items {
						if it.Record == nil || it.Record.Status != complaint.StatusNew {
							continue
						}
						req, _ := http.NewRequest("POST", ts.URL+"/v1/zones/5275/complaints/"+it.Reference+"/actions",
							bytesReader(mustJSON(complaint.Action{Type: complaint.ActionClaim})))
						req.Header.Set("Authorization", "Bearer "+tok)
						req.Header.Set("Idempotency-Key", fmt.Sprintf("claim-%d-%s", o, it.Reference))
						start := time.Now()
						resp, err := client.Do(req)
						if err != nil {
							b.Error(err)
							return
						}
						drain(resp)
						lat := time.Since(start)
						if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusConflict {
							b.Errorf("claim: %d", resp.StatusCode)
							return
						}
						latMu.Lock()
						claimLat = append(claimLat, lat)
						latMu.Unlock()
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
	if cpu, ok := processCPU(); cpuOK && ok && filed.Load() > 0 {
		// All of this process: the portal and the benchmark's clients.
		b.ReportMetric(float64((cpu-cpu0).Microseconds())/1000/float64(filed.Load()), "cpu-ms/intake")
	}
	pct := func(lat []time.Duration, p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		slices.Sort(lat)
		return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(float64(filed.Load())/b.Elapsed().Seconds(), "intake/s")
	b.ReportMetric(pct(feedLat, 0.50), "feed-p50-ms")
	b.ReportMetric(pct(feedLat, 0.99), "feed-p99-ms")
	b.ReportMetric(float64(len(feedLat))/b.Elapsed().Seconds(), "feed-reads/s")
	b.ReportMetric(pct(claimLat, 0.50), "claim-p50-ms")
	b.ReportMetric(pct(claimLat, 0.99), "claim-p99-ms")
	b.ReportMetric(float64(len(claimLat))/b.Elapsed().Seconds(), "claims/s")
}
