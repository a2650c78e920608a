package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// What a start of guichet costs before and after its work, in counts
// (configuration reads, allocations at init), never in time: the speed
// itself is measured by BenchmarkListProcess100k.

// TestSubcommandReadsConfigurationOnce: the configuration (environment and
// file) is resolved once for `guichet list`, not once before the
// subcommand and again after its flags; a global flag given after the
// subcommand still counts (TestGlobalFlagsBeforeAndAfterSubcommand).
func TestSubcommandReadsConfigurationOnce(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"GUICHET_DB": filepath.Join(dir, "data", "cache.db"), "GUICHET_LANG": "en",
		"XDG_CONFIG_HOME": filepath.Join(dir, "config")}
	var loads atomic.Int64
	getenv := func(k string) string {
		if k == "GUICHET_CONFIG" { // read once per resolution (config.Load)
			loads.Add(1)
		}
		return env[k]
	}
	var out, errb bytes.Buffer
	if code := run([]string{"list", "--limit", "1"}, getenv, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if n := loads.Load(); n != 1 {
		t.Errorf("guichet list resolved its configuration %d times, want 1", n)
	}
	loads.Store(0)
	out.Reset()
	if code := run([]string{"list", "--lang", "fr", "--limit", "1"}, getenv, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if n := loads.Load(); n != 2 {
		t.Errorf("a global flag after the subcommand: resolved %d times, want 2 (before and after it)", n)
	}
}

// maxInitAllocs bounds the allocations of the package initialisations of
// guichet's own packages (GODEBUG=inittrace=1): what a package needs only
// for some commands (regular expressions, the time zone, the demo's
// portal and citizen site, the demo's narratives, the other names of the
// municipalities, the themes) is made at its first use, not at every
// start; small fixed tables are arrays or switches, not maps built at
// init (measured: 178 allocations, 14.9 kB before; 120, 6.2 kB after).
const maxInitAllocs = 140

// maxInitBytes bounds the bytes those inits allocate: the languages'
// catalogs are made at their first use (a listing reads one of five).
const maxInitBytes = 8 << 10

// TestInitOfGuichetPackagesAllocatesLittle runs the binary with
// GODEBUG=inittrace=1 and sums the allocations of the inits of guichet's
// packages.
func TestInitOfGuichetPackagesAllocatesLittle(t *testing.T) {
	cmd := exec.Command(guichetBinary(t), "help")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GODEBUG=inittrace=1", "GUICHET_LANG=en"}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("guichet help: %v\n%s", err, errb.String())
	}
	total, nbytes, seen := 0, 0, 0
	var per []string
	for line := range strings.Lines(errb.String()) {
		// init guichet/store @81 ms, 0.20 ms clock, 8368 bytes, 38 allocs
		f := strings.Fields(line)
		if len(f) < 11 || f[0] != "init" || !(strings.HasPrefix(f[1], "guichet/") || f[1] == "main") || f[10] != "allocs" {
			continue
		}
		n, err := strconv.Atoi(f[9])
		b, errb := strconv.Atoi(f[7])
		if err != nil || errb != nil || f[8] != "bytes," {
			t.Fatalf("cannot read %q", line)
		}
		seen++
		total += n
		nbytes += b
		per = append(per, f[1]+" "+f[9]+" ("+f[7]+" B)")
	}
	if seen < 5 {
		t.Fatalf("no init trace of guichet's packages in:\n%s", errb.String())
	}
	if total > maxInitAllocs {
		t.Errorf("the inits of guichet's packages allocate %d times, at most %d: %s", total, maxInitAllocs, strings.Join(per, ", "))
	}
	if nbytes > maxInitBytes {
		t.Errorf("the inits of guichet's packages allocate %d bytes, at most %d: %s", nbytes, maxInitBytes, strings.Join(per, ", "))
	}
}
