package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"guichet/complaint"
	"guichet/store/storetest"
)

// hostile is text a citizen could type to attack the officer's terminal or
// clipboard: OSC 52 (set clipboard), clear screen, CR, backspace, a bidi
// override and invalid UTF-8.
const hostile = "Evil\x1b]52;c;ZXZpbA==\x07 \x1b[2J\rover\bwrite \u202Egnp.exe\xff\xfe end"

// wideRecords are fixtures with accented, CJK and emoji text, and hostile
// text in the description and the name.
func wideRecords(n int) []complaint.Record {
	recs := storetest.Records(n, 7)
	names := []struct{ first, last string }{
		{"王", "小明"}, {"Zoë", "Çağlayan-Öztürk"}, {"👩‍👩‍👧", "Famille 🇧🇪"},
		{"Mohammed", "Al-Ḥasan"}, {"Łukasz", "Wiśniewski"}, {"太郎", "山田"},
	}
	for i := range recs {
		nm := names[i%len(names)]
		recs[i].Complainant.FirstName, recs[i].Complainant.LastName = nm.first, nm.last
		if i%3 == 0 {
			recs[i].Facts.Description = "Vélo 🚲 volé — 自行车被盗 — " + recs[i].Facts.Description
		}
	}
	recs[0].Complainant.LastName = hostile
	recs[0].Facts.Description = hostile + "\n" + recs[0].Facts.Description
	recs[0].Facts.Place.Municipality = "Ottignies-Louvain-la-Neuve 🏘️ " + hostile
	return recs
}

// checkFrame fails when a frame has a line wider than w, more than h
// lines, or any escape sequence other than styling (none at all with the
// Ascii profile the tests pin).
func checkFrame(t *testing.T, name, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > h {
		t.Errorf("%s at %dx%d: %d lines", name, w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, lw, l)
		}
		for _, bad := range []string{"\x1b]", "\x1b[2J", "\r", "\b", "\u202E", "\xff"} {
			if strings.Contains(l, bad) {
				t.Errorf("%s at %dx%d: line %d contains %q: %q", name, w, h, i, bad, l)
			}
		}
	}
}

// screens drives h to each screen and returns its frame.
func screens(h *harness) map[string]string {
	out := map[string]string{}
	out["queue"] = h.view()
	h.keys("<enter>")
	out["detail"] = h.view()
	h.keys("<pgdown>")
	out["detail-scrolled"] = h.view()
	h.keys("ch") // the dialogs open on a complaint the officer holds
	out["handle"] = h.view()
	h.keys("<esc>f")
	out["forward"] = h.view()
	h.keys("<esc>x")
	out["reject"] = h.view()
	h.keys("<esc>?")
	out["help"] = h.view()
	h.keys("<esc>!")
	out["conflicts"] = h.view()
	h.keys("<esc><esc>/type:graf zz")
	out["filter"] = h.view()
	return out
}

func TestWidthSweep(t *testing.T) {
	recs := wideRecords(40)
	h := newHarness(t, recs, "fr", 80, 24)
	for w := 20; w <= 200; w += 3 {
		for _, hh := range []int{8, 24} {
			h.keys("<esc><esc><esc>g")
			h.size(w, hh)
			for name, frame := range screens(h) {
				checkFrame(t, name, frame, w, hh)
			}
		}
	}
}

func TestGoldens(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 45}} {
		h := newHarness(t, storetest.Records(120, 3), "en", sz[0], sz[1])
		h.keys("jj")
		q := h.view()
		h.keys("<enter>")
		d := h.view()
		h.keys("ch" + "NI.55.L5.012345/26") // handle opens on a complaint the officer holds
		dlg := h.view()
		h.keys("<esc><esc>?")
		hlp := h.view()
		for name, frame := range map[string]string{"queue": q, "detail": d, "handle": dlg, "help": hlp} {
			t.Run(fmt.Sprintf("%s_%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				checkFrame(t, name, frame, sz[0], sz[1])
				golden.RequireEqual(t, []byte(frame))
			})
		}
	}
}

// TestHostileText: nothing from the hostile record reaches the terminal
// unescaped in any screen, and what is copied is the sanitized text.
func TestHostileText(t *testing.T) {
	recs := wideRecords(3)
	for _, w := range []int{40, 120} {
		h := newHarness(t, recs, "en", w, 40)
		h.keys("5")                           // All tab: the hostile record is among them
		h.keys("/" + "evil" + "<enter>")      // found by full-text search
		for name, frame := range screens(h) { // screens() opens the selected row
			checkFrame(t, name, frame, w, 40)
		}
		h.keys("<esc><esc><esc>/evil<enter><enter>")
		if d, ok := h.app.Top().(*detailModel); !ok || d.ref != recs[0].Reference {
			t.Fatalf("hostile record not opened: %T", h.app.Top())
		}
		h.keys("Y")
		whole := h.clip.last()
		h.keys("1")
		for _, f := range h.app.Top().(*detailModel).fields {
			if f.Key == "complainant.last_name" {
				h.keys("g")
				for i := 0; i < 40 && h.app.Top().(*detailModel).fields[h.app.Top().(*detailModel).sel].Key != f.Key; i++ {
					h.keys("j")
				}
				h.keys("y")
			}
		}
		name := h.clip.last()
		for label, got := range map[string]string{"whole": whole, "name": name} {
			for _, bad := range []string{"\x1b", "\r", "\b", "\u202E", "\xff", "\x07"} {
				if strings.Contains(got, bad) {
					t.Errorf("copied %s contains %q: %q", label, bad, got)
				}
			}
		}
		if !strings.Contains(name, "Evil␛]52;c;ZXZpbA==␇") {
			t.Errorf("copied name is not the visible sanitized text: %q", name)
		}
		if !strings.Contains(whole, "Evil␛]52") || !strings.Contains(whole, "== ") {
			t.Errorf("whole complaint copy: %q", whole)
		}
	}
}
