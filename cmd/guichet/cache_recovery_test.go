package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"guichet/complaint"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// guichetBinary builds the real guichet binary once per test run, as it
// is shipped (shippedBuild: pure Go, static).
func guichetBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "guichet-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "guichet")
		if out, err := shippedBuild(binPath, ".").CombinedOutput(); err != nil {
			binErr = err
			t.Logf("build: %s", out)
		}
	})
	if binErr != nil {
		t.Fatalf("build: %v", binErr)
	}
	return binPath
}

// exec runs the real binary with the officer's environment (and nothing
// else of the test process's but PATH).
func (o *officer) exec(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(guichetBinary(t), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "XDG_DATA_HOME=" + os.Getenv("XDG_DATA_HOME")}
	for k, v := range o.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// TestDamagedCacheRebuiltBySync damages the cache of the real binary in
// each way the review did; `guichet sync` must never say "synced" on it:
// it says the cache was damaged, what was kept, and ends with a cache equal
// to the portal where every readable queued action was delivered exactly
// once (the portal's history counts them).
func TestDamagedCacheRebuiltBySync(t *testing.T) {
	damages := []struct {
		name   string
		do     func([]byte) []byte
		intact bool // the queued actions survive the damage
	}{
		{"garbage mid-file", func(d []byte) []byte {
			for i := len(d) / 2; i < len(d)/2+8192 && i < len(d); i++ {
				d[i] = byte(i*7 + 3)
			}
			return d
		}, true},
		{"truncated to half", func(d []byte) []byte { return d[:len(d)/2] }, false},
		{"garbage header", func(d []byte) []byte {
			for i := 0; i < 100; i++ {
				d[i] = byte(i*13 + 1)
			}
			return d
		}, true},
		{"zero bytes", func([]byte) []byte { return nil }, false},
	}
	for _, dmg := range damages {
		t.Run(dmg.name, func(t *testing.T) {
			d := newDesk(t, 200)
			cache := filepath.Join(t.TempDir(), "cache", "guichet.db")
			o := d.officer("Inspecteur Dupont", "GUICHET_DB", cache)
			o.must("sync")
			d.down.Store(true)
			queued := d.refs[:3]
			for _, ref := range queued {
				if r := o.must("claim", ref); !strings.Contains(r.stdout, "queued") {
					t.Fatalf("offline claim: %q", r.stdout)
				}
			}
			d.down.Store(false)
			data, err := os.ReadFile(cache)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cache, dmg.do(data), 0o600); err != nil {
				t.Fatal(err)
			}

			r := o.exec(t, "sync")
			t.Logf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			if r.code != exitOK {
				t.Fatalf("sync after damage: exit %d", r.code)
			}
			for _, want := range []string{"the local cache is damaged", "kept aside as " + cache + ".corrupt-", "kept from the damaged cache:", "the new cache was filled from the portal: 200 complaint(s)"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q", want)
				}
			}
			if dmg.intact && !strings.Contains(r.stderr, "kept from the damaged cache: 3 queued action(s)") {
				t.Errorf("the three queued claims were not kept")
			}
			if !strings.Contains(r.stdout, "synced:") {
				t.Errorf("no synced line after the rebuild: %q", r.stdout)
			}
			asides, _ := filepath.Glob(cache + ".corrupt-*")
			if len(asides) == 0 {
				t.Fatal("nothing kept aside")
			}
			for _, a := range asides {
				if st, err := os.Stat(a); err != nil || st.Mode().Perm() != 0o600 {
					t.Errorf("%s: %v %v", a, st.Mode(), err)
				}
			}
			l := o.exec(t, "list", "--limit", "1000")
			if l.code != exitOK || strings.Count(l.stdout, "5275-") < 200 && strings.Count(l.stdout, "\n") < 201 {
				t.Fatalf("list after the rebuild: exit %d\n%s\n%s", l.code, l.stdout, l.stderr)
			}
			for _, ref := range queued {
				got := o.serverRecord(ref)
				n := countActions(got, "claim")
				if n > 1 {
					t.Errorf("%s claimed %d times on the portal", ref, n)
				}
				if dmg.intact && (n != 1 || got.Status != complaint.StatusClaimed) {
					t.Errorf("%s: %d claims on the portal, status %s", ref, n, got.Status)
				}
			}
			// And again: nothing is sent twice, the cache is sound.
			r = o.exec(t, "sync")
			if r.code != exitOK || strings.Contains(r.stderr, "damaged") {
				t.Fatalf("second sync: exit %d %q", r.code, r.stderr)
			}
			for _, ref := range queued {
				if n := countActions(o.serverRecord(ref), "claim"); n > 1 {
					t.Errorf("%s claimed %d times after a second sync", ref, n)
				}
			}
		})
	}
}

// `guichet list` on a cache damaged where list reads (but not where sync
// does) says the cache is damaged, rebuilds it and asks to run it again.
func TestDamagedCacheListSaysSoAndRebuilds(t *testing.T) {
	d := newDesk(t, 200)
	cache := filepath.Join(t.TempDir(), "cache", "guichet.db")
	o := d.officer("Inspecteur Dupont", "GUICHET_DB", cache)
	o.must("sync")
	// The pages of the queue's rows, which list reads (found by SQLite's
	// own page map, whatever the layout).
	db, err := sql.Open("sqlite", "file:"+cache+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var pages []int64
	var pageSize int64
	rows, err := db.Query(`SELECT pageno, (SELECT page_size FROM pragma_page_size) FROM dbstat
		WHERE name = 'complaints' AND pagetype = 'leaf'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p, &pageSize); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	rows.Close()
	db.Close()
	if len(pages) == 0 {
		t.Fatal("fixture: no page of complaints found")
	}
	data, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		for i := (p - 1) * pageSize; i < p*pageSize; i++ {
			data[i] = byte(i*7 + 3)
		}
	}
	if err := os.WriteFile(cache, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := o.exec(t, "list")
	if r.code != exitFailure || !strings.Contains(r.stderr, "the local cache is damaged") || !strings.Contains(r.stderr, "run the command again") {
		t.Fatalf("list on a damaged cache: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "malformed") && !strings.Contains(r.stderr, "damaged") {
		t.Fatalf("raw SQLite error only: %s", r.stderr)
	}
	if r := o.exec(t, "list"); r.code != exitOK || strings.Count(r.stdout, "\n") < 200 {
		t.Fatalf("list after the rebuild: exit %d %q", r.code, r.stderr)
	}
}

// TestReadOnlyCacheDirectorySaysSo: a cache in a directory guichet cannot
// write to is explained as such, with the fix — not "is it a guichet
// cache?". Run as root, the binary runs as nobody (root writes anywhere).
func TestReadOnlyCacheDirectorySaysSo(t *testing.T) {
	d := newDesk(t, 5)
	base := t.TempDir()
	dir := filepath.Join(base, "cache")
	cache := filepath.Join(dir, "guichet.db")
	o := d.officer("Inspecteur Dupont", "GUICHET_DB", cache)
	o.must("sync")
	bin := guichetBinary(t)
	cmd := exec.Command(bin, "list")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + base, "GUICHET_DB=" + cache, "GUICHET_LANG=en",
		"GUICHET_SERVER=" + d.srv.URL, "GUICHET_TOKEN=" + o.token}
	if os.Geteuid() == 0 {
		const nobody = 65534
		for _, p := range []string{filepath.Dir(base), base, filepath.Dir(bin)} {
			if err := os.Chmod(p, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []string{dir, cache} {
			if err := os.Chown(p, nobody, nobody); err != nil {
				t.Fatal(err)
			}
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitFailure {
		t.Fatalf("list with a read-only cache directory: %v\n%s\n%s", err, out.String(), errb.String())
	}
	msg := errb.String()
	if !strings.Contains(msg, "the cache directory "+dir+" is read-only") || !strings.Contains(msg, "chmod u+w "+dir) || strings.Contains(msg, "is it a guichet cache") {
		t.Fatalf("message: %s", msg)
	}
}

// A cache written by an older guichet is migrated at the first command,
// which takes seconds for a large zone: guichet says so on stderr before
// anything else, and the command then runs on the migrated cache with its
// queued action still queued.
func TestOlderCacheSaysItIsUpdated(t *testing.T) {
	d := newDesk(t, 30)
	cache := filepath.Join(t.TempDir(), "cache", "guichet.db")
	o := d.officer("Inspecteur Dupont", "GUICHET_DB", cache)
	o.must("sync")
	ref := strings.Fields(strings.Split(o.must("list", "--status", "new", "--limit", "1").stdout, "\n")[1])[0]
	o.env["GUICHET_SERVER"] = "http://127.0.0.1:1" // offline: the claim stays queued
	o.run("claim", ref)
	// As the guichet before migration 11 left it: schema 10 (migration 11
	// only drops indexes and makes one again, so it runs on this cache).
	db, err := sql.Open("sqlite", "file:"+cache)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 10`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r := o.must("list", "--status", "claimed")
	if !strings.HasPrefix(r.stderr, "updating the local cache "+cache+" to this version of guichet, once") {
		t.Errorf("stderr does not begin with the migration notice: %q", r.stderr)
	}
	if !strings.Contains(r.stdout, ref) || !strings.Contains(r.stdout, "waiting to be sent") {
		t.Errorf("the queued claim of %s is not listed after the migration:\n%s", ref, r.stdout)
	}
	// Once only.
	if r := o.must("list", "--status", "claimed"); strings.Contains(r.stderr, "updating the local cache") {
		t.Errorf("told again on a current cache: %q", r.stderr)
	}
}
