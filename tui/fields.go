package tui

import (
	"fmt"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/textsafe"
)

// field is one copyable field of a complaint. Value is raw (untrusted):
// it is sanitized when rendered and when copied.
type field struct {
	Key        string // stable key, the same `guichet copy REF FIELD` takes
	Group      string
	GroupLabel string
	Label      string
	Value      string
	Multiline  bool
}

// Keys of the fields the workstation adds to complaint.DisplayFields, so
// that each form ISLP may ask for is one key press away.
const (
	keyNationalNumber       = "complainant.identification.national_number"
	keyNationalNumberDigits = "complainant.identification.national_number.digits"
	keyCountry              = "complainant.address.country"
	keyCountryCode          = "complainant.address.country_code"
	keyLanguage             = "language"
)

// complaintFields lists the non-empty fields of r as the detail shows them
// (allFields).
func complaintFields(r complaint.Record, lang string) []field {
	var fs []field
	for _, f := range allFields(r, lang) {
		if strings.TrimSpace(f.Value) != "" {
			fs = append(fs, f)
		}
	}
	return fs
}

// allFields lists every field of r in the order ISLP asks for them
// (complaint.DisplayFields), with what the workstation adds: the national
// number also without separators, the country by its name in lang (ISLP's
// form) then its ISO code, and the complainant's language at the end of the
// complainant's group. Empty fields are kept, so that `guichet copy` can say
// a field is empty rather than unknown.
func allFields(r complaint.Record, lang string) []field {
	var fs []field
	add := func(f field) {
		// A list's summary (goods, witnesses) is a block even with one
		// line: one line per element.
		f.Multiline = f.Key == "facts.description" || f.Key == complaint.GoodsKey || f.Key == "witnesses" ||
			strings.ContainsAny(f.Value, "\n\r")
		fs = append(fs, f)
	}
	all := complaint.DisplayFields(&r, lang)
	lastComplainant := -1
	for i, f := range all {
		if f.Group == complaint.GroupComplainant {
			lastComplainant = i
		}
	}
	for i, f := range all {
		base := field{Key: f.Key, Group: f.Group, GroupLabel: f.GroupLabel, Label: f.Label, Value: f.Value}
		switch f.Key {
		case keyNationalNumber:
			add(base)
			base.Key, base.Label, base.Value = keyNationalNumberDigits, i18n.For(lang).TUI.Fields.Nndigits, ""
			if n, err := complaint.ParseNationalNumber(f.Value); err == nil {
				base.Value = n.Digits()
			}
			add(base)
		case keyCountry:
			code := ""
			if name := countryName(lang, f.Value); name != "" {
				base.Value, code = name, strings.ToUpper(strings.TrimSpace(f.Value))
			} // else not an ISO code we know: as the citizen gave it, and no code
			add(base)
			base.Key, base.Label, base.Value = keyCountryCode, i18n.For(lang).TUI.Fields.Countrycode, code
			add(base)
		default:
			add(base)
		}
		if i == lastComplainant {
			add(field{Key: keyLanguage, Group: f.Group, GroupLabel: f.GroupLabel, Label: i18n.For(lang).TUI.Fields.Language,
				Value: languageName(lang, r.Submission.Language)})
		}
	}
	return fs
}

// countryName is the name of the country of ISO 3166 code in lang
// ("Belgique" for BE in fr), or "" when code is not one.
func countryName(lang, code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 2 {
		return ""
	}
	return nameOf("country", code, lang)
}

// languageName is the name of the citizen's language in the officer's
// ("néerlandais" for nl in fr); the code itself when unknown.
func languageName(lang, code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	if code == "" {
		return ""
	}
	if name := nameOf("language", code, lang); name != "" {
		return name
	}
	return code
}

// Field is one field of a complaint as the workstation's detail shows and
// copies it, for the command line (`guichet show`, `guichet copy`), so that
// both offer the same fields with the same values.
type Field struct {
	Key        string // stable key, the one `guichet copy REF FIELD` takes
	Group      string // stable key of the group (complaint.Group*)
	GroupLabel string // in the officer's language, sanitized
	Label      string // in the officer's language, sanitized
	Shown      string // as the detail shows it, with its copy note; sanitized
	Copy       string // what copying it puts on the clipboard; sanitized
	Multiline  bool   // Shown and Copy may hold newlines
}

// ComplaintFields lists every field of r as the detail lists them, empty
// ones included (Shown and Copy ""), in lang with copy format cf.
func ComplaintFields(r complaint.Record, lang string, cf CopyFormat) []Field {
	c := &Context{Lang: lang, CopyFormat: cf}
	all := allFields(r, lang)
	out := make([]Field, len(all))
	for i, f := range all {
		out[i] = Field{Key: f.Key, Group: f.Group, GroupLabel: textsafe.Line(f.GroupLabel),
			Label: textsafe.Line(f.Label), Multiline: f.Multiline}
		if strings.TrimSpace(f.Value) == "" {
			continue
		}
		out[i].Copy = copyText(c, f)
		if f.Multiline {
			out[i].Shown = textsafe.Block(shownValue(c, f))
		} else {
			out[i].Shown = textsafe.Line(shownValue(c, f))
		}
	}
	return out
}

// Copy formats: what a copy of a field holds when the detail shows it in
// the officer's conventions (format.go).

// CopyFormat says how dates and amounts are copied; the zero value copies
// them ISLP-ready (dates ISO, amounts without currency sign or thousands
// separator), which is what config's defaults say too.
type CopyFormat struct {
	DateAsShown   bool // copy_format.date = display
	AmountAsShown bool // copy_format.amount = display
}

// valueKind is how the detail reformats a field's value for reading.
type valueKind int

const (
	kindPlain valueKind = iota
	kindDate
	kindAmount
)

func kindOf(f field) valueKind {
	v := strings.TrimSpace(f.Value)
	if _, err := time.Parse("2006-01-02 15:04 -07:00", v); err == nil {
		return kindDate
	}
	if strings.HasSuffix(f.Key, "birth_date") {
		if _, err := time.Parse("2006-01-02", v); err == nil {
			return kindDate
		}
	}
	if isMoneyField(f.Key) || eurInText().MatchString(f.Value) {
		return kindAmount
	}
	return kindPlain
}

// copyValue is what copying f puts on the clipboard, not yet sanitized.
func copyValue(c *Context, f field) string {
	switch kindOf(f) {
	case kindDate:
		if c.CopyFormat.DateAsShown {
			return displayValue(c.Lang, f.Key, f.Value)
		}
	case kindAmount:
		if c.CopyFormat.AmountAsShown {
			return displayValue(c.Lang, f.Key, f.Value)
		}
	}
	return f.Value
}

// copyText is copyValue sanitized for the clipboard.
func copyText(c *Context, f field) string {
	if f.Multiline {
		return textsafe.Block(copyValue(c, f))
	}
	return textsafe.Line(copyValue(c, f))
}

// copyTag is the note the detail shows beside a value whose copy differs
// from what is shown ("copied as ISO"), "" when they are the same.
func copyTag(c *Context, f field) string {
	copied := copyValue(c, f)
	if copied == displayValue(c.Lang, f.Key, f.Value) {
		return ""
	}
	switch {
	case kindOf(f) == kindDate:
		return c.M().CopyAs.Iso
	case f.Multiline:
		return c.M().CopyAs.Raw
	}
	return c.M().CopyAs.Value.F(textsafe.Line(copied))
}

// shownValue is the value as the detail shows it, with its copy tag.
func shownValue(c *Context, f field) string {
	shown := displayValue(c.Lang, f.Key, f.Value)
	if tag := copyTag(c, f); tag != "" {
		shown += "  [" + tag + "]"
	}
	return shown
}

// wholeComplaint is every field as one block in ISLP order, sanitized, each
// value as copying it alone gives it.
func wholeComplaint(c *Context, fs []field) string {
	var b strings.Builder
	group := ""
	for _, f := range fs {
		if f.Group != group {
			if group != "" {
				b.WriteByte('\n')
			}
			group = f.Group
			fmt.Fprintf(&b, "== %s ==\n", textsafe.Line(f.GroupLabel))
		}
		label := textsafe.Line(f.Label)
		if f.Multiline {
			fmt.Fprintf(&b, "%s:\n%s\n", label, copyText(c, f))
		} else {
			fmt.Fprintf(&b, "%s: %s\n", label, copyText(c, f))
		}
	}
	return b.String()
}
