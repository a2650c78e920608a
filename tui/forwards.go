package tui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/textsafe"
)

// The forwards screen (`>`) lists the complaints the officer forwarded to
// another zone in the last days, with the destination zone and whether the
// portal accepted it. A forwarded complaint leaves the zone, and the
// portal's tombstone removes it from the cache (its personal data with
// it); this list is what stays: reference, fact type, place, destination.

// forwardsDays is how far back the list goes.
const forwardsDays = 14

// Forwarded is one complaint the officer forwarded.
type Forwarded struct {
	Reference    string
	ToZone       string
	FactType     string
	Municipality string
	At           time.Time
	Confirmed    bool
}

type forwardsMsg struct {
	list []Forwarded
	err  error
}

type forwardsModel struct {
	nav
	c      *Context
	list   []Forwarded
	err    string
	loaded bool
	vp     viewport.Model
	width  int
}

func newForwards(c *Context) *forwardsModel {
	m := &forwardsModel{c: c, vp: viewport.New(80, 20)}
	m.vp.KeyMap = viewport.KeyMap{}
	return m
}

func (m *forwardsModel) Init() tea.Cmd     { return m.load() }
func (m *forwardsModel) Help() help.KeyMap { return m.c.Keys.ListHelp() }
func (m *forwardsModel) Title() string     { return m.c.M().Forwards.Title }
func (m *forwardsModel) View() string      { return m.vp.View() }
func (m *forwardsModel) SetSize(w, h int) {
	m.width = w
	m.vp.Width, m.vp.Height = max(w, 1), max(h, 1)
	m.render()
}

func (m *forwardsModel) load() tea.Cmd {
	c := m.c
	since := c.now().Add(-forwardsDays * 24 * time.Hour)
	return func() tea.Msg {
		l, err := c.Src.Forwards(c.Ctx, since)
		return forwardsMsg{list: l, err: err}
	}
}

func (m *forwardsModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case forwardsMsg:
		m.loaded, m.list, m.err = true, msg.list, ""
		if msg.err != nil {
			m.err = m.c.errText(msg.err)
		}
		m.render()
	case refreshMsg, actionDoneMsg:
		return m, m.load()
	case tea.KeyMsg:
		if key.Matches(msg, m.c.Keys.Back) || key.Matches(msg, m.c.Keys.Forwards) {
			m.pop()
			return m, nil
		}
		scrollKey(&m.vp, m.c.Keys, msg)
	}
	return m, nil
}

func (m *forwardsModel) render() {
	c, st, w := m.c, m.c.Styles, max(m.width, 1)
	var lines []string
	lines = append(lines, st.Title.Render(clipWidth(c.M().Forwards.Heading.F(forwardsDays), w)))
	switch {
	case m.err != "":
		lines = append(lines, st.Danger.Render(clipWidth(m.err, w)))
	case !m.loaded:
		lines = append(lines, clipWidth(c.M().Detail.Loading, w))
	case len(m.list) == 0:
		lines = append(lines, st.Muted.Render(clipWidth(c.M().Forwards.None, w)))
	}
	for _, f := range m.list {
		state := c.M().Forwards.Confirmed
		if !f.Confirmed {
			state = st.Warn.Render(c.M().Row.Pending)
		}
		zone := textsafe.Line(f.ToZone)
		if z, ok := complaint.DefaultRouter().Zone(f.ToZone); ok && z.Name != "" {
			zone += " " + textsafe.Line(z.Name)
		}
		parts := []string{textsafe.Line(f.Reference), fmtShortDateTime(c.Lang, f.At, c.loc()), state,
			"→ " + zone, factTypeLabel(c.Lang, f.FactType), textsafe.Line(f.Municipality)}
		sep := "  "
		if c.Accessible {
			sep = ", "
		}
		lines = append(lines, clipWidth(strings.Join(parts, sep), w))
	}
	m.vp.SetContent(strings.Join(lines, "\n"))
}

// Forwards implements Source: the officer's forwards since a time.
func (s *StoreSource) Forwards(ctx context.Context, since time.Time) ([]Forwarded, error) {
	fs, err := s.st.ForwardsBy(ctx, s.officer.ID, since, 500)
	if err != nil {
		return nil, err
	}
	out := make([]Forwarded, len(fs))
	for i, f := range fs {
		out[i] = Forwarded{Reference: f.Reference, ToZone: f.ToZone, FactType: f.FactType,
			Municipality: f.Municipality, At: f.ForwardedAt, Confirmed: f.Confirmed}
	}
	return out, nil
}
