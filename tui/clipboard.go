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
		err := fmt.Errorf("%s", c.T("copy.noclipboard"))
		if c.Clip != nil {
			res, err = c.Clip.Copy(text)
		}
		outcome, detail := "ok", string(res.Method)
		if err != nil {
			outcome, detail = "error", err.Error()
		}
		if aerr := c.Src.Audit(c.Ctx, c.audit("copy", ref, fieldKey, outcome, detail)); aerr != nil && err == nil {
			err = fmt.Errorf("%s", c.T("audit.failed", c.errText(aerr)))
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
		return c.T("status.copyfailed", label, a.clipErrText(m.err)), 2
	}
	secs := int(c.ClearAfter / time.Second)
	switch m.res.Method {
	case clip.MethodTmuxBuffer:
		if m.res.Fix != "" {
			return c.T("status.bufferonlyfix", m.res.Fix), 1
		}
		return c.T("status.bufferonly", clip.BufferName), 1
	case clip.MethodTmux:
		switch {
		case c.ClearAfter <= 0:
		case m.res.TerminalKept:
			return c.T("status.copied.tmuxkept", label, secs), 0
		default:
			return c.T("status.copied.tmux", label, secs), 0
		}
	case clip.MethodOSC52:
		if c.ClearAfter > 0 {
			return c.T("status.copied.osc52", label, secs), 0
		}
	case clip.MethodSystem:
		if c.ClearAfter > 0 {
			return c.T("status.copied", label, c.T("clip.system"), secs), 0
		}
	}
	return c.T("status.copiednoclear", label, c.T("clip."+string(m.res.Method))), 0
}

// clearedText says what a clear did, never more.
func (a *App) clearedText(m clipClearedMsg) (string, int) {
	c := a.c
	label := textsafe.Line(m.label)
	if m.err != nil {
		return c.T("status.clearfailed", label, a.clipErrText(m.err)), 2
	}
	switch m.res.Outcome {
	case clip.Cleared:
		return c.T("status.cleared", label), 0
	case clip.ClearRequested:
		if m.res.Method == clip.MethodTmux {
			return c.T("status.clearrequested.tmux"), 0
		}
		return c.T("status.clearrequested"), 0
	case clip.TerminalKept:
		return c.T("status.terminalkept", m.res.Fix), 1
	}
	return c.T("status.clearleft"), 0
}

// clipErrText is a clipboard error in the officer's words; the raw error
// (a tmux or xclip message) goes to the debug log, never to the screen.
func (a *App) clipErrText(err error) string {
	c := a.c
	c.logError("clipboard", err)
	switch {
	case errors.Is(err, clip.ErrTmux):
		return c.T("copy.notmux")
	case errors.Is(err, clip.ErrNoClipboard):
		return c.T("copy.noclipboard")
	}
	return c.T("copy.failed")
}

// clipboardMessages are the copy path's strings in fr, nl, de, en.
var clipboardMessages = map[string][4]string{
	"copy.notmux":      {"tmux ne répond pas (tmux show-buffer fonctionne-t-il ?)", "tmux antwoordt niet (werkt tmux show-buffer?)", "tmux antwortet nicht (geht tmux show-buffer?)", "tmux does not answer (does tmux show-buffer work?)"},
	"copy.failed":      {"le presse-papiers n'a pas répondu — détail dans guichet-debug.log", "het klembord antwoordde niet — details in guichet-debug.log", "die Zwischenablage hat nicht geantwortet — Details in guichet-debug.log", "the clipboard did not answer — details in guichet-debug.log"},
	"clip.tmux":        {"tampon tmux + presse-papiers du terminal", "tmux-buffer + terminalklembord", "tmux-Puffer + Terminal-Zwischenablage", "tmux buffer + terminal clipboard"},
	"clip.tmux-buffer": {"tampon tmux seulement", "alleen tmux-buffer", "nur tmux-Puffer", "tmux buffer only"},

	// One status line of 80 columns: the fix must show in full, so the
	// messages that carry one leave the field's label out.
	"status.copied.osc52":        {"Copié : %s (OSC 52 ; effacement demandé dans %d s)", "Gekopieerd: %s (OSC 52; wissen gevraagd over %d s)", "Kopiert: %s (OSC 52; Löschen angefragt in %d s)", "Copied %s (OSC 52; clear asked in %d s)"},
	"status.copied.tmux":         {"Copié : %s (tmux + terminal, effacé dans %d s)", "Gekopieerd: %s (tmux + terminal, gewist over %d s)", "Kopiert: %s (tmux + Terminal, gelöscht in %d s)", "Copied %s (tmux + terminal, clears in %d s)"},
	"status.copied.tmuxkept":     {"Copié : %s (tmux + terminal ; tampon vidé dans %d s)", "Gekopieerd: %s (tmux + terminal; buffer gewist over %d s)", "Kopiert: %s (tmux + Terminal; Puffer geleert in %d s)", "Copied %s (tmux + terminal; buffer clears in %d s)"},
	"status.bufferonly":          {"Pas au presse-papiers : tampon tmux « %s » seul (aucun terminal attaché)", "Niet op het klembord: alleen tmux-buffer \"%s\" (geen terminal gekoppeld)", "Nicht in der Zwischenablage: nur tmux-Puffer „%s“ (kein Terminal verbunden)", "Not on the clipboard: tmux buffer \"%s\" only (no terminal attached)"},
	"status.bufferonlyfix":       {"Pas au presse-papiers, tampon tmux seul — %s", "Niet op het klembord, alleen tmux-buffer — %s", "Nicht in der Zwischenablage, nur tmux-Puffer — %s", "Not on the clipboard, tmux buffer only — %s"},
	"status.cleared":             {"Presse-papiers vidé (%s)", "Klembord gewist (%s)", "Zwischenablage geleert (%s)", "Clipboard cleared (%s)"},
	"status.clearrequested":      {"Effacement du presse-papiers demandé au terminal (invérifiable)", "Terminal gevraagd het klembord te wissen (niet na te gaan)", "Terminal um Leeren der Zwischenablage gebeten (nicht prüfbar)", "Asked the terminal to clear its clipboard (cannot be checked)"},
	"status.clearrequested.tmux": {"Tampon tmux vidé ; effacement demandé au terminal (invérifiable)", "tmux-buffer gewist; terminal gevraagd te wissen (niet na te gaan)", "tmux-Puffer geleert; Terminal um Löschen gebeten (nicht prüfbar)", "tmux buffer cleared; terminal asked to clear (cannot be checked)"},
	"status.terminalkept":        {"Tampon tmux vidé ; le terminal le garde — %s", "tmux-buffer gewist; terminal houdt het — %s", "tmux-Puffer geleert; Terminal behält es — %s", "tmux buffer cleared; terminal keeps it — %s"},
	"status.clearleft":           {"Presse-papiers laissé : il contient autre chose", "Klembord ongemoeid gelaten: het bevat iets anders", "Zwischenablage unverändert: sie enthält etwas anderes", "Clipboard left alone: it holds something else now"},
	"status.clearfailed":         {"Effacement du presse-papiers impossible (%s) : %s", "Klembord wissen mislukt (%s): %s", "Löschen der Zwischenablage fehlgeschlagen (%s): %s", "Clearing the clipboard failed (%s): %s"},
}

func init() { addMessages(clipboardMessages) }
