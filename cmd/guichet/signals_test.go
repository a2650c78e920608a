package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"
)

// TestOnlyCommandsThatWriteCatchSignals: the commands that only read the
// cache (list, show, conflicts) set up no signal handling, whose thread
// and handshakes cost a listing about 2.5 ms; every other command, and
// the workstation, ends cleanly on an interrupt as before
// (TestWorkstationEndsOnSignal).
func TestOnlyCommandsThatWriteCatchSignals(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"GUICHET_DB": filepath.Join(dir, "data", "cache.db"), "GUICHET_LANG": "en",
		"XDG_CONFIG_HOME": filepath.Join(dir, "config")}
	for _, tc := range []struct {
		args  []string
		catch bool
	}{
		{[]string{"list"}, false},
		{[]string{"list", "--limit", "5"}, false},
		{[]string{"show", "2026-AAAA-0001"}, false},
		{[]string{"conflicts"}, false},
		{[]string{"sync"}, true},
		{[]string{"claim", "2026-AAAA-0001"}, true},
		{[]string{"purge"}, true},
		{[]string{"copy", "2026-AAAA-0001", "complainant"}, true},
	} {
		caught := 0
		cfg := Config{Env: func(k string) string { return env[k] }, Stdout: io.Discard, Stderr: io.Discard,
			Signals: func(ctx context.Context) (context.Context, context.CancelFunc) {
				caught++
				return context.WithCancel(ctx)
			}}
		runConfig(context.Background(), cfg, tc.args)
		if got := caught > 0; got != tc.catch {
			t.Errorf("guichet %v caught signals: %v, want %v", tc.args, got, tc.catch)
		}
	}
}
