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
	dialogTakeOver
	dialogCorrectPV
)

// actionType is the action a dialog kind asks for.
func (k dialogKind) actionType() complaint.ActionType {
	return [...]complaint.ActionType{complaint.ActionHandle, complaint.ActionReject, complaint.ActionForward,
		complaint.ActionTakeOver, complaint.ActionCorrectPV}[k]
}

// titleKey is the message code of a dialog's title.
func (k dialogKind) titleKey() string { return "dialog." + string(k.actionType()) }

// dialogModel asks what an action needs (PV number, reason, target zone),
// validates it as it is typed, and asks for confirmation before the action
// goes to the store. It stays open until the store has answered: a local
// refusal shows in the dialog with what was typed still there. What was
// typed is also kept as a draft per complaint and action for the session,
// so a retry after a refusal by the portal starts from it.
//
// With several complaints (marked rows) it collects the reason or zone
// once and hands over to the bulk confirmation, which acts on each and
// shows what happened to each.
type dialogModel struct {
	nav
	c     *Context
	kind  dialogKind
	ref   string          // one complaint, or
	refs  []string        // the marked set (bulk)
	curPV string          // correct_pv: the number being replaced
	input textinput.Model // PV number, reason, or zone search
	extra textinput.Model // forward: reason
	focus int             // forward: 0 zone search, 1 reason

	matches []complaint.ZoneMatch
	allowed map[string]bool // zones the source can forward to
	zsel    int

	template int // next reason template ctrl+t puts in (0: none put yet)

	err        string
	preview    string
	confirming bool
	waiting    bool // the action is with the store; its answer closes or explains

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
	case dialogHandle, dialogCorrectPV:
		d.input.Placeholder = "NI.55.L5.012345/2026"
		d.input.CharLimit = 40
	case dialogReject, dialogTakeOver:
		d.input.Placeholder = c.M().Dialog.Reasonph
	case dialogForward:
		d.input.Placeholder = c.M().Dialog.Zonesearch
		d.extra.Placeholder = c.M().Dialog.Reasonph
		d.allowed = map[string]bool{}
		for _, z := range c.Src.Zones() {
			d.allowed[z.Code] = true
		}
	}
	d.input.Cursor.SetMode(cursor.CursorStatic)
	d.extra.Cursor.SetMode(cursor.CursorStatic)
	plainInput(c, &d.input)
	plainInput(c, &d.extra)
	if kind == dialogForward {
		d.extra.Prompt = "  " // only the focused field has the › marker
	}
	if draft, ok := c.drafts[draftKey(ref, kind)]; ok {
		d.input.SetValue(draft.input)
		d.extra.SetValue(draft.extra)
		d.input.CursorEnd()
	}
	d.input.Focus()
	d.validate()
	return d
}

// newBulkDialog asks once for what kind needs, for every marked complaint.
func newBulkDialog(c *Context, kind dialogKind, refs []string) *dialogModel {
	d := newDialog(c, kind, "")
	d.refs = refs
	return d
}

// dialogDraft is what an officer typed in a dialog.
type dialogDraft struct{ input, extra string }

func draftKey(ref string, kind dialogKind) string { return string(kind.actionType()) + " " + ref }

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

// title is the dialog's title: the action and the complaint (or how many).
func (d *dialogModel) title() string {
	if len(d.refs) > 0 {
		return bulkTitle(d.c, d.kind.actionType()) + " — " + d.c.M().Bulk.Marked.F(len(d.refs))
	}
	return coded(d.c.Lang, d.kind.titleKey(), textsafe.Line(d.ref))
}

// selectedZone is the zone chosen in the forward list, if any.
func (d *dialogModel) selectedZone() (complaint.ZoneMatch, bool) {
	if d.kind != dialogForward || d.zsel >= len(d.matches) {
		return complaint.ZoneMatch{}, false
	}
	return d.matches[d.zsel], true
}

// action is the action as typed so far, checked by the shared rules.
func (d *dialogModel) action() (complaint.Action, complaint.FieldErrors) {
	a := complaint.Action{Type: d.kind.actionType()}
	switch d.kind {
	case dialogHandle, dialogCorrectPV:
		a.PVNumber = d.input.Value()
	case dialogReject, dialogTakeOver:
		a.Reason = d.input.Value()
	case dialogForward:
		a.Reason = d.extra.Value()
		if m, ok := d.selectedZone(); ok {
			a.ToZone = m.Zone.Code
		}
	}
	checked, errs := a.CheckAt(d.c.Lang, d.c.now())
	if len(errs) == 0 && d.kind == dialogForward && checked.ToZone == d.c.Zone.Code {
		errs = complaint.FieldErrors{{Path: "to_zone", Code: "own_zone", Message: d.c.M().Dialog.Ownzone}}
	}
	if len(errs) == 0 && d.kind == dialogCorrectPV && checked.PVNumber == d.curPV {
		errs = complaint.FieldErrors{{Path: "pv_number", Code: "same_pv", Message: d.c.M().Dialog.Samepv}}
	}
	return checked, errs
}

func (d *dialogModel) validate() {
	d.err, d.preview = "", ""
	if d.kind == dialogForward {
		d.filterZones()
	}
	a, errs := d.action()
	if len(errs) > 0 {
		show := d.input.Value() != ""
		if d.kind == dialogForward {
			// An empty search is not an error: there is nothing to refuse yet.
			show = strings.TrimSpace(d.input.Value()) != "" && (len(d.matches) > 0 || errs.Has("reason"))
		}
		if show {
			d.err = errs[0].Message
		}
		return
	}
	switch d.kind {
	case dialogHandle, dialogCorrectPV:
		d.preview = a.PVNumber
	case dialogForward:
		m, _ := d.selectedZone()
		d.preview = d.c.M().Dialog.Forwardto.F(m.Zone.Code, textsafe.Line(m.Zone.Name))
	}
}

// filterZones runs the zone search (code, name, municipality, postal code,
// other-language names); an empty search lists nothing, so Enter on it
// cannot forward to a zone the officer never chose.
func (d *dialogModel) filterZones() {
	d.matches = d.matches[:0:0]
	for _, m := range complaint.DefaultRouter().SearchZones(d.input.Value()) {
		if d.allowed[m.Zone.Code] || m.Zone.Code == d.c.Zone.Code {
			d.matches = append(d.matches, m)
		}
	}
	d.zsel = max(0, min(d.zsel, len(d.matches)-1))
}

// reasonInput is the field a reason template goes into.
func (d *dialogModel) reasonInput() *textinput.Model {
	switch d.kind {
	case dialogReject, dialogTakeOver:
		return &d.input
	case dialogForward:
		return &d.extra
	}
	return nil
}

// nextTemplate puts the next reason template in the reason field.
func (d *dialogModel) nextTemplate() {
	in, list := d.reasonInput(), d.c.reasonTemplates()
	if in == nil || len(list) == 0 {
		return
	}
	in.SetValue(list[d.template%len(list)])
	in.CursorEnd()
	d.template++
}

// Update implements Screen.
func (d *dialogModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case actionDoneMsg:
		if !d.waiting || msg.ref != d.ref || msg.action.Type != d.kind.actionType() {
			return d, nil
		}
		d.waiting = false
		if msg.err != nil {
			d.confirming = false
			d.err = refusalText(d.c, msg.err)
			return d, nil
		}
		return d, pop
	case tea.KeyMsg:
		return d.updateKey(msg)
	}
	return d, nil
}

func (d *dialogModel) updateKey(km tea.KeyMsg) (Screen, tea.Cmd) {
	k := d.c.Keys
	if d.waiting {
		return d, nil // the store's answer comes in a moment
	}
	switch {
	case key.Matches(km, k.Cancel):
		d.pop()
		return d, nil
	case key.Matches(km, k.Confirm):
		if d.kind == dialogForward && len(d.matches) == 0 {
			return d, nil // nothing chosen: Enter does nothing
		}
		a, errs := d.action()
		if len(errs) > 0 {
			d.err = errs[0].Message
			return d, nil
		}
		if len(d.refs) > 0 {
			// The bulk confirmation asks, acts on each and reports on each.
			d.pop()
			return d, push(newBulkConfirmAction(d.c, a, d.refs))
		}
		if !d.confirming {
			d.confirming = true
			return d, nil
		}
		d.c.drafts[draftKey(d.ref, d.kind)] = dialogDraft{d.input.Value(), d.extra.Value()}
		d.waiting = true
		return d, actCmd(d.c, d.ref, a)
	case km.Type == tea.KeyCtrlT:
		d.nextTemplate()
		d.confirming = false
		d.validate()
		return d, nil
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
	lines = append(lines, st.Title.Render(fit(d.title(), inner)))
	templates := func() {
		if list := c.reasonTemplates(); len(list) > 0 {
			lines = append(lines, st.Muted.Render(c.M().Dialog.Templates.F(strings.Join(list, " · "))))
		}
	}
	switch d.kind {
	case dialogHandle:
		lines = append(lines, c.M().Dialog.PV, d.input.View())
	case dialogCorrectPV:
		lines = append(lines, c.M().Dialog.Curpv.F(textsafe.Line(d.curPV)), c.M().Dialog.Newpv, d.input.View())
	case dialogReject, dialogTakeOver:
		lines = append(lines, c.M().Dialog.Reason, d.input.View())
		templates()
	case dialogForward:
		lines = append(lines, c.M().Dialog.Zone, d.input.View())
		show := min(len(d.matches), max(d.height-17, 3), 8)
		start := max(0, min(d.zsel-show/2, len(d.matches)-show))
		for i := start; i < start+show && i < len(d.matches); i++ {
			m := d.matches[i]
			mark := "  "
			if i == d.zsel {
				mark = "› "
			}
			text := mark + m.Zone.Code + "  " + textsafe.Line(m.Zone.Name)
			if m.Via != "" {
				text += " (" + textsafe.Line(m.Via) + ")"
			}
			if m.Zone.Code == c.Zone.Code {
				text += " — " + c.M().Dialog.Yourzone
			}
			line := fit(text, inner)
			if i == d.zsel {
				line = st.Selected.Render(line)
			}
			lines = append(lines, line)
		}
		switch {
		case strings.TrimSpace(d.input.Value()) == "":
			lines = append(lines, st.Muted.Render(c.M().Dialog.Zonetype))
		case len(d.matches) == 0:
			lines = append(lines, st.Muted.Render(c.M().Dialog.Nozone))
		}
		lines = append(lines, c.M().Dialog.Reasonopt, d.extra.View())
		templates()
	}
	switch {
	case d.err != "":
		lines = append(lines, st.Danger.Render("✗ "+d.err))
	case d.preview != "":
		lines = append(lines, st.OK.Render("✓ "+d.preview))
	default:
		lines = append(lines, "")
	}
	switch {
	case d.waiting:
		lines = append(lines, st.Muted.Render(c.M().Dialog.Waiting))
	case d.confirming:
		for _, l := range strings.Split(d.confirmText(), "\n") {
			lines = append(lines, st.Warn.Render(l))
		}
	default:
		lines = append(lines, st.Muted.Render(c.M().Dialog.Hint))
	}
	for i, l := range lines {
		lines[i] = fitStyled(l, inner)
	}
	return st.Dialog.Width(bw - 2).Render(strings.Join(lines, "\n"))
}

// confirmText asks for the confirmation, repeating what will happen.
func (d *dialogModel) confirmText() string {
	if m, ok := d.selectedZone(); ok {
		return d.c.M().Dialog.Confirmforward.F(m.Zone.Code, textsafe.Line(m.Zone.Name)) + "\n" + d.c.M().Dialog.Confirm
	}
	return d.c.M().Dialog.Confirm
}

// fitStyled truncates a possibly styled line to w columns and pads it.
func fitStyled(s string, w int) string {
	s = clipWidth(s, w)
	if pad := w - lipgloss.Width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}
