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
			fs, err := b.storedSession()
			if err != nil {
				t.Fatal(err)
			}
			if sess, err := decodeSession(fs.Key, fs.Data, fs.LastUse); err != nil || sess.draft != nil || sess.receipt == nil {
				t.Errorf("stored after filing: %s (%v), want the receipt only", fs.Data, err)
			}
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
		return html.EscapeString(before) + `<span class="session-end">` + at.Add(IdleTimeout).In(brussels).Format("15:04") + `</span>` + html.EscapeString(after)
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
		want := fmt.Sprintf(`{"ends":%q,"left":%d}`, clock().Add(IdleTimeout).In(brussels).Format("15:04"), int(IdleTimeout/time.Second))
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
