package tui

import (
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/store/storetest"
)

// TestSortByTypeFollowsLabels: sorted by type, the rows follow the labels
// shown in the officer's language, not the types' keys.
func TestSortByTypeFollowsLabels(t *testing.T) {
	recs := storetest.Records(120, 2)
	for _, lang := range allLangs {
		h := newHarness(t, recs, lang, 100, 60)
		for h.queue().sort != ColType {
			h.keys("o")
		}
		q := h.queue()
		if q.desc {
			h.keys("O")
		}
		prev := ""
		for _, r := range q.rows {
			l := complaint.NormalizePlaceName(factTypeLabel(lang, r.FactType))
			if l < prev {
				t.Fatalf("%s: %q after %q", lang, factTypeLabel(lang, r.FactType), prev)
			}
			prev = l
		}
		if len(q.rows) < 40 {
			t.Fatalf("%s: %d rows", lang, len(q.rows))
		}
	}
}

// TestSortKeepsCursor: changing the sort or its direction keeps the cursor
// on the same complaint, on the same line of the screen when it can.
func TestSortKeepsCursor(t *testing.T) {
	recs := storetest.Records(300, 1)
	h := newHarness(t, recs, "fr", 100, 24)
	h.keys("5jjjjjjj<pgdown>")
	q := h.queue()
	ref, line := q.SelectedRef(), q.cursor-q.top
	for i, k := range []string{"o", "o", "O", "o", "o", "o", "o"} {
		h.keys(k)
		if got := q.SelectedRef(); got != ref {
			t.Fatalf("after %d sort keys (sort %d desc %v): cursor on %q, want %s", i+1, q.sort, q.desc, got, ref)
		}
		if !strings.Contains(h.view(), "› "+ref) {
			t.Fatalf("sort %d: %s not marked on screen:\n%s", q.sort, ref, h.view())
		}
		if q.cursor >= line && q.cursor-q.top != line {
			t.Errorf("sort %d: the row moved from line %d to %d", q.sort, line, q.cursor-q.top)
		}
		want := pageAt(t, h, q.query(), q.cursor)
		if want != ref {
			t.Fatalf("sort %d: the store has %s at %d, the queue %s", q.sort, want, q.cursor, ref)
		}
	}
}
