package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"guichet/complaint"
	"guichet/textsafe"
)

type dialogKind int

const (
	dialogHandle dialogKind = iota
	dialogReject
	dialogForward
)

// dialogModel asks what an irreversible action needs (PV number, reason,
// target zone), validates it as it is typed, and asks for confirmation
// before the action goes to the store.
type dialogModel struct {
	nav
	c     *Context
	kind  dialogKind
	ref   string
	input textinput.Model // PV number, reason, or zone search
	extra textinput.Model // forward: reason
	focus int             // forward: 0 zone search, 1 reason

	zones   []complaint.Zone
	matches []complaint.Zone
	zsel    int

	err        string
	preview    string
	confirming bool

	width, height int
}

func newDialog(c *Context, kind dialogKind, ref string) *dialogModel {
	d := &dialogModel{c: c, kind: kind, ref: ref, width: 80, height: 24}
	d.input = textinput.New()
	d.input.Prompt = "› "
	d.input.CharLimit = complaint.MaxReasonLen
	d.extra = textinput.New()
	d.extra.Prompt = "› "
	d.extra.CharLimit = complaint.MaxReasonLen
	switch kind {
	case dialogHandle:
		d.input.Placeholder = "NI.55.L5.012345/2026"
		d.input.CharLimit = 40
	case dialogReject:
		d.input.Placeholder = c.T("dialog.reason")
	case dialogForward:
		d.input.Placeholder = c.T("dialog.zonesearch")
		d.extra.Placeholder = c.T("dialog.reasonopt")
		for _, z := range c.Src.Zones() {
			if z.Code != c.Zone.Code {
				d.zones = append(d.zones, z)
			}
		}
		d.matches = d.zones
	}
	d.input.Cursor.SetMode(cursor.CursorStatic)
	d.extra.Cursor.SetMode(cursor.CursorStatic)
	plainInput(c, &d.input)
	plainInput(c, &d.extra)
	if kind == dialogForward {
		d.extra.Prompt = "  " // only the focused field has the › marker
	}
	d.input.Focus()
	d.validate()
	return d
}

// Init implements Screen.
func (d *dialogModel) Init() tea.Cmd { return nil }

// SetSize implements Screen.
func (d *dialogModel) SetSize(w, h int) {
	d.width, d.height = w, h
	iw := max(d.boxWidth()-8, 1)
	d.input.Width, d.extra.Width = iw, iw
}

func (d *dialogModel) boxWidth() int { return max(min(d.width-2, 72), 10) }

// Help implements Screen.
func (d *dialogModel) Help() help.KeyMap { return d.c.Keys.DialogHelp(d.kind == dialogForward) }

// Typing implements inputScreen.
func (d *dialogModel) Typing() bool { return true }

// Overlay implements overlay.
func (d *dialogModel) Overlay() bool { return true }

// action is the action as typed so far, checked by the shared rules.
func (d *dialogModel) action() (complaint.Action, complaint.FieldErrors) {
	var a complaint.Action
	switch d.kind {
	case dialogHandle:
		a = complaint.Action{Type: complaint.ActionHandle, PVNumber: d.input.Value()}
	case dialogReject:
		a = complaint.Action{Type: complaint.ActionReject, Reason: d.input.Value()}
	case dialogForward:
		a = complaint.Action{Type: complaint.ActionForward, Reason: d.extra.Value()}
		if d.zsel < len(d.matches) {
			a.ToZone = d.matches[d.zsel].Code
		}
	}
	return a.Check(d.c.Lang)
}

func (d *dialogModel) validate() {
	d.err, d.preview = "", ""
	if d.kind == dialogForward {
		d.filterZones()
	}
	a, errs := d.action()
	if len(errs) > 0 {
		if d.input.Value() != "" || d.kind == dialogForward {
			d.err = errs[0].Message
		}
		return
	}
	switch d.kind {
	case dialogHandle:
		d.preview = a.PVNumber
	case dialogForward:
		d.preview = d.matches[d.zsel].Code + " " + textsafe.Line(d.matches[d.zsel].Name)
	}
}

func (d *dialogModel) filterZones() {
	q := complaint.NormalizePlaceName(d.input.Value())
	d.matches = d.matches[:0:0]
	for _, z := range d.zones {
		if q == "" || strings.HasPrefix(z.Code, d.input.Value()) ||
			strings.Contains(complaint.NormalizePlaceName(z.Name), q) {
			d.matches = append(d.matches, z)
		}
	}
	d.zsel = max(0, min(d.zsel, len(d.matches)-1))
}

// Update implements Screen.
func (d *dialogModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return d, nil
	}
	k := d.c.Keys
	switch {
	case key.Matches(km, k.Cancel):
		d.pop()
		return d, nil
	case key.Matches(km, k.Confirm):
		a, errs := d.action()
		if len(errs) > 0 {
			d.err = errs[0].Message
			return d, nil
		}
		if !d.confirming {
			d.confirming = true
			return d, nil
		}
		d.pop()
		return d, actCmd(d.c, d.ref, a)
	case d.kind == dialogForward && key.Matches(km, k.NextField):
		d.focus = 1 - d.focus
		d.input.Prompt, d.extra.Prompt = "› ", "  "
		if d.focus == 1 {
			d.input.Prompt, d.extra.Prompt = "  ", "› "
		}
		if d.focus == 0 {
			d.extra.Blur()
			return d, d.input.Focus()
		}
		d.input.Blur()
		return d, d.extra.Focus()
	case d.kind == dialogForward && d.focus == 0 && (km.Type == tea.KeyUp || km.Type == tea.KeyDown):
		if km.Type == tea.KeyUp {
			d.zsel = max(d.zsel-1, 0)
		} else {
			d.zsel = min(d.zsel+1, max(len(d.matches)-1, 0))
		}
		d.confirming = false
		d.validate()
		return d, nil
	}
	var cmd tea.Cmd
	if d.focus == 0 {
		d.input, cmd = d.input.Update(km)
	} else {
		d.extra, cmd = d.extra.Update(km)
	}
	d.confirming = false
	d.validate()
	return d, cmd
}

// View implements Screen: the dialog box only; the root draws it over the
// screen below.
func (d *dialogModel) View() string {
	c, st := d.c, d.c.Styles
	bw := d.boxWidth()
	inner := bw - 4
	var lines []string
	title := map[dialogKind]string{dialogHandle: "dialog.handle", dialogReject: "dialog.reject", dialogForward: "dialog.forward"}[d.kind]
	lines = append(lines, st.Title.Render(fit(c.T(title, textsafe.Line(d.ref)), inner)))
	switch d.kind {
	case dialogHandle:
		lines = append(lines, c.T("dialog.pv"), d.input.View())
	case dialogReject:
		lines = append(lines, c.T("dialog.reason"), d.input.View())
	case dialogForward:
		lines = append(lines, c.T("dialog.zone"), d.input.View())
		show := min(len(d.matches), max(d.height-16, 3), 8)
		start := max(0, min(d.zsel-show/2, len(d.matches)-show))
		for i := start; i < start+show && i < len(d.matches); i++ {
			z := d.matches[i]
			mark := "  "
			if i == d.zsel {
				mark = "› "
			}
			line := fit(mark+z.Code+"  "+textsafe.Line(z.Name), inner)
			if i == d.zsel {
				line = st.Selected.Render(line)
			}
			lines = append(lines, line)
		}
		if len(d.matches) == 0 {
			lines = append(lines, st.Muted.Render(c.T("dialog.nozone")))
		}
		lines = append(lines, c.T("dialog.reasonopt"), d.extra.View())
	}
	switch {
	case d.err != "":
		lines = append(lines, st.Danger.Render("✗ "+d.err))
	case d.preview != "":
		lines = append(lines, st.OK.Render("✓ "+d.preview))
	default:
		lines = append(lines, "")
	}
	if d.confirming {
		lines = append(lines, st.Warn.Render(c.T("dialog.confirm")))
	} else {
		lines = append(lines, st.Muted.Render(c.T("dialog.hint")))
	}
	for i, l := range lines {
		lines[i] = fitStyled(l, inner)
	}
	return st.Dialog.Width(bw - 2).Render(strings.Join(lines, "\n"))
}

// fitStyled truncates a possibly styled line to w columns and pads it.
func fitStyled(s string, w int) string {
	s = clipWidth(s, w)
	if pad := w - lipgloss.Width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}
