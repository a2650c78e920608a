package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"guichet/complaint"
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
		return tr(lang, "time.now")
	case d < time.Hour:
		return tr(lang, "time.min", int(d/time.Minute))
	case d < 48*time.Hour:
		return tr(lang, "time.hour", int(d/time.Hour))
	default:
		return tr(lang, "time.day", int(d/(24*time.Hour)))
	}
}

func statusWord(lang string, s complaint.Status) string {
	return tr(lang, "status."+string(s))
}

// factTypeLabel is the catalog label of a fact type in lang, the sanitized
// key itself when the catalog does not know it.
func factTypeLabel(lang, key string) string {
	if ft, ok := complaint.LookupFactType(key); ok {
		return ft.Label(lang)
	}
	return textsafe.Line(key)
}

func textsafeLine(s string) string { return textsafe.Line(s) }
