package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/textsafe"
)

// `:` in the queue asks for a reference and opens that complaint, whatever
// tab or filter is shown. References are read case-insensitively (they are
// upper case) and with spaces around them ignored.

// jumpMsg answers a jump: the complaint exists in the cache, or why not.
type jumpMsg struct {
	ref string
	err error
}

func newJumpInput(c *Context) textinput.Model {
	in := textinput.New()
	in.Prompt = ": "
	in.Placeholder = c.M().Jump.Placeholder
	in.CharLimit = 40
	in.Cursor.SetMode(cursor.CursorStatic)
	plainInput(c, &in)
	return in
}

// normalRef is what the officer typed as a reference, as the cache keeps
// references.
func normalRef(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func jumpCmd(c *Context, typed string) tea.Cmd {
	ref := normalRef(typed)
	return func() tea.Msg {
		_, err := c.Src.Get(c.Ctx, ref)
		return jumpMsg{ref: ref, err: err}
	}
}

func (q *queueModel) updateJump(msg tea.KeyMsg) (Screen, tea.Cmd) {
	k := q.c.Keys
	switch {
	case key.Matches(msg, k.Confirm):
		q.jumping = false
		q.jump.Blur()
		if normalRef(q.jump.Value()) == "" {
			return q, nil
		}
		return q, jumpCmd(q.c, q.jump.Value())
	case key.Matches(msg, k.Cancel):
		q.jumping = false
		q.jump.Blur()
		return q, nil
	}
	var cmd tea.Cmd
	q.jump, cmd = q.jump.Update(msg)
	return q, cmd
}

func (q *queueModel) jumpDone(m jumpMsg) tea.Cmd {
	if m.err == nil {
		q.push(newDetail(q.c, m.ref))
		return nil
	}
	text := q.c.M().Jump.Notfound.F(textsafe.Line(m.ref))
	if !isNotFound(m.err) {
		text = q.c.M().Jump.Failed.F(textsafe.Line(m.ref), q.c.errText(m.err))
	}
	return status(text, 2)
}
