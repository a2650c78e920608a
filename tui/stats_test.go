package tui

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store"
	"guichet/store/storetest"
)

// statsFixture spreads n storetest records over the 90 days before
// testNow (shifting each one's history with it), with places that include
// accents, CJK, emoji and hostile text.
func statsFixture(n int) []complaint.Record {
	recs := storetest.Records(n, 5)
	munis := []string{"Ottignies-Louvain-la-Neuve", "Wavre", "Court-Saint-Étienne", "東京都 🏘️", hostile, "Genappe"}
	streets := []string{"Rue Haute", "Grand-Rue", "Chaussée de Namur — 自行车 🚲", hostile, "Place de l'Université"}
	start := testNow.Add(-90 * 24 * time.Hour)
	for i := range recs {
		r := &recs[i]
		at := start.Add(time.Duration(i) * 90 * 24 * time.Hour / time.Duration(n))
		// Every third complaint waits days before it is handled.
		wait := time.Duration(i%3) * 37 * time.Hour
		delta := at.Sub(r.ReceivedAt)
		r.ReceivedAt, r.UpdatedAt = at, r.UpdatedAt.Add(delta+wait)
		for j := range r.History {
			r.History[j].At = r.History[j].At.Add(delta + wait)
		}
		r.Facts.Place.Municipality = munis[(i*7)%len(munis)%(1+i%len(munis))]
		r.Facts.Place.Street = streets[(i/2)%len(streets)]
	}
	return recs
}

func statsContext(lang string) *Context {
	return &Context{Ctx: context.Background(), Lang: lang, Styles: NewStyles(ThemeFor("default")),
		Keys: NewKeyMap(lang), Zone: storetest.Zone, Now: func() time.Time { return testNow }, Loc: time.UTC}
}

// loadedStats makes the screen over st at w×h and runs its query.
func loadedStats(t *testing.T, st StatsSource, lang string, w, h int) *statsModel {
	t.Helper()
	s := NewStatsScreen(statsContext(lang), st).(*statsModel)
	s.SetSize(w, h)
	runStats(t, s, s.Init())
	return s
}

func runStats(t *testing.T, s *statsModel, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	if _, next := s.Update(cmd()); next != nil {
		t.Fatalf("unexpected command after the answer")
	}
	if s.err != "" || !s.loaded {
		t.Fatalf("not loaded: %q", s.err)
	}
}

var statsLine = regexp.MustCompile(`^(\d\d [A-Z][a-z]{2}(?: \d\d)?) [█▓▒░#=+~ ]*? ?(\d+)$`)

// TestStatsScreenShowsCountedNumbers: every week's total and backlog on
// the screen is what the test counts from the same records.
func TestStatsScreenShowsCountedNumbers(t *testing.T) {
	recs := statsFixture(300)
	st := openStore(t, recs)
	for _, key := range []string{"1", "2", "3"} {
		s := loadedStats(t, st, "en", 80, 1000)
		if key != "2" {
			_, cmd := s.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(key)})
			runStats(t, s, cmd)
		}
		weeks := map[string]int{"1": 4, "2": 12, "3": 52}[key]
		from := statsWeekStart(testNow, time.UTC).AddDate(0, 0, -7*(weeks-1))
		dateFmt := "02 Jan" // English dates (TestStatsDatesFollowLanguage)
		if from.Year() != testNow.Year() {
			dateFmt = "02 Jan 06"
		}
		// Counted here: complaints per week (by the Monday of their week)
		// and open ones at each week's end (the next Monday, or now).
		perWeek, total := map[string]int{}, 0
		var ends []time.Time
		for d := from; d.Before(testNow); d = d.AddDate(0, 0, 7) {
			ends = append(ends, minTime(d.AddDate(0, 0, 7), testNow))
		}
		for _, r := range recs {
			if r.ReceivedAt.Before(from) || !r.ReceivedAt.Before(testNow) {
				continue
			}
			day := r.ReceivedAt.UTC()
			mon := time.Date(day.Year(), day.Month(), day.Day()-(int(day.Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
			perWeek[mon.Format(dateFmt)]++
			total++
		}
		open := map[string]int{}
		for _, e := range ends {
			n := 0
			for _, r := range recs {
				closed := false
				for _, h := range r.History {
					if h.To.Final() && h.At.Before(e) {
						closed = true
						break
					}
				}
				if r.ReceivedAt.Before(e) && !closed {
					n++
				}
			}
			open[e.Add(-time.Nanosecond).Format(dateFmt)] = n
		}

		view := s.View()
		if !strings.Contains(view, fmt.Sprintf("%d complaints", total)) {
			t.Errorf("%d weeks: total %d not shown:\n%s", weeks, total, view)
		}
		// The per-week section comes first, then the backlog one.
		gotWeek, gotOpen := map[string]int{}, map[string]int{}
		inBacklog := false
		for _, line := range strings.Split(view, "\n") {
			inBacklog = inBacklog || strings.Contains(line, i18n.For("en").TUI.Stats.Backlog)
			m := statsLine.FindStringSubmatch(strings.TrimRight(line, " "))
			if m == nil {
				continue
			}
			n, _ := strconv.Atoi(m[2])
			if inBacklog {
				gotOpen[m[1]] = n
			} else {
				gotWeek[m[1]] = n
			}
		}
		if len(gotWeek) != weeks || len(gotOpen) != weeks {
			t.Errorf("%d weeks: %d week rows and %d backlog rows:\n%s", weeks, len(gotWeek), len(gotOpen), view)
		}
		for label, n := range gotWeek {
			if perWeek[label] != n {
				t.Errorf("%d weeks: week of %s shows %d, counted %d", weeks, label, n, perWeek[label])
			}
		}
		for label, n := range perWeek {
			if gotWeek[label] != n {
				t.Errorf("%d weeks: week of %s counted %d, shows %d", weeks, label, n, gotWeek[label])
			}
		}
		for label, n := range open {
			if gotOpen[label] != n {
				t.Errorf("%d weeks: open at %s counted %d, shows %d", weeks, label, n, gotOpen[label])
			}
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// slowStats answers from a fixed Stats, recording the questions.
type recordingStats struct {
	asked []store.StatsQuery
	err   error
}

func (r *recordingStats) Stats(_ context.Context, q store.StatsQuery) (store.Stats, error) {
	r.asked = append(r.asked, q)
	return store.Stats{From: q.From, To: q.To}, r.err
}

func TestStatsScreenUpdate(t *testing.T) {
	src := &recordingStats{}
	s := NewStatsScreen(statsContext("en"), src).(*statsModel)
	s.SetSize(80, 20)
	first := s.Init()
	if !s.loading || s.weeks != 12 {
		t.Fatalf("init: loading %v weeks %d", s.loading, s.weeks)
	}
	// A period key asks again; the first answer, now stale, is dropped.
	k := func(r string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(r)} }
	_, second := s.Update(k("3"))
	stale := first()
	s.Update(stale)
	if s.loaded {
		t.Fatal("stale answer kept")
	}
	s.Update(second())
	if !s.loaded || s.shownW != 52 {
		t.Fatalf("after answer: loaded %v period %d", s.loaded, s.shownW)
	}
	q := src.asked[1]
	if !q.To.Equal(testNow) || q.From.Weekday() != time.Monday || q.To.Sub(q.From) > store.MaxStatsPeriod ||
		q.To.Sub(q.From) < 51*7*24*time.Hour {
		t.Errorf("52-week query %v – %v", q.From, q.To)
	}
	for _, tc := range []struct {
		key   string
		weeks int
		asks  bool
	}{
		{"]", 52, false}, {"[", 12, true}, {"[", 4, true}, {"[", 4, false}, {"2", 12, true}, {"2", 12, false},
	} {
		_, cmd := s.Update(k(tc.key))
		if s.weeks != tc.weeks || (cmd != nil) != tc.asks {
			t.Errorf("key %s: weeks %d asks %v, want %d %v", tc.key, s.weeks, cmd != nil, tc.weeks, tc.asks)
		}
		if cmd != nil {
			s.Update(cmd())
		}
	}
	if ns, _ := s.Update(tea.KeyMsg{Type: tea.KeyEsc}); ns.(navigator) == nil {
		t.Error("esc: not a navigator")
	} else if _, pop := ns.(navigator).takeNav(); !pop {
		t.Error("esc does not go back")
	}
	// A refresh asks again; an error is shown, sanitized.
	src.err = fmt.Errorf("disk \x1b[2J gone")
	_, cmd := s.Update(refreshMsg{})
	s.Update(cmd())
	if v := s.View(); !strings.Contains(v, "Statistics unavailable") || strings.Contains(v, "\x1b[2J") {
		t.Errorf("error view: %q", v)
	}
	// Help lists the period keys.
	var keys []string
	for _, g := range s.Help().FullHelp() {
		for _, b := range g {
			keys = append(keys, b.Help().Key)
		}
	}
	if got := strings.Join(keys, " "); !strings.Contains(got, "1 2 3 [ ]") {
		t.Errorf("help keys: %s", got)
	}
}

func TestStatsDuration(t *testing.T) {
	d := 2*24*time.Hour + 4*time.Hour + 10*time.Minute
	for _, tc := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"fr", d, "2 j 4 h"}, {"nl", d, "2 d 4 u"}, {"de", d, "2 T 4 Std"}, {"en", d, "2 d 4 h"},
		{"fr", 3*time.Hour + 5*time.Minute, "3 h 5 min"}, {"nl", 3 * time.Hour, "3 u 0 min"},
		{"de", 12*time.Minute + 40*time.Second, "13 Min"}, {"en", 0, "0 min"},
	} {
		if got := statsDuration(tc.lang, tc.d); got != tc.want {
			t.Errorf("%s %v = %q, want %q", tc.lang, tc.d, got, tc.want)
		}
	}
}

// TestStatsLabelsInEachLanguage: every section title and column is in the
// officer's language, and handling times are written in it.
func TestStatsLabelsInEachLanguage(t *testing.T) {
	st := openStore(t, statsFixture(300))
	durRe := map[string]*regexp.Regexp{
		"fr": regexp.MustCompile(`\d+ (j \d+ h|h \d+ min)`), "nl": regexp.MustCompile(`\d+ (d \d+ u|u \d+ min)`),
		"de": regexp.MustCompile(`\d+ (T \d+ Std|Std \d+ Min)`), "en": regexp.MustCompile(`\d+ (d \d+ h|h \d+ min)`),
	}
	for _, lang := range i18n.OfficerLanguages() {
		s := loadedStats(t, st, lang, 200, 1000)
		v := s.View()
		for _, k := range []string{"stats.perweek", "stats.munis", "stats.streets", "stats.handling", "stats.col.type",
			"stats.col.count", "stats.col.med", "stats.col.p90", "stats.backlog"} {
			if !strings.Contains(v, uiMessages(lang)[k]) {
				t.Errorf("%s: %s (%q) missing", lang, k, uiMessages(lang)[k])
			}
		}
		if !strings.Contains(v, i18n.For(lang).TUI.Stats.Weeks.F(52)) || !strings.Contains(v, i18n.For(lang).TUI.Stats.Title.F("5275")) {
			t.Errorf("%s: header missing", lang)
		}
		if !durRe[lang].MatchString(v) {
			t.Errorf("%s: no duration in the language", lang)
		}
		for _, ft := range complaint.Catalog() {
			if !strings.Contains(v, ft.Label(lang)) {
				t.Errorf("%s: fact type %s missing", lang, ft.Label(lang))
			}
		}
	}
}

// TestStatsWidths: at every width from 20 to 200 no line of the screen
// (whole content, and inside the app at 24 lines) is wider than the screen,
// and no hostile sequence gets through.
func TestStatsWidths(t *testing.T) {
	recs := statsFixture(300)
	st := openStore(t, recs)
	for w := 20; w <= 200; w++ {
		s := loadedStats(t, st, "fr", w, 1000)
		checkFrame(t, "stats", s.View(), w, 1000)
	}
	h := newHarness(t, recs, "de", 20, 24)
	h.run(h.app.Push(NewStatsScreen(h.app.Context(), h.st)))
	for w := 20; w <= 200; w += 3 {
		h.size(w, 24)
		checkFrame(t, "stats-app", h.view(), w, 24)
		h.keys("G")
		checkFrame(t, "stats-app-end", h.view(), w, 24)
		h.keys("g")
	}
}

// TestStatsGoldens: the screen inside the app at 80×24 and 160×45 in each
// officer language (dates, labels and figures follow it), in
// testdata/stats_LANG_WxH.golden (go test -run TestStatsGoldens -update).
func TestStatsGoldens(t *testing.T) {
	recs := statsFixture(300)
	for _, lang := range []string{"fr", "nl", "de", "en"} {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			checkStatsGolden(t, recs, lang, sz[0], sz[1])
		}
	}
}

func checkStatsGolden(t *testing.T, recs []complaint.Record, lang string, w, height int) {
	t.Helper()
	h := newHarness(t, recs, lang, w, height)
	h.run(h.app.Push(NewStatsScreen(h.app.Context(), h.st)))
	frame := h.view()
	checkFrame(t, "stats", frame, w, height)
	path := filepath.Join("testdata", fmt.Sprintf("stats_%s_%dx%d.golden", lang, w, height))
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, []byte(frame), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, []byte(frame)) {
		t.Errorf("%s differs; got:\n%s", path, frame)
	}
}

// TestStatsAccessible: in accessible mode the statistics are figures in
// words, with no bar, block or box-drawing glyph, and every week's total
// still on screen.
func TestStatsAccessible(t *testing.T) {
	recs := statsFixture(300)
	st := openStore(t, recs)
	c := statsContext("en")
	c.Accessible = true
	s := NewStatsScreen(c, st).(*statsModel)
	s.SetSize(80, 1000)
	runStats(t, s, s.Init())
	view := s.View()
	for _, r := range view {
		if isBoxDrawing(r) {
			t.Fatalf("accessible stats has glyph %q:\n%s", r, view)
		}
	}
	week := regexp.MustCompile(`(?m)^\d\d [A-Z][a-z]{2}(?: \d\d)?: \d+ \(`)
	if n := len(week.FindAllString(view, -1)); n == 0 {
		t.Fatalf("no \"week: total (per type)\" line:\n%s", view)
	}
}

// TestStatsDatesFollowLanguage: the week labels and the period of the
// statistics are written like the other dates of the officer's language
// (de 14.09.26, en 14 Sep), not in one French-looking format for all.
func TestStatsDatesFollowLanguage(t *testing.T) {
	st := openStore(t, statsFixture(300))
	// testNow's week and the period's first day, in each language's way.
	mon := statsWeekStart(testNow, time.UTC)
	from := mon.AddDate(0, 0, -7*11)
	y := ""
	if from.Year() != mon.Year() { // the weeks then carry their year
		y = "06"
	}
	want := map[string][2]string{
		"fr": {mon.Format("02/01" + map[bool]string{true: "/" + y}[y != ""]), from.Format("02/01/06")},
		"nl": {mon.Format("02/01" + map[bool]string{true: "/" + y}[y != ""]), from.Format("02/01/06")},
		"de": {mon.Format("02.01." + y), from.Format("02.01.06")},
		"en": {mon.Format("02 Jan" + map[bool]string{true: " " + y}[y != ""]), from.Format("02 Jan 06")},
	}
	for _, lang := range allLangs {
		v := loadedStats(t, st, lang, 120, 1000).View()
		week, period := want[lang][0], want[lang][1]
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(week) + ` `).MatchString(v) {
			t.Errorf("%s: no week line labelled %q:\n%s", lang, week, v)
		}
		if !strings.Contains(v, period) {
			t.Errorf("%s: period start %q not in the header:\n%s", lang, period, v)
		}
	}
}
