package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"guichet/complaint"
	"guichet/textsafe"
)

// detailModel shows one complaint field by field, each with a letter to
// copy it, in a scrolling viewport (a long description scrolls).
type detailModel struct {
	nav
	c      *Context
	ref    string
	gen    int
	rec    *Complaint
	err    string
	fields []field
	labels []string // copy key of each field
	sel    int
	spans  [][2]int // first and last content line of each field
	vp     viewport.Model

	width, height int
}

func newDetail(c *Context, ref string) *detailModel {
	d := &detailModel{c: c, ref: ref, vp: viewport.New(80, 20), width: 80, height: 21}
	d.vp.KeyMap = viewport.KeyMap{} // keys come from our KeyMap only
	return d
}

// Init implements Screen: read the complaint.
func (d *detailModel) Init() tea.Cmd { return d.load() }

func (d *detailModel) load() tea.Cmd {
	d.gen++
	c, gen, ref := d.c, d.gen, d.ref
	return func() tea.Msg {
		rec, err := c.Src.Get(c.Ctx, ref)
		return recordMsg{gen: gen, ref: ref, rec: rec, err: err}
	}
}

// SetSize implements Screen.
func (d *detailModel) SetSize(w, h int) {
	d.width, d.height = w, h
	d.vp.Width, d.vp.Height = max(w, 1), max(h-1, 1)
	d.render()
}

// Help implements Screen.
func (d *detailModel) Help() help.KeyMap { return d.c.Keys.DetailHelpWithFields(d.c.Lang) }

// Title implements titled.
func (d *detailModel) Title() string { return d.c.M().Detail.Title.F(textsafe.Line(d.ref)) }

// Update implements Screen.
func (d *detailModel) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case recordMsg:
		if msg.gen != d.gen || msg.ref != d.ref {
			return d, nil
		}
		first := d.rec == nil && d.err == ""
		if msg.err != nil {
			d.err = d.c.errText(msg.err)
			d.render()
			return d, nil
		}
		d.err = ""
		d.show(msg.rec)
		if first {
			return d, auditCmd(d.c, d.c.audit("view", d.ref, "", "ok", ""))
		}
		return d, nil
	case refreshMsg:
		return d, d.load()
	case actionDoneMsg:
		if msg.ref != d.ref {
			return d, nil
		}
		if msg.rec != nil && d.rec != nil {
			// The state the action left: the next key counts with it. A
			// read still in flight from before the action is outdated.
			d.gen++
			d.show(*msg.rec)
			return d, nil
		}
		return d, d.load()
	case tea.KeyMsg:
		return d.updateKeys(msg)
	}
	return d, nil
}

// show displays rec, the selection kept where it can be.
func (d *detailModel) show(rec Complaint) {
	d.rec = &rec
	d.fields = complaintFields(rec.Record, d.c.Lang)
	d.labels = fieldKeysFor(d.c.Keys, d.fields)
	d.sel = min(d.sel, max(len(d.fields)-1, 0))
	d.render()
}

func (d *detailModel) updateKeys(msg tea.KeyMsg) (Screen, tea.Cmd) {
	k := d.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		d.pop()
		return d, nil
	case key.Matches(msg, k.Down):
		d.selectField(d.sel + 1)
	case key.Matches(msg, k.Up):
		d.selectField(d.sel - 1)
	case key.Matches(msg, k.PageDown):
		d.vp.PageDown()
	case key.Matches(msg, k.PageUp):
		d.vp.PageUp()
	case key.Matches(msg, k.Top):
		d.selectField(0)
		d.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		d.selectField(len(d.fields) - 1)
		d.vp.GotoBottom()
	case key.Matches(msg, k.Copy):
		if d.sel < len(d.fields) {
			return d, d.copyField(d.sel)
		}
	case key.Matches(msg, k.CopyAll):
		if d.rec != nil {
			return d, copyCmd(d.c, d.ref, d.c.M().Copy.Whole, "*", wholeComplaint(d.c, d.fields))
		}
	default:
		if d.rec == nil {
			return d, nil
		}
		if cmd, ok := startAction(d.c, &d.nav, msg, d.actionTarget()); ok {
			return d, cmd
		}
		if msg.Type == tea.KeyRunes && len(msg.Runes) == 1 {
			for i, l := range d.labels {
				if l == string(msg.Runes) {
					d.selectField(i)
					return d, d.copyField(i)
				}
			}
		}
	}
	return d, nil
}

func (d *detailModel) copyField(i int) tea.Cmd {
	f := d.fields[i]
	return copyCmd(d.c, d.ref, f.Label, f.Key, copyText(d.c, f))
}

func (d *detailModel) selectField(i int) {
	if len(d.fields) == 0 {
		return
	}
	d.sel = max(0, min(i, len(d.fields)-1))
	d.render()
	if d.sel < len(d.spans) {
		sp := d.spans[d.sel]
		if sp[0] < d.vp.YOffset {
			d.vp.SetYOffset(sp[0])
		} else if sp[1] >= d.vp.YOffset+d.vp.Height {
			d.vp.SetYOffset(min(sp[1]-d.vp.Height+1, sp[0]))
		}
		if d.sel == 0 {
			d.vp.SetYOffset(0)
		}
	}
}

// actionTarget is the complaint shown, for the action keys.
func (d *detailModel) actionTarget() actionTarget {
	r := d.rec.Record
	t := actionTarget{ref: d.ref, status: r.Status, pvNumber: r.PVNumber, hasRecord: true}
	if r.ClaimedBy != nil {
		t.holderID, t.holder = r.ClaimedBy.ID, r.ClaimedBy.Name
	}
	return t
}

// render rebuilds the viewport content for the current width.
func (d *detailModel) render() {
	st, c := d.c.Styles, d.c
	w := max(d.width, 1)
	var lines []string
	d.spans = d.spans[:0]
	if d.rec == nil {
		msg := c.M().Detail.Loading
		if d.err != "" {
			msg = c.M().Detail.Error.F(d.err)
		}
		d.vp.SetContent(fit(msg, w))
		return
	}
	if c.Accessible {
		d.renderAccessible()
		return
	}
	labelW := 0
	for _, f := range d.fields {
		labelW = max(labelW, ansi.StringWidth(f.Label))
	}
	labelW = min(labelW, max(w/3, 6))
	valueW := max(w-labelW-6, 4) // "› 1 " + label + "  "
	group := ""
	for i, f := range d.fields {
		if f.Group != group {
			group = f.Group
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, st.Title.Render(cell(f.GroupLabel, w)))
		}
		var val []string
		block := false            // the value goes under its label, full width
		shown := shownValue(c, f) // dates and amounts in the language's conventions, with the copy's format
		if f.Multiline {
			v := strings.ReplaceAll(textsafe.Block(shown), "\t", "    ")
			if val = strings.Split(ansi.Wrap(v, valueW, " "), "\n"); len(val) > 1 {
				block = true
				val = strings.Split(ansi.Wrap(v, max(w-4, 4), " "), "\n")
			}
		} else {
			val = strings.Split(ansi.Wrap(textsafe.Line(shown), valueW, " "), "\n")
		}
		start := len(lines)
		marker := "  "
		if i == d.sel {
			marker = "› "
		}
		letter := st.FieldLetter.Render(d.labels[i])
		head := marker + letter + " " + cell(f.Label, labelW) + "  "
		if block {
			lines = append(lines, d.selLine(head, i, w))
			for _, v := range val {
				lines = append(lines, "    "+fit(v, w-4))
			}
		} else {
			for j, v := range val {
				if j == 0 {
					lines = append(lines, d.selLine(head+fit(v, valueW), i, w))
				} else {
					lines = append(lines, strings.Repeat(" ", 4+labelW+2)+fit(v, valueW))
				}
			}
		}
		d.spans = append(d.spans, [2]int{start, len(lines) - 1})
	}
	// History of status changes (not copyable).
	lines = append(lines, "", st.Title.Render(fit(c.M().Groups.History, w)))
	for _, h := range d.rec.History {
		lines = append(lines, "    "+fit(historyLine(c, h, "  "), w-4))
	}
	if len(d.rec.History) == 0 {
		lines = append(lines, "    "+st.Muted.Render(fit(c.M().Detail.Nohistory, w-4)))
	}
	for i, l := range lines {
		lines[i] = clipWidth(l, w)
	}
	d.vp.SetContent(strings.Join(lines, "\n"))
}

func (d *detailModel) selLine(s string, i, w int) string {
	if i == d.sel {
		return d.c.Styles.Selected.Render(fit(ansi.Strip(s), w))
	}
	return s
}

// headerLine is the line above the fields: status, holder, pending.
func (d *detailModel) headerLine() string {
	c, st := d.c, d.c.Styles
	if d.rec == nil {
		return st.Title.Render(textsafe.Line(d.ref))
	}
	r := d.rec
	s := st.Title.Render(textsafe.Line(r.Reference)) + "  " +
		st.Status(string(r.Status)).Render(statusWord(c.Lang, r.Status))
	if r.ClaimedBy != nil {
		s += " " + c.M().Detail.By.F(textsafe.Line(r.ClaimedBy.Name))
	}
	if r.PVNumber != "" {
		s += "  " + c.M().Detail.PV.F(textsafe.Line(r.PVNumber))
	}
	if r.Pending {
		s += "  " + st.Warn.Render(c.M().Detail.Pending)
	}
	return s
}

// View implements Screen.
func (d *detailModel) View() string {
	return clipWidth(d.headerLine(), d.width) + "\n" + d.vp.View()
}

// historyLine is one status change as text (sanitized), its parts joined
// by sep: two spaces on screen, a comma for screen readers. The words are
// complaint.HistoryLine's, as in `guichet show`.
func historyLine(c *Context, h complaint.StatusChange, sep string) string {
	return textsafe.Line(complaint.HistoryLine(h, c.Lang, c.loc(), sep))
}
