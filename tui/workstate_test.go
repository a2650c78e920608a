package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet/i18n"
	"guichet/lock"
	"guichet/store/storetest"
)

// TestTabAndSortRememberedAcrossRestarts: the tab, the sort and the date
// display chosen in one session are those of the next, from a 0600 file.
func TestTabAndSortRememberedAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet", "state.json")
	recs := storetest.Records(60, 1)
	opt := func(o *Options) { o.StatePath = path }
	h := newHarnessWith(t, recs, "fr", 100, 24, opt)
	h.keys("4ooOD") // Done tab, sorted by type, ascending… reversed, dates
	q := h.queue()
	tab, sort, desc := q.tab, q.sort, q.desc
	if tab != TabDone || sort != ColType || !q.absDates {
		t.Fatalf("first session: tab %d sort %d dates %v", tab, sort, q.absDates)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no state file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %o", fi.Mode().Perm())
	}
	h2 := newHarnessWith(t, recs, "fr", 100, 24, opt)
	q2 := h2.queue()
	if q2.tab != tab || q2.sort != sort || q2.desc != desc || !q2.absDates {
		t.Fatalf("restart: tab %d sort %d desc %v dates %v; want %d %d %v true", q2.tab, q2.sort, q2.desc, q2.absDates, tab, sort, desc)
	}
	if q2.total != q2.counts[TabDone] || len(q2.rows) == 0 || q2.rows[0].Status == "new" {
		t.Fatalf("restart: the Done tab's rows are not shown")
	}
	// A damaged file: the defaults, no error.
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if q3 := newHarnessWith(t, recs, "fr", 100, 24, opt).queue(); q3.tab != TabNew || q3.sort != ColReceived {
		t.Fatalf("damaged file: tab %d sort %d", q3.tab, q3.sort)
	}
}

// TestReceivedAsDate: D shows the received column as a date and time in
// the officer's language instead of "29 d ago".
func TestReceivedAsDate(t *testing.T) {
	recs := storetest.Records(30, 1)
	h := newHarness(t, recs, "de", 80, 24)
	r := h.queue().rows[0]
	if v := h.view(); !strings.Contains(v, relTime("de", r.ReceivedAt, testNow)) {
		t.Fatalf("relative time not shown:\n%s", v)
	}
	h.keys("D")
	want := fmtShortDateTime("de", r.ReceivedAt, h.app.c.loc())
	if v := h.view(); !strings.Contains(v, want) {
		t.Fatalf("after D, %q not shown:\n%s", want, v)
	}
}

// TestJumpToReference: `:` then a reference in lower case opens that
// complaint, from another tab; an unknown one says so and stays.
func TestJumpToReference(t *testing.T) {
	recs := storetest.Records(60, 1)
	h := newHarness(t, recs, "en", 100, 24)
	var target string
	for _, r := range recs {
		if r.Status != "new" {
			target = r.Reference
			break
		}
	}
	h.keys(":" + strings.ToLower(target) + "<enter>")
	d, ok := h.app.Top().(*detailModel)
	if !ok || d.ref != target {
		t.Fatalf("top is %T, want the detail of %s", h.app.Top(), target)
	}
	h.keys("<esc>:5275-2026-999999<enter>")
	if _, ok := h.app.Top().(*queueModel); !ok {
		t.Fatalf("an unknown reference opened %T", h.app.Top())
	}
	if !strings.Contains(h.app.status, "5275-2026-999999") {
		t.Fatalf("status %q does not name the unknown reference", h.app.status)
	}
}

// TestLockNowKey: L locks the session at once; without a lock it says so.
func TestLockNowKey(t *testing.T) {
	h := newHarness(t, storetest.Records(10, 1), "fr", 80, 24)
	h.keys("L")
	if h.app.status != i18n.For("fr").TUI.Status.Nolock {
		t.Fatalf("without a lock: %q", h.app.status)
	}
}

// TestLockNowHidesTheDetail: L on a complaint's detail locks at once,
// before any idle time, and nothing of the complaint stays on screen.
func TestLockNowHidesTheDetail(t *testing.T) {
	recs := storetest.Records(40, 7)
	lk, err := lock.NewDemo("")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := lockHarness(t, recs, lk, time.Hour)
	h.keys("<enter>")
	if _, ok := h.app.Top().(*detailModel); !ok {
		t.Fatalf("top %T", h.app.Top())
	}
	h.keys("L")
	if !h.app.Locked() {
		t.Fatal("L did not lock the session")
	}
	assertNoPersonalData(t, h.view(), recs)
}
