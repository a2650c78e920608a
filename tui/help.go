package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"guichet/textsafe"
)

// helpModel is the full help of the screen below it, generated from the
// same KeyMap bindings that screen's Update matches.
type helpModel struct {
	nav
	c      *Context
	of     help.KeyMap
	vp     viewport.Model
	width  int
	height int
}

func newHelp(c *Context, of help.KeyMap) *helpModel {
	h := &helpModel{c: c, of: of, vp: viewport.New(80, 20)}
	h.vp.KeyMap = viewport.KeyMap{}
	return h
}

func (h *helpModel) Init() tea.Cmd     { return nil }
func (h *helpModel) Help() help.KeyMap { return h.c.Keys.ListHelp() }
func (h *helpModel) Title() string     { return h.c.M().Help.Title }
func (h *helpModel) View() string      { return h.vp.View() }
func (h *helpModel) SetSize(w, hgt int) {
	h.width, h.height = w, hgt
	h.vp.Width, h.vp.Height = max(w, 1), max(hgt, 1)
	h.render()
}
func (h *helpModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		k := h.c.Keys
		switch {
		case key.Matches(km, k.Back), key.Matches(km, k.Help):
			h.pop()
			return h, nil
		default:
			scrollKey(&h.vp, k, km)
		}
	}
	return h, nil
}

func (h *helpModel) render() {
	st := h.c.Styles
	w := max(h.width, 1)
	var cols []string
	colW := 0
	for _, group := range h.of.FullHelp() {
		var lines []string
		kw := 0
		for _, b := range group {
			kw = max(kw, ansi.StringWidth(b.Help().Key))
		}
		for _, b := range group {
			if !b.Enabled() {
				continue
			}
			lines = append(lines, st.Key.Render(fit(b.Help().Key, kw))+"  "+b.Help().Desc)
		}
		col := strings.Join(lines, "\n")
		colW = max(colW, lipgloss.Width(col))
		cols = append(cols, col)
	}
	var body string
	perRow := max(1, (w+3)/(colW+3))
	if h.c.Accessible {
		perRow = 1 // one column: read top to bottom
	}
	for i := 0; i < len(cols); i += perRow {
		row := []string{}
		for j := i; j < i+perRow && j < len(cols); j++ {
			if j > i {
				row = append(row, "   ")
			}
			row = append(row, lipgloss.NewStyle().Width(colW).Render(cols[j]))
		}
		if body != "" {
			body += "\n\n"
		}
		body += lipgloss.JoinHorizontal(lipgloss.Top, row...)
	}
	body += "\n\n" + st.Title.Render(h.c.M().Help.Filter) + "\n" + flowItems(h.c.M().Help.Filtersyntax, w)
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		lines = append(lines, clipWidth(strings.TrimRight(l, " "), w))
	}
	h.vp.SetContent(strings.Join(lines, "\n"))
}

// conflictsModel lists the actions the portal refused, with its reason.
type conflictsModel struct {
	nav
	c      *Context
	list   []Conflict
	sel    int   // the selected conflict, which d dismisses
	starts []int // first line of each conflict in the viewport
	err    string
	loaded bool
	vp     viewport.Model
	width  int
}

// conflictDismissedMsg answers a dismissal.
type conflictDismissedMsg struct {
	ref string
	err error
}

func newConflicts(c *Context) *conflictsModel {
	m := &conflictsModel{c: c, vp: viewport.New(80, 20)}
	m.vp.KeyMap = viewport.KeyMap{}
	return m
}

func (m *conflictsModel) Init() tea.Cmd     { return m.load() }
func (m *conflictsModel) Help() help.KeyMap { return m.c.Keys.ConflictsHelp() }
func (m *conflictsModel) Title() string     { return m.c.M().Conflicts.Title }
func (m *conflictsModel) View() string      { return m.vp.View() }
func (m *conflictsModel) SetSize(w, h int) {
	m.width = w
	m.vp.Width, m.vp.Height = max(w, 1), max(h, 1)
	m.render()
}

func (m *conflictsModel) load() tea.Cmd {
	c := m.c
	return func() tea.Msg {
		l, err := c.Src.Conflicts(c.Ctx)
		return conflictsMsg{list: l, err: err}
	}
}

func (m *conflictsModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case conflictsMsg:
		m.loaded, m.list, m.err = true, msg.list, ""
		if msg.err != nil {
			m.err = m.c.errText(msg.err)
		}
		m.sel = min(m.sel, max(len(m.list)-1, 0))
		m.render()
	case conflictDismissedMsg:
		if msg.err != nil {
			m.err = m.c.errText(msg.err)
			m.render()
			return m, nil
		}
		if m.c.Sync != nil {
			m.c.Sync.Trigger() // the status bar's conflict count
		}
		return m, tea.Batch(m.load(), status(m.c.M().Conflicts.Dismissed.F(textsafe.Line(msg.ref)), 0))
	case refreshMsg:
		return m, m.load()
	case tea.KeyMsg:
		k := m.c.Keys
		switch {
		case key.Matches(msg, k.Back):
			m.pop()
			return m, nil
		case key.Matches(msg, k.Dismiss) && len(m.list) > 0:
			return m, m.dismiss(m.list[m.sel])
		case key.Matches(msg, k.Down) && len(m.list) > 0:
			m.selectConflict(m.sel + 1)
		case key.Matches(msg, k.Up) && len(m.list) > 0:
			m.selectConflict(m.sel - 1)
		default:
			scrollKey(&m.vp, k, msg)
		}
	}
	return m, nil
}

// dismiss removes a conflict from the cache, off the Update path.
func (m *conflictsModel) dismiss(cf Conflict) tea.Cmd {
	c := m.c
	return func() tea.Msg {
		return conflictDismissedMsg{ref: cf.Reference, err: c.Src.DismissConflict(c.Ctx, cf.ID)}
	}
}

// selectConflict moves the selection and keeps the selected conflict in view.
func (m *conflictsModel) selectConflict(i int) {
	m.sel = max(0, min(i, len(m.list)-1))
	m.render()
	if m.sel < len(m.starts) {
		if line := m.starts[m.sel]; line < m.vp.YOffset || line >= m.vp.YOffset+m.vp.Height {
			m.vp.SetYOffset(line)
		}
	}
}

func (m *conflictsModel) render() {
	c, st := m.c, m.c.Styles
	w := max(m.width, 1)
	var lines []string
	switch {
	case m.err != "":
		lines = append(lines, st.Danger.Render(fit(m.err, w)))
	case !m.loaded:
		lines = append(lines, fit(c.M().Detail.Loading, w))
	case len(m.list) == 0:
		lines = append(lines, st.OK.Render(fit(c.M().Conflicts.None, w)))
	}
	m.starts = m.starts[:0]
	for i, cf := range m.list {
		m.starts = append(m.starts, len(lines))
		marker := "  "
		if i == m.sel {
			marker = "› "
		}
		head := fmtDateTime(c.Lang, cf.At, c.loc()) + "  " + textsafe.Line(cf.Reference) + "  " + actionWord(c.Lang, cf.Action.Type)
		if cf.Action.PVNumber != "" {
			head += " " + textsafe.Line(cf.Action.PVNumber)
		}
		if cf.Action.ToZone != "" {
			head += " → " + textsafe.Line(cf.Action.ToZone)
		}
		lines = append(lines, marker+st.Danger.Render(fit("! "+head, w-2)))
		for _, l := range strings.Split(ansi.Wrap(textsafe.Line(cf.Reason), max(w-4, 4), " "), "\n") {
			lines = append(lines, "    "+fit(l, w-4))
		}
	}
	m.vp.SetContent(strings.Join(lines, "\n"))
}

// flowItems lays out text whose lines are items separated by two spaces:
// as many items per line as fit in w, an item wider than w wrapped alone.
func flowItems(text string, w int) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		cur := ""
		for _, item := range strings.Split(line, "  ") {
			if item = strings.TrimSpace(item); item == "" {
				continue
			}
			switch {
			case cur == "":
				cur = item
			case ansi.StringWidth(cur)+2+ansi.StringWidth(item) <= w:
				cur += "  " + item
			default:
				out = append(out, cur)
				cur = item
			}
			if ansi.StringWidth(cur) > w {
				wrapped := strings.Split(ansi.Wrap(cur, w, " "), "\n")
				out = append(out, wrapped[:len(wrapped)-1]...)
				cur = wrapped[len(wrapped)-1]
			}
		}
		if cur != "" {
			out = append(out, cur)
		}
	}
	return strings.Join(out, "\n")
}
