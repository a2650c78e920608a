package complaint

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextKind says which characters a text field may hold. The same rules
// apply to what citizens type (names, descriptions) and to what officers
// type (reasons, PV numbers): both reach citizens' letters and e-mails and
// officers' screens.
type TextKind int

const (
	// TextName is a name, an identifier or another short one-line value:
	// no control character at all (C0, DEL, C1, line or paragraph
	// separator), no bidirectional control, and no invisible character
	// (zero-width space, joiners, word joiner, LRM/RLM, soft hyphen, byte
	// order mark, Hangul fillers, variation selectors...), which only serve
	// to make two different values look the same.
	TextName TextKind = iota
	// TextLine is one line of free text (an officer's reason): the rules of
	// TextName except that zero-width joiners and marks stay allowed
	// (scripts and emoji need them); bidirectional embeddings, overrides
	// and isolates (U+202A–U+202E, U+2066–U+2069) and the byte order mark
	// are refused.
	TextLine
	// TextLines is free text that may span lines (a description): TextLine
	// plus newline and tab. CleanText turns CR LF and lone CR into LF.
	TextLines
)

// CleanText trims s, turns CR LF and lone CR into LF for TextLines, and
// reports whether the result obeys the rules of kind (see TextKind). It does
// not check length or emptiness.
//
// A lone surrogate escape (`"\ud800"`) cannot be seen here: encoding/json
// has already turned it into U+FFFD. Decoders find it with
// LoneSurrogatePaths.
func CleanText(s string, kind TextKind) (string, bool) {
	v := strings.TrimSpace(s)
	if kind == TextLines && strings.ContainsRune(v, '\r') {
		v = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
	}
	return v, ValidText(v, kind)
}

// ValidText reports whether s obeys the rules of kind (see TextKind).
func ValidText(s string, kind TextKind) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !textRune(r, kind) {
			return false
		}
	}
	return true
}

// textRune reports whether r may appear in a text of kind.
func textRune(r rune, kind TextKind) bool {
	switch {
	case r < 0x20:
		return kind == TextLines && (r == '\n' || r == '\t')
	case r < 0x7f:
		return true
	case r <= 0x9f: // DEL and C1
		return false
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return false
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return false
	case r == 0xfeff: // byte order mark / zero-width no-break space
		return false
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe: // noncharacters
		return false
	}
	if kind == TextName {
		return !invisible(r)
	}
	return true
}

// invisible reports characters that print as nothing: format characters
// (zero-width space and joiners, LRM/RLM/ALM, word joiner, invisible
// operators, soft hyphen, tags...) and the fillers and selectors that are
// letters or marks but show no glyph. In a name or an identifier they only
// serve to make two different values look the same.
func invisible(r rune) bool {
	switch {
	case unicode.Is(unicode.Cf, r):
		return true
	case r == 0x034f, // combining grapheme joiner
		r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0, // Hangul fillers
		r >= 0x17b4 && r <= 0x17b5,                               // Khmer inherent vowels
		r >= 0x180b && r <= 0x180f,                               // Mongolian variation selectors and vowel separator
		r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef: // variation selectors
		return true
	}
	return false
}

// LoneSurrogatePaths lists the paths (as in FieldError.Path, BodyPath for
// the body itself) of the strings of a JSON document that hold a lone
// surrogate escape such as "\ud800" or "\udc00". encoding/json silently
// replaces one by U+FFFD, so the only place to see it is the raw text. raw
// must be valid JSON; anything else gives nil.
func LoneSurrogatePaths(raw []byte) []string {
	if !strings.Contains(string(raw), `\u`) {
		return nil
	}
	var out []string
	loneSurrogateWalk(&out, "", raw)
	return out
}

func loneSurrogateWalk(out *[]string, path string, raw []byte) {
	i := skipSpace(raw, 0)
	if i >= len(raw) {
		return
	}
	raw = raw[i:]
	switch raw[0] {
	case '"':
		if hasLoneSurrogate(raw) {
			if path == "" {
				path = BodyPath
			}
			*out = append(*out, path)
		}
	case '{':
		members, err := objectMembers(raw)
		if err != nil {
			return
		}
		for _, m := range members {
			loneSurrogateWalk(out, joinPath(path, m.key), m.value)
		}
	case '[':
		elems, err := arrayElements(raw)
		if err != nil {
			return
		}
		for i, e := range elems {
			loneSurrogateWalk(out, path+"["+strconv.Itoa(i)+"]", e)
		}
	}
}

// hasLoneSurrogate reports whether a JSON string literal holds a \u escape
// of a surrogate that is not part of a high-low pair.
func hasLoneSurrogate(lit []byte) bool {
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' {
			continue
		}
		if i+1 >= len(lit) || lit[i+1] != 'u' {
			i++ // any other escape: skip the escaped character
			continue
		}
		r, ok := hex4(lit, i+2)
		if !ok {
			return false // not valid JSON; the decoder reports it
		}
		i += 5
		switch {
		case r >= 0xdc00 && r <= 0xdfff:
			return true
		case r >= 0xd800 && r <= 0xdbff:
			if i+6 >= len(lit) || lit[i+1] != '\\' || lit[i+2] != 'u' {
				return true
			}
			lo, ok := hex4(lit, i+3)
			if !ok || lo < 0xdc00 || lo > 0xdfff {
				return true
			}
			i += 6
		}
	}
	return false
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
