package main

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestConfigCommandPrintsEffectiveSettingsNeverTheToken(t *testing.T) {
	dir := t.TempDir()
	cfgDir := filepath.Join(dir, "guichet")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	file := "theme = high-contrast\nsync_interval = 1m\nidle_lock = 5m\nkey.claim = c,C\n"
	if err := os.WriteFile(filepath.Join(cfgDir, "config"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"XDG_CONFIG_HOME": dir, "GUICHET_TOKEN": "s3cret-token-value", "GUICHET_LANG": "en",
		"GUICHET_CLIPBOARD_CLEAR": "20s"}
	var out, errb bytes.Buffer
	code := run([]string{"config", "--server", "https://portal.example.be"}, func(k string) string { return env[k] }, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`server\s+= https://portal.example.be\s+\(.*--server`),
		regexp.MustCompile(`theme\s+= high-contrast\s+\(.*line 1`),
		regexp.MustCompile(`sync_interval\s+= 1m`),
		regexp.MustCompile(`idle_lock\s+= 5m`),
		regexp.MustCompile(`clipboard_clear\s+= 20s\s+\(.*GUICHET_CLIPBOARD_CLEAR`),
		regexp.MustCompile(`token\s+= set`),
		regexp.MustCompile(`key.claim\s+= c,C`),
	} {
		if !want.MatchString(got) {
			t.Errorf("missing %v in:\n%s", want, got)
		}
	}
	if strings.Contains(got+errb.String(), "s3cret") {
		t.Fatalf("the token is printed:\n%s", got)
	}
	// A key bound to an action the TUI does not have is reported.
	if err := os.WriteFile(filepath.Join(cfgDir, "config"), []byte("key.teleport = t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"config"}, func(k string) string { return env[k] }, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "teleport") {
		t.Fatalf("unknown action: exit %d, stderr %q", code, errb.String())
	}
}

// TestLockScreenInTmux runs the real binary's demo in tmux with a 5 s idle
// lock and checks with capture-pane that, once locked, no reference number
// or complainant name is on the screen.
func TestLockScreenInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed: the capture-pane check of the session lock is skipped")
	}
	dir := t.TempDir()
	bin := filepath.Join(t.TempDir(), "guichet")
	if out, err := shippedBuild(bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	// Unique on the machine (see tui's tmuxDemo): the temporary folder's
	// last part alone (001) collides with a concurrent `go test`.
	name := "guichet-" + filepath.Base(filepath.Dir(dir)) + "-" + filepath.Base(dir)
	cmd := "env NO_COLOR=1 XDG_CONFIG_HOME=" + dir + " XDG_DATA_HOME=" + dir + " GUICHET_IDLE_LOCK=5s GUICHET_LANG=en " + bin + " --demo; sleep 60"
	if out, err := exec.Command(tmux, "-L", name, "new-session", "-d", "-s", name, "-x", "100", "-y", "30", cmd).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(tmux, "-L", name, "kill-server").Run() })
	capture := func() string {
		out, _ := exec.Command(tmux, "-L", name, "capture-pane", "-p", "-t", name).Output()
		return string(out)
	}
	refRE := regexp.MustCompile(`\b2026-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)
	var queue string
	// The lock time leaves a loaded machine room to capture the queue first.
	for end := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		queue = capture()
		if len(refRE.FindAllString(queue, -1)) >= 5 {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("the queue never showed:\n%q", queue)
		}
	}
	if !strings.Contains(queue, "the lock PIN is 246810") {
		t.Errorf("the demo PIN is not on the first screen:\n%s", queue)
	}
	// The citizen's form of the embedded portal: its address is on the
	// first screen, and it answers there.
	if m := regexp.MustCompile(`citizen form: (http://127\.0\.0\.1:[0-9]+/)`).FindStringSubmatch(queue); m == nil {
		t.Errorf("the citizen form's address is not on the first screen:\n%s", queue)
	} else if resp, err := http.Get(m[1] + "en/"); err != nil || resp.StatusCode != 200 {
		t.Errorf("the citizen form at %s does not answer: %v %v", m[1], err, resp)
	} else {
		resp.Body.Close()
	}
	// Names as the queue shows them (the Complainant column, first word).
	var names []string
	for _, l := range strings.Split(queue, "\n") {
		if loc := refRE.FindStringIndex(l); loc != nil {
			f := strings.Fields(l[loc[1]:])
			for i, w := range f {
				if w == "new" && i > 0 { // status column: the name is just before
					names = append(names, strings.TrimSuffix(f[i-2], "…"))
					break
				}
			}
		}
	}
	var locked string
	for end := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		locked = capture()
		if strings.Contains(locked, "Session locked. PIN:") {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("no lock after the idle time:\n%s", locked)
		}
	}
	if refs := refRE.FindAllString(locked, -1); len(refs) > 0 {
		t.Fatalf("locked screen shows reference(s) %v:\n%s", refs, locked)
	}
	for _, n := range names {
		if len(n) > 2 && strings.Contains(locked, n) {
			t.Fatalf("locked screen shows the name %q:\n%s", n, locked)
		}
	}
	if len(names) < 5 {
		t.Fatalf("test read only %d names from the queue:\n%s", len(names), queue)
	}
	if !strings.Contains(locked, "Inspecteur Dupont") || !strings.Contains(locked, "Zone 5275") {
		t.Fatalf("lock screen lacks zone or officer:\n%s", locked)
	}
}
