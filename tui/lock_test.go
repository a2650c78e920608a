package tui

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/lock"
	"guichet/store/storetest"
)

// lockHarness is the app over a real cache with a session lock whose clock
// the test moves.
func lockHarness(t *testing.T, recs []complaint.Record, lk Locker, idle time.Duration) (*harness, *time.Time) {
	t.Helper()
	st := openStore(t, recs)
	src := NewStoreSource(st, testOfficer, "en", nil)
	src.now = func() time.Time { return testNow }
	clock := time.Now()
	a := New(Options{Source: src, Lang: "en", Officer: testOfficer, Zone: storetest.Zone,
		Now: func() time.Time { return testNow }, Loc: time.UTC, Lock: lk, IdleLock: idle})
	a.c.Tick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		if d <= filterDebounce {
			return func() tea.Msg { return fn(testNow) }
		}
		return nil // idle ticks are sent by the test
	}
	if a.sess != nil {
		a.sess.now = func() time.Time { return clock }
	}
	h := &harness{t: t, app: a, st: st, src: src}
	h.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	h.run(a.Init())
	return h, &clock
}

// idleFor moves the clock and fires the idle tick in force.
func (h *harness) idleFor(clock *time.Time, d time.Duration) {
	*clock = clock.Add(d)
	h.send(idleTickMsg{tag: h.app.sess.tag})
}

// personalData lists what must never be on a locked screen: references,
// names, national numbers and descriptions of the records.
func personalData(recs []complaint.Record) []string {
	var out []string
	for _, r := range recs {
		c := r.Complainant
		out = append(out, r.Reference, c.FirstName+" "+c.LastName, r.Facts.Description)
		if n := c.Identification.NationalNumber; n != "" {
			out = append(out, n)
		}
	}
	return out
}

func assertNoPersonalData(t *testing.T, screen string, recs []complaint.Record) {
	t.Helper()
	for _, s := range personalData(recs) {
		if s != "" && strings.Contains(screen, s) {
			t.Fatalf("locked screen shows %q:\n%s", s, screen)
		}
	}
}

func TestSessionLockHidesEverythingAfterIdle(t *testing.T) {
	recs := storetest.Records(40, 7)
	lk, err := lock.NewDemo("")
	if err != nil {
		t.Fatal(err)
	}
	h, clock := lockHarness(t, recs, lk, time.Minute)
	// Open a complaint: its description is on screen.
	h.keys("<enter>")
	d, ok := h.app.Top().(*detailModel)
	if !ok {
		t.Fatalf("top %T", h.app.Top())
	}
	var shown complaint.Record
	for _, r := range recs {
		if r.Reference == d.ref {
			shown = r
		}
	}
	first := strings.Fields(shown.Facts.Description)[0]
	if !strings.Contains(h.view(), shown.Reference) || !strings.Contains(h.view(), first) {
		t.Fatalf("detail not shown before the lock:\n%s", h.view())
	}
	// Activity keeps it open; a tick before the time re-arms.
	h.idleFor(clock, 40*time.Second)
	h.keys("j")
	h.idleFor(clock, 40*time.Second)
	if h.app.Locked() {
		t.Fatal("locked 40 s after a key with a 1 min idle time")
	}
	h.idleFor(clock, 21*time.Second)
	if !h.app.Locked() {
		t.Fatal("not locked after the idle time")
	}
	v := h.view()
	assertNoPersonalData(t, v, recs)
	if !strings.Contains(v, "Session locked. PIN:") || !strings.Contains(v, testOfficer.Name) || !strings.Contains(v, "Zone "+storetest.Zone.Code) {
		t.Fatalf("lock screen:\n%s", v)
	}
	// Keys do not reach the screens behind: y (copy) does nothing.
	h.keys("y")
	// Wrong PINs: the count goes down, the fifth locks out for 10 minutes.
	for i := 1; i <= lock.MaxFailures; i++ {
		h.keys("999999<enter>")
		v = h.view()
		if i < lock.MaxFailures && !strings.Contains(v, "Wrong PIN.") {
			t.Fatalf("attempt %d:\n%s", i, v)
		}
		assertNoPersonalData(t, v, recs)
	}
	if !strings.Contains(v, "Too many wrong PINs: locked until") {
		t.Fatalf("no lockout message:\n%s", v)
	}
	// Even the right PIN is refused during the lockout.
	h.keys(lock.DemoPIN + "<enter>")
	if !h.app.Locked() || !strings.Contains(h.view(), "locked until") {
		t.Fatal("right PIN accepted during the lockout")
	}
	*clock = clock.Add(lock.Lockout + time.Second)
	h.keys(lock.DemoPIN + "<enter>")
	if h.app.Locked() {
		t.Fatalf("right PIN after the lockout refused:\n%s", h.view())
	}
	if !strings.Contains(h.view(), shown.Reference) {
		t.Fatalf("the detail is not back after unlocking:\n%s", h.view())
	}
}

func TestSessionLockFirstRunSetsPIN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet", "pin")
	lk, err := lock.Open(path, lock.WithParams(lock.DemoParams))
	if err != nil {
		t.Fatal(err)
	}
	recs := storetest.Records(10, 8)
	h, _ := lockHarness(t, recs, lk, time.Minute)
	v := h.view()
	if !h.app.Locked() || !strings.Contains(v, "first use") || !strings.Contains(v, "Choose a PIN") {
		t.Fatalf("first run does not ask for a PIN:\n%s", v)
	}
	assertNoPersonalData(t, v, recs)
	for _, c := range []struct{ keys, want string }{
		{"12ab<enter>", "The PIN is digits only."},
		{"123456<enter>", "too easy"},
		{"583920<enter>", "Confirm the PIN:"},
		{"583921<enter>", "The two PINs differ."},
	} {
		h.keys(c.keys)
		if v := h.view(); !strings.Contains(v, c.want) {
			t.Fatalf("after %q want %q:\n%s", c.keys, c.want, v)
		}
		if strings.Contains(h.view(), "583920") {
			t.Fatal("the PIN is echoed")
		}
	}
	h.keys("583920<enter>583920<enter>")
	if h.app.Locked() || !lk.IsSet() {
		t.Fatalf("PIN not set (locked %v, set %v):\n%s", h.app.Locked(), lk.IsSet(), h.view())
	}
	again, err := lock.Open(path)
	if err != nil || !again.IsSet() {
		t.Fatalf("PIN not persisted: %v", err)
	}
}

// TestSessionLockWholeProgram runs the real program (teatest, real
// tea.Tick) with a short idle time: after it, the final screen has no
// name, reference or description, and nothing drawn after the lock does
// either.
func TestSessionLockWholeProgram(t *testing.T) {
	recs := storetest.Records(30, 9)
	st := openStore(t, recs)
	lk, err := lock.NewDemo("")
	if err != nil {
		t.Fatal(err)
	}
	src := NewStoreSource(st, testOfficer, "en", nil)
	app := New(Options{Source: src, Lang: "en", Officer: testOfficer, Zone: storetest.Zone, Loc: time.UTC,
		Lock: lk, IdleLock: time.Second, Notices: []string{lock.DemoMessage("en")}})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 30))
	var seen bytes.Buffer
	waitFor := func(what string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			seen.Write(b)
			return bytes.Contains(seen.Bytes(), []byte(what))
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("5 All 30")
	waitFor("the lock PIN is " + lock.DemoPIN)
	waitFor("Session locked. PIN:")
	before := seen.String()[:strings.Index(seen.String(), "Guichet — session locked")]
	if !strings.Contains(before, "Complainant") {
		t.Fatal("the queue was never drawn before the lock")
	}
	// What was written from the lock frame on.
	out := seen.String()[len(before):]
	assertNoPersonalData(t, out, recs)
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
	assertNoPersonalData(t, final, recs)
}

// A workstation started during a lockout says so at once, before any PIN
// is typed; one whose screen was locked when it ended starts locked.
func TestLockoutAndLockedScreenShownAtStart(t *testing.T) {
	recs := storetest.Records(5, 3)
	path := filepath.Join(t.TempDir(), "guichet", "pin")
	lk, err := lock.Open(path, lock.WithParams(lock.DemoParams))
	if err != nil {
		t.Fatal(err)
	}
	if err := lk.Set(lock.DemoPIN); err != nil {
		t.Fatal(err)
	}
	if err := lk.MarkSessionLocked(); err != nil {
		t.Fatal(err)
	}
	h, _ := lockHarness(t, recs, lk, time.Minute)
	if !h.app.Locked() || !strings.Contains(h.view(), "Session locked. PIN:") || strings.Contains(h.view(), "locked until") {
		t.Fatalf("a screen locked when the program ended starts unlocked:\n%s", h.view())
	}
	assertNoPersonalData(t, h.view(), recs)
	now := time.Now()
	for i := 0; i < lock.MaxFailures; i++ {
		if _, _, err := lk.Verify("999999", now); err != nil {
			t.Fatal(err)
		}
	}
	until := lk.LockedUntil(now)
	if until.IsZero() {
		t.Fatal("no lockout")
	}
	reopened, err := lock.Open(path, lock.WithParams(lock.DemoParams))
	if err != nil {
		t.Fatal(err)
	}
	h, _ = lockHarness(t, recs, reopened, time.Minute)
	want := "locked until " + until.UTC().Format("15:04")
	if !h.app.Locked() || !strings.Contains(h.view(), want) {
		t.Fatalf("restart during the lockout does not say %q at once:\n%s", want, h.view())
	}
}

// TestNoticesFitTheWidth: the first screen's notices (the demo's PIN and
// the address of its citizen form) are shown together when they fit the
// status line, else the last one whole: an address cut to "http://12…"
// cannot be typed into a browser.
func TestNoticesFitTheWidth(t *testing.T) {
	st := openStore(t, storetest.Records(5, 9))
	pin := lock.DemoMessage("fr")
	form := i18n.For("fr").CLI.Messages.DemoForm.F("http://127.0.0.1:43123/")
	for _, tc := range []struct {
		width int
		want  string
	}{
		{80, form},
		{200, pin + " · " + form},
	} {
		if tc.width == 80 && lipgloss.Width(pin+" · "+form) <= 80 {
			t.Fatal("the two notices fit in 80 columns: the test proves nothing")
		}
		app := New(Options{Source: NewStoreSource(st, testOfficer, "fr", nil), Lang: "fr", Officer: testOfficer,
			Zone: storetest.Zone, Loc: time.UTC, Notices: []string{pin, form}})
		m, _ := app.Update(tea.WindowSizeMsg{Width: tc.width, Height: 24})
		if view := m.View(); !strings.Contains(view, tc.want) {
			t.Errorf("at %d columns the screen lacks %q:\n%s", tc.width, tc.want, view)
		}
	}
}
