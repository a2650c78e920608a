package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/clip/cliptest"
)

// The clipboard matrix on the real binary: `guichet --demo` in private tmux
// servers started with no configuration file (tmux's defaults), one option
// changed per case. A second private tmux server plays the officer's
// terminal emulator: the server under test is attached from inside it, and
// it takes OSC 52 (set-clipboard on), so what reaches "the terminal's
// clipboard" is its newest buffer and can be checked. Each case copies the
// first field with its key, checks where the value is and what the status
// line says, waits for the clear (clipboard_clear = 5s) and checks again.

// clipTmux is one private tmux server.
type clipTmux struct {
	t    *testing.T
	sock string
}

func newClipTmux(t *testing.T, w, h int, cmd string) clipTmux {
	t.Helper()
	// Not t.TempDir: a subtest's name may hold a comma, which would end
	// the socket path in $TMUX.
	dir, err := os.MkdirTemp("", "gclip")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := clipTmux{t: t, sock: filepath.Join(dir, "s")}
	s.must("-f", "/dev/null", "new-session", "-d", "-s", "s", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), cmd)
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	return s
}

func (s clipTmux) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	return string(out), err
}

func (s clipTmux) must(args ...string) string {
	s.t.Helper()
	out, err := s.run(args...)
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return out
}

// buffer is a named buffer, or the newest automatic one for "".
func (s clipTmux) buffer(name string) (string, bool) {
	args := []string{"show-buffer"}
	if name != "" {
		args = append(args, "-b", name)
	}
	out, err := s.run(args...)
	return out, err == nil
}

func (s clipTmux) screen() string {
	out, _ := s.run("capture-pane", "-p", "-t", "s")
	return out
}

func (s clipTmux) wait(what string, cond func(string) bool) string {
	s.t.Helper()
	var scr string
	for end := time.Now().Add(40 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if scr = s.screen(); cond(scr) {
			return scr
		}
		if time.Now().After(end) {
			s.t.Fatalf("%s never showed:\n%s", what, scr)
		}
	}
}

// firstField is the value shown for field 1 of the detail.
var firstField = regexp.MustCompile(`(?m)^› W Type of facts +(\S.*?)\s*$`)

func TestClipboardMatrixInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the clipboard matrix is not exercised (.ci/run installs it)")
	}
	bin := filepath.Join(t.TempDir(), "guichet")
	if out, err := exec.Command("go", "build", "-o", bin, "guichet/cmd/guichet").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const (
		partialKept = "tmux buffer cleared; terminal keeps it — tmux set -g allow-passthrough on"
	)
	tests := []struct {
		name     string
		set      [][]string // options of the tmux server guichet runs in
		noTmux   bool       // guichet runs in the terminal directly
		detached bool       // no terminal attached to the session
		x11      bool       // a desktop clipboard (Xvfb + xclip)

		status   string // the status line after the copy
		buffer   bool   // the value is in tmux buffer "guichet"
		terminal bool   // the value reached the terminal's clipboard
		cleared  string // the status line after the clear
	}{
		{name: "tmux defaults", buffer: true, terminal: true,
			status:  "Copied Type of facts (tmux + terminal; buffer clears in 5 s)",
			cleared: partialKept},
		{name: "tmux defaults, detached", detached: true, buffer: true,
			status:  `Not on the clipboard: tmux buffer "guichet" only (no terminal attached)`,
			cleared: "Clipboard cleared (Type of facts)"},
		{name: "set-clipboard on", set: [][]string{{"set-clipboard", "on"}}, buffer: true, terminal: true,
			status:  "Copied Type of facts (tmux + terminal; buffer clears in 5 s)",
			cleared: partialKept},
		{name: "set-clipboard off", set: [][]string{{"set-clipboard", "off"}}, buffer: true,
			status:  "Not on the clipboard, tmux buffer only — tmux set -g set-clipboard external",
			cleared: "Clipboard cleared (Type of facts)"},
		{name: "allow-passthrough on", set: [][]string{{"allow-passthrough", "on"}}, buffer: true, terminal: true,
			status:  "Copied Type of facts (tmux + terminal, clears in 5 s)",
			cleared: "tmux buffer cleared; terminal asked to clear (cannot be checked)"},
		{name: "no tmux, OSC 52", noTmux: true, terminal: true,
			status:  "Copied Type of facts (OSC 52; clear asked in 5 s)",
			cleared: "Asked the terminal to clear its clipboard (cannot be checked)"},
		{name: "desktop clipboard in tmux", x11: true,
			status:  "Copied Type of facts (system clipboard, clears in 5 s)",
			cleared: "Clipboard cleared (Type of facts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			env := "env -u DISPLAY -u WAYLAND_DISPLAY -u SSH_TTY -u SSH_CONNECTION -u STY" +
				" HOME=" + dir + " XDG_CONFIG_HOME=" + dir + " XDG_DATA_HOME=" + dir +
				" GUICHET_LANG=en GUICHET_CLIPBOARD_CLEAR=5s"
			display := ""
			if tt.x11 {
				display = cliptest.StartXvfb(t)
				if _, err := exec.LookPath("xclip"); err != nil {
					t.Skip("xclip is not installed: the desktop clipboard is not exercised (.ci/run installs it)")
				}
				env += " DISPLAY=" + display
			}
			if tt.noTmux {
				env = strings.Replace(env, "env ", "env -u TMUX -u TMUX_PANE ", 1)
			}
			run := env + " " + bin + " --demo; sleep 600"
			// The terminal: a tmux server that takes OSC 52 into its buffers.
			var term, app clipTmux
			switch {
			case tt.noTmux:
				term = newClipTmux(t, 80, 24, "sleep 1; "+run)
				term.must("set", "-g", "set-clipboard", "on")
				app = term
			case tt.detached:
				app = newClipTmux(t, 80, 24, run)
			default:
				app = newClipTmux(t, 80, 24, run)
				term = newClipTmux(t, 80, 25, "env -u TMUX TERM=xterm-256color tmux -S "+app.sock+" attach -t s")
				term.must("set", "-g", "set-clipboard", "on")
				waitUntil(t, "the terminal attached", func() bool { l, _ := app.run("list-clients"); return strings.TrimSpace(l) != "" })
			}
			for _, o := range tt.set {
				app.must("set", "-g", o[0], o[1])
			}
			app.wait("the queue", func(s string) bool { return len(demoRef.FindAllString(s, -1)) >= 5 })
			app.must("send-keys", "-t", "s", "Enter")
			scr := app.wait("the detail", firstField.MatchString)
			value := firstField.FindStringSubmatch(scr)[1]
			app.must("send-keys", "-t", "s", "W") // the fact type's copy key (field_keys.go)
			app.wait("the copy status", func(s string) bool { return strings.Contains(s, tt.status) })

			b, ok := app.buffer("guichet")
			if tt.noTmux {
				ok = false // the terminal's own buffers are checked below
			}
			if ok != tt.buffer || (ok && b != value) {
				t.Errorf("tmux buffer guichet = %q, %v; want %v with %q", b, ok, tt.buffer, value)
			}
			if term.sock != "" {
				if tt.terminal {
					waitUntil(t, "the terminal's clipboard", func() bool { b, _ := term.buffer(""); return b == value })
				} else if b, ok := term.buffer(""); ok {
					t.Errorf("the terminal's clipboard got %q", b)
				}
			}
			if tt.x11 {
				if got := xclipOut(t, display); got != value {
					t.Errorf("desktop clipboard = %q, want %q", got, value)
				}
			}

			scr = app.wait("the clear status", func(s string) bool { return strings.Contains(s, tt.cleared) })
			if strings.Contains(scr, "Clipboard cleared") && tt.cleared != "Clipboard cleared (Type of facts)" {
				t.Errorf("announces a clear that did not happen:\n%s", scr)
			}
			if b, ok := app.buffer("guichet"); ok && !tt.noTmux {
				t.Errorf("tmux buffer guichet still holds %q after the clear", b)
			}
			if tt.x11 {
				if got := xclipOut(t, display); got != "" {
					t.Errorf("desktop clipboard after the clear = %q", got)
				}
			}
		})
	}
}

// TestCopyFormatInTmux: the configuration's copy_format.date reaches the
// real program: by default the detail marks a date "[copied as ISO]" and
// the copy is ISO; with GUICHET_COPY_FORMAT_DATE=display the mark is gone
// and the copy is what the detail shows.
func TestCopyFormatInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the copy format is not checked on the real program (.ci/run installs it)")
	}
	bin := filepath.Join(t.TempDir(), "guichet")
	if out, err := exec.Command("go", "build", "-o", bin, "guichet/cmd/guichet").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	started := regexp.MustCompile(`(?m)^  E Facts started +(\S.*?)\s*$`)
	iso := regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{2}:\d{2}$`)
	for _, tt := range []struct {
		format string // GUICHET_COPY_FORMAT_DATE
		mark   bool
	}{{"", true}, {"display", false}} {
		t.Run("date="+tt.format, func(t *testing.T) {
			dir := t.TempDir()
			app := newClipTmux(t, 80, 24, "env -u DISPLAY -u WAYLAND_DISPLAY HOME="+dir+" XDG_CONFIG_HOME="+dir+" XDG_DATA_HOME="+dir+
				" GUICHET_LANG=en GUICHET_COPY_FORMAT_DATE="+tt.format+" "+bin+" --demo; sleep 600")
			app.wait("the queue", func(s string) bool { return len(demoRef.FindAllString(s, -1)) >= 5 })
			app.must("send-keys", "-t", "s", "Enter")
			shown := started.FindStringSubmatch(app.wait("the detail", started.MatchString))[1]
			if got := strings.Contains(shown, "[copied as ISO]"); got != tt.mark {
				t.Fatalf("date shown %q: copy mark %v, want %v", shown, got, tt.mark)
			}
			app.must("send-keys", "-t", "s", "E") // the start of the facts' copy key
			app.wait("the copy status", func(s string) bool { return strings.Contains(s, "tmux buffer") })
			b, _ := app.buffer("guichet")
			if tt.mark && !iso.MatchString(b) {
				t.Errorf("copied %q, want an ISO date", b)
			}
			if !tt.mark && b != shown {
				t.Errorf("copied %q, want what is shown: %q", b, shown)
			}
		})
	}
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: condition not reached", what)
		}
	}
}

// xclipOut reads the desktop clipboard of display.
func xclipOut(t *testing.T, display string) string {
	t.Helper()
	cmd := exec.Command("xclip", "-o", "-selection", "clipboard")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		return "" // no owner: empty
	}
	return string(out)
}
