package tui

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/store"
	"guichet/store/storetest"
	gsync "guichet/sync"
)

// markedRows counts the rows of the view that carry the mark glyph.
func markedRows(view string) int {
	n := 0
	for _, l := range strings.Split(view, "\n") {
		if strings.HasPrefix(l, " "+markGlyph) || strings.HasPrefix(l, "›"+markGlyph) {
			n++
		}
	}
	return n
}

func TestBulkMarkSpaceAndEsc(t *testing.T) {
	h := newHarness(t, storetest.Records(60, 3), "en", 120, 30)
	h.keys("<space><space>j<space>")
	q := h.queue()
	if q.bulk.count() != 3 {
		t.Fatalf("marked %d, want 3", q.bulk.count())
	}
	v := h.view()
	if got := markedRows(v); got != 3 {
		t.Fatalf("%d rows show the mark, want 3:\n%s", got, v)
	}
	if !strings.Contains(v, "3 marked") {
		t.Fatalf("no count in the view:\n%s", v)
	}
	// space again on a marked row unmarks it.
	h.keys("k<space>")
	if q.bulk.count() != 2 {
		t.Fatalf("after unmark: %d", q.bulk.count())
	}
	h.keys("<esc>")
	if q.bulk.count() != 0 || markedRows(h.view()) != 0 || strings.Contains(h.view(), "marked") {
		t.Fatalf("esc left marks: %d\n%s", q.bulk.count(), h.view())
	}
}

// TestBulkRangeBeyondLoadedRows marks from the first row to the last of a
// tab whose rows are not all loaded (the range is asked of the store), then
// claims them: one queued action and one audit event each.
func TestBulkRangeBeyondLoadedRows(t *testing.T) {
	recs := storetest.Records(400, 4)
	h := newHarness(t, recs, "en", 120, 24)
	ctx := context.Background()
	news := h.queue().counts[TabNew]
	if news < 150 {
		t.Fatalf("only %d new complaints", news)
	}
	h.keys("v")
	if h.queue().bulk.anchor == nil || !strings.Contains(h.view(), "range: v to end") {
		t.Fatalf("no open range:\n%s", h.view())
	}
	h.keys("G")
	if loaded := len(h.queue().rows); loaded >= news {
		t.Fatalf("window holds all %d rows; the test needs unloaded ones", loaded)
	}
	h.keys("v")
	if got := h.queue().bulk.count(); got != news {
		t.Fatalf("range marked %d, want %d", got, news)
	}
	auditBefore, _ := h.st.PendingAudit(ctx, 0)
	h.keys("c")
	if !strings.Contains(h.view(), "Claim "+strconv.Itoa(news)+" complaint(s)?") {
		t.Fatalf("confirmation does not name the count:\n%s", h.view())
	}
	h.keys("<enter>")
	v := h.view()
	if !strings.Contains(v, "Claim: "+strconv.Itoa(news)+" complaint(s) queued") {
		t.Fatalf("no summary:\n%s", v)
	}
	out, err := h.st.PendingActions(ctx, 0)
	if err != nil || len(out) != news {
		t.Fatalf("outbox %d (%v), want %d", len(out), err, news)
	}
	seen := map[string]bool{}
	for _, e := range out {
		if e.Action.Type != complaint.ActionClaim || seen[e.Reference] || seen[e.Key] {
			t.Fatalf("outbox row %+v (duplicate or wrong type)", e)
		}
		seen[e.Reference], seen[e.Key] = true, true
	}
	auditAfter, _ := h.st.PendingAudit(ctx, 0)
	if len(auditAfter)-len(auditBefore) < news {
		t.Fatalf("audit events %d → %d for %d claims", len(auditBefore), len(auditAfter), news)
	}
	if h.queue().bulk.count() != 0 {
		t.Fatal("marks kept after the bulk claim")
	}
	h.keys("<esc>")
	if _, isDialog := h.app.Top().(*bulkConfirmModel); isDialog {
		t.Fatal("summary not closed by esc")
	}
}

// TestBulkReleaseRefusedLocally: releasing a mixed set queues the ones this
// officer holds and reports the others refused with the reason, without
// queueing them.
func TestBulkReleaseRefusedLocally(t *testing.T) {
	h := newHarness(t, storetest.Records(40, 5), "en", 120, 30)
	ctx := context.Background()
	// Claim two new complaints first, one by one, then go to All.
	h.keys("cc")
	h.keys("5") // All tab
	all := h.queue().counts[TabAll]
	held := h.queue().counts[TabMine]
	h.keys("gv")
	h.keys("G")
	h.keys("v")
	if got := h.queue().bulk.count(); got != all {
		t.Fatalf("marked %d of %d", got, all)
	}
	before, _ := h.st.PendingActions(ctx, 0)
	h.keys("u")
	if !strings.Contains(h.view(), "Release "+strconv.Itoa(all)+" complaint(s)?") {
		t.Fatalf("no release confirmation:\n%s", h.view())
	}
	h.keys("<esc>")
	if _, isDialog := h.app.Top().(*bulkConfirmModel); isDialog || h.queue().bulk.count() != all {
		t.Fatal("esc did not cancel the confirmation (or dropped the marks)")
	}
	h.keys("u<enter>")
	after, _ := h.st.PendingActions(ctx, 0)
	released := 0
	for _, e := range after[len(before):] {
		if e.Action.Type == complaint.ActionRelease {
			released++
		}
	}
	if len(before) != 2 || held < 2 {
		t.Fatalf("setup: %d queued claims, %d held", len(before), held)
	}
	if released != held {
		t.Fatalf("released %d, held %d", released, held)
	}
	v := h.view()
	if !strings.Contains(v, "refused locally") || !strings.Contains(v, "✗ ") {
		t.Fatalf("summary does not show refusals:\n%s", v)
	}
}

// TestBulkClaimOfflineThenSync is the acceptance test: 50 complaints
// claimed in one step while the portal is unreachable, then sync (with the
// first answers cut after the portal committed them): every claim reaches
// the portal exactly once, as its history shows.
func TestBulkClaimOfflineThenSync(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-stack test")
	}
	dir := t.TempDir()
	srv, err := portal.Open(filepath.Join(dir, "portal.db"), portal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ctx := context.Background()
	if _, err := demodata.Seed(ctx, srv, "5275", 80, 11); err != nil {
		t.Fatal(err)
	}
	token, officer, err := srv.AddOfficer("5275", "Inspecteur Lambert")
	if err != nil {
		t.Fatal(err)
	}
	zone, _ := srv.Router().Zone("5275")
	var down atomic.Bool
	var cutAfterCommit atomic.Int32 // action answers to lose after the portal committed them
	h := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cut := func() {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		if down.Load() {
			cut()
			return
		}
		if strings.HasSuffix(r.URL.Path, "/actions") && cutAfterCommit.Load() > 0 {
			cutAfterCommit.Add(-1)
			h.ServeHTTP(httptest.NewRecorder(), r) // the portal commits
			cut()                                  // the answer is lost
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)

	st, err := store.Open(filepath.Join(dir, "cache", "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	eng, err := gsync.New(gsync.Options{Server: hs.URL, Token: token, Lang: "en"}, st)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Hello(ctx); err != nil {
		t.Fatal(err)
	}
	if err := eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}

	down.Store(true) // offline from here
	src := NewStoreSource(st, officer, "en", nil)
	a := New(Options{Source: src, Sync: EngineSyncer{E: eng, Lang: "en"}, Lang: "en", Officer: officer, Zone: zone})
	a.c.Tick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd { return nil }
	hh := &harness{t: t, app: a, st: st, src: src}
	hh.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	hh.run(a.stack[0].Init()) // the queue only: no background subscription in this test
	hh.keys("v" + strings.Repeat("j", 49) + "v")
	if got := hh.queue().bulk.count(); got != 50 {
		t.Fatalf("marked %d, want 50", got)
	}
	hh.keys("c")
	if !strings.Contains(hh.view(), "Claim 50 complaint(s)?") {
		t.Fatalf("confirmation:\n%s", hh.view())
	}
	hh.keys("<enter>")
	if !strings.Contains(hh.view(), "Claim: 50 complaint(s) queued") {
		t.Fatalf("summary:\n%s", hh.view())
	}
	// Offline: a sync attempt fails and keeps all 50 queued.
	if err := eng.SyncOnce(ctx); err == nil {
		t.Fatal("sync succeeded while the portal was down")
	}
	out, _ := st.PendingActions(ctx, 0)
	if len(out) != 50 {
		t.Fatalf("outbox %d after failed sync, want 50", len(out))
	}
	refs := make([]string, len(out))
	for i, e := range out {
		refs[i] = e.Reference
	}

	down.Store(false)
	cutAfterCommit.Store(3)
	for i := 0; i < 10; i++ {
		if err := eng.SyncOnce(ctx); err == nil {
			if p, _ := st.PendingActions(ctx, 0); len(p) == 0 {
				break
			}
		}
	}
	if p, _ := st.PendingActions(ctx, 0); len(p) != 0 {
		t.Fatalf("outbox still holds %d", len(p))
	}
	for _, ref := range refs {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+"/v1/zones/5275/complaints/"+ref, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var rec complaint.Record
		err = json.NewDecoder(resp.Body).Decode(&rec)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		claims := 0
		for _, c := range rec.History {
			if c.Action == string(complaint.ActionClaim) {
				claims++
				if c.By == nil || c.By.ID != officer.ID {
					t.Fatalf("%s claimed by %+v", ref, c.By)
				}
			}
		}
		if claims != 1 || rec.Status != complaint.StatusClaimed || rec.ClaimedBy == nil || rec.ClaimedBy.ID != officer.ID {
			t.Fatalf("%s on the portal: status %s, %d claim(s) in history %+v", ref, rec.Status, claims, rec.History)
		}
	}
	if e := eng.State(); e.Conflicts != 0 {
		t.Fatalf("%d conflicts", e.Conflicts)
	}
}

// TestStatsKeyOpensStatistics: s on the queue pushes the statistics screen
// over the same cache, esc comes back to the queue.
func TestStatsKeyOpensStatistics(t *testing.T) {
	h := newHarness(t, storetest.Records(50, 6), "en", 120, 40)
	h.keys("s")
	if _, ok := h.app.Top().(*statsModel); !ok {
		t.Fatalf("top is %T after s", h.app.Top())
	}
	if v := h.view(); !strings.Contains(v, "Complaints per week and fact type") {
		t.Fatalf("statistics not drawn:\n%s", v)
	}
	h.keys("<esc>")
	if _, ok := h.app.Top().(*queueModel); !ok {
		t.Fatalf("top is %T after esc", h.app.Top())
	}
}
