package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/textsafe"
)

// bulkConfirmModel asks "Claim 50 complaints?", runs the action one by one
// on confirmation, and then shows what happened (queued, refused and why).
type bulkConfirmModel struct {
	nav
	c       *Context
	action  complaint.ActionType
	act     complaint.Action // with the reason or zone a dialog asked for
	refs    []string
	running bool
	result  *bulkDoneMsg
	width   int
	height  int
}

func newBulkConfirm(c *Context, t complaint.ActionType, refs []string) *bulkConfirmModel {
	return newBulkConfirmAction(c, complaint.Action{Type: t}, refs)
}

// newBulkConfirmAction confirms an action with its reason or zone.
func newBulkConfirmAction(c *Context, a complaint.Action, refs []string) *bulkConfirmModel {
	return &bulkConfirmModel{c: c, action: a.Type, act: a, refs: refs, width: 80, height: 20}
}

// Init implements Screen.
func (d *bulkConfirmModel) Init() tea.Cmd { return nil }

// SetSize implements Screen.
func (d *bulkConfirmModel) SetSize(w, h int) { d.width, d.height = w, h }

// Overlay implements overlay.
func (d *bulkConfirmModel) Overlay() bool { return true }

// Help implements Screen.
func (d *bulkConfirmModel) Help() help.KeyMap {
	k := d.c.Keys
	if d.result != nil {
		return helpKeys{short: []key.Binding{k.Back}, full: [][]key.Binding{{k.Back}}}
	}
	return k.DialogHelp(false)
}

// Update implements Screen.
func (d *bulkConfirmModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case bulkDoneMsg:
		if d.running && msg.action == d.action {
			d.running = false
			d.result = &msg
		}
		return d, nil
	case tea.KeyMsg:
		k := d.c.Keys
		switch {
		case d.running:
			return d, nil // one bulk step at a time; the answer closes it
		case d.result != nil:
			if key.Matches(msg, k.Back) || key.Matches(msg, k.Confirm) {
				d.pop()
			}
		case key.Matches(msg, k.Cancel):
			d.pop()
		case key.Matches(msg, k.Confirm, k.Yes):
			d.running = true
			return d, bulkCmd(d.c, d.act, d.refs)
		}
	}
	return d, nil
}

// View implements Screen.
func (d *bulkConfirmModel) View() string {
	c, st := d.c, d.c.Styles
	bw := max(min(d.width-2, 72), 10)
	inner := bw - 4
	verb := actionWord(c.Lang, d.action)
	var lines []string
	lines = append(lines, st.Title.Render(fit(bulkTitle(c, d.action), inner)))
	switch {
	case d.result != nil:
		text, _ := bulkSummaryText(c, *d.result)
		lines = append(lines, text)
		show := min(len(d.result.refused), max(d.height-8, 1), 10)
		for _, r := range d.result.refused[:show] {
			lines = append(lines, st.Danger.Render("✗ "+textsafe.Line(r.ref)+" — "+textsafe.Line(r.reason)))
		}
		if more := len(d.result.refused) - show; more > 0 {
			lines = append(lines, st.Muted.Render(c.M().Bulk.More.F(more)))
		}
		lines = append(lines, st.Muted.Render(c.M().Bulk.Close))
	case d.running:
		lines = append(lines, c.M().Bulk.Running.F(verb, len(d.refs)))
	default:
		lines = append(lines, label(c, d.action, func(l complaint.ActionLabels) string { return l.BulkAsk }, len(d.refs)))
		switch {
		case d.act.ToZone != "":
			z, _ := complaint.DefaultRouter().Zone(d.act.ToZone)
			lines = append(lines, c.M().Dialog.Forwardto.F(textsafe.Line(d.act.ToZone), textsafe.Line(z.Name)))
		}
		if d.act.Reason != "" {
			lines = append(lines, c.M().Bulk.Reason.F(textsafe.Line(d.act.Reason)))
		}
		lines = append(lines, st.Muted.Render(c.M().Bulk.Onebyone))
		lines = append(lines, st.Warn.Render(c.M().Dialog.Confirm))
	}
	for i, l := range lines {
		lines[i] = fitStyled(l, inner)
	}
	return st.Dialog.Width(bw - 2).Render(strings.Join(lines, "\n"))
}
