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
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"guichet/complaint"
	"guichet/portal/demodata"
	"guichet/portal/storage/postgres/pgtest"
)

// Two guichetd processes on one PostgreSQL database, as behind a load
// balancer: citizens' filings and officers' feed reads and claims are
// spread over both, one node is killed (SIGKILL) in the middle and started
// again. Afterwards every complaint answered 201 is in its zone's feed
// exactly once, each zone's feed read page by page alternately from either
// node has no gap and no duplicate, each complaint has at most one claim
// winner, and each confirmation reached the relay once (but the one the
// killed node may have been handing over, sent again with its Message-ID).

// twoNodeIntakes is how many complaints are filed (20,000 unless -short).
func twoNodeIntakes() int {
	if testing.Short() {
		return 2_000
	}
	return 20_000
}

// submissionCollector is a demodata.Portal that keeps the submissions
// instead of filing them: realistic complaints for the HTTP clients.
type submissionCollector struct {
	subs []*complaint.Submission
}

func (c *submissionCollector) Router() *complaint.Router { return complaint.DefaultRouter() }
func (c *submissionCollector) Now() time.Time            { return time.Now() }
func (c *submissionCollector) IntakeBatch(_ context.Context, subs []*complaint.Submission) ([]string, error) {
	c.subs = append(c.subs, subs...)
	return make([]string, len(subs)), nil
}

// countingRelay is an SMTP server that counts the messages it accepts by
// Message-ID, and keeps when it accepted each.
type countingRelay struct {
	mu  sync.Mutex
	ids map[string]int
	at  map[string][]time.Time // two-node test only (nil: not kept)
}

var messageID = regexp.MustCompile(`(?m)^Message-ID: <([^>]+)>`)

func (r *countingRelay) NewSession(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }

type relaySession struct{ r *countingRelay }

func (*relaySession) Reset()                               {}
func (*relaySession) Logout() error                        { return nil }
func (*relaySession) Mail(string, *smtp.MailOptions) error { return nil }
func (*relaySession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *relaySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := messageID.FindSubmatch(b)
	if m == nil {
		return fmt.Errorf("message without Message-ID")
	}
	s.r.mu.Lock()
	s.r.ids[string(m[1])]++
	if s.r.at != nil {
		s.r.at[string(m[1])] = append(s.r.at[string(m[1])], time.Now())
	}
	s.r.mu.Unlock()
	return nil
}

// node is one guichetd serve process.
type node struct {
	t    testing.TB
	name string
	args []string
	addr string
	cmd  *exec.Cmd
	log  *os.File
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (n *node) start() {
	n.t.Helper()
	n.cmd = exec.Command(n.args[0], n.args[1:]...)
	n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
	if err := n.cmd.Start(); err != nil {
		n.t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + n.addr + "/v1/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("node %s not ready after 60 s (see %s)", n.name, n.log.Name())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL: no shutdown, no flush, leases and transactions left
// as they were.
func (n *node) kill() {
	n.cmd.Process.Kill()
	n.cmd.Wait()
}

func (n *node) stop() {
	if n.cmd != nil && n.cmd.ProcessState == nil {
		n.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { n.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			n.cmd.Process.Kill()
			<-done
		}
	}
}

func buildGuichetd(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "guichetd")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestTwoNodesOnePostgres(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	bin := buildGuichetd(t)
	dir := t.TempDir()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	relay := &countingRelay{ids: map[string]int{}, at: map[string][]time.Time{}}
	smtpSrv := smtp.NewServer(relay)
	smtpSrv.Domain = "relay.example"
	smtpSrv.AllowInsecureAuth = true
	go smtpSrv.Serve(ln)
	defer smtpSrv.Close()

	// Officers of three zones, two each.
	zones := []string{"5275", "5339", "5344"}
	type officerAccount struct{ zone, token string }
	var officers []officerAccount
	for _, z := range zones {
		for i := range 2 {
			out, err := exec.Command(bin, "officer", "add", "--db", dbURL, "--zone", z, "--name", fmt.Sprintf("Agent %s-%d", z, i)).Output()
			if err != nil {
				t.Fatalf("officer add: %v", err)
			}
			officers = append(officers, officerAccount{z, strings.TrimSpace(string(out))})
		}
	}

	// Both nodes print letters into one spool (a shared volume).
	letters := filepath.Join(dir, "letters")
	nodes := make([]*node, 2)
	for i := range nodes {
		addr := freeAddr(t)
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("node-%d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		nodes[i] = &node{t: t, name: fmt.Sprint(i), addr: addr, log: f, args: []string{bin, "serve", "--db", dbURL,
			"--addr", addr, "--metrics-addr", "", "--smtp", ln.Addr().String(), "--mail-from", "noreply@police.example.be",
			"--letters", letters, "--intake-limit", "off", "--auth-fail-limit", "off", "--outbox-lease", "2s"}}
		nodes[i].start()
		defer nodes[i].stop()
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range nodes {
				b, _ := os.ReadFile(n.log.Name())
				if len(b) > 4000 {
					b = b[len(b)-4000:]
				}
				t.Logf("node %s log (end):\n%s", n.name, b)
			}
		}
	})

	// Realistic complaints spread over the three zones.
	total := twoNodeIntakes()
	col := &submissionCollector{}
	for i, z := range zones {
		if _, err := demodata.Seed(context.Background(), col, z, total/len(zones)+1, int64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	col.subs = col.subs[:total]

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	// do sends a request to node (i mod 2), and to the other node when the
	// first does not answer (the load balancer's retry): the same
	// Idempotency-Key, so at most one complaint or action results.
	do := func(i int, method, path, token, key string, body []byte) (int, []byte, error) {
		var lastErr error
		for attempt := range 40 {
			n := nodes[(i+attempt)%2]
			req, _ := http.NewRequest(method, "http://"+n.addr+path, bytes.NewReader(body))
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
				lastErr = err
				time.Sleep(50 * time.Millisecond)
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				lastErr = fmt.Errorf("%d %s", resp.StatusCode, b)
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return resp.StatusCode, b, nil
		}
		return 0, nil, lastErr
	}

	// Citizens: 16 clients file every complaint once.
	var filedMu sync.Mutex
	filed := map[string]string{} // reference → zone
	var next, done atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for c := range 16 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				code, body, err := do(i+c, "POST", "/v1/complaints", "", fmt.Sprintf("citizen-%d", i), mustJSONBody(col.subs[i]))
				if err != nil || code != http.StatusCreated {
					errs <- fmt.Errorf("intake %d: %d %v %s", i, code, err, body)
					return
				}
				var rc complaint.IntakeReceipt
				json.Unmarshal(body, &rc)
				filedMu.Lock()
				if z, dup := filed[rc.Reference]; dup {
					errs <- fmt.Errorf("reference %s answered twice (zone %s)", rc.Reference, z)
				}
				filed[rc.Reference] = rc.Zone.Code
				filedMu.Unlock()
				done.Add(1)
			}
		})
	}

	// Officers: each follows its zone's feed alternately on both nodes and
	// claims what is new, competing with its colleague; every fifth claim
	// won is handled (a confirmation to the citizen).
	stopOfficers := make(chan struct{})
	var claimsMu sync.Mutex
	winners := map[string]map[int]bool{} // reference → officers whose claim changed it
	var owg sync.WaitGroup
	for oi, o := range officers {
		owg.Go(func() {
			cursor := ""
			for page := 0; ; page++ {
				select {
				case <-stopOfficers:
					return
				default:
				}
				code, body, err := do(oi+page, "GET", "/v1/zones/"+o.zone+"/feed?limit=200&cursor="+url.QueryEscape(cursor), o.token, "", nil)
				if err != nil || code != http.StatusOK {
					errs <- fmt.Errorf("officer feed: %d %v %s", code, err, body)
					return
				}
				var p complaint.FeedPage
				json.Unmarshal(body, &p)
				cursor = p.Cursor
				for k, it := range p.Items {
					if it.Record == nil || it.Record.Status != complaint.StatusNew || k%3 != oi%3 {
						continue
					}
					key := fmt.Sprintf("claim-%d-%s", oi, it.Reference)
					code, body, err := do(oi+k, "POST", "/v1/zones/"+o.zone+"/complaints/"+it.Reference+"/actions", o.token, key, mustJSONBody(complaint.Action{Type: complaint.ActionClaim}))
					if err != nil {
						errs <- fmt.Errorf("claim: %v", err)
						return
					}
					if code != http.StatusOK {
						continue // 409: a colleague was first
					}
					var rec complaint.Record
					json.Unmarshal(body, &rec)
					if rec.ClaimedBy == nil || len(rec.History) < 2 || rec.History[len(rec.History)-1].Action != "claim" {
						continue
					}
					claimsMu.Lock()
					if winners[it.Reference] == nil {
						winners[it.Reference] = map[int]bool{}
					}
					winners[it.Reference][oi] = true
					n := len(winners)
					claimsMu.Unlock()
					if n%5 == 0 {
						code, body, err := do(oi, "POST", "/v1/zones/"+o.zone+"/complaints/"+it.Reference+"/actions", o.token, "handle-"+it.Reference,
							mustJSONBody(complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"}))
						if err != nil || code != http.StatusOK {
							errs <- fmt.Errorf("handle: %d %v %s", code, err, body)
							return
						}
					}
				}
				if !p.More {
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}

	// Halfway, node 0 dies and comes back.
	for done.Load() < int64(total/2) {
		select {
		case err := <-errs:
			t.Fatal(err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	nodes[0].kill()
	killedAt := time.Now()
	t.Logf("node 0 killed after %d filings", done.Load())
	time.Sleep(500 * time.Millisecond)
	nodes[0].start()
	t.Logf("node 0 back after %d filings", done.Load())
	wg.Wait()
	close(stopOfficers)
	owg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
	if len(filed) != total {
		t.Fatalf("%d complaints answered 201, %d filed", len(filed), total)
	}

	// Every zone's feed, page by page alternately from each node: no
	// duplicate, and exactly the complaints answered 201 for the zone.
	tok := map[string]string{}
	for _, o := range officers {
		tok[o.zone] = o.token
	}
	final := map[string]complaint.Record{}
	for _, z := range zones {
		seen := map[string]bool{}
		cursor := ""
		for page := 0; ; page++ {
			code, body, err := do(page, "GET", "/v1/zones/"+z+"/feed?limit=500&cursor="+url.QueryEscape(cursor), tok[z], "", nil)
			if err != nil || code != http.StatusOK {
				t.Fatalf("feed %s page %d: %d %v %s", z, page, code, err, body)
			}
			var p complaint.FeedPage
			json.Unmarshal(body, &p)
			for _, it := range p.Items {
				if seen[it.Reference] {
					t.Fatalf("zone %s: %s twice in the feed", z, it.Reference)
				}
				seen[it.Reference] = true
				if filed[it.Reference] != z {
					t.Fatalf("zone %s: %s in the feed, filed for zone %q", z, it.Reference, filed[it.Reference])
				}
				final[it.Reference] = *it.Record
			}
			cursor = p.Cursor
			if !p.More {
				break
			}
		}
	}
	for ref := range filed {
		if _, ok := final[ref]; !ok {
			t.Fatalf("%s was answered 201 but is in no feed", ref)
		}
	}

	// One claim winner per complaint, and the stored record names it.
	claimed := 0
	for ref, ws := range winners {
		if len(ws) != 1 {
			t.Fatalf("%s claimed by %d officers: %v", ref, len(ws), ws)
		}
		if final[ref].ClaimedBy == nil && final[ref].Status == complaint.StatusClaimed {
			t.Fatalf("%s claimed without an officer", ref)
		}
		claimed++
	}
	if claimed == 0 {
		t.Fatal("no complaint was claimed")
	}

	// Every confirmation (one per handled complaint) is sent: the outbox
	// of the shared database has none pending, the relay has each e-mail
	// once (by Message-ID, made from the outbox row: a node killed between
	// the relay's acceptance and marking the row sent would send one
	// twice), the spool has each letter.
	handled := 0
	for _, r := range final {
		if r.Status == complaint.StatusHandled {
			handled++
		}
	}
	var counts []struct {
		Channel                         string
		Pending, Retrying, Failed, Sent int
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, err := exec.Command(bin, "outbox", "--db", dbURL, "--json").Output()
		if err != nil {
			t.Fatalf("guichetd outbox: %v", err)
		}
		if err := json.Unmarshal(out, &counts); err != nil {
			t.Fatalf("guichetd outbox --json: %v: %s", err, out)
		}
		pending := 0
		for _, c := range counts {
			pending += c.Pending
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("confirmations still pending after 90 s: %+v", counts)
		}
		time.Sleep(200 * time.Millisecond)
	}
	sent := map[string]int{}
	total = 0
	for _, c := range counts {
		sent[c.Channel] = c.Sent
		total += c.Sent
		if c.Failed != 0 {
			t.Errorf("%d %s confirmations failed", c.Failed, c.Channel)
		}
	}
	if total != handled {
		t.Errorf("%d confirmations sent for %d handled complaints", total, handled)
	}
	// SMTP cannot be exactly once: the one e-mail node 0's sender (one
	// at a time per node) had handed to the relay when it was killed, but
	// whose row it had not yet marked sent, is sent again by another node
	// after the lease, with the same Message-ID (a mail client shows it
	// once). Any other repeat is a double send.
	relay.mu.Lock()
	resent := 0
	for id, n := range relay.ids {
		if n == 1 {
			continue
		}
		at := relay.at[id]
		if n == 2 && at[0].Before(killedAt) && at[1].After(killedAt) {
			resent++
			t.Logf("e-mail %s handed to the relay by the killed node and sent again after its lease", id)
			continue
		}
		t.Errorf("e-mail %s reached the relay %d times (at %v; node 0 killed at %v)", id, n, at, killedAt)
	}
	if resent > 1 {
		t.Errorf("%d e-mails sent again after the kill; the killed node's sender had at most one in flight", resent)
	}
	if len(relay.ids) != sent["email"] {
		t.Errorf("%d distinct e-mails at the relay, %d sent", len(relay.ids), sent["email"])
	}
	relay.mu.Unlock()
	files, _ := filepath.Glob(filepath.Join(letters, "*"))
	if len(files) != sent["post"] {
		t.Errorf("%d letters in the spool, %d sent", len(files), sent["post"])
	}
	t.Logf("%d complaints filed over two nodes (one killed and restarted), %d claimed, %d confirmations (%d e-mails, %d letters) sent, %d e-mail sent again after the kill",
		len(filed), claimed, handled, sent["email"], sent["post"], resent)
}

func mustJSONBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
