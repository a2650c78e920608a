package tui

import (
	"strings"
	"testing"

	"guichet/i18n"
	"guichet/store/storetest"
)

// TestMunicipalityColumnOnlyWhenItSaysSomething: in a zone whose
// complaints are all in one municipality the column is left out and its
// room goes to the fact type and the status, which are then never cut; with
// two municipalities the column is there.
func TestMunicipalityColumnOnlyWhenItSaysSomething(t *testing.T) {
	for _, lang := range allLangs {
		recs := storetest.Records(40, 2) // every one in Ottignies-Louvain-la-Neuve
		h := newHarness(t, recs, lang, 120, 24)
		v := h.view()
		header := strings.Split(v, "\n")[2]
		if strings.Contains(header, i18n.For(lang).TUI.Columns[3]) {
			t.Errorf("%s: municipality column shown in a one-municipality zone:\n%s", lang, header)
		}
		if strings.Contains(v, "Ottignies") {
			t.Errorf("%s: the one municipality repeated on each row:\n%s", lang, v)
		}
		for _, l := range strings.Split(v, "\n")[3:10] {
			if strings.Contains(l, "…") {
				t.Errorf("%s: a cell is cut at 120 columns: %q", lang, l)
			}
		}

		recs[1].Facts.Place.Municipality = "Court-Saint-Étienne"
		h = newHarness(t, recs, lang, 120, 24)
		if header := strings.Split(h.view(), "\n")[2]; !strings.Contains(header, i18n.For(lang).TUI.Columns[3]) {
			t.Errorf("%s: no municipality column with two municipalities:\n%s", lang, header)
		}
	}
}

// TestTabsReadableAt80: with five-digit counts the tab line still fits 80
// columns with a word for every tab, never "2:1234".
func TestTabsReadableAt80(t *testing.T) {
	for _, lang := range allLangs {
		h := newHarness(t, storetest.Records(10, 2), lang, 80, 24)
		q := h.queue()
		for i := range q.counts {
			q.counts[i] = 12345 + i
		}
		line := strings.Split(h.view(), "\n")[0]
		if w := len([]rune(line)); w > 80 {
			t.Errorf("%s: tab line %d wide", lang, w)
		}
		for tab := Tab(0); tab < tabCount; tab++ {
			if strings.Contains(line, string(rune('1'+tab))+":") {
				t.Errorf("%s: tab %d without a name: %q", lang, tab+1, line)
			}
		}
		if !strings.Contains(line, i18n.For(lang).TUI.TabsShort[1]) && !strings.Contains(line, i18n.For(lang).TUI.Tabs[1]) {
			t.Errorf("%s: tab names missing: %q", lang, line)
		}
	}
}
