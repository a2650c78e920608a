package sync

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store"
)

// The crash tests run the client in a child process (this test binary,
// re-executed with GUICHET_SYNC_HELPER set) and SIGKILL it at chosen points.

const helperEnv = "GUICHET_SYNC_HELPER"

// TestHelperProcess is the child's entry point; it does nothing in a normal
// run.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("child process of the crash tests only")
	}
	ctx := context.Background()
	st, err := store.Open(os.Getenv("H_CACHE"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	officer := complaint.Officer{ID: os.Getenv("H_OFFICER_ID"), Name: os.Getenv("H_OFFICER_NAME")}
	eng, err := New(Options{Server: os.Getenv("H_SERVER"), Token: os.Getenv("H_TOKEN"), HTTPClient: noKeepAlive(), PageSize: 100}, st)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	switch mode {
	case "act":
		// Commit an action locally, say so, and wait to be killed before
		// any push.
		if _, err := st.Act(ctx, os.Getenv("H_REF"), complaint.Action{Type: complaint.ActionClaim}, officer, "fr"); err != nil {
			fmt.Println("error:", err)
			os.Exit(2)
		}
		fmt.Println("committed")
		time.Sleep(time.Minute)
	case "push", "pull":
		fmt.Println("started")
		err := eng.SyncOnce(ctx)
		fmt.Println("round ended:", err)
		time.Sleep(time.Minute)
	}
	os.Exit(0)
}

// child starts the helper in mode and waits for its first output line.
func startChild(t *testing.T, mode string, env map[string]string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, bufio.NewReader(out)
}

func readLine(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	line, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, want) {
		t.Fatalf("child said %q (%v), want %q", line, err, want)
	}
}

func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
}

// integrityCheck opens the cache file with plain SQL and runs SQLite's own
// consistency check.
func integrityCheck(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
}

func childEnv(tp *testPortal, path, tok string, o complaint.Officer) map[string]string {
	return map[string]string{"H_CACHE": path, "H_SERVER": tp.proxy.URL(), "H_TOKEN": tok,
		"H_OFFICER_ID": o.ID, "H_OFFICER_NAME": o.Name}
}

func TestCrashBetweenLocalCommitAndPush(t *testing.T) {
	tp := newTestPortal(t)
	refs := tp.seed(5, 11)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 50)
	if err := ws.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	ws.st.Close()

	env := childEnv(tp, ws.path, tok, o)
	env["H_REF"] = refs[1]
	cmd, out := startChild(t, "act", env)
	readLine(t, out, "committed")
	kill(t, cmd)

	integrityCheck(t, ws.path)
	re := openWorkstation(t, tp, ws.path, tok, o, 50)
	pend, err := re.st.PendingActions(context.Background(), 0)
	if err != nil || len(pend) != 1 || pend[0].Reference != refs[1] {
		t.Fatalf("outbox after the crash = %+v, %v", pend, err)
	}
	for i := 0; i < 2; i++ {
		if err := re.eng.SyncOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	assertCacheEqualsServer(t, tp, re.st)
	if n := tp.deliveries()[refs[1]+" claim "+o.ID]; n != 1 {
		t.Errorf("claim delivered %d times", n)
	}
}

// TestCrashAfterPortalCommittedBeforeAck kills the client while it waits
// for the answer to an action the portal has already applied.
func TestCrashAfterPortalCommittedBeforeAck(t *testing.T) {
	tp := newTestPortal(t)
	refs := tp.seed(5, 12)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 50)
	if err := ws.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := ws.act(refs[2], complaint.Action{Type: complaint.ActionClaim}); err != nil {
		t.Fatal(err)
	}
	ws.st.Close()
	held := make(chan struct{}, 1)
	tp.proxy.mu.Lock()
	tp.proxy.onHold = func() { held <- struct{}{} }
	tp.proxy.mu.Unlock()
	tp.proxy.add(fault{match: "/actions", kind: faultHold})
	cmd, out := startChild(t, "push", childEnv(tp, ws.path, tok, o))
	readLine(t, out, "started")
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("the child never pushed")
	}
	kill(t, cmd)

	integrityCheck(t, ws.path)
	re := openWorkstation(t, tp, ws.path, tok, o, 50)
	if err := re.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertCacheEqualsServer(t, tp, re.st)
	if n := tp.deliveries()[refs[2]+" claim "+o.ID]; n != 1 {
		t.Errorf("claim applied %d times", n)
	}
}

// TestCrashDuringPageApply kills the client at staggered moments just after
// a feed page arrived (while it decodes and applies it): the cache must hold
// whole pages only, pass SQLite's integrity check, and finish the sync.
func TestCrashDuringPageApply(t *testing.T) {
	tp := newTestPortal(t)
	tp.seed(400, 13)
	tok, o := tp.officer("Inspecteur Dupont")
	pages := make(chan struct{}, 16)
	tp.proxy.mu.Lock()
	tp.proxy.onDone = func(line string) {
		if strings.Contains(line, "/feed") {
			select {
			case pages <- struct{}{}:
			default: // never block the proxy
			}
		}
	}
	tp.proxy.mu.Unlock()
	// Kill after the 1st, 2nd, 3rd page, each time a little later, each
	// time on a new cache that is then reopened and synced to the end.
	for i, delay := range []time.Duration{0, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond} {
		path := filepath.Join(t.TempDir(), "cache", "guichet.db")
		cmd, out := startChild(t, "pull", childEnv(tp, path, tok, o))
		readLine(t, out, "started")
		for k := 0; k <= i%3; k++ {
			select {
			case <-pages:
			case <-time.After(10 * time.Second):
				t.Fatal("no feed page")
			}
		}
		time.Sleep(delay)
		kill(t, cmd)
		for len(pages) > 0 {
			<-pages
		}
		integrityCheck(t, path)
		st, err := store.Open(path)
		if err != nil {
			t.Fatalf("reopen after kill %d: %v", i, err)
		}
		c, err := st.Counts(context.Background(), "")
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if c.All%100 != 0 {
			t.Fatalf("kill %d: cache holds %d complaints: part of a page was applied", i, c.All)
		}
		t.Logf("kill %d after %v: %d complaints cached", i, delay, c.All)
		re := openWorkstation(t, tp, path, tok, o, 100)
		if err := re.eng.SyncOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		assertCacheEqualsServer(t, tp, re.st)
		re.st.Close()
		for len(pages) > 0 {
			<-pages
		}
	}
}
