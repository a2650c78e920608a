package i18n

import (
	"fmt"

	"golang.org/x/text/feature/plural"
)

// Fmt is a message with fmt verbs (%s, %d). Every language's form of a
// message has the verbs of the English one (TestFormatVerbs), so the
// arguments a caller passes fit all five.
type Fmt string

// F formats the message with args.
func (f Fmt) F(args ...any) string { return fmt.Sprintf(string(f), args...) }

// Plural is a message that depends on a count, in the CLDR plural
// categories the five languages use for whole numbers in x/text's CLDR
// data: one (1 in nl, de, en, es; 0 and 1 in fr) and other. Each form
// takes the count as its first argument and may have more verbs after it.
//
// x/text/feature/plural rather than go-i18n: x/text is already a
// dependency (language matching), its rules are generated from CLDR, and
// go-i18n would bring its own message files and bundle, a second message
// mechanism beside the typed Catalog.
type Plural struct {
	One   Fmt
	Other Fmt
}

// N formats p for count n in c's language, with args after the count.
func (c *Catalog) N(p Plural, n int, args ...any) string {
	form := p.Other
	if plural.Cardinal.MatchPlural(c.Tag(), abs(n), 0, 0, 0, 0) == plural.One {
		form = p.One
	}
	return form.F(append([]any{n}, args...)...)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
