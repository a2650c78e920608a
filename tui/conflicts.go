package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"guichet/textsafe"
)

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
