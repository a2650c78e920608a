package tui

// The accessible mode (Options.Accessible, `--accessible`, ACCESSIBLE=1) is
// for screen readers and magnifiers. Same screens, same keys, but:
//   - no colour, bold or reverse (the no-colour styles), so the only escape
//     sequences on the wire are the renderer's cursor moves and erases;
//   - no box drawing: dialogs have no border and replace the screen instead
//     of being drawn over it, the status bar separates with commas;
//   - no animation: no spinner, the word "syncing…" instead; the text
//     input cursor does not blink;
//   - one complaint per line in the queue ("2026-CY25-SERX, new, Bicycle
//     theft, Ottignies-Louvain-la-Neuve, Marc Dubois, received 3 h ago"),
//     one field per line in the detail ("› 3 Description: …"), the help in
//     one column;
//   - every state change is announced as a plain sentence on the status
//     line, which stays put (it is not cleared after a few seconds).

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"guichet/complaint"
	"guichet/textsafe"
)

// accessibleTheme is the no-colour theme under its own name.
var accessibleTheme = Theme{Name: "accessible", Colour: false}

// setupAccessible adjusts what New built: plain help, a dialog without a
// border, plain text inputs.
func (a *App) setupAccessible() {
	if !a.c.Styles.Theme.Colour {
		for _, s := range a.stack {
			if q, ok := s.(*queueModel); ok {
				plainInput(a.c, &q.input)
			}
		}
	}
	if !a.c.Accessible {
		return
	}
	a.c.Styles.Dialog = lipgloss.NewStyle()
	a.help.Styles = help.Styles{}
	a.help.ShortSeparator = ", "
}

// plainInput drops the colours of a text input without colour, and its
// reverse-video cursor (NO_COLOR drops reverse too): the "›" prompt of the
// focused field marks where typing goes.
func plainInput(c *Context, in *textinput.Model) {
	if c.Styles.Theme.Colour && !c.Accessible {
		return
	}
	plain := lipgloss.NewStyle()
	in.PromptStyle, in.TextStyle, in.PlaceholderStyle, in.CompletionStyle = plain, plain, plain, plain
	in.Cursor.Style, in.Cursor.TextStyle = plain, plain
	in.Cursor.SetMode(cursor.CursorHide)
}

// barSep separates the status bar's parts.
func (a *App) barSep(narrow bool) string {
	switch {
	case a.c.Accessible:
		return ", "
	case narrow:
		return "│"
	}
	return " │ "
}

// syncWord is what the status bar shows while syncing: a spinner and a
// word, or in the accessible mode the word alone.
func (a *App) syncWord() string {
	if a.c.Accessible {
		return a.c.M().Bar.Syncing + "…"
	}
	return a.spin.View() + " " + a.c.M().Bar.Syncing
}

// firstSyncWord is syncWord for the session's first round.
func (a *App) firstSyncWord() string {
	if a.c.Accessible {
		return a.c.M().Bar.Firstsync
	}
	return a.spin.View() + " " + a.c.M().Bar.Firstsync
}

// a11ySnap is what the announcements compare before and after a message.
type a11ySnap struct {
	screen string
	tab    Tab
	total  int
	filter string

	online, syncing, auth bool
	pending, conflicts    int

	ref           string
	loaded        bool
	status        complaint.Status
	recordPending bool
	factType      string
}

func (a *App) snap() a11ySnap {
	s := a11ySnap{online: a.sync.Online, syncing: a.sync.Syncing, auth: a.sync.AuthFailed,
		pending: a.sync.Pending, conflicts: a.sync.Conflicts}
	top := a.Top()
	s.screen = fmt.Sprintf("%T", top)
	if t, ok := top.(titled); ok {
		s.screen += " " + t.Title()
	}
	if q, ok := a.stack[0].(*queueModel); ok {
		s.tab, s.total, s.filter = q.tab, q.total, q.filterText
	}
	if d, ok := top.(*detailModel); ok {
		s.ref = d.ref
		if d.rec != nil {
			s.loaded, s.status, s.recordPending, s.factType = true, d.rec.Status, d.rec.Pending, d.rec.FactType
		}
	}
	return s
}

// announce puts on the status line, as sentences, what changed since
// before. Nothing changed: the line keeps its last announcement.
func (a *App) announce(before a11ySnap) {
	now := a.snap()
	c := a.c
	var says []string
	tabSentence := func() string {
		return c.M().A11y.Tab.F(c.M().Tabs[now.tab], now.total)
	}
	switch top := a.Top().(type) {
	case *queueModel:
		// A new count after a change of tab, filter or screen; not the
		// recount after an action (its own sentence stays).
		if now.total >= 0 && (before.screen != now.screen || before.tab != now.tab ||
			before.filter != now.filter || before.total < 0) {
			says = append(says, tabSentence())
		}
	case *detailModel:
		ref := textsafe.Line(top.ref)
		switch {
		case !now.loaded:
		case !before.loaded || before.ref != now.ref:
			says = append(says, c.M().A11y.Opened.F(ref, statusWord(c.Lang, now.status), factTypeLabel(c.Lang, now.factType)))
		case before.status != now.status || before.recordPending != now.recordPending:
			sentence := c.M().A11y.Nowstatus
			if now.recordPending {
				sentence = c.M().A11y.Nowpending
			}
			says = append(says, sentence.F(ref, statusWord(c.Lang, now.status)))
		}
	case *helpModel:
		if before.screen != now.screen {
			says = append(says, c.M().A11y.Help)
		}
	case *conflictsModel:
		if before.screen != now.screen {
			says = append(says, c.M().A11y.Conflicts)
		}
	case *dialogModel:
		if before.screen != now.screen {
			says = append(says, c.M().A11y.Dialog.F(top.title()))
		}
	}
	switch {
	case now.auth && !before.auth:
		says = append(says, c.M().A11y.Authfailed)
	case now.online && !before.online:
		says = append(says, c.M().A11y.Online)
	case !now.online && before.online:
		says = append(says, c.M().A11y.Offline)
	}
	// Background syncs run every few seconds: announcing each would
	// overwrite the sentence the officer needs (a claim). A sync the
	// officer asked for (r) and arrivals are announced when counted
	// (sync_status.go).
	if len(says) > 0 {
		a.status, a.statusLevel = strings.Join(says, " "), 0
	}
}

// accessibleView is the queue as lines of text: the tabs, the position and
// filter, the order of the parts of a line, then one complaint per line.
func (q *queueModel) accessibleView() string {
	c, w := q.c, q.width
	var b strings.Builder
	b.WriteString(clipWidth(q.tabsLine(), w))
	b.WriteByte('\n')
	b.WriteString(clipWidth(q.infoLine(), w))
	b.WriteByte('\n')
	if q.filterErr != "" {
		b.WriteString(clipWidth(q.filterErr+" — "+c.M().Filter.Fix, w))
		return b.String()
	} else {
		b.WriteString(clipWidth(c.M().A11y.Columns, w))
	}
	for i := 0; i < q.viewH(); i++ {
		b.WriteByte('\n')
		abs := q.top + i
		j := abs - q.winStart
		switch {
		case q.total >= 0 && abs >= q.total:
			if abs == 0 && i == 0 {
				msg := c.M().Queue.Empty
				if q.loadErr != "" {
					msg = c.M().Queue.Loaderr.F(q.loadErr)
				}
				b.WriteString(clipWidth(msg, w))
			}
		case j < 0 || j >= len(q.rows):
			b.WriteString("…")
		default:
			mark := "  "
			if abs == q.cursor {
				mark = "› "
			}
			b.WriteString(clipWidth(mark+q.rowSentence(q.rows[j]), w))
		}
	}
	return b.String()
}

// rowSentence is one complaint as a line a screen reader reads well.
func (q *queueModel) rowSentence(r Row) string {
	c := q.c
	status := statusWord(c.Lang, r.Status)
	switch {
	case r.Conflict:
		status += " " + c.M().Row.Conflict
	case r.Pending:
		status += " " + c.M().Row.Pending
	}
	// The long place name last, so a narrow screen cuts it rather than
	// the name or the time.
	parts := []string{textsafe.Line(r.Reference), status, factTypeLabel(c.Lang, r.FactType),
		textsafe.Line(r.Complainant), c.M().A11y.Received.F(relTime(c.Lang, r.ReceivedAt, c.now()))}
	if r.ClaimedBy != "" {
		parts = append(parts, c.M().A11y.Claimedby.F(textsafe.Line(r.ClaimedBy)))
	}
	parts = append(parts, textsafe.Line(r.Municipality))
	return strings.Join(parts, ", ")
}

// renderAccessible lays the detail out one field per line, "› 3 Label:
// value", a long value wrapping onto indented lines; no columns to follow.
func (d *detailModel) renderAccessible() {
	c := d.c
	w := max(d.width, 1)
	var lines []string
	d.spans = d.spans[:0]
	wrap := func(first, text string) {
		for i, l := range strings.Split(ansi.Wrap(first+text, w, " "), "\n") {
			if i > 0 {
				l = "    " + l
			}
			lines = append(lines, clipWidth(l, w))
		}
	}
	group := ""
	for i, f := range d.fields {
		if f.Group != group {
			group = f.Group
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, clipWidth(textsafe.Line(f.GroupLabel)+":", w))
		}
		mark := "  "
		if i == d.sel {
			mark = "› "
		}
		shown := shownValue(c, f)
		start := len(lines)
		head := mark + d.labels[i] + " " + textsafe.Line(f.Label) + ": "
		if f.Multiline {
			v := strings.ReplaceAll(textsafe.Block(shown), "\t", "    ")
			paras := strings.Split(v, "\n")
			wrap(head, paras[0])
			for _, p := range paras[1:] {
				wrap("    ", p)
			}
		} else {
			wrap(head, textsafe.Line(shown))
		}
		d.spans = append(d.spans, [2]int{start, len(lines) - 1})
	}
	lines = append(lines, "", clipWidth(c.M().Groups.History+":", w))
	for _, h := range d.rec.History {
		wrap("  ", historyLine(c, h, ", "))
	}
	if len(d.rec.History) == 0 {
		lines = append(lines, clipWidth("  "+c.M().Detail.Nohistory, w))
	}
	d.vp.SetContent(strings.Join(lines, "\n"))
}

// tabsCompact is the tab line of a narrow screen (large text): the active
// tab in words, the others as "number:count".
func (q *queueModel) tabsCompact() string {
	st := q.c.Styles
	var parts []string
	for t := Tab(0); t < tabCount; t++ {
		if t == q.tab {
			parts = append(parts, st.TabActive.Render(fmt.Sprintf("[%d %s %d]", t+1, q.c.M().Tabs[t], q.counts[t])))
		} else {
			parts = append(parts, st.TabInactive.Render(fmt.Sprintf("%d:%d", t+1, q.counts[t])))
		}
	}
	return strings.Join(parts, " ")
}
