package tui

import (
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store/storetest"
)

// TestParseFilterTerms: localized fact types and usual words, status lists
// and "done", dates in the Belgian and ISO forms, names in any language.
func TestParseFilterTerms(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	closed := []complaint.Status{complaint.StatusHandled, complaint.StatusRejected, complaint.StatusForwarded}
	tests := []struct {
		in   string
		lang string
		want Filter
	}{
		{"type:vélo", "fr", Filter{Type: "bicycle_theft"}},
		{"type:velo", "fr", Filter{Type: "bicycle_theft"}},
		{"type:fiets", "nl", Filter{Type: "bicycle_theft"}},
		{"type:Fahrrad", "de", Filter{Type: "bicycle_theft"}},
		{"type:bike", "en", Filter{Type: "bicycle_theft"}},
		{"type:étalage", "fr", Filter{Type: "shoplifting"}},
		{"soort:winkel", "nl", Filter{Type: "shoplifting"}},
		{"type:dégradation", "fr", Filter{Type: "damage_private_property"}},
		{"status:handled,rejected", "en", Filter{Statuses: []complaint.Status{complaint.StatusHandled, complaint.StatusRejected}}},
		{"status:done", "fr", Filter{Statuses: closed}},
		{"statut:traitée", "fr", Filter{Statuses: []complaint.Status{complaint.StatusHandled}}},
		{"status:afgehandeld", "nl", Filter{Statuses: closed}},
		{"du:2026-11-01 au:15/11/2026", "fr", Filter{FactsFrom: day("2026-11-01"), FactsTo: day("2026-11-15")}},
		{"von:1.11.2026 bis:15.11.2026", "de", Filter{FactsFrom: day("2026-11-01"), FactsTo: day("2026-11-15")}},
		{"from:2026-11-01", "en", Filter{FactsFrom: day("2026-11-01")}},
		{"par:dupont", "fr", Filter{Holder: "dupont"}},
		{"door:Peeters", "nl", Filter{Holder: "Peeters"}},
		{"85.07.30-033.28 12:30", "fr", Filter{Words: []string{"85.07.30-033.28", "12:30"}}},
	}
	for _, tc := range tests {
		got, err := ParseFilter(tc.in, tc.lang)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got.Type != tc.want.Type || got.Holder != tc.want.Holder || !got.FactsFrom.Equal(tc.want.FactsFrom) ||
			!got.FactsTo.Equal(tc.want.FactsTo) || strings.Join(got.Words, " ") != strings.Join(tc.want.Words, " ") ||
			len(got.Statuses) != len(tc.want.Statuses) {
			t.Errorf("%q: %+v, want %+v", tc.in, got, tc.want)
			continue
		}
		for i := range got.Statuses {
			if got.Statuses[i] != tc.want.Statuses[i] {
				t.Errorf("%q: statuses %v, want %v", tc.in, got.Statuses, tc.want.Statuses)
			}
		}
	}
	for _, bad := range []string{"type:xyz", "status:foo", "status:new,foo", "age:2d", "du:2026-13-01",
		"du:2026-11-15 au:2026-11-01", "du:2024-01-01 au:2026-01-01", "type:v"} {
		if _, err := ParseFilter(bad, "fr"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestInvalidFilterShowsNoRows: after a term that is not understood, the
// queue shows no complaint under "Filter: …" (neither while typing nor after
// enter), the error stays on the screen and in the status line, and no
// action reaches a row; fixing the term shows the filtered rows.
func TestInvalidFilterShowsNoRows(t *testing.T) {
	for _, lang := range allLangs {
		recs := storetest.Records(60, 1)
		h := newHarness(t, recs, lang, 100, 24)
		h.keys("/type:bicyclette<enter>")
		v := h.view()
		errText := i18n.For(lang).TUI.Filter.Badtype.F("type:bicyclette")
		for _, r := range recs {
			if strings.Contains(v, r.Reference) {
				t.Fatalf("%s: row %s shown under an invalid filter:\n%s", lang, r.Reference, v)
			}
		}
		if !strings.Contains(v, errText) {
			t.Fatalf("%s: the error is not on the screen after enter:\n%s", lang, v)
		}
		if !strings.Contains(h.app.status, errText) {
			t.Fatalf("%s: the status line says %q", lang, h.app.status)
		}
		h.keys("c") // no row: no action
		if n, _, _ := h.st.OutboxCounts(t.Context()); n != 0 {
			t.Fatalf("%s: an action was queued under an invalid filter", lang)
		}
		h.keys("r") // a refresh does not bring the old rows back
		if strings.Contains(h.view(), "5275-2026-") {
			t.Fatalf("%s: rows back after a refresh:\n%s", lang, h.view())
		}
		// Fixed: the bicycle thefts.
		h.keys("/<bs><bs><bs><bs><bs><bs><bs><bs><bs><bs>vélo<enter>")
		q := h.queue()
		if q.filterErr != "" || len(q.rows) == 0 {
			t.Fatalf("%s: fixed filter: err %q, %d rows", lang, q.filterErr, len(q.rows))
		}
		for _, r := range q.rows {
			if r.FactType != "bicycle_theft" {
				t.Fatalf("%s: %s is %s", lang, r.Reference, r.FactType)
			}
		}
	}
}

// TestInvalidFilterAccessible: the accessible queue announces the error
// after enter and lists no complaint.
func TestInvalidFilterAccessible(t *testing.T) {
	h := newHarnessWith(t, storetest.Records(30, 1), "fr", 80, 24, func(o *Options) { o.Accessible = true })
	h.keys("/status:foo<enter>")
	want := i18n.For("fr").TUI.Filter.Badstatus.F("status:foo")
	if !strings.Contains(h.app.status, want) {
		t.Fatalf("announcement %q, want %q", h.app.status, want)
	}
	if strings.Contains(h.view(), "5275-2026-") {
		t.Fatalf("rows listed:\n%s", h.view())
	}
}

// TestFilterFindsIdentifiers: the filter finds a complaint by its national
// number with and without separators, birth date, phone, PV number, holder
// and facts days, through the real cache.
func TestFilterFindsIdentifiers(t *testing.T) {
	recs := storetest.Records(80, 3)
	var r complaint.Record
	for _, x := range recs {
		if x.PVNumber != "" {
			r = x
			break
		}
	}
	if r.Reference == "" {
		t.Fatal("fixture without a handled complaint")
	}
	nn, _ := complaint.ParseNationalNumber(r.Complainant.Identification.NationalNumber)
	birth, _ := time.Parse("2006-01-02", r.Complainant.BirthDate)
	before := r.Facts.StartedAt.AddDate(0, 0, -1).Format("2006-01-02") // a day each side: Brussels or UTC
	after := r.Facts.StartedAt.AddDate(0, 0, 1).Format("2006-01-02")
	for _, f := range []string{nn.String(), nn.Digits(), birth.Format("02/01/2006"),
		"0" + strings.TrimPrefix(r.Complainant.Phone, "+32"), r.PVNumber,
		"par:" + strings.Fields(r.ClaimedBy.Name)[len(strings.Fields(r.ClaimedBy.Name))-1] + " " + r.Reference,
		"du:" + before + " au:" + after + " " + r.Complainant.LastName} {
		h := newHarness(t, recs, "fr", 100, 24)
		h.keys("5/" + f + "<enter>")
		found := false
		for _, x := range h.queue().rows {
			found = found || x.Reference == r.Reference
		}
		if !found {
			t.Errorf("filter %q does not find %s (%d rows, err %q)", f, r.Reference, len(h.queue().rows), h.queue().filterErr)
		}
	}
}
