package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/demodata"
)

// BenchmarkMixedLoad is the portal at a busy hour: 50 citizens filing
// complaints without pause and 8 officers of the zone each pulling the feed
// from their cursor (pages of 100) and claiming one new complaint a page,
// for 10 seconds per iteration, over HTTP against the real handler and a
// real SQLite file. It reports intake per second, the feed reads' and the
// claims' p50 and p99 (a claim another officer won first answers 409: it
// is timed all the same), and claims per second, and the CPU time of the
// process per complaint filed (server and clients: on a machine shared
// with other work, intake/s says how much CPU the benchmark got,
// cpu-ms/intake how much it needed).
//
// What the clients check, and fail the benchmark on: every intake is
// answered 201 with its reference; each officer's feed is in order without
// a duplicate (a complaint comes again only with a higher version: it
// changed) and without a gap (once a page says nothing more follows, every
// complaint answered 201 before that read began was on the officer's
// pages); a claim is answered 200 or 409, and no complaint is won by two
// claims. The officers read of a page only what these checks and the
// claim need (reference, version, tombstone, the record's status), with a
// scanner that still checks every byte is JSON (feedPageScanner): the
// clients run on the portal's two cores, where decoding whole records (a
// workstation's work, on another machine) would take a core's share from
// the portal it measures.
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
	var filedMu sync.Mutex
	var filedRefs []string // answered 201, in the order of the answers
	var claimed sync.Map   // reference → the officer whose claim won
	// An officer's reading of the feed, checked once more after the load
	// (no gap).
	type officerFeed struct {
		token, cursor string
		shown         map[string]int64 // reference → the last version on the officer's pages
		body          bytes.Buffer     // the last page, read into the memory of the ones before
	}
	var officers []*officerFeed
	// read reads the officer's next page of limit and checks that it
	// follows what came before: the latency is to the page's last byte.
	read := func(of *officerFeed, limit int, scanner *feedPageScanner, page *scannedPage) (time.Duration, error) {
		start := time.Now()
		req, _ := http.NewRequest("GET", ts.URL+"/v1/zones/5275/feed?limit="+strconv.Itoa(limit)+"&cursor="+url.QueryEscape(of.cursor), nil)
		req.Header.Set("Authorization", "Bearer "+of.token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		of.body.Reset()
		_, err = of.body.ReadFrom(resp.Body)
		resp.Body.Close()
		raw := of.body.Bytes()
		lat := time.Since(start)
		if err != nil || resp.StatusCode != 200 {
			return 0, fmt.Errorf("feed: %d %v", resp.StatusCode, err)
		}
		if err := scanner.scan(raw, page); err != nil {
			return 0, fmt.Errorf("feed: %v", err)
		}
		for _, it := range page.Items {
			if v, ok := of.shown[it.Reference]; ok && it.Version <= v {
				return 0, fmt.Errorf("feed: %s version %d after version %d: out of order or twice", it.Reference, it.Version, v)
			}
			of.shown[it.Reference] = it.Version
		}
		of.cursor = page.Cursor
		return lat, nil
	}
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
					raw, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					var receipt struct{ Reference string }
					if err != nil || resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &receipt) != nil || receipt.Reference == "" {
						b.Errorf("intake: %d %v %s", resp.StatusCode, err, raw)
						return
					}
					filedMu.Lock()
					filedRefs = append(filedRefs, receipt.Reference)
					filedMu.Unlock()
					filed.Add(1)
				}
			})
		}
		for o := range 8 {
			tok, _, err := s.AddOfficer("5275", fmt.Sprintf("Agent %d", o))
			if err != nil {
				b.Fatal(err)
			}
			of := &officerFeed{token: tok, shown: make(map[string]int64)}
			officers = append(officers, of)
			wg.Go(func() {
				var scanner feedPageScanner
				var page scannedPage
				for time.Now().Before(stop) {
					lat, err := read(of, 100, &scanner, &page)
					if err != nil {
						b.Error(err)
						return
					}
					latMu.Lock()
					feedLat = append(feedLat, lat)
					latMu.Unlock()
					for _, it := range page.Items {
						if it.Tombstone || it.Status != string(complaint.StatusNew) {
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
						switch resp.StatusCode {
						case http.StatusOK:
							if other, dup := claimed.LoadOrStore(it.Reference, o); dup {
								b.Errorf("claim: %s won by officers %d and %d", it.Reference, other, o)
								return
							}
						case http.StatusConflict:
						default:
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
	b.StopTimer()
	cpu, cpuOK1 := processCPU()
	// No gap: once each officer has read to the end of the feed, every
	// complaint answered 201 was on its pages.
	for _, of := range officers {
		var scanner feedPageScanner
		var page scannedPage
		for page.More = true; page.More; {
			if _, err := read(of, MaxFeedLimit, &scanner, &page); err != nil {
				b.Fatal(err)
			}
		}
		for _, ref := range filedRefs {
			if _, ok := of.shown[ref]; !ok {
				b.Fatalf("feed: %s was answered 201 and is not in the feed", ref)
			}
		}
	}
	if cpuOK && cpuOK1 && filed.Load() > 0 {
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
