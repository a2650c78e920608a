package tui

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store/storetest"
)

var allLangs = i18n.OfficerLanguages()

// uiMessages is every message of the workstation in lang, by its code
// ("queue.title", "tab.0").
func uiMessages(lang string) map[string]string {
	m := i18n.For(lang).TUI
	out := map[string]string{}
	for i, s := range m.Tabs {
		out[fmt.Sprintf("tab.%d", i)] = s
	}
	for i, s := range m.TabsShort {
		out[fmt.Sprintf("tab.short.%d", i)] = s
	}
	for i, s := range m.Columns {
		out[fmt.Sprintf("col.%d", i)] = s
	}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Kind() == reflect.Struct {
				walk(f)
			} else if code, ok := strings.CutPrefix(v.Type().Field(i).Tag.Get("code"), "tui."); ok {
				out[code] = f.String()
			}
		}
	}
	walk(reflect.ValueOf(m))
	return out
}

// newHarnessWith is newHarness with options changed by opt (theme,
// accessible mode).
func newHarnessWith(t testing.TB, recs []complaint.Record, lang string, w, hh int, opt func(*Options)) *harness {
	t.Helper()
	st := openStore(t, recs)
	src := NewStoreSource(st, testOfficer, lang, nil)
	src.now = func() time.Time { return testNow }
	fc := &fakeClip{}
	o := Options{Source: src, Clipboard: fc, Lang: lang, Theme: "default", Officer: testOfficer,
		Zone: storetest.Zone, ClearAfter: 30 * time.Second, Now: func() time.Time { return testNow }, Loc: time.UTC}
	if opt != nil {
		opt(&o)
	}
	a := New(o)
	a.c.Tick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		if d <= filterDebounce {
			return func() tea.Msg { return fn(testNow) }
		}
		return nil
	}
	h := &harness{t: t, app: a, st: st, src: src, clip: fc}
	h.send(tea.WindowSizeMsg{Width: w, Height: hh})
	h.run(a.Init())
	return h
}

func TestFormats(t *testing.T) {
	at := time.Date(2026, 11, 26, 18, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang, date, dateTime, short, amount, neg, small string
	}{
		{"fr", "26/11/2026", "26/11/2026 18:05", "26/11 18:05", "€ 1.234,50", "-€ 1.234.567,09", "€ 0,05"},
		{"nl", "26/11/2026", "26/11/2026 18:05", "26/11 18:05", "€ 1.234,50", "-€ 1.234.567,09", "€ 0,05"},
		{"de", "26.11.2026", "26.11.2026 18:05", "26.11. 18:05", "€ 1.234,50", "-€ 1.234.567,09", "€ 0,05"},
		{"en", "26 Nov 2026", "26 Nov 2026 18:05", "26 Nov 18:05", "€1,234.50", "-€1,234,567.09", "€0.05"},
	} {
		got := []string{fmtDate(tc.lang, at), fmtDateTime(tc.lang, at, time.UTC), fmtShortDateTime(tc.lang, at, time.UTC),
			fmtAmount(tc.lang, 123450), fmtAmount(tc.lang, -123456709), fmtAmount(tc.lang, 5)}
		want := []string{tc.date, tc.dateTime, tc.short, tc.amount, tc.neg, tc.small}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s format %d: %q, want %q", tc.lang, i, got[i], want[i])
			}
		}
	}
	// 24-hour clock, in the location asked for.
	if got := fmtDateTime("en", time.Date(2026, 1, 1, 23, 30, 0, 0, time.UTC), time.FixedZone("CET", 3600)); got != "2 Jan 2026 00:30" {
		t.Errorf("24 h clock: %q", got)
	}
	for _, tc := range []struct{ lang, key, in, want string }{
		{"fr", "goods[0].value_eur", "1234,50", "€ 1.234,50"},
		{"en", "goods[1].value_eur", "1234.50", "€1,234.50"},
		{"de", "goods[0].estimated_cost_eur", "250,00", "€ 250,00"},
		{"de", "facts.started_at", "2026-11-20 18:00 +01:00", "20.11.2026 18:00"},
		{"en", "facts.started_at", "2026-11-20 18:00 +01:00", "20 Nov 2026 18:00"},
		{"nl", "complainant.birth_date", "1985-07-30", "30/07/1985"},
		{"fr", "goods", "2 × Parfum @ 89,00 EUR = 178,00 EUR\nTotal : 178,00 EUR", "2 × Parfum @ € 89,00 = € 178,00\nTotal : € 178,00"},
		{"fr", "goods", "Gazelle, Esprit, bleu: 450,00 EUR\nTotal: 450,00 EUR", "Gazelle, Esprit, bleu: € 450,00\nTotal: € 450,00"},
		{"fr", "goods[0].brand", "1234,50", "1234,50"}, // not an amount field: as it is
		{"fr", "facts.description", "le 2026-11-20", "le 2026-11-20"},
	} {
		if got := displayValue(tc.lang, tc.key, tc.in); got != tc.want {
			t.Errorf("displayValue(%s, %s, %q) = %q, want %q", tc.lang, tc.key, tc.in, got, tc.want)
		}
	}
	for lang, want := range map[string]string{"fr": "il y a 3 h", "nl": "3 u geleden", "de": "vor 3 Std.", "en": "3 h ago"} {
		if got := relTime(lang, at.Add(-3*time.Hour-time.Minute), at); got != want {
			t.Errorf("relTime %s: %q, want %q", lang, got, want)
		}
	}
}

// langFrames renders the queue, the detail and the help of lang at w×h.
func langFrames(t *testing.T, lang string, w, hh int) map[string]string {
	h := newHarness(t, storetest.Records(60, 3), lang, w, hh)
	h.keys("jj")
	out := map[string]string{"queue": h.view()}
	h.keys("<enter>")
	out["detail"] = h.view()
	h.keys("?")
	out["help-detail"] = h.view()
	h.keys("<esc><esc>?")
	out["help"] = h.view()
	h.keys("<esc>")
	return out
}

// TestLangGoldens: the queue and detail screens of each language.
func TestLangGoldens(t *testing.T) {
	for _, lang := range allLangs {
		for _, sz := range [][2]int{{80, 24}, {60, 20}} {
			frames := langFrames(t, lang, sz[0], sz[1])
			for _, name := range []string{"queue", "detail"} {
				t.Run(fmt.Sprintf("%s_%s_%dx%d", name, lang, sz[0], sz[1]), func(t *testing.T) {
					checkFrame(t, name, frames[name], sz[0], sz[1])
					golden.RequireEqual(t, []byte(frames[name]))
				})
			}
		}
	}
}

var formatVerb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestLanguageSwitch: every label of language A visible on the queue,
// detail or help screen is gone in language B wherever the two differ.
// The labels are the literal parts of the messages table, so a new
// message is checked without touching this test.
func TestLanguageSwitch(t *testing.T) {
	frames := map[string]string{}
	for _, lang := range allLangs {
		var all []string
		for _, f := range langFrames(t, lang, 200, 60) {
			all = append(all, f)
		}
		sort.Strings(all)
		frames[lang] = strings.Join(all, "\n")
	}
	// Words that legitimately stay (complaint data, catalog and field
	// labels of the other language) are read from the same sources.
	recs := storetest.Records(60, 3)
	inLang := func(lang string) string {
		var b strings.Builder
		for _, m := range uiMessages(lang) {
			b.WriteString(m + "\n")
		}
		for _, r := range recs {
			for _, f := range complaint.DisplayFields(&r, lang) {
				b.WriteString(f.GroupLabel + "\n" + f.Label + "\n" + f.Value + "\n")
			}
		}
		return b.String()
	}
	for _, a := range allLangs {
		checked := 0
		for _, b := range allLangs {
			if a == b {
				continue
			}
			bText := inLang(b)
			mb := uiMessages(b)
			for key, la := range uiMessages(a) {
				lb := mb[key]
				if la == lb {
					continue
				}
				for _, frag := range formatVerb.Split(la, -1) {
					frag = strings.TrimSpace(frag)
					if len([]rune(frag)) < 3 || !strings.Contains(frames[a], frag) || strings.Contains(bText, frag) {
						continue
					}
					checked++
					if strings.Contains(frames[b], frag) {
						t.Errorf("%s → %s: label %q of %s still on screen", a, b, frag, key)
					}
				}
			}
		}
		if checked < 3*40 {
			t.Errorf("%s: only %d labels checked; the screens show fewer labels than expected", a, checked)
		}
	}
}
