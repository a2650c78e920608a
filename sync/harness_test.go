package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/store"
)

// testZone is the zone every test works in.
const testZone = "5275"

// testPortal is the real portal on a real SQLite file behind a real HTTP
// server, reachable directly (URL) or through a fault-injecting proxy.
type testPortal struct {
	t    testing.TB
	path string

	mu    stdsync.Mutex
	srv   *portal.Server
	http  *httptest.Server
	proxy *faultProxy

	// auditor reads the whole feed of the zone for comparisons.
	auditorToken string
}

func newTestPortal(t testing.TB) *testPortal {
	t.Helper()
	tp := &testPortal{t: t, path: filepath.Join(t.TempDir(), "portal.db")}
	tp.start()
	tp.proxy = newFaultProxy(t, tp.addr())
	tp.proxy.restart = tp.restart
	t.Cleanup(tp.stop)
	tp.auditorToken, _ = tp.officer("Contrôle Audit")
	return tp
}

func (tp *testPortal) start() {
	tp.t.Helper()
	srv, err := portal.Open(tp.path, portal.Options{})
	if err != nil {
		tp.t.Fatalf("open portal: %v", err)
	}
	h := httptest.NewUnstartedServer(nil)
	h.Config.Handler = srv.Handler()
	h.Start()
	tp.mu.Lock()
	tp.srv, tp.http = srv, h
	tp.mu.Unlock()
}

func (tp *testPortal) stop() {
	tp.mu.Lock()
	srv, h := tp.srv, tp.http
	tp.srv, tp.http = nil, nil
	tp.mu.Unlock()
	if h != nil {
		h.CloseClientConnections()
		h.Close()
	}
	if srv != nil {
		srv.Close()
	}
}

// restart closes the portal and opens it again on the same database file
// (a new address); it returns the new address.
func (tp *testPortal) restart() string {
	tp.stop()
	tp.start()
	return tp.addr()
}

func (tp *testPortal) addr() string {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return strings.TrimPrefix(tp.http.URL, "http://")
}

func (tp *testPortal) server() *portal.Server {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return tp.srv
}

// directURL reaches the portal without the proxy.
func (tp *testPortal) directURL() string { return "http://" + tp.addr() }

// officer adds an officer of the test zone and returns its token.
func (tp *testPortal) officer(name string) (string, complaint.Officer) {
	tp.t.Helper()
	tok, o, err := tp.server().AddOfficer(testZone, name)
	if err != nil {
		tp.t.Fatalf("add officer: %v", err)
	}
	return tok, o
}

// revoke revokes an officer's token on the portal.
func (tp *testPortal) revoke(token string, o complaint.Officer) {
	tp.t.Helper()
	if err := tp.server().RevokeOfficer(o.ID); err != nil {
		tp.t.Fatal(err)
	}
}

func (tp *testPortal) seed(n int, seed int64) []string {
	tp.t.Helper()
	refs, err := demodata.Seed(context.Background(), tp.server(), testZone, n, seed)
	if err != nil {
		tp.t.Fatalf("seed: %v", err)
	}
	return refs
}

// serverState reads the whole feed of the zone directly from the portal:
// reference → latest record, tombstoned complaints left out.
func (tp *testPortal) serverState() map[string]complaint.Record {
	tp.t.Helper()
	out := map[string]complaint.Record{}
	cursor := ""
	hc := &http.Client{Timeout: 30 * time.Second}
	for {
		q := url.Values{"limit": {"1000"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		req, _ := http.NewRequest("GET", tp.directURL()+"/v1/zones/"+testZone+"/feed?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+tp.auditorToken)
		resp, err := hc.Do(req)
		if err != nil {
			tp.t.Fatalf("read server feed: %v", err)
		}
		var page complaint.FeedPage
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			tp.t.Fatalf("read server feed: %d %v", resp.StatusCode, err)
		}
		for _, it := range page.Items {
			if it.Tombstone {
				delete(out, it.Reference)
			} else {
				out[it.Reference] = *it.Record
			}
		}
		cursor = page.Cursor
		if !page.More {
			return out
		}
	}
}

// deliveries counts, per "ref action officer", how many times the portal
// applied (or refused on its rules) an officer action: the portal's own audit
// entries of kind "action" (an idempotent replay records nothing).
func (tp *testPortal) deliveries() map[string]int {
	tp.t.Helper()
	recs, err := tp.server().Audit(portal.AuditFilter{Zone: testZone})
	if err != nil {
		tp.t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range recs {
		if r.Origin == "portal" && r.Kind == "action" {
			out[r.Reference+" "+r.Field+" "+r.Officer]++
		}
	}
	return out
}

// workstation is one officer's cache and engine.
type workstation struct {
	t       testing.TB
	path    string
	st      *store.Store
	eng     *Engine
	officer complaint.Officer
	token   string
}

// noKeepAlive makes each request one TCP connection, so the proxy's faults
// apply per request.
func noKeepAlive() *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DisableKeepAlives: true,
			DialContext:       (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// newWorkstation opens a cache at a new path for an officer and an engine
// talking through the proxy.
func newWorkstation(t testing.TB, tp *testPortal, token string, o complaint.Officer, pageSize int) *workstation {
	t.Helper()
	return openWorkstation(t, tp, filepath.Join(t.TempDir(), "cache", "guichet.db"), token, o, pageSize)
}

func openWorkstation(t testing.TB, tp *testPortal, path, token string, o complaint.Officer, pageSize int) *workstation {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatalf("open cache: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	eng, err := New(Options{Server: tp.proxy.URL(), Token: token, HTTPClient: noKeepAlive(), Lang: "fr", PageSize: pageSize}, st)
	if err != nil {
		t.Fatal(err)
	}
	return &workstation{t: t, path: path, st: st, eng: eng, officer: o, token: token}
}

// act takes an action locally (queued in the outbox).
func (ws *workstation) act(ref string, a complaint.Action) error {
	_, err := ws.st.Act(context.Background(), ref, a, ws.officer, "fr")
	return err
}

// syncUntilClean runs rounds until one succeeds (faults planned on the
// proxy make earlier ones fail).
func (ws *workstation) syncUntilClean(max int) error {
	var err error
	for i := 0; i < max; i++ {
		if err = ws.eng.SyncOnce(context.Background()); err == nil {
			return nil
		}
	}
	return fmt.Errorf("no clean round in %d: %w", max, err)
}

// assertCacheEqualsServer checks every complaint of the zone is cached
// exactly once and equals the portal's state, and nothing else is cached.
func assertCacheEqualsServer(t testing.TB, tp *testPortal, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	want := tp.serverState()
	c, err := st.Counts(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.All != len(want) {
		t.Errorf("cache holds %d complaints, portal zone has %d", c.All, len(want))
	}
	if c.Outbox != 0 {
		t.Errorf("outbox still holds %d actions", c.Outbox)
	}
	for ref, rec := range want {
		got, err := st.Get(ctx, ref)
		if err != nil {
			t.Errorf("%s: not in cache: %v", ref, err)
			continue
		}
		if g, w := mustJSON(t, got), mustJSON(t, rec); g != w {
			t.Errorf("%s differs:\ncache  %s\nportal %s", ref, g, w)
		}
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
