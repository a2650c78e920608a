package citizen

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/portal"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres"
	"guichet/portal/storage/postgres/pgtest"
	"guichet/portal/storage/sqlite"
)

// twoNodes is two guichetd nodes (a portal and its form each) over one
// database, behind a load balancer that sends each request to the other
// node than the one before.
func twoNodes(t *testing.T, open func() storage.Store) *testSite {
	t.Helper()
	var handlers [2]http.Handler
	var servers [2]*portal.Server
	var forms [2]*Form
	for i := range handlers {
		srv, err := portal.New(open(), portal.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		f, err := New(srv, Options{})
		if err != nil {
			t.Fatal(err)
		}
		servers[i], forms[i], handlers[i] = srv, f, f.Mount(srv.Handler())
	}
	var next atomic.Uint64
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers[next.Add(1)%2].ServeHTTP(w, r)
	}))
	t.Cleanup(lb.Close)
	return &testSite{t: t, srv: servers[0], form: forms[0], http: lb}
}

// TestDraftContinuesOnAnotherNode: the answers live in the portal's
// database, not in a node's memory: a citizen whose every request goes to
// the other node than the one before files a complete complaint, which
// arrives in the zone's feed; the draft is gone from the database once
// filed.
func TestDraftContinuesOnAnotherNode(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) func() storage.Store
	}{
		{"sqlite", func(t *testing.T) func() storage.Store {
			path := filepath.Join(t.TempDir(), "portal.db")
			return func() storage.Store {
				st, err := sqlite.Open(path, sqlite.Options{})
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
		}},
		{"postgres", func(t *testing.T) func() storage.Store {
			url := pgtest.NewDatabase(t)
			return func() storage.Store {
				st, err := postgres.Open(context.Background(), url, postgres.Options{MaxConns: 4})
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := twoNodes(t, tc.open(t))
			token := ts.officer("5275")
			b := ts.browser()
			ref := b.fileBicycleTheft("fr")
			if refs := ts.feedRefs("5275", token); len(refs) != 1 || refs[0] != ref {
				t.Errorf("zone feed %v, want [%s]", refs, ref)
			}
			b.storesReceiptOnly()
			b.get("/fr/receipt").at("/fr/receipt", 200).contains(ref)
			b.get("/fr/receipt").at("/fr/receipt", 200).contains(ref)
		})
	}
}

// TestPagesSayWhenTheSessionEnds: without JavaScript, every page of a
// draft says until when the answers are kept (the idle time from this
// request, Brussels time), in every language; a page without a draft
// (start, receipt) does not. The script's keep-alive renews the session
// and answers the new end; without a draft it answers 410.
func TestPagesSayWhenTheSessionEnds(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	ts := newTestSite(t, Options{Now: clock}, portal.Options{})
	ends := func(lang string, at time.Time) string {
		before, after, _ := strings.Cut(text(lang, "session_ends"), "%s")
		return html.EscapeString(before) + `<span class="session-end">` + at.Add(IdleTimeout).In(brussels()).Format("15:04") + `</span>` + html.EscapeString(after)
	}
	for _, lang := range []string{"fr", "nl", "de", "en", "es"} {
		b := ts.browser()
		b.get("/" + lang + "/")
		if strings.Contains(b.body, `id="session"`) {
			t.Errorf("%s: the start page, without a draft, shows a session end", lang)
		}
		b.get("/"+lang+"/eligibility").contains(ends(lang, clock()), `<script src="/assets/session.js" defer></script>`, `id="session-warning"`)
		advance(20 * time.Minute)
		b.answers(lang, "three-numbers")
		b.contains(ends(lang, clock()))
		advance(7 * time.Minute)
		b.post("/"+lang+"/keep-alive", nil)
		want := fmt.Sprintf(`{"ends":%q,"left":%d}`, clock().Add(IdleTimeout).In(brussels()).Format("15:04"), int(IdleTimeout/time.Second))
		if b.last.StatusCode != 200 || b.body != want {
			t.Errorf("%s: keep-alive %d %s, want %s", lang, b.last.StatusCode, b.body, want)
		}
		fs, err := b.storedSession()
		if err != nil || !fs.LastUse.Equal(clock().Truncate(time.Millisecond)) {
			t.Errorf("%s: keep-alive left the session last used at %v (%v), want %v", lang, fs.LastUse, err, clock())
		}
	}
	b := ts.browser()
	b.fileBicycleTheft("fr")
	if strings.Contains(b.body, `id="session"`) {
		t.Error("the receipt, the draft deleted, shows a session end")
	}
	b.post("/fr/keep-alive", nil)
	if b.last.StatusCode != http.StatusGone {
		t.Errorf("keep-alive after filing: %d, want 410", b.last.StatusCode)
	}
}

// TestSessionWrittenAgainOnlyWhenChangedOrAMinuteOld: a page of a draft
// read again within a minute of the session's stored last use, with
// nothing changed, does not write the session again; an answer writes it
// but keeps that last use; the first request past the minute moves it to
// its own time. What the pages say stays exact: the answers are kept
// until the stored last use plus the idle time, and gone a second later.
func TestSessionWrittenAgainOnlyWhenChangedOrAMinuteOld(t *testing.T) {
	now := time.Now().Truncate(time.Millisecond)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	ts := newTestSite(t, Options{Now: clock}, portal.Options{})
	b := ts.browser()
	stored := func() storage.FormSession {
		t.Helper()
		fs, err := b.storedSession()
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	shows := func(lastUse time.Time) {
		t.Helper()
		end := lastUse.Add(IdleTimeout)
		b.contains(`<span class="session-end">`+end.In(brussels()).Format("15:04")+`</span>`,
			fmt.Sprintf(`data-left="%d"`, int(end.Sub(clock())/time.Second)))
	}
	b.answers("fr", "when")
	t0 := clock()
	first := stored()
	if !first.LastUse.Equal(t0) {
		t.Fatalf("stored last use %v, want %v", first.LastUse, t0)
	}

	advance(30 * time.Second)
	b.get("/fr/when").at("/fr/when", 200)
	shows(t0)
	if fs := stored(); !fs.LastUse.Equal(t0) || string(fs.Data) != string(first.Data) {
		t.Errorf("a page read again after 30 s wrote the session: last use %v, want %v", fs.LastUse, t0)
	}

	advance(20 * time.Second)
	start, end := factDays()
	b.post("/fr/when", merge(dateValues("start", start.AddDate(0, 0, -1), true), dateValues("end", end, true))).at("/fr/where", 200)
	shows(t0)
	if fs := stored(); !fs.LastUse.Equal(t0) || string(fs.Data) == string(first.Data) {
		t.Errorf("an answer 50 s later: stored last use %v (want %v), answer stored: %v", fs.LastUse, t0, string(fs.Data) != string(first.Data))
	}

	advance(15 * time.Second)
	t1 := clock()
	b.get("/fr/where").at("/fr/where", 200)
	shows(t1)
	if fs := stored(); !fs.LastUse.Equal(t1) {
		t.Errorf("a page 65 s after the stored last use: last use %v, want %v", fs.LastUse, t1)
	}

	advance(40 * time.Second)
	b.get("/fr/where").at("/fr/where", 200)
	shows(t1)
	// The page said: kept until t1 + IdleTimeout. A second later they
	// are gone.
	advance(t1.Add(IdleTimeout + time.Second).Sub(clock()))
	b.get("/fr/where").at("/fr/expired", 200)

	// The keep-alive button renews at once, however recent the last use.
	b = ts.browser()
	b.answers("fr", "when")
	advance(10 * time.Second)
	b.post("/fr/keep-alive", nil)
	if fs := stored(); b.last.StatusCode != 200 || !fs.LastUse.Equal(clock()) {
		t.Errorf("keep-alive 10 s after the last use: %d, stored last use %v, want %v", b.last.StatusCode, fs.LastUse, clock())
	}
}
