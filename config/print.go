package config

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"guichet/i18n"
	"guichet/textsafe"
)

// Print writes the effective configuration, one "key = value (origin)" a
// line, in the configuration's language. The token is never written: only
// "set" or "not set" and where it came from.
func (c Config) Print(w io.Writer) error {
	return c.print(w, c.Lang)
}

func (c Config) print(w io.Writer, lang string) error {
	m := func(key string) string { return i18n.For(lang).Message("config." + key) }
	file := m("print.none")
	if c.Path != "" {
		state := m("print.missing")
		if c.Found {
			state = m("print.found")
		}
		file = textsafe.Line(c.Path) + " (" + state + ")"
	}
	if _, err := fmt.Fprintf(w, "# %s: %s\n", m("print.file"), file); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	row := func(key, value string) {
		fmt.Fprintf(tw, "%s\t= %s  (%s)\n", key, value, c.originText(lang, key))
	}
	for _, k := range keyNames {
		row(k, c.valueText(lang, k))
	}
	actions := make([]string, 0, len(c.Keys))
	for a := range c.Keys {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	for _, a := range actions {
		keys := make([]string, len(c.Keys[a]))
		for i, k := range c.Keys[a] {
			keys[i] = displayKey(k)
		}
		row("key."+textsafe.Line(a), textsafe.Line(strings.Join(keys, ",")))
	}
	return tw.Flush()
}

func (c Config) valueText(lang, key string) string {
	notSet := i18n.For(lang).Config.Print.Notset
	str := func(s string) string {
		if s == "" {
			return notSet
		}
		return textsafe.Line(s)
	}
	switch key {
	case "server":
		return str(c.Server)
	case "zone":
		return str(c.Zone)
	case "lang":
		return c.Lang
	case "theme":
		return c.Theme
	case "sync_interval":
		return FormatDuration(c.SyncInterval)
	case "clipboard_clear":
		return FormatDuration(c.ClipboardClear)
	case "idle_lock":
		return FormatDuration(c.IdleLock)
	case "copy_format.date":
		return c.CopyFormat.Date
	case "copy_format.amount":
		return c.CopyFormat.Amount
	case "accessible":
		return strconv.FormatBool(c.Accessible)
	case "retention_days":
		return strconv.Itoa(c.RetentionDays)
	case "reason_templates":
		return str(strings.Join(c.ReasonTemplates, " | "))
	case "db":
		return str(c.DB)
	case "token_file":
		return str(c.TokenFile)
	case "token":
		if c.Token == "" {
			return notSet
		}
		return i18n.For(lang).Config.Print.Set
	}
	return ""
}

func (c Config) originText(lang, key string) string {
	o := c.Origins[key]
	s := i18n.For(lang).Message("config.source." + o.Source.String())
	switch {
	case key == "token" && o.Name == "token_file":
		s += ", token_file"
	case o.Source == SourceFile && o.Line > 0:
		s += ", " + i18n.For(lang).Config.Print.Line + " " + strconv.Itoa(o.Line)
	case o.Name != "":
		s += " " + o.Name
	}
	return s
}
