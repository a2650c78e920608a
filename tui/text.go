package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/textsafe"
)

// cell sanitizes untrusted text and fits it in exactly w display columns
// (truncated with "…", padded with spaces). Width is measured with x/ansi,
// as the renderer measures it.
func cell(s string, w int) string {
	return fit(textsafe.Line(s), w)
}

// fit fits already safe text in exactly w columns.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	if pad := w - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// fitStyled truncates a possibly styled line to w columns and pads it.
func fitStyled(s string, w int) string {
	s = clipWidth(s, w)
	if pad := w - lipgloss.Width(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// clip truncates safe (possibly styled) text to at most w columns.
func clipWidth(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

// clampLines truncates every line of s to w columns and keeps at most h
// lines (padding with empty lines to exactly h when pad).
func clampLines(s string, w, h int, pad bool) string {
	lines := strings.Split(s, "\n")
	if h >= 0 && len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = clipWidth(l, w)
	}
	for pad && len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// relTime says how long ago t was, short, in lang.
func relTime(lang string, t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return i18n.For(lang).TUI.Time.Now
	case d < time.Hour:
		return i18n.For(lang).TUI.Time.Min.F(int(d / time.Minute))
	case d < 48*time.Hour:
		return i18n.For(lang).TUI.Time.Hour.F(int(d / time.Hour))
	default:
		return i18n.For(lang).TUI.Time.Day.F(int(d / (24 * time.Hour)))
	}
}

func statusWord(lang string, s complaint.Status) string {
	return coded(lang, "status."+string(s))
}

// factTypeLabel is the catalog label of a fact type in lang, the sanitized
// key itself when the catalog does not know it.
func factTypeLabel(lang, key string) string {
	if label, ok := complaint.FactTypeLabel(key, lang); ok {
		return label
	}
	return textsafe.Line(key)
}

func textsafeLine(s string) string { return textsafe.Line(s) }

// SetupText explains, in lang, how to configure the workstation or try the
// demo; shown instead of the TUI when no server is configured.
func SetupText(lang string) string { return i18n.For(lang).TUI.Setup.Text }

// coded is the workstation's message whose stable code is "tui."+code —
// codes made of a status, an action type, a clipboard method or a key
// name, the one table being the code tags of package i18n's TUI group —
// formatted with args; code itself when there is none (a value newer than
// this build). A message the caller names is a field: c.M().Group.Field.
func coded(lang, code string, args ...any) string {
	s, ok := i18n.For(lang).Code("tui." + code)
	if !ok {
		return code
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}
