package main

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestFirstRowsTime: with GUICHET_FIRST_ROWS_FILE set, the workstation's
// terminal notes the time of the first frame showing a complaint's
// reference — not of an earlier frame without one, and only once; unset,
// the frames go to stdout as they are.
func TestFirstRowsTime(t *testing.T) {
	dir := t.TempDir()
	mark := filepath.Join(dir, "first-rows")
	tty, err := os.Create(filepath.Join(dir, "terminal"))
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	env := func(k string) string {
		if k == firstRowsEnv {
			return mark
		}
		return ""
	}
	if out := frameOutput(func(string) string { return "" }, tty); out != nil {
		t.Fatalf("without %s the frames are watched: %T", firstRowsEnv, out)
	}
	out := frameOutput(env, tty)
	if out == nil {
		t.Fatal("not watched")
	}
	out.Write([]byte("\x1b[2J Complaint queue — loading…"))
	if _, err := os.Stat(mark); err == nil {
		t.Fatal("a frame without rows was taken for the first rows")
	}
	before := time.Now()
	out.Write([]byte("\x1b[1m› 2026-J53W-J3JM\x1b[0m   26 min ago   Graffiti"))
	data, err := os.ReadFile(mark)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := strconv.ParseInt(string(data), 10, 64)
	if at := time.Unix(0, ns); err != nil || at.Before(before) || at.After(time.Now()) {
		t.Fatalf("first rows at %q (%v), want between %v and now", data, err, before)
	}
	os.Remove(mark)
	out.Write([]byte("  2026-HCF4-9BSY   27 min ago"))
	if _, err := os.Stat(mark); err == nil {
		t.Error("noted twice")
	}
	if got, _ := os.ReadFile(tty.Name()); len(got) == 0 {
		t.Error("the frames did not reach the terminal")
	}
}
