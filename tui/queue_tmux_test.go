package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestQueueKeysInTmux drives the real program in tmux (default settings,
// 80×24): a filter term not understood shows no complaint and stays said
// after enter; `:` with a reference in lower case opens it; D shows dates;
// > lists the officer's forwards.
func TestQueueKeysInTmux(t *testing.T) {
	capture, send := tmuxDemo(t, "")
	screen := waitScreen(t, "the queue", capture, func(s string) bool { return len(demoRef.FindAllString(s, -1)) >= 5 })
	ref := selectedRef(t, screen)

	send("/", "type:xyz", "Enter")
	screen = waitScreen(t, "the filter error", capture, func(s string) bool {
		return strings.Count(s, "unknown type: type:xyz") >= 2 // header and status line
	})
	if refs := demoRef.FindAllString(screen, -1); len(refs) != 0 {
		t.Fatalf("rows under a filter not understood: %v\n%s", refs, screen)
	}
	send("Escape")
	waitScreen(t, "the queue again", capture, func(s string) bool { return len(demoRef.FindAllString(s, -1)) >= 5 })
	time.Sleep(300 * time.Millisecond) // a lone esc, not an alt prefix

	send("D")
	waitScreen(t, "dates in the received column", capture, func(s string) bool {
		return regexp.MustCompile(`(?m)^› 2026-\S+ +\d{1,2} [A-Z][a-z]{2} \d\d:\d\d`).MatchString(s)
	})

	send(":", strings.ToLower(ref), "Enter")
	waitScreen(t, "the detail of the reference", capture, func(s string) bool {
		return strings.HasPrefix(s, ref) && strings.Contains(s, "Type of facts")
	})
	send("Escape")
	time.Sleep(300 * time.Millisecond)
	send(">")
	waitScreen(t, "the forwards screen", capture, func(s string) bool { return strings.Contains(s, "Complaints you forwarded") })
}
