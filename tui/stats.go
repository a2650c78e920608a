package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"guichet/i18n"
	"guichet/store"
	"guichet/textsafe"
)

// StatsSource computes the statistics of a period; *store.Store is one.
type StatsSource interface {
	Stats(ctx context.Context, q store.StatsQuery) (store.Stats, error)
}

// statsPeriods are the periods the screen offers, in weeks (the current,
// partial week included).
var statsPeriods = []int{4, 12, 52}

// statsMsg is the answer of a statistics query of generation gen.
type statsMsg struct {
	gen   int
	weeks int
	stats store.Stats
	err   error
}

// statsModel is the statistics screen (`s`): complaints per week and fact
// type, top places of the facts, handling times and the backlog of the
// zone over 4, 12 or 52 weeks. The figures are computed by the store in a
// command; Update only keeps the answer of the latest question.
type statsModel struct {
	nav
	c     *Context
	src   StatsSource
	weeks int // chosen period
	gen   int

	loaded  bool
	stats   store.Stats
	shownW  int // the period of stats
	err     string
	loading bool

	vp            viewport.Model
	width, height int
}

// NewStatsScreen makes the statistics screen over src for ctx's zone,
// showing the last 12 weeks first.
func NewStatsScreen(ctx *Context, src StatsSource) Screen {
	m := &statsModel{c: ctx, src: src, weeks: 12,
		vp: viewport.New(80, 20), width: 80, height: 21}
	m.vp.KeyMap = viewport.KeyMap{} // keys come from the KeyMap only
	return m
}

// Init implements Screen.
func (m *statsModel) Init() tea.Cmd { return m.load() }

// statsWeekStart is Monday 00:00 of t's week in loc.
func statsWeekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, loc)
}

// statsQuery is the period of the last weeks weeks up to now: from the
// Monday weeks-1 weeks before this one, to now.
func statsQuery(now time.Time, loc *time.Location, weeks int) store.StatsQuery {
	from := statsWeekStart(now, loc).AddDate(0, 0, -7*(weeks-1))
	return store.StatsQuery{From: from, To: now, Loc: loc}
}

func (m *statsModel) load() tea.Cmd {
	m.gen++
	m.loading = true
	m.render()
	gen, weeks, src, ctx := m.gen, m.weeks, m.src, m.c.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	q := statsQuery(m.c.now(), m.c.loc(), weeks)
	return func() tea.Msg {
		st, err := src.Stats(ctx, q)
		return statsMsg{gen: gen, weeks: weeks, stats: st, err: err}
	}
}

// SetSize implements Screen.
func (m *statsModel) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.Width, m.vp.Height = max(w, 1), max(h-2, 1)
	m.render()
}

// Help implements Screen.
func (m *statsModel) Help() help.KeyMap { return m.c.Keys.StatsHelp() }

// Title implements titled.
func (m *statsModel) Title() string { return m.c.M().Stats.Title.F(textsafe.Line(m.c.Zone.Code)) }

// Update implements Screen.
func (m *statsModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case statsMsg:
		if msg.gen != m.gen {
			return m, nil // an answer to an older question
		}
		m.loading = false
		if msg.err != nil {
			m.err = m.c.errText(msg.err)
		} else {
			m.err, m.loaded, m.stats, m.shownW = "", true, msg.stats, msg.weeks
		}
		m.render()
	case refreshMsg:
		return m, m.load()
	case tea.KeyMsg:
		k := m.c.Keys
		switch {
		case key.Matches(msg, k.Back):
			m.pop()
		case key.Matches(msg, k.Period4):
			return m, m.choose(0)
		case key.Matches(msg, k.Period12):
			return m, m.choose(1)
		case key.Matches(msg, k.Period52):
			return m, m.choose(2)
		case key.Matches(msg, k.ShorterPeriod):
			return m, m.choose(m.periodIndex() - 1)
		case key.Matches(msg, k.LongerPeriod):
			return m, m.choose(m.periodIndex() + 1)
		case key.Matches(msg, k.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, k.Up):
			m.vp.ScrollUp(1)
		case key.Matches(msg, k.PageDown, k.Mark):
			// No rows to mark here: space turns the page, as in a pager.
			m.vp.PageDown()
		case key.Matches(msg, k.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, k.Top):
			m.vp.GotoTop()
		case key.Matches(msg, k.Bottom):
			m.vp.GotoBottom()
		}
	}
	return m, nil
}

func (m *statsModel) periodIndex() int {
	for i, w := range statsPeriods {
		if w == m.weeks {
			return i
		}
	}
	return 1
}

func (m *statsModel) choose(i int) tea.Cmd {
	if i < 0 || i >= len(statsPeriods) || statsPeriods[i] == m.weeks {
		return nil
	}
	m.weeks = statsPeriods[i]
	return m.load()
}

// View implements Screen: the period line, then the scrolling figures.
func (m *statsModel) View() string {
	return clampLines(m.header()+"\n"+m.vp.View(), max(m.width, 1), max(m.height, 1), false)
}

// header is the title with the period and total, and the period choice
// (the chosen one marked with › so it reads without colour).
func (m *statsModel) header() string {
	st, w := m.c.Styles, max(m.width, 1)
	title := m.Title()
	if m.loaded {
		last := m.stats.To.Add(-time.Nanosecond)
		title += " · " + m.c.M().Stats.Period.F(m.shownW, statsDate(m.c.Lang, m.stats.From, m.c.loc()), statsDate(m.c.Lang, last, m.c.loc())) +
			" · " + m.c.M().Stats.Total.F(m.stats.Total)
	}
	var choices []string
	for i, p := range statsPeriods {
		label := fmt.Sprintf("%d %s", i+1, m.c.M().Stats.Weeks.F(p))
		if p == m.weeks {
			choices = append(choices, st.TabActive.Render("›"+label))
		} else {
			choices = append(choices, st.TabInactive.Render(" "+label))
		}
	}
	line2 := strings.Join(choices, "  ")
	switch {
	case m.err != "":
		line2 += "  " + st.Danger.Render(m.c.M().Stats.Error.F(m.err))
	case m.loading:
		line2 += "  " + st.Muted.Render(m.c.M().Stats.Loading)
	}
	return clipWidth(st.Title.Render(clipWidth(title, w)), w) + "\n" + clipWidth(line2, w)
}

// statsDate is a day of the statistics with a two-digit year, in lang's
// convention (fr, nl 14/09/26; de 14.09.26; en 14 Sep 26); statsDay leaves
// the year out (14/09, 14.09., 14 Sep). The same conventions as fmtDate.
func statsDate(lang string, t time.Time, loc *time.Location) string {
	return t.In(loc).Format(statsDateLayout(lang, true))
}

func statsDay(lang string, t time.Time, loc *time.Location, withYear bool) string {
	return t.In(loc).Format(statsDateLayout(lang, withYear))
}

func statsDateLayout(lang string, withYear bool) string {
	if withYear {
		return i18n.For(lang).Formats.ShortDate
	}
	return i18n.For(lang).Formats.DayMonth
}

// render lays the figures out for the current width into the viewport.
func (m *statsModel) render() {
	w := max(m.width, 1)
	if !m.loaded {
		m.vp.SetContent("")
		return
	}
	st, s := m.c.Styles, &m.stats
	var b strings.Builder
	section := func(title string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(st.Header.Render(clipWidth(title, w)) + "\n")
	}
	if s.Total == 0 {
		b.WriteString(m.c.M().Stats.None + "\n")
	}

	// Complaints per week, one stacked bar per week: one glyph per fact
	// type (legend below), the total written after the bar.
	section(m.c.M().Stats.Perweek)
	for i, ft := range s.Types {
		glyph := statsGlyph(i) + " "
		if m.c.Accessible {
			glyph = ""
		}
		b.WriteString(clipWidth(fmt.Sprintf("%s%s  %d", glyph, factTypeLabel(m.c.Lang, ft), s.ByType[ft]), w) + "\n")
	}
	withYear := len(s.Weeks) > 0 && s.Weeks[0].Start.Year() != s.Weeks[len(s.Weeks)-1].Start.Year()
	maxTotal, maxOpen := 0, 0
	for _, wk := range s.Weeks {
		maxTotal, maxOpen = max(maxTotal, wk.Total), max(maxOpen, wk.Open)
	}
	numW := len(fmt.Sprint(max(maxTotal, maxOpen)))
	breakdown := w >= 100 && len(s.Types) > 1
	for _, wk := range s.Weeks {
		label := statsDay(m.c.Lang, wk.Start, m.c.loc(), withYear)
		if m.c.Accessible {
			// Screen readers: the figures as words, no bar glyphs.
			var parts []string
			for _, ft := range s.Types {
				parts = append(parts, fmt.Sprintf("%s %d", factTypeLabel(m.c.Lang, ft), wk.ByType[ft]))
			}
			b.WriteString(clipWidth(fmt.Sprintf("%s: %d (%s)", label, wk.Total, strings.Join(parts, ", ")), w) + "\n")
			continue
		}
		tail := fmt.Sprintf("%*d", numW, wk.Total)
		if breakdown {
			var parts []string
			for _, ft := range s.Types {
				parts = append(parts, fmt.Sprint(wk.ByType[ft]))
			}
			tail += " (" + strings.Join(parts, "·") + ")"
		}
		barW := w - ansi.StringWidth(label) - ansi.StringWidth(tail) - 2
		bar := stackedBar(wk, s.Types, maxTotal, barW)
		b.WriteString(clipWidth(label+" "+st.Accent.Render(bar)+strings.Repeat(" ", max(barW-ansi.StringWidth(bar), 0))+" "+tail, w) + "\n")
	}

	// Top places: two tables side by side when there is room.
	munis := placeTable(m.c.M().Stats.Munis, s.Municipalities, false, m.c, 0)
	streets := placeTable(m.c.M().Stats.Streets, s.Streets, true, m.c, 0)
	b.WriteString("\n")
	if colW := (w - 3) / 2; w >= 90 {
		munis = placeTable(m.c.M().Stats.Munis, s.Municipalities, false, m.c, colW)
		streets = placeTable(m.c.M().Stats.Streets, s.Streets, true, m.c, colW)
		b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, munis, "   ", streets) + "\n")
	} else {
		munis = placeTable(m.c.M().Stats.Munis, s.Municipalities, false, m.c, w)
		streets = placeTable(m.c.M().Stats.Streets, s.Streets, true, m.c, w)
		b.WriteString(munis + "\n\n" + streets + "\n")
	}

	// Handling time per fact type.
	section(m.c.M().Stats.Handling)
	if len(s.Handling) == 0 {
		b.WriteString(st.Muted.Render(clipWidth(m.c.M().Stats.Nohandled, w)) + "\n")
	} else {
		heads := []string{m.c.M().Stats.ColCount, m.c.M().Stats.ColMed, m.c.M().Stats.ColP90}
		rows := make([][3]string, len(s.Handling))
		colW := [3]int{}
		for i, h := range heads {
			colW[i] = ansi.StringWidth(h)
		}
		for i, h := range s.Handling {
			rows[i] = [3]string{fmt.Sprint(h.Count), statsDuration(m.c.Lang, h.Median), statsDuration(m.c.Lang, h.P90)}
			for j := range rows[i] {
				colW[j] = max(colW[j], ansi.StringWidth(rows[i][j]))
			}
		}
		typeW := max(w-colW[0]-colW[1]-colW[2]-6, 4)
		line := func(t string, cols [3]string) string {
			return clipWidth(cell(t, typeW)+"  "+padLeft(cols[0], colW[0])+"  "+padLeft(cols[1], colW[1])+"  "+padLeft(cols[2], colW[2]), w)
		}
		b.WriteString(st.Header.Render(line(m.c.M().Stats.ColType, [3]string(heads))) + "\n")
		for i, h := range s.Handling {
			b.WriteString(line(factTypeLabel(m.c.Lang, h.FactType), rows[i]) + "\n")
		}
	}

	// Backlog: a sparkline of the weeks (the latest that fit), the
	// figures, then one bar per week with its number.
	section(m.c.M().Stats.Backlog)
	if len(s.Weeks) > 0 {
		opens := make([]int, len(s.Weeks))
		lo, hi := s.Weeks[0].Open, 0
		for i, wk := range s.Weeks {
			opens[i] = wk.Open
			lo, hi = min(lo, wk.Open), max(hi, wk.Open)
		}
		if !m.c.Accessible {
			b.WriteString(st.Accent.Render(sparkline(opens[max(len(opens)-w, 0):], hi)) + "\n")
		}
		b.WriteString(clipWidth(m.c.M().Stats.Backsum.F(opens[0], opens[len(opens)-1], lo, hi), w) + "\n")
		for _, wk := range s.Weeks {
			label := statsDay(m.c.Lang, wk.To.Add(-time.Nanosecond), m.c.loc(), withYear)
			if m.c.Accessible {
				b.WriteString(clipWidth(fmt.Sprintf("%s: %d", label, wk.Open), w) + "\n")
				continue
			}
			tail := fmt.Sprintf("%*d", numW, wk.Open)
			barW := w - ansi.StringWidth(label) - ansi.StringWidth(tail) - 2
			bar := hbar(wk.Open, maxOpen, barW)
			b.WriteString(clipWidth(label+" "+st.Accent.Render(bar)+strings.Repeat(" ", max(barW-ansi.StringWidth(bar), 0))+" "+tail, w) + "\n")
		}
	}
	m.vp.SetContent(clampLines(strings.TrimRight(b.String(), "\n"), w, -1, false))
}

// statsGlyphs tell the fact types apart in a stacked bar without colour.
var statsGlyphs = []string{"█", "▓", "▒", "░", "#", "=", "+", "~"}

func statsGlyph(i int) string { return statsGlyphs[i%len(statsGlyphs)] }

// stackedBar draws a week's counts per type in at most width cells, scaled
// so the busiest week fills it; segment ends are rounded from the running
// total so the bar's length is the week's total, rounded.
func stackedBar(wk store.WeekStats, types []string, maxTotal, width int) string {
	if width <= 0 || maxTotal <= 0 {
		return ""
	}
	var b strings.Builder
	cum, drawn := 0, 0
	for i, ft := range types {
		cum += wk.ByType[ft]
		end := (cum*width + maxTotal/2) / maxTotal
		if end > drawn {
			b.WriteString(strings.Repeat(statsGlyph(i), end-drawn))
			drawn = end
		}
	}
	return b.String()
}

// hbar is a plain bar of n scaled to width for maxN.
func hbar(n, maxN, width int) string {
	if width <= 0 || maxN <= 0 {
		return ""
	}
	return strings.Repeat("█", (n*width+maxN/2)/maxN)
}

// sparkline draws each value as one of eight block heights, from 0 to hi.
func sparkline(vals []int, hi int) string {
	ticks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for _, v := range vals {
		i := 0
		if hi > 0 {
			i = v * (len(ticks) - 1) / hi
		}
		b.WriteRune(ticks[max(0, min(i, len(ticks)-1))])
	}
	return b.String()
}

// placeTable is a ranked table of places in width columns: rank, the
// sanitized name (street, municipality), count.
func placeTable(title string, places []store.PlaceCount, streets bool, c *Context, width int) string {
	if width <= 0 {
		return ""
	}
	st := c.Styles
	lines := []string{st.Header.Render(clipWidth(title, width))}
	numW := 1
	for _, p := range places {
		numW = max(numW, len(fmt.Sprint(p.Count)))
	}
	for i, p := range places {
		name := p.Municipality
		if streets {
			street := p.Street
			if street == "" {
				street = c.M().Stats.Nostreet
			}
			name = street + ", " + p.Municipality
		}
		rank := fmt.Sprintf("%2d. ", i+1)
		nameW := width - len(rank) - numW - 1
		lines = append(lines, clipWidth(rank+cell(name, nameW)+" "+padLeft(fmt.Sprint(p.Count), numW), width))
	}
	if len(places) == 0 {
		lines = append(lines, st.Muted.Render(clipWidth("—", width)))
	}
	out := strings.Join(lines, "\n")
	return lipgloss.NewStyle().Width(width).MaxWidth(width).Render(out)
}

func padLeft(s string, w int) string {
	if pad := w - ansi.StringWidth(s); pad > 0 {
		return strings.Repeat(" ", pad) + s
	}
	return s
}

// statsDuration writes d in lang, to the minute: "2 j 4 h", "3 u 5 min",
// "12 Min".
func statsDuration(lang string, d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d >= 24*time.Hour:
		return i18n.For(lang).TUI.Stats.DurDh.F(int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	case d >= time.Hour:
		return i18n.For(lang).TUI.Stats.DurHm.F(int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return i18n.For(lang).TUI.Stats.DurM.F(int(d / time.Minute))
}

// openStats pushes the statistics screen when the source can compute
// statistics; a source that cannot says so on the status line.
func (q *queueModel) openStats() tea.Cmd {
	ss, ok := q.c.Src.(StatsSource)
	if !ok {
		return status(q.c.M().Stats.Error.F(q.c.M().Stats.Nosource), 2)
	}
	q.push(NewStatsScreen(q.c, ss))
	return nil
}
