package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Quitting with actions not yet sent to the portal asks first: they are
// kept in the cache and leave at the next start, but an officer who
// believes they were sent must not find out tomorrow.

// quitCheckMsg is how many actions wait in the outbox when the officer
// asked to quit.
type quitCheckMsg struct {
	pending int
	err     error
}

// quitNowMsg ends the program (the officer confirmed).
type quitNowMsg struct{}

// askQuit reads the outbox, off the Update path; the answer decides.
func (a *App) askQuit() tea.Cmd {
	c := a.c
	return func() tea.Msg {
		n, err := c.Src.Pending(c.Ctx)
		return quitCheckMsg{pending: n, err: err}
	}
}

// quitConfirmModel asks "2 actions en attente … — quitter ?".
type quitConfirmModel struct {
	nav
	c       *Context
	pending int
	width   int
}

func newQuitConfirm(c *Context, pending int) *quitConfirmModel {
	return &quitConfirmModel{c: c, pending: pending, width: 80}
}

// Init implements Screen.
func (m *quitConfirmModel) Init() tea.Cmd { return nil }

// SetSize implements Screen.
func (m *quitConfirmModel) SetSize(w, h int) { m.width = w }

// Overlay implements overlay.
func (m *quitConfirmModel) Overlay() bool { return true }

// Help implements Screen.
func (m *quitConfirmModel) Help() help.KeyMap {
	k := m.c.Keys
	yes := key.NewBinding(key.WithKeys(k.Yes.Keys()...), key.WithHelp(k.Yes.Help().Key, m.c.M().Keys.Quit))
	stay := key.NewBinding(key.WithKeys(k.Cancel.Keys()...), key.WithHelp(k.Cancel.Help().Key, m.c.M().Quit.Stay))
	return helpKeys{short: []key.Binding{yes, stay}, full: [][]key.Binding{{yes, stay}}}
}

// Update implements Screen: yes (y, o, j: yes in en, fr, nl/de) or
// confirm quits; no, cancel or quit stays.
func (m *quitConfirmModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	k := m.c.Keys
	switch {
	case key.Matches(km, k.Yes, k.Confirm):
		return m, func() tea.Msg { return quitNowMsg{} }
	case key.Matches(km, k.No, k.Cancel, k.Quit):
		m.pop()
	}
	return m, nil
}

// View implements Screen.
func (m *quitConfirmModel) View() string {
	c, st := m.c, m.c.Styles
	bw := max(min(m.width-2, 72), 10)
	inner := bw - 4
	lines := []string{
		st.Title.Render(fit(c.M().Quit.Title, inner)),
		st.Warn.Render(c.M().Quit.Pending.F(m.pending)),
		st.Muted.Render(c.M().Quit.Hint.F(c.M().Quit.Yeskey)),
	}
	for i, l := range lines {
		lines[i] = fitStyled(l, inner)
	}
	if c.Accessible {
		return strings.Join(lines, "\n")
	}
	return st.Dialog.Width(bw - 2).Render(strings.Join(lines, "\n"))
}
