package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/textsafe"
)

// dialogModel asks what an action needs — the inputs of its entry in
// complaint's action table (PV number, reason, target zone), in the
// table's order —, validates them as they are typed, and asks for
// confirmation before the action goes to the store. It stays open until
// the store has answered: a local refusal shows in the dialog with what
// was typed still there. What was typed is also kept as a draft per
// complaint and action for the session, so a retry after a refusal by the
// portal starts from it.
//
// With several complaints (marked rows) it collects the inputs once and
// hands over to the bulk confirmation, which acts on each and shows what
// happened to each.
type dialogModel struct {
	nav
	c      *Context
	spec   complaint.ActionSpec
	ref    string            // one complaint, or
	refs   []string          // the marked set (bulk)
	curPV  string            // a PV number input replaces this one ("" none)
	fields []textinput.Model // one per input of spec
	focus  int               // the field typed in

	matches []complaint.ZoneMatch // zone input: the search's zones
	allowed map[string]bool       // zones the source can forward to
	zsel    int

	template int // next reason template ctrl+t puts in (0: none put yet)

	err        string
	preview    string
	confirming bool
	waiting    bool // the action is with the store; its answer closes or explains

	width, height int
}

func newDialog(c *Context, spec complaint.ActionSpec, ref string) *dialogModel {
	d := &dialogModel{c: c, spec: spec, ref: ref, width: 80, height: 24}
	d.fields = make([]textinput.Model, len(spec.Inputs))
	for i, in := range spec.Inputs {
		f := textinput.New()
		f.Prompt = "› "
		f.CharLimit = complaint.MaxReasonLen
		switch in.Input {
		case complaint.InputPV:
			f.Placeholder = "NI.55.L5.012345/2026"
			f.CharLimit = 40
		case complaint.InputReason:
			f.Placeholder = c.M().Dialog.Reasonph
		case complaint.InputZone:
			f.Placeholder = c.M().Dialog.Zonesearch
			d.allowed = map[string]bool{}
			for _, z := range c.Src.Zones() {
				d.allowed[z.Code] = true
			}
		}
		f.Cursor.SetMode(cursor.CursorStatic)
		plainInput(c, &f)
		d.fields[i] = f
	}
	if draft, ok := c.drafts[draftKey(ref, spec.Type)]; ok {
		for i := range d.fields {
			if i < len(draft) {
				d.fields[i].SetValue(draft[i])
			}
		}
		if len(d.fields) > 0 {
			d.fields[0].CursorEnd()
		}
	}
	d.setFocus(0)
	d.validate()
	return d
}

// newBulkDialog asks once for what spec needs, for every marked complaint.
func newBulkDialog(c *Context, spec complaint.ActionSpec, refs []string) *dialogModel {
	d := newDialog(c, spec, "")
	d.refs = refs
	return d
}

// dialogDraft is what an officer typed in a dialog, field by field.
type dialogDraft []string

func draftKey(ref string, t complaint.ActionType) string { return string(t) + " " + ref }

// setFocus moves the typing to field i; with several fields only the
// focused one has the › marker.
func (d *dialogModel) setFocus(i int) tea.Cmd {
	d.focus = i
	var cmd tea.Cmd
	for j := range d.fields {
		if j == i {
			d.fields[j].Prompt = "› "
			cmd = d.fields[j].Focus()
			continue
		}
		d.fields[j].Prompt = "  "
		d.fields[j].Blur()
	}
	return cmd
}

// field is the field of input in, if the action takes it.
func (d *dialogModel) field(in complaint.Input) (*textinput.Model, int) {
	for i, x := range d.spec.Inputs {
		if x.Input == in {
			return &d.fields[i], i
		}
	}
	return nil, -1
}

func (d *dialogModel) value(in complaint.Input) string {
	if f, _ := d.field(in); f != nil {
		return f.Value()
	}
	return ""
}

func (d *dialogModel) hasZone() bool { f, _ := d.field(complaint.InputZone); return f != nil }

// Init implements Screen.
func (d *dialogModel) Init() tea.Cmd { return nil }

// SetSize implements Screen.
func (d *dialogModel) SetSize(w, h int) {
	d.width, d.height = w, h
	iw := max(d.boxWidth()-8, 1)
	for i := range d.fields {
		d.fields[i].Width = iw
	}
}

func (d *dialogModel) boxWidth() int { return max(min(d.width-2, 72), 10) }

// Help implements Screen.
func (d *dialogModel) Help() help.KeyMap { return d.c.Keys.DialogHelp(len(d.fields) > 1) }

// Typing implements inputScreen.
func (d *dialogModel) Typing() bool { return true }

// Overlay implements overlay.
func (d *dialogModel) Overlay() bool { return true }

// title is the dialog's title: the action and the complaint (or how many).
func (d *dialogModel) title() string {
	if len(d.refs) > 0 {
		return bulkTitle(d.c, d.spec.Type) + " — " + d.c.M().Bulk.Marked.F(len(d.refs))
	}
	return coded(d.c.Lang, d.spec.Labels.Dialog, textsafe.Line(d.ref))
}

// selectedZone is the zone chosen in the zone list, if any.
func (d *dialogModel) selectedZone() (complaint.ZoneMatch, bool) {
	if !d.hasZone() || d.zsel >= len(d.matches) {
		return complaint.ZoneMatch{}, false
	}
	return d.matches[d.zsel], true
}

// action is the action as typed so far, checked by the shared rules.
func (d *dialogModel) action() (complaint.Action, complaint.FieldErrors) {
	a := complaint.Action{Type: d.spec.Type, PVNumber: d.value(complaint.InputPV), Reason: d.value(complaint.InputReason)}
	if m, ok := d.selectedZone(); ok {
		a.ToZone = m.Zone.Code
	}
	checked, errs := a.CheckAt(d.c.Lang, d.c.now())
	if len(errs) == 0 && d.hasZone() && checked.ToZone == d.c.Zone.Code {
		errs = complaint.FieldErrors{{Path: string(complaint.InputZone), Code: "own_zone", Message: d.c.M().Dialog.Ownzone}}
	}
	if f, _ := d.field(complaint.InputPV); f != nil && len(errs) == 0 && d.curPV != "" && checked.PVNumber == d.curPV {
		errs = complaint.FieldErrors{{Path: string(complaint.InputPV), Code: "same_pv", Message: d.c.M().Dialog.Samepv}}
	}
	return checked, errs
}

func (d *dialogModel) validate() {
	d.err, d.preview = "", ""
	if d.hasZone() {
		d.filterZones()
	}
	a, errs := d.action()
	if len(errs) > 0 {
		show := len(d.fields) > 0 && d.fields[0].Value() != ""
		if d.hasZone() {
			// An empty search is not an error: there is nothing to refuse yet.
			show = strings.TrimSpace(d.value(complaint.InputZone)) != "" && (len(d.matches) > 0 || errs.Has(string(complaint.InputReason)))
		}
		if show {
			d.err = errs[0].Message
		}
		return
	}
	if m, ok := d.selectedZone(); ok {
		d.preview = d.c.M().Dialog.Forwardto.F(m.Zone.Code, textsafe.Line(m.Zone.Name))
	} else if f, _ := d.field(complaint.InputPV); f != nil {
		d.preview = a.PVNumber
	}
}

// filterZones runs the zone search (code, name, municipality, postal code,
// other-language names); an empty search lists nothing, so Enter on it
// cannot forward to a zone the officer never chose.
func (d *dialogModel) filterZones() {
	d.matches = d.matches[:0:0]
	for _, m := range complaint.DefaultRouter().SearchZones(d.value(complaint.InputZone)) {
		if d.allowed[m.Zone.Code] || m.Zone.Code == d.c.Zone.Code {
			d.matches = append(d.matches, m)
		}
	}
	d.zsel = max(0, min(d.zsel, len(d.matches)-1))
}

// nextTemplate puts the next reason template in the reason field.
func (d *dialogModel) nextTemplate() {
	in, _ := d.field(complaint.InputReason)
	list := d.c.reasonTemplates()
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
		if !d.waiting || msg.ref != d.ref || msg.action.Type != d.spec.Type {
			return d, nil
		}
		d.waiting = false
		if msg.err != nil {
			d.confirming = false
			d.err = refusalText(d.c, msg.err)
			return d, nil
		}
		d.pop()
		return d, nil
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
	_, zoneField := d.field(complaint.InputZone)
	switch {
	case key.Matches(km, k.Cancel):
		d.pop()
		return d, nil
	case key.Matches(km, k.Confirm):
		if d.hasZone() && len(d.matches) == 0 {
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
			d.push(newBulkConfirmAction(d.c, a, d.refs))
			return d, nil
		}
		if !d.confirming {
			d.confirming = true
			return d, nil
		}
		draft := make(dialogDraft, len(d.fields))
		for i, f := range d.fields {
			draft[i] = f.Value()
		}
		d.c.drafts[draftKey(d.ref, d.spec.Type)] = draft
		d.waiting = true
		return d, actCmd(d.c, d.ref, a)
	case km.Type == tea.KeyCtrlT:
		d.nextTemplate()
		d.confirming = false
		d.validate()
		return d, nil
	case len(d.fields) > 1 && key.Matches(km, k.NextField):
		next := (d.focus + 1) % len(d.fields)
		if km.Type == tea.KeyShiftTab {
			next = (d.focus + len(d.fields) - 1) % len(d.fields)
		}
		return d, d.setFocus(next)
	case d.focus == zoneField && (km.Type == tea.KeyUp || km.Type == tea.KeyDown):
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
	if len(d.fields) > 0 {
		d.fields[d.focus], cmd = d.fields[d.focus].Update(km)
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
	for i, in := range d.spec.Inputs {
		switch in.Input {
		case complaint.InputPV:
			if d.curPV != "" {
				lines = append(lines, c.M().Dialog.Curpv.F(textsafe.Line(d.curPV)), c.M().Dialog.Newpv)
			} else {
				lines = append(lines, c.M().Dialog.PV)
			}
			lines = append(lines, d.fields[i].View())
		case complaint.InputReason:
			label := c.M().Dialog.Reason
			if !in.Required {
				label = c.M().Dialog.Reasonopt
			}
			lines = append(lines, label, d.fields[i].View())
			if list := c.reasonTemplates(); len(list) > 0 {
				lines = append(lines, st.Muted.Render(c.M().Dialog.Templates.F(strings.Join(list, " · "))))
			}
		case complaint.InputZone:
			lines = append(lines, c.M().Dialog.Zone, d.fields[i].View())
			lines = append(lines, d.zoneList(inner)...)
		}
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

// zoneList is the zone search's result under its field, and a hint when
// there is none.
func (d *dialogModel) zoneList(inner int) []string {
	c, st := d.c, d.c.Styles
	var lines []string
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
	case strings.TrimSpace(d.value(complaint.InputZone)) == "":
		lines = append(lines, st.Muted.Render(c.M().Dialog.Zonetype))
	case len(d.matches) == 0:
		lines = append(lines, st.Muted.Render(c.M().Dialog.Nozone))
	}
	return lines
}

// confirmText asks for the confirmation, repeating what will happen.
func (d *dialogModel) confirmText() string {
	if m, ok := d.selectedZone(); ok {
		return d.c.M().Dialog.Confirmforward.F(m.Zone.Code, textsafe.Line(m.Zone.Name)) + "\n" + d.c.M().Dialog.Confirm
	}
	return d.c.M().Dialog.Confirm
}
