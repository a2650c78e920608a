package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestActionsInTmux drives the real binary in tmux (default
// configuration, 80×24, a fresh HOME, a real portal): an action the rules
// refuse says why at once, the forward search finds a zone by another
// language's name and the confirmation names it, Enter on an empty search
// does nothing; with the portal down the status bar says so in words and
// quitting with a queued action asks first.
func TestActionsInTmux(t *testing.T) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed: the capture-pane checks of the real binary are skipped")
	}
	bin := guichetBinary(t)
	d := newDesk(t, 12)
	o := d.officer("Inspecteur Dupont")
	o.must("sync")
	home := t.TempDir()
	cfgDir := configWithDemoPIN(t, home)
	name := "guichet-actions-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	t.Cleanup(func() { _ = exec.Command(tmux, "-L", name, "kill-server").Run() })
	cmd := "env HOME=" + home + " XDG_CONFIG_HOME=" + cfgDir + " XDG_DATA_HOME=" + os.Getenv("XDG_DATA_HOME") +
		" GUICHET_SERVER=" + d.srv.URL + " GUICHET_TOKEN=" + o.token + " GUICHET_LANG=en GUICHET_IDLE_LOCK=10m " +
		bin + "; echo GUICHET-ENDED; sleep 60"
	if out, err := exec.Command(tmux, "-L", name, "new-session", "-d", "-s", name, "-x", "80", "-y", "24", cmd).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	capture := func() string {
		out, _ := exec.Command(tmux, "-L", name, "capture-pane", "-p", "-t", name).Output()
		return string(out)
	}
	send := func(keys ...string) {
		_ = exec.Command(tmux, append([]string{"-L", name, "send-keys", "-t", name}, keys...)...).Run()
	}
	wait := func(what string, cond func(string) bool) string {
		t.Helper()
		var s string
		for end := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			if s = capture(); cond(s) {
				return s
			}
			if time.Now().After(end) {
				t.Fatalf("%s never showed:\n%s", what, s)
			}
		}
	}
	has := func(want string) func(string) bool { return func(s string) bool { return strings.Contains(s, want) } }
	refRE := regexp.MustCompile(`\b2026-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)
	wait("the queue", func(s string) bool { return len(refRE.FindAllString(s, -1)) >= 5 })

	// 1. h on a new complaint: refused at once, no dialog.
	send("h")
	s := wait("the refusal", has("Claim the complaint first"))
	if strings.Contains(s, "PV number:") {
		t.Fatalf("a dialog opened:\n%s", s)
	}

	// 2. Claim, forward: an empty search does nothing; "Anvers" finds 5345.
	send("c")
	wait("the claim", has("Claim of"))
	send("2") // Mine
	wait("the Mine tab", func(s string) bool {
		return refRE.MatchString(s) && strings.Contains(s, "claimed") || strings.Contains(s, "1 Mine")
	})
	send("f")
	wait("the forward dialog", has("Target zone"))
	send("Enter")
	time.Sleep(300 * time.Millisecond)
	if s := capture(); strings.Contains(s, "Forward to zone") || !strings.Contains(s, "Target zone") {
		t.Fatalf("enter on an empty search:\n%s", s)
	}
	send("Anvers")
	wait("Antwerpen found", has("5345"))
	send("Enter")
	wait("the confirmation naming the zone", has("Forward to zone 5345 Antwerpen?"))
	send("Escape")
	wait("back", func(s string) bool { return !strings.Contains(s, "Target zone") })

	// 3. The portal goes down: an action stays queued, the bar says so in
	// words, and q asks before quitting.
	d.down.Store(true)
	send("u") // release: queued, cannot be sent
	send("r")
	s = wait("the status bar in words", has("portal unreachable"))
	if strings.Contains(s, "dial tcp") || strings.Contains(s, "127.0.0.1") {
		t.Fatalf("a raw error reaches the screen:\n%s", s)
	}
	send("q")
	wait("the quit question", has("queued action(s) will be sent at the next start"))
	send("n")
	wait("still running", func(s string) bool { return !strings.Contains(s, "will be sent at the next start") })
	send("q")
	wait("the quit question again", has("will be sent at the next start"))
	send("y")
	wait("the program ended", has("GUICHET-ENDED"))
}
