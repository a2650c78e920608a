package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// The crash tests run this test binary again as a child that works on a
// cache and is killed with SIGKILL at a chosen moment.
const crashEnv = "GUICHET_STORE_CRASH_CHILD"

func TestMain(m *testing.M) {
	if mode := os.Getenv(crashEnv); mode != "" {
		crashChild(mode, os.Getenv("GUICHET_STORE_CRASH_DB"))
		os.Exit(3) // crashChild never returns normally
	}
	code := m.Run()
	if benchFile != "" { // the shared 100k fixture of the benchmarks
		os.RemoveAll(filepath.Dir(filepath.Dir(benchFile)))
	}
	os.Exit(code)
}

func crashChild(mode, path string) {
	ctx := context.Background()
	s, err := Open(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	switch mode {
	case "act":
		if _, err := s.Act(ctx, "5275-2026-000001", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr"); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("committed")
	case "audit":
		// Consultations' events, taken into the audit table by a write
		// every 50 of them, until the parent kills the process. "started"
		// once the first is recorded: the parent's kill, however soon,
		// comes after an event that must survive it (on a loaded machine
		// 3 ms after the start could come before the first).
		for i := 1; ; i++ {
			ev := complaint.AuditEvent{Officer: "o-1", Zone: "5275", Kind: AuditView, Outcome: OutcomeOK,
				Reference: "5275-2026-000001", Detail: strings.Repeat("d", i%300)}
			if err := s.Audit(ctx, ev); err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			if i == 1 {
				fmt.Println("started")
			}
			if i%50 == 0 {
				if _, err := s.PendingAudit(ctx, 1); err != nil {
					fmt.Println("error", err)
					os.Exit(2)
				}
			}
		}
	case "pages":
		recs := storetest.Records(200, 5)
		fmt.Println("started")
		for page := 1; ; page++ {
			items := make([]complaint.FeedItem, len(recs))
			for i := range recs {
				r := recs[i]
				r.Version = int64(page) + 1
				r.Facts.Description = fmt.Sprintf("page %d", page)
				items[i] = complaint.FeedItem{Reference: r.Reference, Version: r.Version, Record: &r}
			}
			if err := s.ApplyFeedPage(ctx, items, strconv.Itoa(page)); err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
		}
	}
	time.Sleep(time.Hour) // wait for SIGKILL
}

// runAndKill starts the child, waits for its line want, then SIGKILLs it
// after delay.
func runAndKill(t *testing.T, mode, path, want string, delay time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"="+mode, "GUICHET_STORE_CRASH_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != want {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q, want %q", line, want)
	}
	time.Sleep(delay)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()
}

func integrityOK(t *testing.T, s *Store) {
	t.Helper()
	var res string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
	if _, err := s.db.Exec(`INSERT INTO complaints_fts(complaints_fts) VALUES('integrity-check')`); err != nil {
		t.Fatalf("full-text index inconsistent: %v", err)
	}
}

func TestCrashAfterActionCommitKeepsOutbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.BulkLoad(context.Background(), []complaint.Record{newRecord("5275-2026-000001", "Émile", "Renard")}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	runAndKill(t, "act", path, "committed", 0)
	s, err = Open(path)
	if err != nil {
		t.Fatalf("cache does not open after SIGKILL: %v", err)
	}
	defer s.Close()
	integrityOK(t, s)
	ctx := context.Background()
	out, err := s.PendingActions(ctx, 0)
	if err != nil || len(out) != 1 || out[0].Action.Type != complaint.ActionClaim || out[0].Key == "" {
		t.Fatalf("outbox after crash = %+v, %v", out, err)
	}
	e := mustGet(t, s, "5275-2026-000001")
	if !e.Pending || e.Record.Status != complaint.StatusClaimed {
		t.Errorf("local state after crash: pending=%v status=%s", e.Pending, e.Record.Status)
	}
	if ev, _ := s.PendingAudit(ctx, 0); len(ev) != 1 {
		t.Errorf("audit after crash = %+v", ev)
	}
}

func TestCrashDuringPageApplyIsAtomic(t *testing.T) {
	for _, delay := range []time.Duration{5 * time.Millisecond, 40 * time.Millisecond, 150 * time.Millisecond} {
		t.Run(delay.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c", "cache.db")
			runAndKill(t, "pages", path, "started", delay)
			s, err := Open(path)
			if err != nil {
				t.Fatalf("cache does not open after SIGKILL: %v", err)
			}
			defer s.Close()
			integrityOK(t, s)
			ctx := context.Background()
			cur, _ := s.Cursor(ctx)
			n, _ := s.Count(ctx, Query{})
			if cur == "" {
				if n != 0 {
					t.Fatalf("no cursor but %d complaints: a page was half applied", n)
				}
				return
			}
			page, _ := strconv.Atoi(cur)
			if n != 200 {
				t.Fatalf("cursor %s with %d complaints, want 200", cur, n)
			}
			rows, _ := s.Page(ctx, Query{}, nil, 300)
			for _, r := range rows {
				if r.Version != int64(page)+1 {
					t.Fatalf("%s at version %d with cursor of page %d: page not atomic", r.Reference, r.Version, page)
				}
			}
			hits, _ := s.Count(ctx, Query{Search: fmt.Sprintf("page %d", page)})
			if hits == 0 {
				t.Errorf("search does not find the text of the last applied page")
			}
		})
	}
}
