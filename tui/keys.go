package tui

import (
	"fmt"
	"guichet/i18n"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"

	"guichet/complaint"
)

// KeyMap holds every key binding of the program. Update matches these
// bindings and the footer and `?` help are generated from them, so what the
// help says is what the keys do. Help texts are in the officer's language.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextTab, PrevTab, TabN                  key.Binding
	Sort, SortDir, Filter, Open, Back       key.Binding
	Copy, CopyAll                           key.Binding
	Conflicts, Refresh, Help, Quit          key.Binding
	Confirm, Cancel, NextField              key.Binding
	Yes, No                                 key.Binding // a yes/no question (y, o, j: yes in en, fr, nl/de)
	Mark, MarkRange, Stats                  key.Binding // issue 6: bulk work, statistics
	Dismiss                                 key.Binding // conflicts panel
	LockNow, Jump, Dates                    key.Binding // lock the session; go to a reference; received as a date
	Forwards                                key.Binding // the complaints the officer forwarded
	// The statistics screen's period: 4, 12 or 52 weeks, one shorter or
	// longer.
	Period4, Period12, Period52, ShorterPeriod, LongerPeriod key.Binding
	// Actions holds the key of each action of complaint's action table.
	Actions map[complaint.ActionType]*key.Binding

	lang string // of the help texts and key names
}

// NewKeyMap builds the default bindings with help in lang.
func NewKeyMap(lang string) *KeyMap {
	b := func(name string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeyLabel(lang, keys), coded(lang, "key."+name)))
	}
	k := &KeyMap{
		Up:        b("up", "k", "up"),
		Down:      b("down", "j", "down"),
		PageUp:    b("pgup", "pgup", "ctrl+b"),
		PageDown:  b("pgdown", "pgdown", "ctrl+f"), // space marks a row (bulk work)
		Top:       b("top", "g", "home"),
		Dismiss:   b("dismiss", "d"),
		Bottom:    b("bottom", "G", "end"),
		NextTab:   b("nexttab", "tab", "right", "l"),
		PrevTab:   b("prevtab", "shift+tab", "left"),
		TabN:      b("tabn", "1", "2", "3", "4", "5"),
		Sort:      b("sort", "o"),
		SortDir:   b("sortdir", "O"),
		Filter:    b("filter", "/"),
		Open:      b("open", "enter"),
		Back:      b("back", "esc"),
		Copy:      b("copy", "y"),
		CopyAll:   b("copyall", "Y"),
		Conflicts: b("conflicts", "!"),
		Refresh:   b("refresh", "r"),
		Help:      b("help", "?"),
		Quit:      b("quit", "q", "ctrl+c"),
		Confirm:   b("confirm", "enter"),
		Cancel:    b("cancel", "esc"),
		NextField: b("nextfield", "tab", "shift+tab"),
		Mark:      b("mark", " "),
		MarkRange: b("markrange", "v"),
		Stats:     b("stats", "s"),
		LockNow:   b("locknow", "L"),
		Jump:      b("jump", ":"),
		Dates:     b("dates", "D"),
		Forwards:  b("forwards", ">"),
	}
	m := &i18n.For(lang).TUI.Stats
	stats := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeyLabel(lang, keys), help))
	}
	k.Period4, k.Period12, k.Period52 = stats(m.KeyP4, "1"), stats(m.KeyP12, "2"), stats(m.KeyP52, "3")
	k.ShorterPeriod, k.LongerPeriod = stats(m.KeyPrevp, "["), stats(m.KeyNextp, "]")
	k.Actions = map[complaint.ActionType]*key.Binding{}
	for _, a := range complaint.Actions {
		b := key.NewBinding(key.WithKeys(a.Key), key.WithHelp(helpKeyLabel(lang, []string{a.Key}), coded(lang, a.Labels.Key)))
		k.Actions[a.Type] = &b
	}
	k.Yes = key.NewBinding(key.WithKeys("y", "Y", "o", "O", "j", "J"), key.WithHelp(i18n.For(lang).TUI.Quit.Yeskey, i18n.For(lang).TUI.Keys.Confirm))
	k.No = key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", i18n.For(lang).TUI.Keys.Cancel))
	k.TabN.SetHelp("1…5", i18n.For(lang).TUI.Keys.Tabn)
	k.PageDown.SetHelp(i18n.For(lang).TUI.KeyNames.PgDown, i18n.For(lang).TUI.Keys.Pgdown)
	k.lang = lang
	return k
}

// helpKeyLabel names the first two keys of a binding for the help: arrows
// as arrows, named keys (enter, esc, space, pgdown…) in lang.
func helpKeyLabel(lang string, keys []string) string {
	arrows := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→"}
	var out []string
	for _, k := range keys {
		code := k
		if k == " " {
			code = "space"
		}
		if n, ok := arrows[k]; ok {
			k = n
		} else if n, ok := i18n.For(lang).Code("tui.keyname." + code); ok {
			k = n
		}
		out = append(out, k)
		if len(out) == 2 {
			break
		}
	}
	return strings.Join(out, "/")
}

// Bindings names every binding, for rebinding from a configuration file
// (issue 6) and for tests that check no two bindings of a screen collide.
func (k *KeyMap) Bindings() map[string]*key.Binding {
	all := map[string]*key.Binding{
		"up": &k.Up, "down": &k.Down, "pgup": &k.PageUp, "pgdown": &k.PageDown,
		"top": &k.Top, "bottom": &k.Bottom, "nexttab": &k.NextTab, "prevtab": &k.PrevTab,
		"tabn": &k.TabN, "sort": &k.Sort, "sortdir": &k.SortDir, "filter": &k.Filter,
		"open": &k.Open, "back": &k.Back, "copy": &k.Copy, "copyall": &k.CopyAll,
		"conflicts": &k.Conflicts, "refresh": &k.Refresh,
		"help": &k.Help, "quit": &k.Quit, "confirm": &k.Confirm, "cancel": &k.Cancel,
		"nextfield": &k.NextField, "mark": &k.Mark, "markrange": &k.MarkRange, "stats": &k.Stats,
		"dismiss": &k.Dismiss, "locknow": &k.LockNow, "jump": &k.Jump, "dates": &k.Dates, "forwards": &k.Forwards, "yes": &k.Yes, "no": &k.No,
		"period4": &k.Period4, "period12": &k.Period12, "period52": &k.Period52,
		"shorterperiod": &k.ShorterPeriod, "longerperiod": &k.LongerPeriod,
	}
	for _, a := range complaint.Actions {
		if b := k.Actions[a.Type]; b != nil {
			all[a.KeyName()] = b
		}
	}
	return all
}

// Rebind replaces the keys of the named bindings (help text kept). An
// unknown name is an error, so a typo in a configuration file is reported.
func (k *KeyMap) Rebind(m map[string][]string) error {
	all := k.Bindings()
	for name, keys := range m {
		bd, ok := all[name]
		if !ok {
			return fmt.Errorf("unknown key binding %q", name)
		}
		if len(keys) == 0 {
			return fmt.Errorf("key binding %q: no keys", name)
		}
		h := bd.Help()
		*bd = key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeyLabel(k.lang, keys), h.Desc))
	}
	return nil
}

// Action is the key of action t (none for an action the map was built
// without).
func (k *KeyMap) Action(t complaint.ActionType) key.Binding {
	if b := k.Actions[t]; b != nil {
		return *b
	}
	return key.NewBinding(key.WithDisabled())
}

// actionKeys are the bindings valid on a complaint, in queue and detail,
// in the order of the action table.
func (k *KeyMap) actionKeys() []key.Binding {
	var out []key.Binding
	for _, a := range complaint.Actions {
		if b := k.Actions[a.Type]; b != nil {
			out = append(out, *b)
		}
	}
	return out
}

// helpKeys adapts a short and a full list to help.KeyMap.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

var _ help.KeyMap = helpKeys{}

// QueueHelp is the help of the queue screen.
func (k *KeyMap) QueueHelp() help.KeyMap {
	return helpKeys{
		short: []key.Binding{k.Open, k.Filter, k.Action(complaint.ActionClaim), k.Action(complaint.ActionHandle), k.Refresh, k.Help, k.Quit},
		full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.NextTab, k.PrevTab, k.TabN, k.Sort, k.SortDir, k.Dates, k.Filter, k.Jump},
			append([]key.Binding{k.Open}, k.actionKeys()...),
			{k.Mark, k.MarkRange, k.Stats, k.Conflicts, k.Forwards, k.Refresh, k.LockNow, k.Help, k.Quit},
		},
	}
}

// DetailHelp is the help of the detail screen.
func (k *KeyMap) DetailHelp() help.KeyMap {
	return helpKeys{
		short: []key.Binding{k.Copy, k.CopyAll, k.Action(complaint.ActionClaim), k.Action(complaint.ActionHandle), k.Back, k.Help, k.Quit},
		full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.Copy, k.CopyAll, k.Back},
			k.actionKeys(),
			{k.Conflicts, k.Refresh, k.LockNow, k.Help, k.Quit},
		},
	}
}

// DialogHelp is the help of a dialog; fields says whether it has several
// input fields.
func (k *KeyMap) DialogHelp(fields bool) help.KeyMap {
	b := []key.Binding{k.Confirm, k.Cancel}
	if fields {
		b = []key.Binding{k.Confirm, k.NextField, k.Cancel}
	}
	return helpKeys{short: b, full: [][]key.Binding{b}}
}

// FilterHelp is the help while typing a filter.
func (k *KeyMap) FilterHelp() help.KeyMap {
	apply := key.NewBinding(key.WithKeys(k.Confirm.Keys()...), key.WithHelp(k.Confirm.Help().Key, k.Filter.Help().Desc))
	clear := key.NewBinding(key.WithKeys(k.Cancel.Keys()...), key.WithHelp(k.Cancel.Help().Key, k.Cancel.Help().Desc))
	return helpKeys{short: []key.Binding{apply, clear}, full: [][]key.Binding{{apply, clear}}}
}

// StatsHelp is the help of the statistics screen.
func (k *KeyMap) StatsHelp() help.KeyMap {
	return helpKeys{
		short: []key.Binding{k.Period4, k.Period12, k.Period52, k.Down, k.Back, k.Help, k.Quit},
		full: [][]key.Binding{
			{k.Period4, k.Period12, k.Period52, k.ShorterPeriod, k.LongerPeriod},
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{k.Back, k.Refresh, k.Help, k.Quit},
		},
	}
}

// ConflictsHelp is the help of the conflicts panel.
func (k *KeyMap) ConflictsHelp() help.KeyMap {
	return helpKeys{
		short: []key.Binding{k.Up, k.Down, k.Dismiss, k.Back, k.Quit},
		full:  [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Dismiss, k.Back, k.Quit}},
	}
}

// ListHelp is the help of a read-only panel (help).
func (k *KeyMap) ListHelp() help.KeyMap {
	return helpKeys{
		short: []key.Binding{k.Up, k.Down, k.Back, k.Quit},
		full:  [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Back, k.Quit}},
	}
}
