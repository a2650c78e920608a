package main

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// shippedBuild is the command that builds pkg into out as guichet is
// shipped: CGO_ENABLED=0, the project's rule (no cgo). By default `go
// build` links the net package's cgo resolver when a C compiler is
// present, which makes a dynamically linked binary: the dynamic loader,
// the C library, its locale files and a C thread per goroutine thread, all
// paid at every start (guichet list: about 5 ms of a 45 ms run on this
// machine). Every binary a test or benchmark of this package builds, the
// benchmarks' baseline included, is built this way.
func shippedBuild(out, pkg string) *exec.Cmd {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	return cmd
}

// TestShippedBinaryIsStatic: the binary the tests and benchmarks run is
// the shipped one, linked statically (no program interpreter, no shared
// library needed).
func TestShippedBinaryIsStatic(t *testing.T) {
	f, err := elf.Open(guichetBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("the guichet binary asks for a program interpreter: it is dynamically linked (cgo)")
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("the guichet binary needs shared libraries %v (%v)", libs, err)
	}
}

// TestReadmeBuildsPureGo: every line of the README that builds or
// installs a command says CGO_ENABLED=0, as shipped; and the README has
// such a line for guichet.
func TestReadmeBuildsPureGo(t *testing.T) {
	f, err := os.Open("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.Contains(line, "go build") && !strings.Contains(line, "go install") {
			continue
		}
		if !strings.HasPrefix(line, "CGO_ENABLED=0 go ") {
			t.Errorf("README builds without CGO_ENABLED=0: %s", line)
		}
		found = found || strings.Contains(line, "./cmd/guichet")
	}
	if !found {
		t.Errorf("README has no line that builds or installs ./cmd/guichet")
	}
}
