package store

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"guichet/complaint"
)

// fold makes a sort key: lower case, accents removed, so "Évelyne" sorts
// with "evelyne" and not after "zoé".
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
		case 'æ', 'Æ':
			b.WriteString("ae")
		case 'œ', 'Œ':
			b.WriteString("oe")
		case 'ø', 'Ø':
			b.WriteRune('o')
		case 'ł', 'Ł':
			b.WriteRune('l')
		case 'đ', 'Đ':
			b.WriteRune('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func joinNonEmpty(a, b string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// searchText is what full-text search finds a complaint by: its reference,
// the complainant's names, contact and address, the place and description of
// the facts, and every text and number of the type-specific details.
func searchText(r *complaint.Record) string {
	var b strings.Builder
	add := func(ss ...string) {
		for _, s := range ss {
			if s = strings.TrimSpace(s); s != "" {
				b.WriteString(s)
				b.WriteByte(' ')
			}
		}
	}
	c := &r.Complainant
	add(r.Reference, c.FirstName, c.LastName, c.Email, c.Phone,
		c.Address.Street, c.Address.Number, c.Address.PostalCode, c.Address.Municipality,
		r.Facts.Place.Street, r.Facts.Place.Number, r.Facts.Place.PostalCode,
		r.Facts.Place.Municipality, r.Facts.Description, r.PVNumber)
	if len(r.Details) > 0 {
		var v any
		if json.Unmarshal(r.Details, &v) == nil {
			addValues(&b, v)
		}
	}
	return b.String()
}

func addValues(b *strings.Builder, v any) {
	switch x := v.(type) {
	case string:
		if x = strings.TrimSpace(x); x != "" {
			b.WriteString(x)
			b.WriteByte(' ')
		}
	case json.Number:
		b.WriteString(x.String())
		b.WriteByte(' ')
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
		b.WriteByte(' ')
	case []any:
		for _, e := range x {
			addValues(b, e)
		}
	case map[string]any:
		for _, e := range x {
			addValues(b, e)
		}
	}
}

// matchExpr turns what the officer typed into an FTS5 query: every word must
// match, each as a prefix (as-you-type), with no FTS5 syntax taken from the
// input. It returns "" when the input has no word.
func matchExpr(q string) string {
	var terms []string
	for _, w := range strings.Fields(q) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		// A quoted word is a phrase of the tokens the tokenizer finds in it
		// ("5275-2026-0001" → 5275 2026 0001); * makes its last token a prefix.
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	return strings.Join(terms, " ")
}

// nanos stores a time as unix nanoseconds UTC; the zero time is 0.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UTC().UnixNano()
}

// fromNanos is the inverse of nanos.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
