package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"guichet/sync"
)

// `guichet sync` of a long pull prints its progress: plain lines when
// stdout is not a terminal (a tenth at a time), nothing with --quiet.
func TestSyncPrintsProgressOfALongPull(t *testing.T) {
	defer func(m int) { progressMin = m }(progressMin)
	progressMin = 20
	d := newDesk(t, 120)
	o := d.officer("Inspectrice Lambert")
	r := o.must("sync")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var progress []string
	for _, l := range lines {
		if strings.HasPrefix(l, "receiving: ") {
			progress = append(progress, l)
		}
	}
	if len(progress) == 0 || len(progress) > 10 {
		t.Fatalf("want 1 to 10 progress lines, got %d:\n%s", len(progress), r.stdout)
	}
	if !strings.Contains(progress[len(progress)-1], "/ 120 complaints · ") || strings.Contains(r.stdout, "\r") {
		t.Errorf("progress lines:\n%s", r.stdout)
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "synced: 120 complaint(s) received") {
		t.Errorf("last line %q, want the summary", last)
	}

	q := d.officer("Inspecteur Quiet")
	if r := q.must("sync", "--quiet"); r.stdout != "" {
		t.Errorf("sync --quiet printed:\n%s", r.stdout)
	}
}

// On a terminal the progress is one line rewritten in place, ended before
// what follows.
func TestSyncProgressOnATerminal(t *testing.T) {
	var out bytes.Buffer
	a := &app{cfg: Config{Lang: "fr"}}
	p := &syncProgress{a: a, w: &out, tty: true, minimum: 1000}
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	p.show(sync.State{Syncing: true, Total: 500, Pulled: 100, PullStarted: t0, PulledAt: t0.Add(time.Second)})
	if out.Len() != 0 {
		t.Fatalf("a short pull drew %q", out.String())
	}
	p.show(sync.State{Syncing: true, Total: 100_000, Pulled: 25_000, PullStarted: t0, PulledAt: t0.Add(10 * time.Second)})
	p.show(sync.State{Syncing: true, Total: 100_000, Pulled: 100_000, PullStarted: t0, PulledAt: t0.Add(40 * time.Second)})
	p.end()
	want := "\rréception : 25000 / 100000 plaintes · 2500/s · encore 0:30" +
		"\rréception : 100000 / 100000 plaintes · 2500/s · encore 0:00\n"
	if out.String() != want {
		t.Errorf("terminal output\n got %q\nwant %q", out.String(), want)
	}
}
