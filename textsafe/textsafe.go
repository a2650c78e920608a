// Package textsafe makes untrusted text (anything a citizen or the network
// sent) harmless before it reaches a terminal or the clipboard: escape
// sequences, C0/C1 control characters and bidirectional overrides become
// visible placeholders, and invalid UTF-8 becomes U+FFFD. Nothing is
// silently dropped, so an officer can see that a text was tampered with.
package textsafe

import (
	"strings"
	"unicode/utf8"
)

// Line sanitizes text shown on one line (a table cell, a status message,
// a field copied to the clipboard): newlines and tabs become spaces too.
func Line(s string) string { return clean(s, false) }

// Block sanitizes multi-line text (a description in the detail view or
// the whole complaint copied as one block): newline and tab are kept,
// CR LF becomes LF.
func Block(s string) string { return clean(s, true) }

// IsSafe reports whether s would come out of Block unchanged.
func IsSafe(s string) bool { return Block(s) == s }

func clean(s string, multiline bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(utf8.RuneError)
			i++
			continue
		}
		i += size
		switch {
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case r == '\r':
			if multiline && i < len(s) && s[i] == '\n' {
				continue // CR LF → LF
			}
			b.WriteRune('\u240D') // ␍
		case r < 0x20:
			b.WriteRune(0x2400 + r) // control pictures: ESC → ␛
		case r == 0x7F:
			b.WriteRune('\u2421') // ␡
		case r >= 0x80 && r <= 0x9F, isInvisibleFormat(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain is the fast path: printable ASCII only.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F {
			return false
		}
	}
	return true
}

// isInvisibleFormat reports the bidirectional controls (which can reorder
// what an officer reads, "Trojan Source") and other invisible format
// characters that can hide text.
func isInvisibleFormat(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, // LRE RLE PDF LRO RLO
		r >= 0x2066 && r <= 0x2069,            // LRI RLI FSI PDI
		r == 0x200E, r == 0x200F, r == 0x061C, // LRM RLM ALM
		r == 0x200B, r == 0x200C, // zero width space and non-joiner (ZWJ is kept: emoji need it)
		r == 0x2028, r == 0x2029, // line/paragraph separators
		r == 0xFEFF,                // BOM / zero width no-break space
		r >= 0xFFF9 && r <= 0xFFFB: // interlinear annotations
		return true
	}
	return false
}
