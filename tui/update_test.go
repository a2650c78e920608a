package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store/storetest"
)

func TestQueueNavigation(t *testing.T) {
	// 300 records, 24 lines: 18 visible rows; pages are fetched by key.
	tests := []struct {
		keys       string
		wantCursor int
	}{
		{"", 0}, {"j", 1}, {"jjk", 1}, {"k", 0}, {"<down><down><up>", 1},
		{"<pgdown>", 18}, {"<pgdown><pgdown><pgup>", 18}, {"G", -1}, {"Gg", 0},
		{"Gk", -2}, {"<pgdown><pgdown><pgdown><pgdown><pgdown><pgdown><pgdown><pgdown><pgdown><pgdown><pgdown><pgdown>", -1},
	}
	recs := storetest.Records(300, 1)
	for _, tc := range tests {
		t.Run(tc.keys, func(t *testing.T) {
			h := newHarness(t, recs, "en", 100, 24)
			h.keys(tc.keys)
			q := h.queue()
			if tc.wantCursor < 0 {
				tc.wantCursor += q.total
			}
			if q.cursor != tc.wantCursor {
				t.Fatalf("cursor %d, want %d", q.cursor, tc.wantCursor)
			}
			// The selected row is loaded and is the one the store has there.
			r, ok := q.selected()
			if !ok {
				t.Fatalf("selected row not loaded (window %d+%d)", q.winStart, len(q.rows))
			}
			want := pageAt(t, h, q.query(), tc.wantCursor)
			if r.Reference != want {
				t.Fatalf("selected %s, want %s", r.Reference, want)
			}
			if !strings.Contains(h.view(), "› "+r.Reference) {
				t.Fatalf("selected row not marked in view")
			}
			if len(q.rows) > 6*q.viewH()+2*maxFetch {
				t.Fatalf("window holds %d rows", len(q.rows))
			}
		})
	}
}

// pageAt reads the reference at position i straight from the store.
func pageAt(t *testing.T, h *harness, q Query, i int) string {
	rows, err := h.src.Page(context.Background(), q, Anchor{Dir: FromFirst}, i+1)
	if err != nil || len(rows) <= i {
		t.Fatalf("store page: %v (%d rows)", err, len(rows))
	}
	return rows[i].Reference
}

func TestQueueTabsSortFilter(t *testing.T) {
	recs := storetest.Records(300, 1)
	tests := []struct {
		name  string
		keys  string
		check func(t *testing.T, h *harness)
	}{
		{"tab keys", "2", func(t *testing.T, h *harness) {
			q := h.queue()
			if q.tab != TabMine || q.total != q.counts[TabMine] {
				t.Fatalf("tab %d total %d counts %v", q.tab, q.total, q.counts)
			}
			for _, r := range q.rows {
				if r.ClaimedByID != testOfficer.ID {
					t.Fatalf("row %s in Mine held by %q", r.Reference, r.ClaimedByID)
				}
			}
		}},
		{"next tab wraps", "<tab><tab><tab><tab><tab>", func(t *testing.T, h *harness) {
			if h.queue().tab != TabNew {
				t.Fatal(h.queue().tab)
			}
		}},
		{"in progress excludes mine", "3", func(t *testing.T, h *harness) {
			for _, r := range h.queue().rows {
				if r.Status != complaint.StatusClaimed || r.ClaimedByID == testOfficer.ID {
					t.Fatalf("row %+v", r)
				}
			}
		}},
		{"done", "4", func(t *testing.T, h *harness) {
			for _, r := range h.queue().rows {
				if !r.Status.Final() {
					t.Fatalf("row %+v", r)
				}
			}
		}},
		{"sort by reference ascending", "o", func(t *testing.T, h *harness) {
			q := h.queue()
			if q.sort != ColReference || q.desc {
				t.Fatalf("sort %v desc %v", q.sort, q.desc)
			}
			for i := 1; i < len(q.rows); i++ {
				if q.rows[i-1].Reference > q.rows[i].Reference {
					t.Fatal("not sorted")
				}
			}
		}},
		{"filter type as typed", "5/type:graf", func(t *testing.T, h *harness) {
			q := h.queue()
			if !q.typing || q.filter.Type != "graffiti" || len(q.rows) == 0 {
				t.Fatalf("typing %v filter %+v rows %d", q.typing, q.filter, len(q.rows))
			}
			for _, r := range q.rows {
				if r.FactType != "graffiti" {
					t.Fatalf("row %+v", r)
				}
			}
			if q.counts[TabAll] != q.total || q.total >= 300 {
				t.Fatalf("counts %v total %d", q.counts, q.total)
			}
		}},
		{"filter status intersects tab", "1/status:handled<enter>", func(t *testing.T, h *harness) {
			q := h.queue()
			if q.typing || q.total != 0 || !strings.Contains(h.view(), "No complaints here") {
				t.Fatalf("typing %v total %d", q.typing, q.total)
			}
		}},
		{"filter bad term shows error, keeps last good", "/type:zzz", func(t *testing.T, h *harness) {
			q := h.queue()
			if q.filterErr == "" || !strings.Contains(h.view(), "unknown type") {
				t.Fatal("no error shown")
			}
		}},
		{"filter free words (full text, accents ignored)", "5/gerard<enter>", func(t *testing.T, h *harness) {
			q := h.queue()
			if len(q.rows) == 0 {
				t.Fatal("no rows")
			}
			for _, r := range q.rows[:min(5, len(q.rows))] {
				c, _ := h.src.Get(context.Background(), r.Reference)
				if !strings.Contains(strings.ToLower(string(mustJSON(c.Record))), "g\\u00e9rard") &&
					!strings.Contains(strings.ToLower(string(mustJSON(c.Record))), "gérard") &&
					!strings.Contains(strings.ToLower(string(mustJSON(c.Record))), "gerard") {
					t.Fatalf("%s does not mention Gérard", r.Reference)
				}
			}
		}},
		{"filter age", "5/age:<lt>1d", func(t *testing.T, h *harness) {
			if h.queue().total != 0 { // fixtures are ~30 days old
				t.Fatal(h.queue().total)
			}
		}},
		{"esc clears filter", "/type:graf<esc>", func(t *testing.T, h *harness) {
			q := h.queue()
			if q.typing || q.filterText != "" || !q.filter.Empty() || q.total != q.counts[TabNew] {
				t.Fatalf("%+v", q.filter)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, recs, "en", 120, 30)
			h.keys(tc.keys)
			tc.check(t, h)
		})
	}
}

func TestActionsAndDialogs(t *testing.T) {
	recs := storetest.Records(60, 2)
	get := func(h *harness, ref string) Complaint {
		c, err := h.src.Get(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	tests := []struct {
		name  string
		keys  string // from the first New row, detail open
		check func(t *testing.T, h *harness, ref string)
	}{
		{"claim", "c", func(t *testing.T, h *harness, ref string) {
			c := get(h, ref)
			if c.Status != complaint.StatusClaimed || !c.Pending || !strings.Contains(h.view(), "queued") {
				t.Fatalf("%s pending %v", c.Status, c.Pending)
			}
		}},
		{"claim then release", "cu", func(t *testing.T, h *harness, ref string) {
			if c := get(h, ref); c.Status != complaint.StatusNew {
				t.Fatal(c.Status)
			}
		}},
		{"handle without claim is refused at once, no dialog", "h", func(t *testing.T, h *harness, ref string) {
			if c := get(h, ref); c.Status != complaint.StatusNew || !strings.Contains(h.view(), "Handle of "+ref+" refused: Claim the complaint first") {
				t.Fatalf("%s\n%s", c.Status, h.view())
			}
			if _, ok := h.app.Top().(*detailModel); !ok {
				t.Fatalf("top %T", h.app.Top())
			}
		}},
		{"handle invalid PV cannot confirm", "chNI.55<enter><enter>", func(t *testing.T, h *harness, ref string) {
			if _, ok := h.app.Top().(*dialogModel); !ok || !strings.Contains(h.view(), "Invalid PV") {
				t.Fatal("dialog closed or no error")
			}
			if c := get(h, ref); c.Status != complaint.StatusClaimed {
				t.Fatal(c.Status)
			}
		}},
		{"handle asks confirmation", "chni 55 l5 012345/26<enter>", func(t *testing.T, h *harness, ref string) {
			if _, ok := h.app.Top().(*dialogModel); !ok || !strings.Contains(h.view(), "NI.55.L5.012345/2026") || !strings.Contains(h.view(), "confirm") {
				t.Fatal(h.view())
			}
		}},
		{"handle confirmed", "chni 55 l5 012345/26<enter><enter>", func(t *testing.T, h *harness, ref string) {
			c := get(h, ref)
			if c.Status != complaint.StatusHandled || c.PVNumber != "NI.55.L5.012345/2026" {
				t.Fatalf("%s %q", c.Status, c.PVNumber)
			}
			if _, ok := h.app.Top().(*detailModel); !ok {
				t.Fatalf("top %T", h.app.Top())
			}
		}},
		{"handle cancelled", "chNI.55.L5.012345/2026<esc>", func(t *testing.T, h *harness, ref string) {
			if c := get(h, ref); c.Status != complaint.StatusClaimed {
				t.Fatal(c.Status)
			}
		}},
		{"reject needs reason", "cx<enter>", func(t *testing.T, h *harness, ref string) {
			if !strings.Contains(h.view(), "required") {
				t.Fatal(h.view())
			}
		}},
		{"reject with reason", "cxPas une infraction pénale<enter><enter>", func(t *testing.T, h *harness, ref string) {
			if c := get(h, ref); c.Status != complaint.StatusRejected || c.Reason != "Pas une infraction pénale" {
				t.Fatalf("%s %q", c.Status, c.Reason)
			}
		}},
		{"forward zone picker filters as typed", "cfbrux<down><enter><enter>", func(t *testing.T, h *harness, ref string) {
			c := get(h, ref)
			if c.Status != complaint.StatusForwarded || c.ForwardedTo == "" || c.ForwardedTo == "5275" {
				t.Fatalf("%s %q", c.Status, c.ForwardedTo)
			}
			z, _ := complaint.DefaultRouter().Zone(c.ForwardedTo)
			if !strings.Contains(complaint.NormalizePlaceName(z.Name), "brux") {
				t.Fatalf("forwarded to %s %q", z.Code, z.Name)
			}
		}},
		{"forward with reason via tab", "cfbrux<tab>hors zone<enter><enter>", func(t *testing.T, h *harness, ref string) {
			if c := get(h, ref); c.Status != complaint.StatusForwarded || c.Reason != "hors zone" {
				t.Fatalf("%s %q", c.Status, c.Reason)
			}
		}},
		{"copy selected field and by key", "jjy", func(t *testing.T, h *harness, ref string) {
			d := h.app.Top().(*detailModel)
			if got := h.clip.last(); got != d.fields[2].Value {
				t.Fatalf("copied %q want %q", got, d.fields[2].Value)
			}
			h.keys(d.labels[0])
			if got := h.clip.last(); got != d.fields[0].Value || !strings.Contains(h.view(), "Copied "+d.fields[0].Label+" (system clipboard, clears in 30 s)") {
				t.Fatalf("copied %q\n%s", got, h.view())
			}
		}},
		{"copy all in ISLP order", "Y", func(t *testing.T, h *harness, ref string) {
			got := h.clip.last()
			i1, i2 := strings.Index(got, "== Facts"), strings.Index(got, "== Complainant")
			if i1 < 0 || i2 < i1 {
				t.Fatalf("%q", got)
			}
		}},
		{"help and back", "?", func(t *testing.T, h *harness, ref string) {
			if _, ok := h.app.Top().(*helpModel); !ok || !strings.Contains(h.view(), "copy all (ISLP order)") {
				t.Fatal(h.view())
			}
			h.keys("<esc>")
			if _, ok := h.app.Top().(*detailModel); !ok {
				t.Fatal("not back")
			}
		}},
		{"conflicts panel", "!", func(t *testing.T, h *harness, ref string) {
			if !strings.Contains(h.view(), "No conflicts") {
				t.Fatal(h.view())
			}
		}},
		{"q on the detail goes back", "q", func(t *testing.T, h *harness, ref string) {
			if h.quit {
				t.Fatal("quit from the detail")
			}
			if _, ok := h.app.Top().(*queueModel); !ok {
				t.Fatalf("top %T", h.app.Top())
			}
		}},
		{"quit from the queue with nothing queued", "qq", func(t *testing.T, h *harness, ref string) {
			if !h.quit {
				t.Fatal("did not quit")
			}
		}},
		{"quit with queued actions asks first", "cqq", func(t *testing.T, h *harness, ref string) {
			if h.quit || !strings.Contains(h.view(), "1 queued action(s) will be sent at the next start — quit?") {
				t.Fatalf("quit %v:\n%s", h.quit, h.view())
			}
			h.keys("n")
			if h.quit {
				t.Fatal("quit after n")
			}
			if _, ok := h.app.Top().(*queueModel); !ok {
				t.Fatalf("top after n: %T", h.app.Top())
			}
			h.keys("qy")
			if !h.quit {
				t.Fatal("did not quit after y")
			}
		}},
		{"ctrl+c twice quits with queued actions", "c<ctrlc>", func(t *testing.T, h *harness, ref string) {
			if h.quit {
				t.Fatal("quit at the first ctrl+c")
			}
			h.keys("<ctrlc>")
			if !h.quit {
				t.Fatal("did not quit at the second ctrl+c")
			}
		}},
		{"q while typing is text", "chq", func(t *testing.T, h *harness, ref string) {
			if h.quit {
				t.Fatal("quit while typing")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, recs, "en", 120, 40)
			ref := h.queue().SelectedRef()
			h.keys("<enter>")
			h.keys(tc.keys)
			tc.check(t, h, ref)
		})
	}
}

// TestAuditViewsAndCopies: opening a complaint and copying a field are in
// the audit log with officer, zone, reference and field.
func TestAuditViewsAndCopies(t *testing.T) {
	h := newHarness(t, storetest.Records(20, 2), "en", 120, 40)
	ref := h.queue().SelectedRef()
	h.keys("<enter>y")
	evs, err := h.st.PendingAudit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, e := range evs {
		if e.Reference == ref && e.Officer == testOfficer.ID && e.Zone == "5275" {
			kinds[e.Kind] = true
			if e.Kind == "copy" && e.Field == "" {
				t.Fatal("copy without field")
			}
		}
	}
	if !kinds["view"] || !kinds["copy"] {
		t.Fatalf("audit %+v", evs)
	}
}

// TestCodedMessagesExist: the messages the workstation chooses by a code
// made of a key name, a status or an action type exist (package i18n checks
// every language has them; a message named by a field cannot be missing).
func TestCodedMessagesExist(t *testing.T) {
	has := func(code string) bool { _, ok := i18n.For("en").Code("tui." + code); return ok }
	k := NewKeyMap("en")
	rawKey := regexp.MustCompile(`^[a-z]+(\.[a-z0-9_]+)+$`) // what coded returns for a missing message
	for name, b := range k.Bindings() {
		if d := b.Help().Desc; d == "" || rawKey.MatchString(d) {
			t.Errorf("binding %s has no help text (%q)", name, d)
		}
	}
	for _, st := range complaint.Statuses {
		if !has("status." + string(st)) {
			t.Errorf("status %s has no word", st)
		}
	}
	for _, a := range complaint.Actions {
		l := a.Labels
		for what, key := range map[string]string{"noun": l.Noun, "key": l.Key, "queued": l.Queued, "refused": l.Refused,
			"dialog": l.Dialog, "bulk title": l.BulkTitle, "bulk question": l.BulkAsk, "no bulk": l.NoBulk} {
			needed := what == "dialog" && len(a.Inputs) > 0 || strings.HasPrefix(what, "bulk") && a.Bulk ||
				what == "no bulk" && !a.Bulk || !strings.HasPrefix(what, "bulk") && what != "dialog" && what != "no bulk"
			if needed && !has(key) {
				t.Errorf("action %s has no %s message (%q)", a.Type, what, key)
			}
		}
	}
	for _, f := range []string{"filter.badtype", "filter.badstatus", "filter.badage", "filter.baddate", "filter.badrange", "filter.longrange"} {
		if !has(f) {
			t.Errorf("filter error %s has no message", f)
		}
	}
}

// TestBurstKeys: keys that arrive in one read come as one multi-rune key
// press; each must act as if typed alone. A paste is not split.
func TestBurstKeys(t *testing.T) {
	recs := storetest.Records(300, 1)
	tests := []struct {
		name string
		msg  tea.KeyMsg
		want int
	}{
		{"jjjj in one read", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjjj")}, 4},
		{"jjk in one read", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjk")}, 1},
		{"pasted jjjj", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjjj"), Paste: true}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, recs, "en", 100, 24)
			h.send(tc.msg)
			if got := h.queue().cursor; got != tc.want {
				t.Fatalf("cursor %d, want %d", got, tc.want)
			}
		})
	}
}
