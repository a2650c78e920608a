package tui

import (
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
			err = fmt.Errorf("%s", c.T("audit.failed", textsafeErr(aerr)))
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
		return c.T("status.copyfailed", label, textsafeErr(m.err)), 2
	}
	secs := int(c.ClearAfter / time.Second)
	switch m.res.Method {
	case clip.MethodTmuxBuffer:
		if m.res.Fix != "" {
			return c.T("status.bufferonlyfix", label, m.res.Fix), 1
		}
		return c.T("status.bufferonly", label, clip.BufferName), 1
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
		return c.T("status.clearfailed", label, textsafeErr(m.err)), 2
	}
	switch m.res.Outcome {
	case clip.Cleared:
		return c.T("status.cleared", label), 0
	case clip.ClearRequested:
		if m.res.Method == clip.MethodTmux {
			return c.T("status.clearrequested.tmux", label), 0
		}
		return c.T("status.clearrequested", label), 0
	case clip.TerminalKept:
		return c.T("status.terminalkept", label, m.res.Fix), 1
	}
	return c.T("status.clearleft", label), 0
}

// clipboardMessages are the copy path's strings in fr, nl, de, en.
var clipboardMessages = map[string][4]string{
	"clip.tmux":        {"tampon tmux + presse-papiers du terminal", "tmux-buffer + terminalklembord", "tmux-Puffer + Terminal-Zwischenablage", "tmux buffer + terminal clipboard"},
	"clip.tmux-buffer": {"tampon tmux seulement", "alleen tmux-buffer", "nur tmux-Puffer", "tmux buffer only"},

	"status.copied.osc52":        {"Copié : %s (terminal, OSC 52 ; effacement demandé dans %d s)", "Gekopieerd: %s (terminal, OSC 52; wissen gevraagd over %d s)", "Kopiert: %s (Terminal, OSC 52; Löschen wird in %d s angefordert)", "Copied %s (terminal, OSC 52; clear asked in %d s)"},
	"status.copied.tmux":         {"Copié : %s (tmux + terminal ; effacement dans %d s)", "Gekopieerd: %s (tmux + terminal; gewist over %d s)", "Kopiert: %s (tmux + Terminal; Löschen in %d s)", "Copied %s (tmux + terminal; clears in %d s)"},
	"status.copied.tmuxkept":     {"Copié : %s (tmux + terminal ; seul le tampon tmux sera vidé dans %d s)", "Gekopieerd: %s (tmux + terminal; alleen de tmux-buffer wordt gewist over %d s)", "Kopiert: %s (tmux + Terminal; nur der tmux-Puffer wird in %d s geleert)", "Copied %s (tmux + terminal; only the tmux buffer clears in %d s)"},
	"status.bufferonly":          {"Pas dans le presse-papiers : %s est dans le tampon tmux « %s » seulement", "Niet op het klembord: %s staat alleen in tmux-buffer \"%s\"", "Nicht in der Zwischenablage: %s nur im tmux-Puffer „%s“", "Not on the clipboard: %s is in tmux buffer \"%s\" only"},
	"status.bufferonlyfix":       {"Pas dans le presse-papiers (%s : tampon tmux seul) — %s", "Niet op het klembord (%s: alleen tmux-buffer) — %s", "Nicht in der Zwischenablage (%s: nur tmux-Puffer) — %s", "Not on the clipboard (%s: tmux buffer only) — %s"},
	"status.cleared":             {"Presse-papiers vidé (%s)", "Klembord gewist (%s)", "Zwischenablage geleert (%s)", "Clipboard cleared (%s)"},
	"status.clearrequested":      {"Effacement demandé au terminal (%s) ; il ne peut pas être vérifié", "Terminal gevraagd te wissen (%s); dat is niet na te gaan", "Terminal um Löschen gebeten (%s); nicht überprüfbar", "Asked the terminal to clear %s; this cannot be checked"},
	"status.clearrequested.tmux": {"Tampon tmux vidé, effacement demandé au terminal (%s) ; invérifiable", "tmux-buffer gewist, terminal gevraagd te wissen (%s); niet na te gaan", "tmux-Puffer geleert, Terminal um Löschen gebeten (%s); nicht überprüfbar", "tmux buffer cleared, terminal asked to clear %s; cannot be checked"},
	"status.terminalkept":        {"Tampon tmux vidé, mais le terminal garde %s — %s", "tmux-buffer gewist, maar de terminal houdt %s — %s", "tmux-Puffer geleert, aber das Terminal behält %s — %s", "tmux buffer cleared, but the terminal still holds %s — %s"},
	"status.clearleft":           {"Presse-papiers laissé tel quel (%s) : il contient autre chose", "Klembord ongemoeid gelaten (%s): het bevat iets anders", "Zwischenablage unverändert (%s): sie enthält etwas anderes", "Clipboard left alone (%s): it holds something else now"},
	"status.clearfailed":         {"Effacement du presse-papiers impossible (%s) : %s", "Klembord wissen mislukt (%s): %s", "Löschen der Zwischenablage fehlgeschlagen (%s): %s", "Clearing the clipboard failed (%s): %s"},
}

func init() { addMessages(clipboardMessages) }
