package main

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// What a start of guichet costs before and after its work, in counts
// (allocations at init), never in time: the speed
// itself is measured by BenchmarkListProcess100k.

// maxInitAllocs bounds the allocations of the package initialisations of
// guichet's own packages (GODEBUG=inittrace=1): what a package needs only
// for some commands (regular expressions, the time zone, the demo's
// portal and citizen site) is made at its first use, not at every start.
const maxInitAllocs = 280

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
	total, seen := 0, 0
	var per []string
	for line := range strings.Lines(errb.String()) {
		// init guichet/store @81 ms, 0.20 ms clock, 8368 bytes, 38 allocs
		f := strings.Fields(line)
		if len(f) < 11 || f[0] != "init" || !(strings.HasPrefix(f[1], "guichet/") || f[1] == "main") || f[10] != "allocs" {
			continue
		}
		n, err := strconv.Atoi(f[9])
		if err != nil {
			t.Fatalf("cannot read %q", line)
		}
		seen++
		total += n
		per = append(per, f[1]+" "+f[9])
	}
	if seen < 5 {
		t.Fatalf("no init trace of guichet's packages in:\n%s", errb.String())
	}
	if total > maxInitAllocs {
		t.Errorf("the inits of guichet's packages allocate %d times, at most %d: %s", total, maxInitAllocs, strings.Join(per, ", "))
	}
}
