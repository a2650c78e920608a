package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"guichet/i18n"
	"guichet/textsafe"
)

// Error is one configuration problem: where (file and line, environment
// variable or flag), which key, and a message code (see Message).
type Error struct {
	Origin Origin
	Path   string // the file, when the problem is in it
	Key    string
	Value  string // as given; never shown for the token
	Code   string
	// OtherLine and OtherKey point at the line or key the problem is in
	// conflict with (duplicate key, key bound twice).
	OtherLine int
	OtherKey  string
	Err       error // underlying cause (I/O), if any
}

// Error is the English message.
func (e *Error) Error() string { return e.Localized("en") }

// Unwrap gives the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Localized is the message in lang, prefixed by where the problem is:
// "/home/a/.config/guichet/config:7: idle_lock: …", "GUICHET_LANG: …" or
// "--theme: …". Values are sanitized for the terminal.
func (e *Error) Localized(lang string) string {
	var b strings.Builder
	switch {
	case e.Path != "" && e.Origin.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", textsafe.Line(e.Path), e.Origin.Line)
	case e.Path != "":
		fmt.Fprintf(&b, "%s: ", textsafe.Line(e.Path))
	case e.Origin.Name != "":
		fmt.Fprintf(&b, "%s: ", e.Origin.Name)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, "%s: ", textsafe.Line(e.Key))
	}
	value := e.Value
	if e.Key == "token" {
		value = "…"
	}
	lo, hi := bounds(e.Key)
	b.WriteString(strings.NewReplacer(
		"{value}", strconv.Quote(textsafe.Line(value)),
		"{min}", lo, "{max}", hi,
		"{other}", strconv.Itoa(e.OtherLine),
		"{otherkey}", textsafe.Line(e.OtherKey),
	).Replace(i18n.For(lang).Message("config." + e.Code)))
	if e.Code != ErrTokenInFile && e.Code != ErrTokenFilePerms && e.Value != "" && e.Key != "token" &&
		!strings.Contains(i18n.For("en").Message("config."+e.Code), "{value}") {
		fmt.Fprintf(&b, " (%s)", strconv.Quote(textsafe.Line(value)))
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %s", textsafe.Line(e.Err.Error()))
	}
	return b.String()
}

func bounds(key string) (string, string) {
	switch key {
	case "retention_days":
		return strconv.Itoa(MinRetentionDays), strconv.Itoa(MaxRetentionDays)
	case "sync_interval", "clipboard_clear", "idle_lock":
		lo, hi := durationBounds(key)
		return FormatDuration(lo), FormatDuration(hi)
	}
	return "", ""
}

// Errors is several problems, in file order.
type Errors []*Error

// Error is the English messages, one a line.
func (es Errors) Error() string { return es.Localized("en") }

// Localized is the messages in lang, one a line.
func (es Errors) Localized(lang string) string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Localized(lang)
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Localized gives any error from this package in lang (other errors as
// they are).
func Localized(lang string, err error) string {
	switch e := err.(type) {
	case *Error:
		return e.Localized(lang)
	case Errors:
		return e.Localized(lang)
	case nil:
		return ""
	}
	return err.Error()
}

// FormatDuration writes a duration the way the file takes it, without
// trailing zero units: 15m, 1h30m, 45s.
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
