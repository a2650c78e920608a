package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"

	"guichet/complaint"
	"guichet/store/storetest"
)

// A long pull (a first sync of a large zone) draws a progress bar with the
// count, the rate and the time left, and refreshes the queue as pages
// arrive so the officer browses what came; a short pull draws none.
func TestLongPullShowsProgressAndRefreshesQueue(t *testing.T) {
	recs := storetest.Records(20, 8)
	h := newHarness(t, recs, "en", 100, 24)
	closed := make(chan SyncState)
	close(closed)
	long := SyncState{Online: true, Syncing: true, Total: 100_000, Pulled: 25_000,
		PullStarted: testNow, PulledAt: testNow.Add(10 * time.Second)}
	// The round started earlier (its spinner runs on a real timer, which
	// the harness would wait for forever).
	h.app.sync = SyncState{Online: true, Syncing: true}
	h.send(syncStateMsg{ch: closed, state: long})
	v := h.view()
	if want := "Receiving 25000 / 100000 complaints · 2500/s · 0:30 left"; !strings.Contains(v, want) {
		t.Errorf("no progress line %q in\n%s", want, v)
	}
	if !strings.Contains(v, "██████") || !strings.Contains(v, "░░░░") {
		t.Errorf("no progress bar in\n%s", v)
	}

	// A page arrives: its complaints show without waiting for the end.
	fresh := recs[0]
	fresh.Reference = "5275-2026-999999"
	fresh.ReceivedAt = testNow.Add(time.Hour)
	fresh.Status, fresh.ClaimedBy = complaint.StatusNew, nil
	if err := h.st.ApplyFeedPage(context.Background(), []complaint.FeedItem{{Reference: fresh.Reference, Version: fresh.Version, Record: &fresh}}, "c-more"); err != nil {
		t.Fatal(err)
	}
	next := long
	next.Pulled, next.PulledAt = 26_000, testNow.Add(11*time.Second)
	h.send(syncStateMsg{ch: closed, state: next})
	if v := h.view(); !strings.Contains(v, "All 21") {
		t.Errorf("the complaint that just arrived is not counted during the pull:\n%s", v)
	}

	short := SyncState{Online: true, Syncing: true, Total: 40, Pulled: 20, PullStarted: testNow, PulledAt: testNow.Add(time.Second)}
	h.send(syncStateMsg{ch: closed, state: short})
	if v := h.view(); strings.Contains(v, "Receiving") || strings.Contains(v, "░░░") {
		t.Errorf("a short pull draws a progress bar:\n%s", v)
	}
}

func TestSyncProgressLineLanguagesAndWidths(t *testing.T) {
	s := SyncState{Syncing: true, Total: 100_000, Pulled: 50_000, PullStarted: testNow, PulledAt: testNow.Add(20 * time.Second)}
	for _, c := range []struct {
		lang, want string
	}{
		{"fr", "Réception 50000 / 100000 plaintes · 2500/s · encore 0:20"},
		{"nl", "Ontvangst 50000 / 100000 klachten · 2500/s · nog 0:20"},
		{"de", "Empfang 50000 / 100000 Anzeigen · 2500/s · noch 0:20"},
		{"en", "Receiving 50000 / 100000 complaints · 2500/s · 0:20 left"},
	} {
		ctx := &Context{Lang: c.lang, Styles: NewStyles(themes()["default"])}
		for _, w := range []int{40, 80, 120} {
			line := syncProgressLine(ctx, s, w)
			if got := lipgloss.Width(line); got > w {
				t.Errorf("%s at %d columns: %d wide: %q", c.lang, w, got, line)
			}
			if w >= 120 && !strings.Contains(line, c.want) {
				t.Errorf("%s: %q does not say %q", c.lang, line, c.want)
			}
		}
	}
	ctx := &Context{Lang: "en", Styles: NewStyles(themes()["default"]), Accessible: true}
	if line := syncProgressLine(ctx, s, 120); strings.ContainsAny(line, "█░") {
		t.Errorf("accessible progress has a bar: %q", line)
	}
	starting := SyncState{Syncing: true, Total: 5000}
	if line := syncProgressLine(ctx, starting, 120); line != "Receiving 5000 complaints…" {
		t.Errorf("before the first page: %q", line)
	}
	if fmtLeft(3725*time.Second) != "1:02:05" || fmtLeft(59*time.Second) != "0:59" {
		t.Errorf("fmtLeft: %s %s", fmtLeft(3725*time.Second), fmtLeft(59*time.Second))
	}
}
