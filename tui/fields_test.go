package tui

import (
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/clip"
	"guichet/complaint"
	"guichet/store/storetest"
)

// TestCopyFormats: what the detail shows beside a value says what copying
// it gives, the copy follows copy_format, the national number is offered
// with and without separators, the country by name (ISLP's form) and by
// code, and the complainant's language is shown.
func TestCopyFormats(t *testing.T) {
	recs := storetest.Records(20, 2)
	tests := []struct {
		name   string
		lang   string
		format CopyFormat
		field  string // key of the field copied
		copied func(r complaint.Record) string
		shown  string // on the field's line
	}{
		{"date copied ISO by default, and said so", "en", CopyFormat{}, "received_at",
			func(r complaint.Record) string {
				return r.ReceivedAt.In(brusselsLoc(t)).Format("2006-01-02 15:04 -07:00")
			},
			"[copied as ISO]"},
		{"date copied as shown", "fr", CopyFormat{DateAsShown: true}, "received_at",
			func(r complaint.Record) string { return r.ReceivedAt.In(brusselsLoc(t)).Format("02/01/2006 15:04") }, ""},
		{"birth date copied ISO in de", "de", CopyFormat{}, "complainant.birth_date",
			func(r complaint.Record) string { return r.Submission.Complainant.BirthDate }, "[Kopie ISO]"},
		{"national number with separators", "en", CopyFormat{}, keyNationalNumber,
			func(r complaint.Record) string {
				n, _ := complaint.ParseNationalNumber(r.Submission.Complainant.Identification.NationalNumber)
				return n.String()
			}, ""},
		{"national number without separators", "nl", CopyFormat{}, keyNationalNumberDigits,
			func(r complaint.Record) string {
				n, _ := complaint.ParseNationalNumber(r.Submission.Complainant.Identification.NationalNumber)
				return n.Digits()
			}, "RRN, alleen cijfers"},
		{"country by name in fr", "fr", CopyFormat{}, keyCountry,
			func(complaint.Record) string { return "Belgique" }, "Pays"},
		{"country by name in nl", "nl", CopyFormat{}, keyCountry,
			func(complaint.Record) string { return "België" }, "Land"},
		{"country code", "de", CopyFormat{}, keyCountryCode,
			func(complaint.Record) string { return "BE" }, "Ländercode"},
		{"complainant's language", "fr", CopyFormat{}, keyLanguage,
			func(r complaint.Record) string {
				return map[string]string{"fr": "français", "nl": "néerlandais", "de": "allemand", "en": "anglais"}[r.Submission.Language]
			}, "Langue du plaignant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, recs, tt.lang, 120, 80)
			h.app.c.CopyFormat = tt.format
			ref := h.queue().SelectedRef()
			h.keys("<enter>")
			d := h.app.Top().(*detailModel)
			var rec complaint.Record
			for _, r := range recs {
				if r.Reference == ref {
					rec = r
				}
			}
			i := -1
			for j, f := range d.fields {
				if f.Key == tt.field {
					i = j
				}
			}
			if i < 0 {
				t.Fatalf("no field %s in the detail:\n%s", tt.field, h.view())
			}
			h.keys(d.labels[i])
			if got, want := h.clip.last(), tt.copied(rec); got != want || want == "" {
				t.Fatalf("copied %q, want %q", got, want)
			}
			line := ""
			for _, l := range strings.Split(h.view(), "\n") {
				if strings.Contains(l, "› "+d.labels[i]+" ") {
					line = l
				}
			}
			if line == "" || !strings.Contains(line, tt.shown) {
				t.Fatalf("field line %q does not show %q", line, tt.shown)
			}
			if tt.shown == "" && strings.Contains(line, "[") {
				t.Fatalf("field line %q has a copy note though the copy is what is shown", line)
			}
		})
	}
}

func brusselsLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestCopyAndClearStatus: the status line says where a copy went and, when
// its time is up, what the clear did — never "cleared" for a clear that
// could not be checked or did not reach everywhere; a clear superseded by
// a newer copy says nothing.
func TestCopyAndClearStatus(t *testing.T) {
	recs := storetest.Records(5, 2)
	tests := []struct {
		name    string
		clip    *fakeClip
		copied  string
		cleared string
	}{
		{"system", &fakeClip{}, "Copied Type of facts (system clipboard, clears in 30 s)", "Clipboard cleared (Type of facts)"},
		{"osc52", &fakeClip{method: clip.MethodOSC52, clear: &clip.ClearedResult{Outcome: clip.ClearRequested, Method: clip.MethodOSC52}},
			"Copied Type of facts (OSC 52; clear asked in 30 s)", "Asked the terminal to clear its clipboard (cannot be checked)"},
		{"tmux, terminal keeps it", &fakeClip{method: clip.MethodTmux, kept: true,
			clear: &clip.ClearedResult{Outcome: clip.TerminalKept, Method: clip.MethodTmux, Fix: clip.FixPassthrough}},
			"Copied Type of facts (tmux + terminal; buffer clears in 30 s)", "tmux buffer cleared; terminal keeps it — tmux set -g allow-passthrough on"},
		{"tmux buffer only", &fakeClip{method: clip.MethodTmuxBuffer, fix: clip.FixSetClipboard,
			clear: &clip.ClearedResult{Outcome: clip.Cleared, Method: clip.MethodTmuxBuffer}},
			"Not on the clipboard, tmux buffer only — tmux set -g set-clipboard external", "Clipboard cleared (Type of facts)"},
		{"left alone", &fakeClip{clear: &clip.ClearedResult{Outcome: clip.LeftAlone, Method: clip.MethodSystem}},
			"Copied Type of facts", "Clipboard left alone: it holds something else now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, recs, "en", 100, 30)
			fc := tt.clip
			h.app.c.Clip = fc
			var clears []tea.Cmd
			tick := h.app.c.Tick
			h.app.c.Tick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
				if d == h.app.c.ClearAfter {
					clears = append(clears, func() tea.Msg { return fn(time.Time{}) })
					return nil
				}
				return tick(d, fn)
			}
			h.keys("<enter>")
			d := h.app.Top().(*detailModel)
			h.keys(d.labels[0])
			if !strings.Contains(h.view(), tt.copied) {
				t.Fatalf("after the copy, want %q:\n%s", tt.copied, h.view())
			}
			if strings.Contains(h.view(), "Clipboard cleared") || len(clears) != 1 {
				t.Fatalf("%d clears scheduled; view:\n%s", len(clears), h.view())
			}
			h.run(clears[0])
			if !strings.Contains(h.view(), tt.cleared) {
				t.Fatalf("after the clear, want %q:\n%s", tt.cleared, h.view())
			}
			// A second copy supersedes the first: the first one's timer
			// firing late says nothing.
			h.keys(d.labels[0])
			status := h.app.status
			fc.clear = &clip.ClearedResult{Outcome: clip.NothingToClear}
			h.run(clears[0])
			if h.app.status != status {
				t.Fatalf("a superseded clear changed the status to %q", h.app.status)
			}
		})
	}
}

// TestCopyErrorInOfficerWords: when the clipboard route fails (here tmux
// named by $TMUX is not running), the status line says so in the officer's
// words and tmux's own message goes to the debug log, not to the screen.
func TestCopyErrorInOfficerWords(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed here")
	}
	dead := filepath.Join(t.TempDir(), "no-server")
	env := map[string]string{"TMUX": dead + ",1,0", "TMUX_PANE": "%0"}
	tests := []struct{ lang, want string }{
		{"fr", "tmux ne répond pas"},
		{"nl", "tmux antwoordt niet"},
		{"de", "tmux antwortet nicht"},
		{"en", "tmux does not answer"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t, storetest.Records(3, 2), tt.lang, 100, 30)
			h.app.c.Clip = clip.New(clip.Options{Env: func(k string) string { return env[k] }, Out: io.Discard, System: noDesktopClipboard{}})
			h.keys("<enter>")
			d := h.app.Top().(*detailModel)
			h.keys(d.labels[0])
			view := h.view()
			if !strings.Contains(view, tt.want) {
				t.Fatalf("want %q in the status line:\n%s", tt.want, view)
			}
			for _, raw := range []string{dead, "no server", "error connecting", "display-message", "exit status"} {
				if strings.Contains(view, raw) {
					t.Errorf("the screen shows tmux's raw error %q:\n%s", raw, view)
				}
			}
		})
	}
}

// noDesktopClipboard is a machine without a desktop clipboard tool.
type noDesktopClipboard struct{}

func (noDesktopClipboard) Available() bool          { return false }
func (noDesktopClipboard) WriteAll(string) error    { return clip.ErrNoClipboard }
func (noDesktopClipboard) ReadAll() (string, error) { return "", clip.ErrNoClipboard }
