package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
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
