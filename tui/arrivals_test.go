package tui

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/store"
	"guichet/store/storetest"
	gsync "guichet/sync"
)

// arrive puts recs in the cache as a feed page would, numbered after the
// fixture and received after it.
func arrive(t *testing.T, st *store.Store, after time.Time, n int) []string {
	t.Helper()
	recs := storetest.Records(n, 77)
	var items []complaint.FeedItem
	var refs []string
	for i := range recs {
		r := &recs[i]
		r.Reference = fmt.Sprintf("5275-2026-9%05d", i)
		r.Status, r.ClaimedBy, r.History = complaint.StatusNew, nil, nil
		r.ReceivedAt = after.Add(time.Duration(i+1) * time.Minute)
		r.UpdatedAt = r.ReceivedAt
		items = append(items, complaint.FeedItem{Reference: r.Reference, Version: r.Version, Record: r})
		refs = append([]string{r.Reference}, refs...) // newest first, as the queue shows them
	}
	if err := st.ApplyFeedPage(context.Background(), items, "next"); err != nil {
		t.Fatal(err)
	}
	return refs
}

// TestArrivalsAppearAtTheTop: with the cursor on the first row, complaints
// that arrive (here `r` without a sync engine, which re-reads the cache)
// show at the top at once, the cursor stays on the complaint it was on, and
// the status line says how many arrived — in each language.
func TestArrivalsAppearAtTheTop(t *testing.T) {
	for _, lang := range allLangs {
		recs := storetest.Records(40, 1)
		h := newHarness(t, recs, lang, 100, 24)
		q := h.queue()
		was := q.SelectedRef()
		last := recs[len(recs)-1].ReceivedAt
		refs := arrive(t, h.st, last, 3)
		h.keys("r")
		if len(q.rows) < 4 {
			t.Fatalf("%s: %d rows", lang, len(q.rows))
		}
		for i, ref := range refs {
			if q.rows[i].Reference != ref {
				t.Fatalf("%s: row %d is %s, want the new %s", lang, i+1, q.rows[i].Reference, ref)
			}
			if !strings.Contains(h.view(), ref) {
				t.Fatalf("%s: new %s not on screen:\n%s", lang, ref, h.view())
			}
		}
		if q.SelectedRef() != was || q.top != 0 {
			t.Fatalf("%s: cursor on %s (top %d), want it still on %s", lang, q.SelectedRef(), q.top, was)
		}
		if want := i18n.For(lang).TUI.Status.Arrivals.F(3); !strings.Contains(h.app.status, want) {
			t.Fatalf("%s: status %q, want %q", lang, h.app.status, want)
		}
	}
}

// TestStatusStaysWithItsComplaint: "copied" said about one complaint goes
// when the officer moves to another; it stays while they are on it.
func TestStatusStaysWithItsComplaint(t *testing.T) {
	h := newHarness(t, storetest.Records(40, 1), "en", 100, 24)
	h.keys("<enter>y")
	if !strings.Contains(h.app.status, "Copied") {
		t.Fatalf("no copy message: %q", h.app.status)
	}
	h.keys("j") // another field of the same complaint
	if !strings.Contains(h.app.status, "Copied") {
		t.Fatalf("message gone on the same complaint: %q", h.app.status)
	}
	h.keys("<esc>") // back to the queue, on the same complaint
	if !strings.Contains(h.app.status, "Copied") {
		t.Fatalf("message gone back on the same complaint: %q", h.app.status)
	}
	h.keys("j")
	if strings.Contains(h.view(), "Copied") {
		t.Fatalf("copy message follows the officer to another complaint:\n%s", h.view())
	}
	// An action's message too.
	h.keys("c")
	if !strings.Contains(h.app.status, "Claim") {
		t.Fatalf("no claim message: %q", h.app.status)
	}
	claimed := h.app.statusRef
	h.keys("<enter>")
	if h.queue().SelectedRef() != claimed && strings.Contains(h.view(), "Claim") {
		t.Fatalf("claim message about %s shown on another complaint's detail:\n%s", claimed, h.view())
	}
}

// TestFirstSyncNotNever: while the session's first round runs, the status
// bar says so instead of "never synced".
func TestFirstSyncNotNever(t *testing.T) {
	h := newHarnessWith(t, storetest.Records(5, 1), "fr", 100, 24, func(o *Options) {
		o.Sync = idleSyncer{}
	})
	bar := h.app.statusBar()
	if strings.Contains(bar, i18n.For("fr").TUI.Bar.Never) || !strings.Contains(bar, i18n.For("fr").TUI.Bar.Firstsync) {
		t.Fatalf("before the first round: %q", bar)
	}
	h.app.Update(syncStateMsg{state: SyncState{Syncing: true, Pulled: 40, Online: true}, ch: closedStates()}) // its spinner ticks are not run
	if bar := h.app.statusBar(); !strings.Contains(bar, i18n.For("fr").TUI.Bar.Firstsync+" 40") {
		t.Fatalf("during the first round: %q", bar)
	}
	h.app.Update(syncStateMsg{state: SyncState{Err: "portail injoignable"}, ch: closedStates()})
	if bar := h.app.statusBar(); !strings.Contains(bar, i18n.For("fr").TUI.Bar.Never) {
		t.Fatalf("after a failed first round: %q", bar)
	}
}

func closedStates() <-chan SyncState {
	ch := make(chan SyncState)
	close(ch)
	return ch
}

// idleSyncer is a Syncer whose rounds the test plays as state messages.
type idleSyncer struct{}

func (idleSyncer) Subscribe() (<-chan SyncState, func()) {
	ch := make(chan SyncState)
	close(ch) // the harness runs commands in turn: nothing may block
	return ch, func() {}
}
func (idleSyncer) Trigger() {}

// TestSyncAskedEndsAndCounts runs the program against the real portal: `r`
// says "Syncing…" until the round ends, then that it is synced and how many
// complaints it brought; the new ones are at the top of the queue.
func TestSyncAskedEndsAndCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-app test")
	}
	dir := t.TempDir()
	srv, err := portal.Open(filepath.Join(dir, "portal.db"), portal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if _, err := demodata.Seed(ctx, srv, "5275", 10, 42); err != nil {
		t.Fatal(err)
	}
	token, officer, err := srv.AddOfficer("5275", "Inspectrice Öztürk")
	if err != nil {
		t.Fatal(err)
	}
	zone, _ := srv.Router().Zone("5275")
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	hs := ts.URL
	st, err := store.Open(filepath.Join(dir, "cache", "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	eng, err := gsync.New(gsync.Options{Server: hs, Token: token, Lang: "en"}, st)
	if err != nil {
		t.Fatal(err)
	}
	runDone := make(chan struct{})
	go func() { defer close(runDone); _ = eng.Run(ctx, time.Hour) }()
	t.Cleanup(func() { cancel(); <-runDone })

	app := New(Options{Ctx: ctx, Source: NewStoreSource(st, officer, "en", nil), Sync: EngineSyncer{E: eng, Lang: "en"},
		Lang: "en", Officer: officer, Zone: zone})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 30))
	wait := func(what string, cond func(b []byte) bool) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), cond, teatest.WithDuration(patience(t)), teatest.WithCheckInterval(20*time.Millisecond))
	}
	wait("first sync", func(b []byte) bool { return bytes.Contains(b, []byte("New 10")) })
	if _, err := demodata.Seed(ctx, srv, "5275", 3, 4242); err != nil {
		t.Fatal(err)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	wait("synced with the count", func(b []byte) bool {
		return bytes.Contains(b, []byte("Synced at")) && bytes.Contains(b, []byte("3 new complaints"))
	})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(patience(t)))
	fm := tm.FinalModel(t).(*App)
	if strings.Contains(fm.status, "Syncing") {
		t.Fatalf("status still %q after the round", fm.status)
	}
	q := fm.stack[0].(*queueModel)
	rows, err := st.Page(ctx, store.Query{Statuses: []complaint.Status{complaint.StatusNew}, Sort: store.SortReceived, Desc: true}, nil, 3)
	if err != nil || len(rows) != 3 {
		t.Fatal(err)
	}
	for i, r := range rows {
		if i >= len(q.rows) || q.rows[i].Reference != r.Reference {
			t.Fatalf("row %d of the queue is not the newest complaint %s", i+1, r.Reference)
		}
	}
}
