package portal

import (
	"encoding/base64"
	"net/http"
	"testing"

	"guichet/complaint"
)

func TestFeedPagingCursorAndRestart(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	tokB, _ := tp.officer("5339", "Agent B")
	const total = 10_000
	refs := tp.fill(total)
	tp.seed("5339", 5) // another zone's complaints never appear

	// Page through everything with limit 500: each complaint exactly once,
	// in commit order (versions and the sequence never go back).
	seen := make(map[string]bool, total)
	cursor := ""
	pages := 0
	for {
		page, r := tp.feed("5275", tok, cursor, 500)
		if r.Status != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages, r.Status, r.Body)
		}
		pages++
		if len(page.Items) > 500 {
			t.Fatalf("page of %d items", len(page.Items))
		}
		for _, it := range page.Items {
			if seen[it.Reference] {
				t.Fatalf("%s seen twice", it.Reference)
			}
			seen[it.Reference] = true
			if it.Record == nil || it.Record.Zone.Code != "5275" {
				t.Fatalf("bad item %+v", it)
			}
		}
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	if len(seen) != total {
		t.Fatalf("saw %d complaints, want %d", len(seen), total)
	}
	if pages != total/500+1 && pages != total/500 {
		t.Errorf("%d pages", pages)
	}
	// Commit order: the feed lists them in the order they were filed.
	first, _ := tp.feed("5275", tok, "", 3)
	for i, it := range first.Items {
		if it.Reference != refs[i] {
			t.Errorf("item %d = %s, want %s (filing order)", i, it.Reference, refs[i])
		}
	}

	// After new changes, the old cursor returns only the changes, in order.
	claimed := []string{refs[10], refs[5000], refs[9999]}
	for i, ref := range claimed {
		if r := tp.action("5275", ref, tok, "k"+ref, complaint.Action{Type: complaint.ActionClaim}); r.Status != 200 {
			t.Fatalf("claim %d: %d", i, r.Status)
		}
	}
	newRefs := tp.seed("5275", 2)
	page, _ := tp.feed("5275", tok, cursor, 500)
	want := append(append([]string{}, claimed...), newRefs...)
	if len(page.Items) != len(want) {
		t.Fatalf("changes: %d items, want %d", len(page.Items), len(want))
	}
	for i, it := range page.Items {
		if it.Reference != want[i] {
			t.Errorf("change %d = %s, want %s", i, it.Reference, want[i])
		}
	}
	if page.Items[0].Version != 2 || page.Items[0].Record.Status != complaint.StatusClaimed {
		t.Errorf("claimed item %+v", page.Items[0])
	}
	// An empty page keeps a usable cursor.
	empty, r := tp.feed("5275", tok, page.Cursor, 500)
	if r.Status != 200 || len(empty.Items) != 0 || empty.More {
		t.Fatalf("empty page: %d %+v", r.Status, empty)
	}

	// Tampered, foreign-zone and garbage cursors → 410.
	raw, _ := base64.RawURLEncoding.DecodeString(page.Cursor)
	raw[len(raw)/2] ^= 1
	tampered := base64.RawURLEncoding.EncodeToString(raw)
	for name, c := range map[string]string{"tampered": tampered, "garbage": "bm9wZQ", "not base64": "!!!"} {
		if _, r := tp.feed("5275", tok, c, 10); r.Status != http.StatusGone || r.apiError(t).Code != complaint.CodeCursorGone {
			t.Errorf("%s cursor: %d %s", name, r.Status, r.Body)
		}
	}
	otherPage, _ := tp.feed("5339", tokB, "", 10)
	if _, r := tp.feed("5275", tok, otherPage.Cursor, 10); r.Status != http.StatusGone {
		t.Errorf("foreign zone cursor: %d", r.Status)
	}
	// A cursor of another database (another epoch) → 410.
	other := newTestPortal(t, Options{})
	otherTok, _ := other.officer("5275", "Agent")
	other.seed("5275", 1)
	op, _ := other.feed("5275", otherTok, "", 10)
	if _, r := tp.feed("5275", tok, op.Cursor, 10); r.Status != http.StatusGone {
		t.Errorf("other epoch cursor: %d", r.Status)
	}

	// After a restart the same cursor continues.
	tp.restart()
	tp.action("5275", refs[42], tok, "after-restart", complaint.Action{Type: complaint.ActionClaim})
	page, r = tp.feed("5275", tok, empty.Cursor, 500)
	if r.Status != 200 || len(page.Items) != 1 || page.Items[0].Reference != refs[42] {
		t.Fatalf("after restart: %d %+v", r.Status, page.Items)
	}
}

func TestFeedLimit(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	for _, bad := range []string{"0", "-1", "abc", "1e3"} {
		r := tp.do("GET", "/v1/zones/5275/feed?limit="+bad, tok, "", nil)
		if r.Status != http.StatusBadRequest {
			t.Errorf("limit=%s: %d", bad, r.Status)
		}
	}
	tp.seed("5275", 3)
	page, _ := tp.feed("5275", tok, "", 1_000_000) // capped, not refused
	if len(page.Items) != 3 {
		t.Errorf("%d items", len(page.Items))
	}
}
