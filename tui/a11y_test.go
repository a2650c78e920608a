package tui

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"guichet/i18n"
	"guichet/store/storetest"
)

// withColourProfile renders with a colour terminal profile for the test
// (the package pins Ascii), so colour and styling show in the frames.
func withColourProfile(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	lipgloss.SetHasDarkBackground(true)
	t.Cleanup(func() { lipgloss.SetColorProfile(termenv.Ascii) })
}

// themeFrames renders queue, detail and the forward dialog's second field.
func themeFrames(t *testing.T, theme string, accessible bool, w, hh int) map[string]string {
	h := newHarnessWith(t, storetest.Records(60, 3), "en", w, hh, func(o *Options) {
		o.Theme, o.Accessible = theme, accessible
	})
	h.keys("jj")
	out := map[string]string{"queue": h.view()}
	h.keys("<enter>j")
	out["detail"] = h.view()
	h.keys("cf<tab>") // the dialogs open on a complaint the officer holds
	out["forward"] = h.view()
	h.keys("<esc>?")
	out["help"] = h.view()
	h.keys("<esc>!")
	out["conflicts"] = h.view()
	h.keys("<esc>x")
	out["reject"] = h.view()
	h.keys("<esc><esc>")
	return out
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// TestThemeGoldens: each theme's screens with a colour terminal; without
// colour the selected row, the focused field and statuses are text.
func TestThemeGoldens(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	withColourProfile(t)
	for _, theme := range []string{"default", "high-contrast", "no-colour"} {
		frames := themeFrames(t, theme, false, 80, 24)
		for _, name := range []string{"queue", "detail", "forward"} {
			t.Run(theme+"_"+name, func(t *testing.T) {
				golden.RequireEqual(t, []byte(frames[name]))
			})
		}
		hasSGR := sgr.MatchString(frames["queue"])
		if hasSGR != (theme != "no-colour") {
			t.Errorf("%s: styled %v", theme, hasSGR)
		}
		if theme != "no-colour" {
			continue
		}
		for name, f := range frames {
			if strings.Contains(f, "\x1b") {
				t.Errorf("no-colour %s has an escape sequence: %q", name, f)
			}
		}
		if !regexp.MustCompile(`(?m)^› 5275-\d{4}-\d{6} .* new`).MatchString(frames["queue"]) {
			t.Errorf("no-colour queue: no selected row marked › with its status word:\n%s", frames["queue"])
		}
		if !regexp.MustCompile(`(?m)^› [0-9A-Za-z] \S`).MatchString(frames["detail"]) {
			t.Errorf("no-colour detail: focused field not marked:\n%s", frames["detail"])
		}
		if !strings.Contains(frames["forward"], "› "+i18n.For("en").TUI.Dialog.Reasonph) {
			t.Errorf("no-colour forward dialog: focused field not marked:\n%s", frames["forward"])
		}
	}
}

func isBoxDrawing(r rune) bool { return r >= 0x2500 && r <= 0x259F }

// TestAccessibleScreens: no colour and no box drawing even on a colour
// terminal, one complaint per line, one field per line, and every screen
// fits 60×20 as well as 80×24.
func TestAccessibleScreens(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	withColourProfile(t)
	for _, sz := range [][2]int{{80, 24}, {60, 20}} {
		frames := themeFrames(t, "default", true, sz[0], sz[1])
		for name, f := range frames {
			checkFrame(t, name, f, sz[0], sz[1])
			if strings.Contains(f, "\x1b") {
				t.Errorf("accessible %s at %v has an escape sequence: %q", name, sz, f)
			}
			for _, r := range f {
				if isBoxDrawing(r) {
					t.Errorf("accessible %s at %v has box drawing %q:\n%s", name, sz, r, f)
					break
				}
			}
			if sz[0] == 80 {
				t.Run(fmt.Sprintf("%s_%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
					golden.RequireEqual(t, []byte(f))
				})
			}
		}
		line := regexp.MustCompile(`(?m)^› 5275-\d{4}-\d{6}, new, [^,]+, [^,]+, rec`)
		if !line.MatchString(frames["queue"]) {
			t.Errorf("accessible queue at %v: no line like \"› REF, new, type, name, received …\":\n%s", sz, frames["queue"])
		}
		if !regexp.MustCompile(`(?m)^› [0-9A-Za-z] [^:]+: \S`).MatchString(frames["detail"]) {
			t.Errorf("accessible detail at %v: no \"› KEY Label: value\" line:\n%s", sz, frames["detail"])
		}
	}
}

// TestAccessibleAnnouncements: each state change is a sentence on the
// status line, which stays (no timer clears it).
func TestAccessibleAnnouncements(t *testing.T) {
	h := newHarnessWith(t, storetest.Records(30, 3), "en", 80, 24, func(o *Options) { o.Accessible = true })
	status := func() string { return h.app.status }
	if !regexp.MustCompile(`^Tab New: \d+ complaint\(s\)\.$`).MatchString(status()) {
		t.Errorf("start: %q", status())
	}
	ref := h.queue().SelectedRef()
	h.keys("c")
	if want := "Complaint " + ref + " claimed, waiting for the portal."; status() != want {
		t.Errorf("claim: %q, want %q", status(), want)
	}
	h.keys("2")
	if !regexp.MustCompile(`^Tab Mine: \d+ complaint\(s\)\.$`).MatchString(status()) {
		t.Errorf("tab: %q", status())
	}
	h.keys("<enter>")
	ref = h.app.Top().(*detailModel).ref
	if !strings.HasPrefix(status(), "Complaint "+ref+" opened: claimed, ") {
		t.Errorf("open: %q", status())
	}
	h.keys("u")
	if want := "Complaint " + ref + " new, waiting for the portal."; status() != want {
		t.Errorf("release: %q, want %q", status(), want)
	}
	h.keys("?")
	if status() != "Help. Press esc to go back." {
		t.Errorf("help: %q", status())
	}
	h.keys("<esc>ch")
	if want := "Handle complaint " + ref + ". Press enter to confirm, esc to cancel."; status() != want {
		t.Errorf("dialog: %q, want %q", status(), want)
	}
	h.keys("<esc><esc>")
	if !strings.HasPrefix(status(), "Tab Mine: ") {
		t.Errorf("back: %q", status())
	}
	// Sync state changes, in order (a closed channel: no wait for more).
	closed := make(chan SyncState)
	close(closed)
	h.send(syncStateMsg{ch: closed, state: SyncState{Syncing: true}})
	if !strings.HasPrefix(status(), "Tab Mine: ") {
		t.Errorf("a background sync replaced the last sentence: %q", status())
	}
	// As the r key does with a sync engine: "Syncing…" until that round ends.
	h.app.setStatus(h.app.c.M().Status.Syncing, 0)
	h.app.statusSync, h.app.syncWait = true, 1
	if strings.ContainsAny(h.app.statusBar(), "│⠁⠂⠄⡀⢀⠠⠐⠈") {
		t.Errorf("accessible status bar has box drawing or a spinner: %q", h.app.statusBar())
	}
	if !strings.Contains(h.app.statusBar(), "first sync…") {
		t.Errorf("accessible status bar does not say first sync…: %q", h.app.statusBar())
	}
	h.send(syncStateMsg{ch: closed, state: SyncState{Online: true, Pending: 2, LastSync: testNow}})
	if want := "Synced at " + testNow.Format("15:04") + " — nothing new. Sync finished: 2 pending, 0 conflict(s)."; status() != want {
		t.Errorf("synced: %q, want %q", status(), want)
	}
	h.send(syncStateMsg{ch: closed, state: SyncState{Online: false, Pending: 2, LastSync: testNow}})
	if status() != "Offline: actions stay pending." {
		t.Errorf("offline: %q", status())
	}
}

// csi matches one control sequence; osc one operating system command.
var (
	csi = regexp.MustCompile(`\x1b\[([?0-9;]*)([ -/]*)([@-~])`)
	osc = regexp.MustCompile(`\x1b\][^\x07\x1b]*(\x07|\x1b\\)`)
)

// badSequences lists the escape sequences of a program's raw output that
// are not cursor placement, erasing, or the screen modes a full-screen
// program sets (alternate screen, hidden cursor, bracketed paste, mouse).
func badSequences(out string) []string {
	var bad []string
	rest := osc.ReplaceAllStringFunc(out, func(s string) string { bad = append(bad, fmt.Sprintf("%q", s)); return "" })
	rest = csi.ReplaceAllStringFunc(rest, func(s string) string {
		m := csi.FindStringSubmatch(s)
		switch final := m[3]; {
		case strings.Contains("ABCDEFGHJKfdST", final):
		case (final == "h" || final == "l") && strings.HasPrefix(m[1], "?"):
		default:
			bad = append(bad, fmt.Sprintf("%q", s))
		}
		return ""
	})
	if strings.Contains(rest, "\x1b") {
		i := strings.Index(rest, "\x1b")
		bad = append(bad, fmt.Sprintf("%q", rest[i:min(i+8, len(rest))]))
	}
	return bad
}

// TestAccessibleProgramOutput runs the program (teatest) in the
// accessible mode on a colour terminal and checks the raw bytes: cursor
// moves and erases only, no SGR, no box drawing. The default theme,
// run the same way, does write SGR: the check can fail.
func TestAccessibleProgramOutput(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	withColourProfile(t)
	for _, accessible := range []bool{true, false} {
		h := newHarnessWith(t, storetest.Records(30, 3), "fr", 80, 24, func(o *Options) { o.Accessible = accessible })
		tm := teatest.NewTestModel(t, h.app, teatest.WithInitialTermSize(80, 24))
		ref := h.queue().SelectedRef()
		for _, k := range []string{"j", "k", "enter", "j", "?", "esc", "h", "esc", "esc", "2", "1", "q"} {
			tm.Send(a11yKey(k))
			time.Sleep(20 * time.Millisecond)
		}
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		out, _ := io.ReadAll(tm.FinalOutput(t))
		if !strings.Contains(string(out), ref) {
			t.Fatalf("accessible=%v: the queue was not drawn (%d bytes)", accessible, len(out))
		}
		bad := badSequences(string(out))
		if accessible {
			if len(bad) > 0 {
				t.Errorf("accessible output has %d sequences other than cursor and erase, e.g. %v", len(bad), bad[:min(5, len(bad))])
			}
			for _, r := range string(out) {
				if isBoxDrawing(r) {
					t.Errorf("accessible output has box drawing %q", r)
					break
				}
			}
		} else if len(bad) == 0 {
			t.Errorf("default theme output has no styling: the check would not catch colour")
		}
	}
}

// a11yKey is a key press by name ("enter", "esc") or character.
func a11yKey(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}
