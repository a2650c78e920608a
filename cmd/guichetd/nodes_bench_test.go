package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"

	"guichet/complaint"
	"guichet/portal/demodata"
	"guichet/portal/storage/postgres/pgtest"
)

// BenchmarkNodesOnePostgres puts the same load on one guichetd serve
// process and then on two, over one PostgreSQL database (the server of
// GUICHET_TEST_POSTGRES; skipped with a message when unset): 50 citizens
// filing without pause, spread over the nodes, and 8 officers of the zone
// each pulling the feed from their cursor and claiming what is new, on the
// nodes in turn, for 10 seconds per iteration. It reports what each setup
// served: complaints filed and claims won per second, and the p50 and p99
// of the intakes and of the feed reads, and what the intakes cost (on
// Linux): the CPU milliseconds per intake of the nodes, of the
// PostgreSQL server and of the load generator, the server's transactions
// and WAL flushes per intake, and the machine's idle share (none left:
// the machine, not the portal, sets the pace).
//
//	eval "$(.ci/postgres start)"
//	go test ./cmd/guichetd -run '^$' -bench NodesOnePostgres -benchtime 1x -count 3
//	.ci/postgres stop
//
// The load generator runs on the same machine as the nodes and the
// database: on a small machine the nodes compete with it, and with each
// other, for the same cores.
func BenchmarkNodesOnePostgres(b *testing.B) {
	pgtest.ServerURL(b) // skips (locally) without a server
	bin := buildGuichetd(b)
	subs := benchSubmissions(b, 500)
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			runNodesLoad(b, bin, n, subs)
		})
	}
}

// benchSubmissions are n realistic complaints about places of zone 5275.
func benchSubmissions(b *testing.B, n int) [][]byte {
	col := &submissionCollector{}
	if _, err := demodata.Seed(context.Background(), col, "5275", n, 11); err != nil {
		b.Fatal(err)
	}
	out := make([][]byte, len(col.subs))
	for i, s := range col.subs {
		out[i] = mustJSONBody(s)
	}
	return out
}

func runNodesLoad(b *testing.B, bin string, count int, subs [][]byte) {
	dbURL := pgtest.NewDatabase(b)
	dir := b.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	smtpSrv := smtp.NewServer(&countingRelay{ids: map[string]int{}})
	smtpSrv.Domain = "relay.example"
	smtpSrv.AllowInsecureAuth = true
	go smtpSrv.Serve(ln)
	defer smtpSrv.Close()

	const officerCount = 8
	tokens := make([]string, officerCount)
	for i := range tokens {
		out, err := exec.Command(bin, "officer", "add", "--db", dbURL, "--zone", "5275", "--name", fmt.Sprintf("Agent %d", i)).Output()
		if err != nil {
			b.Fatalf("officer add: %v", err)
		}
		tokens[i] = strings.TrimSpace(string(out))
	}
	nodes := make([]*node, count)
	for i := range nodes {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("node-%d.log", i)))
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		addr := freeAddr(b)
		nodes[i] = &node{t: b, name: fmt.Sprint(i), addr: addr, log: f, args: []string{bin, "serve", "--db", dbURL,
			"--addr", addr, "--metrics-addr", "", "--smtp", ln.Addr().String(), "--mail-from", "noreply@police.example.be",
			"--letters", filepath.Join(dir, "letters"), "--intake-limit", "off", "--auth-fail-limit", "off"}}
		nodes[i].start()
		defer nodes[i].stop()
	}

	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	send := func(n int, method, path, token, key string, body []byte) (int, []byte, error) {
		req, _ := http.NewRequest(method, "http://"+nodes[n%count].addr+path, bytes.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		return resp.StatusCode, out, err
	}

	db, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close(context.Background())
	nodePids := make([]int, len(nodes))
	for i, n := range nodes {
		nodePids[i] = n.cmd.Process.Pid
	}
	before, usageErr := readUsage(context.Background(), db, nodePids)

	var filed, claimed atomic.Int64
	var latMu sync.Mutex
	var intakeLat, feedLat []time.Duration
	var elapsed time.Duration
	for b.Loop() {
		start := time.Now()
		stop := start.Add(10 * time.Second)
		var wg sync.WaitGroup
		for c := range 50 {
			wg.Go(func() {
				for i := 0; time.Now().Before(stop); i++ {
					t0 := time.Now()
					code, body, err := send(c+i, "POST", "/v1/complaints", "", fmt.Sprintf("load-%d-%d-%d", c, i, t0.UnixNano()), subs[(c*7919+i)%len(subs)])
					if err != nil || code != http.StatusCreated {
						b.Errorf("intake: %d %v %s", code, err, body)
						return
					}
					d := time.Since(t0)
					latMu.Lock()
					intakeLat = append(intakeLat, d)
					latMu.Unlock()
					filed.Add(1)
				}
			})
		}
		for o, tok := range tokens {
			wg.Go(func() {
				cursor := ""
				for i := 0; time.Now().Before(stop); i++ {
					t0 := time.Now()
					code, body, err := send(o+i, "GET", "/v1/zones/5275/feed?limit=100&cursor="+url.QueryEscape(cursor), tok, "", nil)
					if err != nil || code != http.StatusOK {
						b.Errorf("feed: %d %v %s", code, err, body)
						return
					}
					d := time.Since(t0)
					latMu.Lock()
					feedLat = append(feedLat, d)
					latMu.Unlock()
					var page complaint.FeedPage
					if err := json.Unmarshal(body, &page); err != nil {
						b.Error(err)
						return
					}
					cursor = page.Cursor
					for k, it := range page.Items {
						if it.Record == nil || it.Record.Status != complaint.StatusNew || k%officerCount != o {
							continue
						}
						code, body, err := send(o+i+k, "POST", "/v1/zones/5275/complaints/"+it.Reference+"/actions", tok,
							fmt.Sprintf("claim-%d-%s", o, it.Reference), mustJSONBody(complaint.Action{Type: complaint.ActionClaim}))
						switch {
						case err != nil || (code != http.StatusOK && code != http.StatusConflict):
							b.Errorf("claim: %d %v %s", code, err, body)
							return
						case code == http.StatusOK:
							claimed.Add(1)
						}
					}
					if len(page.Items) == 0 {
						time.Sleep(20 * time.Millisecond)
					}
				}
			})
		}
		wg.Wait()
		elapsed += time.Since(start)
	}
	if usageErr == nil {
		var after loadUsage
		after, usageErr = readUsage(context.Background(), db, nodePids)
		before.to(after).report(b, filed.Load())
	}
	if usageErr != nil {
		b.Logf("no CPU accounting (it reads Linux's /proc): %v", usageErr)
	}
	b.ReportMetric(float64(filed.Load())/elapsed.Seconds(), "complaints/s")
	b.ReportMetric(float64(claimed.Load())/elapsed.Seconds(), "claims/s")
	reportLatencies(b, "intake", intakeLat)
	reportLatencies(b, "feed", feedLat)
}

// reportLatencies adds the p50 and p99 of what, in milliseconds.
func reportLatencies(b *testing.B, what string, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, what+"-p50-ms")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, what+"-p99-ms")
}
