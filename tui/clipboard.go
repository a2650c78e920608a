package tui

import (
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/clip"
	"guichet/textsafe"
)

// The copy path: a copy goes to the clipboard in a command, the status
// line says where it went (or that it did not reach a clipboard, with the
// tmux setting that fixes it), and after Context.ClearAfter a second
// command clears it and the status line says what the clear really did.

// copyCmd puts already sanitized text on the clipboard and records the copy
// in the audit log, whatever the outcome.
func copyCmd(c *Context, ref, label, fieldKey, text string) tea.Cmd {
	return func() tea.Msg {
		var res clip.Copied
		err := fmt.Errorf("%s", c.M().Copy.Noclipboard)
		if c.Clip != nil {
			res, err = c.Clip.Copy(text)
		}
		outcome, detail := "ok", string(res.Method)
		if err != nil {
			outcome, detail = "error", err.Error()
		}
		if aerr := c.Src.Audit(c.Ctx, c.audit("copy", ref, fieldKey, outcome, detail)); aerr != nil && err == nil {
			err = fmt.Errorf("%s", c.M().Audit.Failed.F(c.errText(aerr)))
		}
		return copiedMsg{label: label, res: res, err: err}
	}
}

// updateClipboard handles the copy path's messages at the root.
func (a *App) updateClipboard(msg tea.Msg) tea.Cmd {
	c := a.c
	switch msg := msg.(type) {
	case copiedMsg:
		text, level := a.copiedText(msg)
		cmd := a.setStatus(text, level)
		if msg.res.Gen != 0 && c.ClearAfter > 0 && c.Clip != nil {
			// Also after an audit failure: the text is on the clipboard.
			gen, label := msg.res.Gen, msg.label
			cmd = tea.Batch(cmd, c.tick(c.ClearAfter, func(time.Time) tea.Msg { return clearClipMsg{gen: gen, label: label} }))
		}
		return cmd
	case clearClipMsg:
		cb := c.Clip
		return func() tea.Msg {
			res, err := cb.Clear(msg.gen)
			return clipClearedMsg{label: msg.label, res: res, err: err}
		}
	case clipClearedMsg:
		if msg.err == nil && msg.res.Outcome == clip.NothingToClear {
			return nil // a newer copy replaced it; its own clear will speak
		}
		text, level := a.clearedText(msg)
		return a.setStatus(text, level)
	}
	return nil
}

// copiedText says where a copy went: level 0 when it reached a clipboard,
// 1 when it is in the tmux buffer only, 2 when it failed.
func (a *App) copiedText(m copiedMsg) (string, int) {
	c := a.c
	label := textsafe.Line(m.label)
	if m.err != nil {
		return c.M().Status.Copyfailed.F(label, a.clipErrText(m.err)), 2
	}
	secs := int(c.ClearAfter / time.Second)
	switch m.res.Method {
	case clip.MethodTmuxBuffer:
		if m.res.Fix != "" {
			return c.M().Status.Bufferonlyfix.F(m.res.Fix), 1
		}
		return c.M().Status.Bufferonly.F(clip.BufferName), 1
	case clip.MethodTmux:
		switch {
		case c.ClearAfter <= 0:
		case m.res.TerminalKept:
			return c.M().Status.CopiedTmuxkept.F(label, secs), 0
		default:
			return c.M().Status.CopiedTmux.F(label, secs), 0
		}
	case clip.MethodOSC52:
		if c.ClearAfter > 0 {
			return c.M().Status.CopiedOSC52.F(label, secs), 0
		}
	case clip.MethodSystem:
		if c.ClearAfter > 0 {
			return c.M().Status.Copied.F(label, clip.MethodSystem.Name(c.Lang), secs), 0
		}
	}
	return c.M().Status.Copiednoclear.F(label, m.res.Method.Name(c.Lang)), 0
}

// clearedText says what a clear did, never more.
func (a *App) clearedText(m clipClearedMsg) (string, int) {
	c := a.c
	label := textsafe.Line(m.label)
	if m.err != nil {
		return c.M().Status.Clearfailed.F(label, a.clipErrText(m.err)), 2
	}
	switch m.res.Outcome {
	case clip.Cleared:
		return c.M().Status.Cleared.F(label), 0
	case clip.ClearRequested:
		if m.res.Method == clip.MethodTmux {
			return c.M().Status.ClearrequestedTmux, 0
		}
		return c.M().Status.Clearrequested, 0
	case clip.TerminalKept:
		return c.M().Status.Terminalkept.F(m.res.Fix), 1
	}
	return c.M().Status.Clearleft, 0
}

// clipErrText is a clipboard error in the officer's words; the raw error
// (a tmux or xclip message) goes to the debug log, never to the screen.
func (a *App) clipErrText(err error) string {
	c := a.c
	c.logError("clipboard", err)
	switch {
	case errors.Is(err, clip.ErrTmux):
		return c.M().Copy.Notmux
	case errors.Is(err, clip.ErrNoClipboard):
		return c.M().Copy.Noclipboard
	}
	return c.M().Copy.Failed
}
