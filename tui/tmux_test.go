package tui

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmuxDemo builds the real guichet binary, starts `guichet --demo` in a
// detached 80×24 tmux session with env, and returns a capture function
// (args added to capture-pane, e.g. "-e") and a send-keys function.
func tmuxDemo(t *testing.T, env string) (capture func(args ...string) string, send func(keys ...string)) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed: the capture-pane checks of the real binary are skipped")
	}
	dir := t.TempDir()
	bin := filepath.Join(t.TempDir(), "guichet")
	if out, err := exec.Command("go", "build", "-o", bin, "guichet/cmd/guichet").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	// The server's name is unique on the machine, not only in this run:
	// the test's temporary folder (TestName123456789/001) exists once. Its
	// last part alone (001) was the same in every concurrent `go test`,
	// which then shared, refused ("duplicate session") and killed each
	// other's tmux server.
	name := "guichet-" + filepath.Base(filepath.Dir(dir)) + "-" + filepath.Base(dir)
	cmd := "env " + env + " XDG_CONFIG_HOME=" + dir + " XDG_DATA_HOME=" + dir + " GUICHET_LANG=en " + bin + " --demo; sleep 60"
	if out, err := exec.Command(tmux, "-L", name, "new-session", "-d", "-s", name, "-x", "80", "-y", "24", cmd).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(tmux, "-L", name, "kill-server").Run() })
	capture = func(args ...string) string {
		out, _ := exec.Command(tmux, append([]string{"-L", name, "capture-pane", "-p", "-t", name}, args...)...).Output()
		return string(out)
	}
	send = func(keys ...string) {
		_ = exec.Command(tmux, append([]string{"-L", name, "send-keys", "-t", name}, keys...)...).Run()
	}
	return capture, send
}

var demoRef = regexp.MustCompile(`\b2026-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)

// waitScreen captures until cond holds (until shortly before the test's
// deadline: no fixed time a loaded machine exceeds).
func waitScreen(t *testing.T, what string, capture func(args ...string) string, cond func(string) bool, args ...string) string {
	t.Helper()
	var s string
	for end := time.Now().Add(patience(t)); ; time.Sleep(100 * time.Millisecond) {
		s = capture(args...)
		if cond(s) {
			return s
		}
		if time.Now().After(end) {
			t.Fatalf("%s never showed:\n%s", what, s)
		}
	}
}

// selectedRef is the reference on the line marked "›" (only one may be).
func selectedRef(t *testing.T, screen string) string {
	t.Helper()
	var refs []string
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " "), "› ") {
			if r := demoRef.FindString(l); r != "" {
				refs = append(refs, r)
			}
		}
	}
	if len(refs) != 1 {
		t.Fatalf("want one row marked ›, got %v:\n%s", refs, screen)
	}
	return refs[0]
}

// TestNoColourSelectedRowInTmux: with NO_COLOR=1 the selected row of the
// real program is still identifiable in plain capture-pane text, and the
// marker follows the cursor.
func TestNoColourSelectedRowInTmux(t *testing.T) {
	capture, send := tmuxDemo(t, "NO_COLOR=1")
	screen := waitScreen(t, "the queue", capture, func(s string) bool { return len(demoRef.FindAllString(s, -1)) >= 5 })
	first := selectedRef(t, screen)
	send("j")
	screen = waitScreen(t, "the moved cursor", capture, func(s string) bool {
		return strings.Contains(s, "› ") && !strings.Contains(s, "› "+first)
	})
	if second := selectedRef(t, screen); second == first {
		t.Errorf("the › marker did not move from %s", first)
	}
	if styled := capture("-e"); sgr.MatchString(strings.ReplaceAll(styled, "\x1b[0m", "")) || strings.Contains(styled, "\x1b[7m") {
		t.Errorf("NO_COLOR screen has colour or reverse video:\n%q", styled)
	}
}

// TestAccessibleInTmux: the real program with ACCESSIBLE=1 draws no box
// drawing and no colour or attribute (capture-pane -e shows attributes as
// SGR sequences), lists one complaint per line, and announces a claim.
func TestAccessibleInTmux(t *testing.T) {
	capture, send := tmuxDemo(t, "ACCESSIBLE=1")
	screen := waitScreen(t, "the accessible queue", capture, func(s string) bool {
		return regexp.MustCompile(`(?m)^› 2026-[0-9A-Z]{4}-[0-9A-Z]{4}, new, `).MatchString(s)
	})
	ref := selectedRef(t, screen)
	send("c")
	waitScreen(t, "the claim announcement", capture, func(s string) bool {
		return strings.Contains(s, "Complaint "+ref+" claimed, waiting for the portal.") ||
			strings.Contains(s, "Complaint "+ref+": claimed.")
	})
	send("Enter")
	waitScreen(t, "the accessible detail", capture, func(s string) bool { return strings.Contains(s, " opened: ") })
	styled := capture("-e")
	for _, r := range styled {
		if isBoxDrawing(r) {
			t.Errorf("box drawing %q on the accessible screen:\n%s", r, styled)
			break
		}
	}
	// tmux ends styled lines with a reset; anything else is an attribute.
	if m := sgr.FindAllString(strings.ReplaceAll(styled, "\x1b[0m", ""), 5); len(m) > 0 {
		t.Errorf("attributes on the accessible screen: %q\n%q", m, styled)
	}
}
