package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestWorkstationEndsOnSignal runs the real binary in a pseudo-terminal
// and ends it with SIGTERM or SIGHUP, as `kill` and a closed terminal do,
// while it syncs (the first start fills an empty cache) and right after the
// officer opened a complaint (its consultation is audited): every time the
// process ends, promptly, with exit status 0, and afterwards the cache is
// whole and delivers what it holds (a sync pushes the audit events).
// Before, SIGTERM reached Bubble Tea's own handler as well as the
// context, and one time in four or five the program waited for ever in
// its shutdown.
func TestWorkstationEndsOnSignal(t *testing.T) {
	d := newDesk(t, 300)
	o := d.officer("Inspecteur Dupont")
	bin := guichetBinary(t)
	home := t.TempDir()
	cfgDir := configWithDemoPIN(t, home)
	cache := filepath.Join(t.TempDir(), "c", "cache.db")
	o.env["GUICHET_DB"] = cache
	const runs = 12
	for i := range runs {
		sig := syscall.SIGTERM
		if i%3 == 2 {
			sig = syscall.SIGHUP
		}
		master, slave, err := openPTY()
		if err != nil {
			t.Fatal(err)
		}
		mark := filepath.Join(home, "first-rows")
		os.Remove(mark)
		cmd := exec.Command(bin)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + cfgDir,
			"TERM=xterm-256color", "GOTRACEBACK=all", firstRowsEnv + "=" + mark}
		for k, v := range o.env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var stderr bytes.Buffer
		cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, &stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
		go answerTerminal(master)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		slave.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		for end := time.Now().Add(time.Minute); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
			if b, _ := os.ReadFile(mark); len(b) > 0 {
				break
			}
		}
		if i%2 == 1 {
			master.Write([]byte("\r")) // the detail of the first row: a consultation, audited
			time.Sleep(time.Duration(i) * 20 * time.Millisecond)
		}
		cmd.Process.Signal(sig)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run %d, %v: %v\n%s", i, sig, err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Signal(syscall.SIGQUIT) // its goroutines, on stderr
			<-done
			master.Close()
			t.Fatalf("run %d: the workstation did not end 30 s after %v:\n%s", i, sig, stderr.String())
		}
		master.Close()
	}
	// The cache is whole, and what it held reaches the portal.
	if r := o.exec(t, "sync"); r.code != exitOK {
		t.Fatalf("sync after the signals: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := o.exec(t, "list", "--limit", "5"); r.code != exitOK {
		t.Fatalf("list after the signals: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
