package tui

import (
	"os"

	"github.com/charmbracelet/lipgloss"
)

// Theme is a set of semantic colour tokens; components never use raw
// colours. Colour false means "no colour at all" (NO_COLOR): no bold, no
// reverse either, so the selected row carries a visible "›" marker and
// statuses are always written as words.
type Theme struct {
	Name    string
	Colour  bool
	Accent  lipgloss.TerminalColor // titles, active tab, keys in help
	Text    lipgloss.TerminalColor
	Muted   lipgloss.TerminalColor // secondary text, dates, hints
	Danger  lipgloss.TerminalColor // conflicts, errors, offline
	Warn    lipgloss.TerminalColor // pending, warnings
	OK      lipgloss.TerminalColor // online, done
	SelFg   lipgloss.TerminalColor // selected row
	SelBg   lipgloss.TerminalColor
	BarFg   lipgloss.TerminalColor // status bar
	BarBg   lipgloss.TerminalColor
	Border  lipgloss.TerminalColor
	StatusC map[string]lipgloss.TerminalColor // per complaint status
}

// themes are data: add one here and it can be chosen by name. Made when a
// theme is chosen (once per workstation), not at every start of guichet.
func themes() map[string]Theme {
	return map[string]Theme{
		"default": {
			Name: "default", Colour: true,
			Accent: lipgloss.AdaptiveColor{Light: "25", Dark: "39"},
			Text:   lipgloss.NoColor{},
			Muted:  lipgloss.AdaptiveColor{Light: "243", Dark: "245"},
			Danger: lipgloss.AdaptiveColor{Light: "160", Dark: "203"},
			Warn:   lipgloss.AdaptiveColor{Light: "130", Dark: "214"},
			OK:     lipgloss.AdaptiveColor{Light: "28", Dark: "78"},
			SelFg:  lipgloss.AdaptiveColor{Light: "231", Dark: "231"},
			SelBg:  lipgloss.AdaptiveColor{Light: "25", Dark: "24"},
			BarFg:  lipgloss.AdaptiveColor{Light: "235", Dark: "252"},
			BarBg:  lipgloss.AdaptiveColor{Light: "253", Dark: "237"},
			Border: lipgloss.AdaptiveColor{Light: "250", Dark: "240"},
			StatusC: map[string]lipgloss.TerminalColor{
				"new":       lipgloss.AdaptiveColor{Light: "25", Dark: "39"},
				"claimed":   lipgloss.AdaptiveColor{Light: "130", Dark: "214"},
				"handled":   lipgloss.AdaptiveColor{Light: "28", Dark: "78"},
				"rejected":  lipgloss.AdaptiveColor{Light: "160", Dark: "203"},
				"forwarded": lipgloss.AdaptiveColor{Light: "243", Dark: "245"},
			},
		},
		"high-contrast": {
			Name: "high-contrast", Colour: true,
			Accent: lipgloss.Color("15"), Text: lipgloss.Color("15"), Muted: lipgloss.Color("15"),
			Danger: lipgloss.Color("9"), Warn: lipgloss.Color("11"), OK: lipgloss.Color("10"),
			SelFg: lipgloss.Color("0"), SelBg: lipgloss.Color("11"),
			BarFg: lipgloss.Color("0"), BarBg: lipgloss.Color("15"), Border: lipgloss.Color("15"),
			StatusC: map[string]lipgloss.TerminalColor{
				"new": lipgloss.Color("14"), "claimed": lipgloss.Color("11"), "handled": lipgloss.Color("10"),
				"rejected": lipgloss.Color("9"), "forwarded": lipgloss.Color("15"),
			},
		},
		"no-colour": {Name: "no-colour", Colour: false},
	}
}

// ThemeFor picks the theme by name, honouring NO_COLOR (any non-empty
// value) over everything; an unknown name falls back to default.
func ThemeFor(name string) Theme {
	all := themes()
	if os.Getenv("NO_COLOR") != "" {
		return all["no-colour"]
	}
	if t, ok := all[name]; ok {
		return t
	}
	return all["default"]
}

// Styles are the lipgloss styles derived once from a Theme.
type Styles struct {
	Theme                    Theme
	Title, Muted, Accent     lipgloss.Style
	Danger, Warn, OK         lipgloss.Style
	Selected, Header, Bar    lipgloss.Style
	TabActive, TabInactive   lipgloss.Style
	Key, Dialog, FieldLetter lipgloss.Style
	status                   map[string]lipgloss.Style
}

// NewStyles derives the styles of t.
func NewStyles(t Theme) Styles {
	plain := lipgloss.NewStyle()
	if !t.Colour {
		return Styles{Theme: t, Title: plain, Muted: plain, Accent: plain, Danger: plain, Warn: plain,
			OK: plain, Selected: plain, Header: plain, Bar: plain, TabActive: plain, TabInactive: plain,
			Key: plain, FieldLetter: plain,
			Dialog: plain.Border(lipgloss.NormalBorder()).Padding(0, 1),
			status: map[string]lipgloss.Style{}}
	}
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return plain.Foreground(c) }
	s := Styles{
		Theme:       t,
		Title:       fg(t.Accent).Bold(true),
		Muted:       fg(t.Muted),
		Accent:      fg(t.Accent),
		Danger:      fg(t.Danger).Bold(true),
		Warn:        fg(t.Warn),
		OK:          fg(t.OK),
		Selected:    plain.Foreground(t.SelFg).Background(t.SelBg).Bold(true),
		Header:      fg(t.Muted).Bold(true),
		Bar:         plain.Foreground(t.BarFg).Background(t.BarBg),
		TabActive:   fg(t.Accent).Bold(true).Underline(true),
		TabInactive: fg(t.Muted),
		Key:         fg(t.Accent).Bold(true),
		FieldLetter: fg(t.Accent).Bold(true),
		Dialog:      plain.Border(lipgloss.RoundedBorder()).BorderForeground(t.Border).Padding(0, 1),
		status:      map[string]lipgloss.Style{},
	}
	for k, c := range t.StatusC {
		s.status[k] = fg(c)
	}
	return s
}

// Status styles a complaint status word.
func (s Styles) Status(status string) lipgloss.Style {
	if st, ok := s.status[status]; ok {
		return st
	}
	return lipgloss.NewStyle()
}
