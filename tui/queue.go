package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"guichet/complaint"
)

// filterDebounce lets a burst of keystrokes make one query; the generation
// id drops the answers of superseded ones anyway.
const filterDebounce = 60 * time.Millisecond

// queueChrome is the number of lines above the rows: tabs, filter or sort
// line, column header.
const queueChrome = 3

// maxFetch caps one page request.
const maxFetch = 1000

// queueModel is the queue screen. It never holds the whole queue: only a
// window of rows around what is visible, fetched from the store a page at a
// time by key (no OFFSET), and renders only the visible rows.
type queueModel struct {
	nav
	c *Context

	tab  Tab
	sort Column
	desc bool

	input      textinput.Model
	typing     bool
	jump       textinput.Model // `:` reference (jump.go)
	jumping    bool
	absDates   bool // the received column shows the date, not "3 h ago"
	filterText string
	filter     Filter
	filterErr  string

	counts   Counts
	oneMuni  string // every complaint's municipality when they share one: no column
	total    int    // rows of the current tab and filter; -1 while unknown
	rows     []Row
	winStart int // absolute index of rows[0]
	cursor   int // absolute index of the selected row
	top      int // absolute index of the first visible row

	gen      int                // generation of the query (tab, sort, filter)
	genCtx   context.Context    // cancelled when the generation is superseded
	genStop  context.CancelFunc // so a stale count or page stops working
	winGen   int                // generation of the window (bumped when it is replaced)
	fetching bool
	shownGen int            // generation of the rows on screen
	full     map[Column]int // fullWidths, once measured
	loadErr  string

	bulk bulkState // marked rows (bulk.go)

	width, height int
}

func newQueue(c *Context) *queueModel {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = c.M().Filter.Placeholder
	in.CharLimit = 200
	in.Cursor.SetMode(cursor.CursorStatic)
	return &queueModel{c: c, sort: ColReceived, desc: true, input: in, jump: newJumpInput(c), total: -1, width: 80, height: 20}
}

func (q *queueModel) query() Query {
	return Query{Tab: q.tab, Officer: q.c.Officer.ID, Filter: q.filter, Sort: q.sort, Desc: q.desc}
}

func (q *queueModel) viewH() int {
	if h := q.height - queueChrome; h > 1 {
		return h
	}
	return 1
}

// SetSize implements Screen.
func (q *queueModel) SetSize(w, h int) {
	q.width, q.height = w, h
	q.input.Width = max(w-4, 1)
	q.follow()
}

// Help implements Screen.
func (q *queueModel) Help() help.KeyMap {
	if q.typing {
		return q.c.Keys.FilterHelp()
	}
	return q.c.Keys.QueueHelp()
}

// Typing implements inputScreen.
func (q *queueModel) Typing() bool { return q.typing || q.jumping }

// Title implements titled.
func (q *queueModel) Title() string { return q.c.M().Queue.Title }

// Init implements Screen: the first counts and page.
func (q *queueModel) Init() tea.Cmd { return q.reload() }

// reload starts a new query generation: counts and the first page.
func (q *queueModel) reload() tea.Cmd {
	if q.filterErr != "" {
		return nil // nothing is shown until the filter is understood
	}
	q.newGen()
	q.winGen++
	q.fetching = true
	q.total = -1
	q.cursor, q.top = 0, 0
	return tea.Batch(q.countsCmd(), q.pageCmd(Anchor{Dir: FromFirst}, q.fetchLimit(), pageReplace, 0))
}

// refresh re-reads the counts and the current window, keeping the cursor
// on the same complaint when it is still there.
//
// A window that starts at the first row is read again from the first row,
// so complaints that arrived above it show at once.
func (q *queueModel) refresh() tea.Cmd {
	if q.filterErr != "" {
		return nil
	}
	if len(q.rows) == 0 || q.fetching {
		return q.reloadKeep()
	}
	if q.winStart == 0 {
		q.winGen++
		q.fetching = true
		return tea.Batch(q.countsCmd(), q.pageCmd(Anchor{Dir: FromFirst}, max(len(q.rows), q.fetchLimit()), pageReplace, 0))
	}
	q.winGen++
	q.fetching = true
	return tea.Batch(q.countsCmd(),
		q.pageCmd(Anchor{Dir: AtOrAfter, Key: q.rows[0].Key}, max(len(q.rows), q.fetchLimit()), pageReplace, q.winStart))
}

func (q *queueModel) reloadKeep() tea.Cmd {
	q.winGen++
	q.fetching = true
	return tea.Batch(q.countsCmd(), q.pageCmd(Anchor{Dir: FromFirst}, q.fetchLimit(), pageReplace, 0))
}

func (q *queueModel) fetchLimit() int { return min(max(3*q.viewH(), 60), maxFetch) }

// queryCtx is the context of the current generation's queries; a new
// generation cancels the old one's.
func (q *queueModel) queryCtx() context.Context {
	if q.genCtx == nil || q.genCtx.Err() != nil {
		q.genCtx, q.genStop = context.WithCancel(q.c.Ctx)
	}
	return q.genCtx
}

// newGen starts a new query generation and cancels the old one's queries.
func (q *queueModel) newGen() {
	q.gen++
	if q.genStop != nil {
		q.genStop()
		q.genCtx, q.genStop = nil, nil
	}
}

func (q *queueModel) countsCmd() tea.Cmd {
	c, gen, query, ctx := q.c, q.gen, q.query(), q.queryCtx()
	return func() tea.Msg {
		n, err := c.Src.Counts(ctx, query)
		if err != nil {
			return countsMsg{gen: gen, err: err}
		}
		muni, err := c.Src.OneMunicipality(ctx)
		return countsMsg{gen: gen, counts: n, muni: muni, err: err}
	}
}

func (q *queueModel) pageCmd(at Anchor, limit int, kind pageKind, start int) tea.Cmd {
	c, gen, query, ctx := q.c, q.gen<<20|q.winGen&0xfffff, q.query(), q.queryCtx()
	return func() tea.Msg {
		rows, err := c.Src.Page(ctx, query, at, limit)
		return pageMsg{gen: gen, kind: kind, start: start, anchor: at.Key, rows: rows, err: err}
	}
}

func (q *queueModel) curGen() int { return q.gen<<20 | q.winGen&0xfffff }

// Update implements Screen.
func (q *queueModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if cmd, ok := q.updateBulk(msg); ok {
		return q, cmd
	}
	switch msg := msg.(type) {
	case countsMsg:
		if msg.gen != q.gen {
			return q, nil
		}
		if msg.err != nil {
			q.loadErr = q.c.errText(msg.err)
			return q, nil
		}
		q.counts = msg.counts
		q.oneMuni = msg.muni
		q.total = msg.counts[q.tab]
		q.clamp()
		return q, q.ensure()
	case pageMsg:
		if msg.gen != q.curGen() {
			return q, nil
		}
		q.fetching = false
		if msg.err != nil {
			q.loadErr = q.c.errText(msg.err)
			return q, nil
		}
		q.loadErr = ""
		q.shownGen = q.gen
		q.applyPage(msg)
		return q, q.ensure()
	case filterTickMsg:
		if msg.gen != q.gen {
			return q, nil
		}
		q.winGen++
		q.fetching = true
		q.total = -1
		q.cursor, q.top = 0, 0
		return q, tea.Batch(q.countsCmd(), q.pageCmd(Anchor{Dir: FromFirst}, q.fetchLimit(), pageReplace, 0))
	case refreshMsg:
		return q, q.refresh()
	case actionDoneMsg:
		q.applyAction(msg)
		return q, nil
	case jumpMsg:
		return q, q.jumpDone(msg)
	case locateMsg:
		return q, q.located(msg)
	case tea.KeyMsg:
		if q.jumping {
			return q.updateJump(msg)
		}
		if q.typing {
			return q.updateFilter(msg)
		}
		return q.updateKeys(msg)
	}
	return q, nil
}

func (q *queueModel) updateKeys(msg tea.KeyMsg) (Screen, tea.Cmd) {
	k := q.c.Keys
	if cmd, ok := q.bulkKey(msg); ok {
		return q, cmd
	}
	switch {
	case key.Matches(msg, k.Down):
		q.move(1)
	case key.Matches(msg, k.Up):
		q.move(-1)
	case key.Matches(msg, k.PageDown):
		q.move(q.viewH())
	case key.Matches(msg, k.PageUp):
		q.move(-q.viewH())
	case key.Matches(msg, k.Top):
		q.cursor, q.top = 0, 0
		if q.winStart != 0 {
			q.winGen++
			q.fetching = true
			return q, q.pageCmd(Anchor{Dir: FromFirst}, q.fetchLimit(), pageReplace, 0)
		}
	case key.Matches(msg, k.Bottom):
		if q.total > 0 {
			q.cursor = q.total - 1
			q.follow()
			if q.winStart+len(q.rows) < q.total {
				q.winGen++
				q.fetching = true
				return q, q.pageCmd(Anchor{Dir: FromLast}, q.fetchLimit(), pageLast, 0)
			}
		}
	case key.Matches(msg, k.NextTab):
		return q, q.setTab((q.tab + 1) % tabCount)
	case key.Matches(msg, k.PrevTab):
		return q, q.setTab((q.tab + tabCount - 1) % tabCount)
	case key.Matches(msg, k.TabN):
		return q, q.setTab(Tab(msg.Runes[0] - '1'))
	case key.Matches(msg, k.Sort):
		q.sort = nextSort(q.sort)
		q.desc = q.sort == ColReceived
		return q, q.resort()
	case key.Matches(msg, k.SortDir):
		q.desc = !q.desc
		return q, q.resort()
	case key.Matches(msg, k.Dates):
		q.absDates = !q.absDates
	case key.Matches(msg, k.Jump):
		q.jumping = true
		q.jump.SetValue("")
		return q, q.jump.Focus()
	case key.Matches(msg, k.Filter):
		q.typing = true
		q.input.SetValue(q.filterText)
		q.input.CursorEnd()
		return q, q.input.Focus()
	case key.Matches(msg, k.Back):
		if q.filterText != "" {
			return q, q.setFilter("")
		}
	case key.Matches(msg, k.Open):
		if r, ok := q.selected(); ok {
			q.push(newDetail(q.c, r.Reference))
			return q, nil
		}
	default:
		if r, ok := q.selected(); ok {
			t := actionTarget{ref: r.Reference, status: r.Status, holderID: r.ClaimedByID, holder: r.ClaimedBy, hasRecord: true}
			if cmd, ok := startAction(q.c, &q.nav, msg, t); ok {
				return q, cmd
			}
		}
	}
	return q, q.ensure()
}

func (q *queueModel) updateFilter(msg tea.KeyMsg) (Screen, tea.Cmd) {
	// The keys FilterHelp shows: confirm applies, cancel clears.
	k := q.c.Keys
	switch {
	case key.Matches(msg, k.Confirm):
		q.typing = false
		q.input.Blur()
		if q.filterErr != "" {
			// The error stays: on the header line and in the status line
			// (the accessible mode's announcement).
			return q, status(q.filterErr+" — "+q.c.M().Filter.Fix, 2)
		}
		return q, nil
	case key.Matches(msg, k.Cancel):
		q.typing = false
		q.input.Blur()
		return q, q.setFilter("")
	}
	var cmd tea.Cmd
	q.input, cmd = q.input.Update(msg)
	if v := q.input.Value(); v != q.filterText {
		return q, tea.Batch(cmd, q.setFilter(v))
	}
	return q, cmd
}

// setFilter parses the filter text; a valid change starts a new generation
// whose query runs after the debounce.
func (q *queueModel) setFilter(text string) tea.Cmd {
	q.filterText = text
	if !q.typing {
		q.input.SetValue(text)
	}
	f, err := ParseFilter(text, q.c.Lang)
	if err != nil {
		// Never the rows of another filter under this one: none until it
		// is understood (and no action on a row the officer cannot see).
		fe := err.(*FilterError)
		q.filterErr = coded(q.c.Lang, fe.Key, textsafeLine(fe.Term))
		q.newGen()
		q.winGen++
		q.rows, q.winStart, q.cursor, q.top, q.total, q.fetching = nil, 0, 0, 0, 0, false
		return nil
	}
	q.filterErr = ""
	q.filter = f
	q.newGen()
	gen := q.gen
	return q.c.tick(filterDebounce, func(time.Time) tea.Msg { return filterTickMsg{gen: gen} })
}

func (q *queueModel) setTab(t Tab) tea.Cmd {
	if t < 0 || t >= tabCount {
		return nil
	}
	q.tab = t
	return q.reload()
}

// locateMsg answers where the selected complaint is in a new order.
type locateMsg struct {
	gen    int
	ref    string
	index  int
	key    any
	offset int // the selected row's line on screen, kept
	err    error
}

// resort starts a new order and keeps the cursor on the complaint it was
// on: its position in the new order is asked, and the window read from it.
func (q *queueModel) resort() tea.Cmd {
	ref := q.SelectedRef()
	if ref == "" || q.filterErr != "" {
		return q.reload()
	}
	offset := q.cursor - q.top
	q.newGen()
	q.winGen++
	q.fetching = true
	c, gen, query, ctx := q.c, q.gen, q.query(), q.queryCtx()
	return tea.Batch(q.countsCmd(), func() tea.Msg {
		i, k, err := c.Src.Locate(ctx, query, ref)
		return locateMsg{gen: gen, ref: ref, index: i, key: k, offset: offset, err: err}
	})
}

func (q *queueModel) located(m locateMsg) tea.Cmd {
	if m.gen != q.gen {
		return nil
	}
	if m.err != nil {
		// The complaint left meanwhile: the new order from its top.
		q.fetching = false
		return q.reload()
	}
	q.winGen++
	q.cursor = m.index
	q.top = max(m.index-max(m.offset, 0), 0)
	q.rows, q.winStart = nil, m.index
	return q.pageCmd(Anchor{Dir: AtOrAfter, Key: m.key}, q.fetchLimit(), pageReplace, m.index)
}

func nextSort(c Column) Column {
	order := []Column{ColReceived, ColReference, ColType, ColMunicipality, ColComplainant, ColStatus}
	for i, o := range order {
		if o == c {
			return order[(i+1)%len(order)]
		}
	}
	return ColReceived
}

// applyAction shows on its row the state an action left, until the
// refresh that follows re-reads the page (the row may then leave the tab):
// an action key pressed in between counts with it.
func (q *queueModel) applyAction(m actionDoneMsg) {
	if m.rec == nil {
		return
	}
	for i := range q.rows {
		if r := &q.rows[i]; r.Reference == m.ref {
			r.Status, r.Pending = m.rec.Status, m.rec.Pending
			r.ClaimedBy, r.ClaimedByID = "", ""
			if o := m.rec.ClaimedBy; o != nil {
				r.ClaimedBy, r.ClaimedByID = o.Name, o.ID
			}
		}
	}
}

func (q *queueModel) selected() (Row, bool) {
	i := q.cursor - q.winStart
	if i < 0 || i >= len(q.rows) {
		return Row{}, false
	}
	return q.rows[i], true
}

// SelectedRef is the reference under the cursor ("" when none).
func (q *queueModel) SelectedRef() string {
	r, _ := q.selected()
	return r.Reference
}

func (q *queueModel) move(d int) {
	q.cursor += d
	q.clamp()
}

func (q *queueModel) clamp() {
	n := q.total
	if n < 0 {
		n = q.winStart + len(q.rows)
	}
	q.cursor = min(q.cursor, n-1)
	q.cursor = max(q.cursor, 0)
	q.follow()
}

// follow scrolls so the cursor is visible.
func (q *queueModel) follow() {
	vh := q.viewH()
	if q.cursor < q.top {
		q.top = q.cursor
	}
	if q.cursor >= q.top+vh {
		q.top = q.cursor - vh + 1
	}
	q.top = max(q.top, 0)
}

// ensure asks for the rows the view will need (the visible ones plus one
// screen of margin on each side) when the window does not hold them.
func (q *queueModel) ensure() tea.Cmd {
	if q.fetching || len(q.rows) == 0 {
		return nil
	}
	vh := q.viewH()
	end := q.winStart + len(q.rows)
	needEnd := q.top + 2*vh
	if q.total >= 0 {
		needEnd = min(needEnd, q.total)
	}
	needStart := max(q.top-vh, 0)
	switch {
	case needEnd > end:
		q.fetching = true
		return q.pageCmd(Anchor{Dir: After, Key: q.rows[len(q.rows)-1].Key},
			min(max(needEnd-end, vh), maxFetch), pageAppend, 0)
	case needStart < q.winStart:
		q.fetching = true
		return q.pageCmd(Anchor{Dir: Before, Key: q.rows[0].Key},
			min(max(q.winStart-needStart, vh), maxFetch), pagePrepend, 0)
	}
	return nil
}

func (q *queueModel) applyPage(msg pageMsg) {
	keepRef := q.SelectedRef()
	vh := q.viewH()
	switch msg.kind {
	case pageReplace:
		q.rows = msg.rows
		q.winStart = msg.start
		if q.total >= 0 && q.winStart+len(q.rows) > q.total {
			q.total = q.winStart + len(q.rows)
		}
		if q.total >= 0 && q.winStart > 0 && len(q.rows) == 0 {
			// The window fell off the end (rows left the tab): start over.
			q.winStart = 0
		}
		// Keep the cursor on the same complaint when it is still here.
		for i, r := range q.rows {
			if keepRef != "" && r.Reference == keepRef {
				q.cursor = q.winStart + i
				break
			}
		}
	case pageLast:
		q.rows = msg.rows
		n := q.total
		if n < len(q.rows) {
			n = len(q.rows)
			q.total = n
		}
		q.winStart = n - len(q.rows)
	case pageAppend:
		q.rows = append(q.rows, msg.rows...)
		if len(msg.rows) == 0 && q.total > q.winStart+len(q.rows) {
			q.total = q.winStart + len(q.rows) // fewer rows than counted: they changed meanwhile
		}
		if drop := q.top - vh - q.winStart; drop > 0 && len(q.rows) > 6*vh {
			drop = min(drop, len(q.rows)-1)
			q.rows = append([]Row(nil), q.rows[drop:]...)
			q.winStart += drop
		}
	case pagePrepend:
		n := len(msg.rows)
		q.rows = append(append(make([]Row, 0, n+len(q.rows)), msg.rows...), q.rows...)
		q.winStart -= n
		if q.winStart < 0 {
			q.winStart = 0 // rows appeared above: positions shift; clamp
		}
		if keep := q.top + 2*vh - q.winStart; len(q.rows) > 6*vh && keep < len(q.rows) && keep > 0 {
			q.rows = q.rows[:keep:keep]
		}
	}
	q.clamp()
}

// View implements Screen.
func (q *queueModel) View() string {
	if q.c.Accessible {
		return q.accessibleView()
	}
	c, st := q.c, q.c.Styles
	w := q.width
	var b strings.Builder
	b.WriteString(clipWidth(q.tabsLine(), w))
	b.WriteByte('\n')
	b.WriteString(clipWidth(q.infoLine(), w))
	b.WriteByte('\n')
	cols := layoutColumns(w, q.fullWidths(), q.idleColumns()...)
	if q.filterErr != "" {
		// A filter term not understood replaces the header until fixed.
		b.WriteString(st.Danger.Render(fit("  "+q.filterErr, w)))
	} else {
		b.WriteString(st.Header.Render(fit(q.headerLine(cols), w)))
	}
	vh := q.viewH()
	for i := 0; i < vh; i++ {
		b.WriteByte('\n')
		abs := q.top + i
		j := abs - q.winStart
		switch {
		case q.filterErr != "":
			if i == 0 {
				b.WriteString(st.Muted.Render(fit("  "+c.M().Filter.Fix, w)))
			}
		case q.total >= 0 && abs >= q.total:
			if abs == 0 && i == 0 {
				msg := c.M().Queue.Empty
				if q.loadErr != "" {
					msg = c.M().Queue.Loaderr.F(q.loadErr)
				}
				b.WriteString(st.Muted.Render(fit("  "+msg, w)))
			}
		case j < 0 || j >= len(q.rows):
			b.WriteString(st.Muted.Render(fit("  …", w)))
		default:
			b.WriteString(q.rowLine(q.rows[j], cols, abs == q.cursor))
		}
	}
	return b.String()
}

// tabsLine is the tab line: each tab's number, name and count, the current
// one in brackets. When the line is too wide, it tightens, then uses the
// short names, and only on the narrowest screens numbers alone.
func (q *queueModel) tabsLine() string {
	for _, short := range []bool{false, true} {
		for _, tight := range []bool{false, true} {
			if line := q.tabsWith(short, tight); ansi.StringWidth(line) <= q.width {
				return line
			}
		}
	}
	return q.tabsCompact()
}

func (q *queueModel) tabsWith(short, tight bool) string {
	st := q.c.Styles
	names, pad, sep := q.c.M().Tabs, " ", " "
	if short {
		names = q.c.M().TabsShort
	}
	if tight {
		pad = ""
	}
	var parts []string
	for t := Tab(0); t < tabCount; t++ {
		label := fmt.Sprintf("%d %s %d", t+1, names[t], q.counts[t])
		if q.filterErr != "" { // no count of a filter not understood
			label = fmt.Sprintf("%d %s", t+1, names[t])
		}
		if t == q.tab {
			parts = append(parts, st.TabActive.Render("["+label+"]"))
		} else {
			parts = append(parts, st.TabInactive.Render(pad+label+pad))
		}
	}
	return strings.Join(parts, sep)
}

func (q *queueModel) infoLine() string {
	c, st := q.c, q.c.Styles
	if q.jumping {
		return q.jump.View()
	}
	if q.typing {
		return q.input.View()
	}
	dir := "↑"
	if q.desc {
		dir = "↓"
	}
	pos := "0/0"
	if q.total > 0 {
		pos = fmt.Sprintf("%d/%d", q.cursor+1, q.total)
	} else if q.total < 0 {
		pos = "…"
	}
	s := st.Muted.Render(c.M().Queue.Sort.F(c.M().Columns[q.sort], dir) + "  " + pos)
	if q.filterText != "" {
		s += "  " + st.Accent.Render(c.M().Queue.Filter.F(textsafeLine(q.filterText)))
	} else {
		s += "  " + st.Muted.Render(c.M().Queue.Filterhint)
	}
	if bi := q.bulkInfo(); bi != "" {
		s += "  " + bi
	}
	return s
}

// receivedRelWidth fits a relative time ("il y a 29 j", "vor 29 T.").
const receivedRelWidth = 12

// column is one laid-out column.
type column struct {
	col   Column
	width int
}

// columnSpec: minimum and wanted widths; drop is the order in which columns
// disappear on narrow screens (higher first).
var columnSpec = [colCount]struct{ min, want, drop int }{
	ColReference:    {16, 16, 0}, // a reference is never cut (5275-2026-000123)
	ColReceived:     {7, 22, 5},
	ColType:         {8, 20, 3},
	ColMunicipality: {8, 22, 4},
	ColComplainant:  {8, 26, 2},
	ColStatus:       {10, 18, 1}, // "transférée", "in behandeling": a status is read whole
	ColClaimedBy:    {8, 20, 6},
}

// idleColumns are the columns that say nothing on the current tab: no one
// holds a new complaint, and every complaint of Mine is the officer's. Their
// room goes to the names and places.
// The municipality says nothing either in a zone of one municipality.
func (q *queueModel) idleColumns() []Column {
	var idle []Column
	if q.tab == TabNew || q.tab == TabMine {
		idle = append(idle, ColClaimedBy)
	}
	if q.oneMuni != "" {
		idle = append(idle, ColMunicipality)
	}
	return idle
}

// fullWidths are the widths at which the fact type and the status are
// never cut in the officer's language: room left once every column has its
// wanted width goes to them first. Measured once (the language does not
// change): every frame measured every label of a copy of the catalog.
func (q *queueModel) fullWidths() map[Column]int {
	if q.full == nil {
		q.full = q.measureFullWidths()
	}
	return q.full
}

func (q *queueModel) measureFullWidths() map[Column]int {
	full := map[Column]int{}
	for _, ft := range complaint.Catalog() {
		full[ColType] = max(full[ColType], ansi.StringWidth(ft.Label(q.c.Lang)))
	}
	marker := max(ansi.StringWidth(q.c.M().Row.Pending), ansi.StringWidth(q.c.M().Row.Conflict))
	for _, st := range complaint.Statuses {
		full[ColStatus] = max(full[ColStatus], ansi.StringWidth(statusWord(q.c.Lang, st))+1+marker)
	}
	return full
}

// layoutColumns fits the columns but the hidden ones in w (2 for the
// marker, 1 between columns); full are the widths past which a column has
// nothing more to show, served first with the room left.
func layoutColumns(w int, full map[Column]int, hidden ...Column) []column {
	avail := w - 2
	shown := []Column{}
	for c := Column(0); c < colCount; c++ {
		if !slices.Contains(hidden, c) {
			shown = append(shown, c)
		}
	}
	need := func(cs []Column) int {
		n := 0
		for _, c := range cs {
			n += columnSpec[c].min + 1
		}
		return n - 1
	}
	for len(shown) > 1 && need(shown) > avail {
		worst := 0
		for i, c := range shown {
			if columnSpec[c].drop > columnSpec[shown[worst]].drop {
				worst = i
			}
		}
		shown = append(shown[:worst:worst], shown[worst+1:]...)
	}
	cols := make([]column, len(shown))
	used := len(shown) - 1
	for i, c := range shown {
		cols[i] = column{c, columnSpec[c].min}
		used += columnSpec[c].min
	}
	// Grow towards the wanted widths, one column at a time (the received
	// column first to its relative time only), then the fact type and the
	// status to their whole words, the received column to its date too,
	// and the rest to the widest text columns.
	grow := func(want func(Column) int) {
		for grew := true; grew && used < avail; {
			grew = false
			for i := range cols {
				if used < avail && cols[i].width < want(cols[i].col) {
					cols[i].width++
					used++
					grew = true
				}
			}
		}
	}
	grow(func(c Column) int {
		if c == ColReceived {
			return min(columnSpec[c].want, receivedRelWidth)
		}
		return columnSpec[c].want
	})
	for _, want := range []Column{ColType, ColStatus} {
		for i := range cols {
			if cols[i].col == want && cols[i].width < full[want] && used < avail {
				grow := min(full[want]-cols[i].width, avail-used)
				cols[i].width += grow
				used += grow
			}
		}
	}
	grow(func(c Column) int {
		if c == ColReceived {
			return columnSpec[c].want
		}
		return 0
	})
	for i := 0; used < avail && len(cols) > 0; i++ {
		c := &cols[i%len(cols)]
		if c.col == ColComplainant || c.col == ColMunicipality || c.col == ColType || len(cols) == 1 {
			c.width++
			used++
		}
		if i > 10*avail {
			break
		}
	}
	if len(cols) == 1 {
		cols[0].width = max(min(cols[0].width, avail), 0)
	}
	return cols
}

func (q *queueModel) headerLine(cols []column) string {
	var b strings.Builder
	b.WriteString("  ")
	for i, col := range cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		label := q.c.M().Columns[col.col]
		if col.col == q.sort {
			if q.desc {
				label += "↓"
			} else {
				label += "↑"
			}
		}
		b.WriteString(fit(label, col.width))
	}
	return b.String()
}

func (q *queueModel) rowLine(r Row, cols []column, sel bool) string {
	c, st := q.c, q.c.Styles
	var b strings.Builder
	b.WriteString(q.markCell(r, sel))
	for i, col := range cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		var v string
		w := col.width
		switch col.col {
		case ColReference:
			v = cell(r.Reference, w)
		case ColReceived:
			rel := relTime(c.Lang, r.ReceivedAt, c.now())
			if q.absDates {
				rel = fmtShortDateTime(c.Lang, r.ReceivedAt, c.loc())
				if full := fmtDateTime(c.Lang, r.ReceivedAt, c.loc()); ansi.StringWidth(full) <= w {
					rel = full
				}
				v = fit(rel, w)
			} else if both := rel + " · " + fmtShortDateTime(c.Lang, r.ReceivedAt, c.loc()); ansi.StringWidth(both) <= w {
				v = fit(both, w)
			} else {
				v = fit(rel, w)
			}
		case ColType:
			v = cell(factTypeLabel(c.Lang, r.FactType), w)
		case ColMunicipality:
			v = cell(r.Municipality, w)
		case ColComplainant:
			v = cell(r.Complainant, w)
		case ColStatus:
			word := statusWord(c.Lang, r.Status)
			switch {
			case r.Conflict:
				word += " " + c.M().Row.Conflict
			case r.Pending:
				word += " " + c.M().Row.Pending
			}
			v = fit(word, w)
			if !sel {
				switch {
				case r.Conflict:
					v = st.Danger.Render(v)
				case r.Pending:
					v = st.Warn.Render(v)
				default:
					v = st.Status(string(r.Status)).Render(v)
				}
			}
		case ColClaimedBy:
			v = cell(r.ClaimedBy, w)
		}
		b.WriteString(v)
	}
	line := b.String()
	if pad := q.width - ansi.StringWidth(line); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	if sel {
		return st.Selected.Render(line)
	}
	return line
}
