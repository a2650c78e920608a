package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLineAndBlock(t *testing.T) {
	tests := []struct {
		name, in, line, block string
	}{
		{"plain ascii", "Rue Haute 12", "Rue Haute 12", "Rue Haute 12"},
		{"accents and emoji kept", "Gérard 🚲 北京", "Gérard 🚲 北京", "Gérard 🚲 北京"},
		{"OSC 52 clipboard write", "a\x1b]52;c;ZXZpbA==\x07b", "a␛]52;c;ZXZpbA==␇b", "a␛]52;c;ZXZpbA==␇b"},
		{"clear screen", "\x1b[2Jx", "␛[2Jx", "␛[2Jx"},
		{"carriage return", "safe\rEVIL", "safe␍EVIL", "safe␍EVIL"},
		{"CRLF in block", "a\r\nb", "a␍ b", "a\nb"},
		{"backspace", "ab\bc", "ab␈c", "ab␈c"},
		{"newline and tab", "a\nb\tc", "a b c", "a\nb\tc"},
		{"RLO bidi override", "abc\u202Edcba", "abc\uFFFDdcba", "abc\uFFFDdcba"},
		{"isolates", "\u2066x\u2069", "\uFFFDx\uFFFD", "\uFFFDx\uFFFD"},
		{"C1 CSI", "a\u009b2Jb", "a\uFFFD2Jb", "a\uFFFD2Jb"},
		{"invalid utf-8", "a\xff\xfeb", "a\uFFFD\uFFFDb", "a\uFFFD\uFFFDb"},
		{"NUL and DEL", "a\x00b\x7f", "a␀b␡", "a␀b␡"},
		{"zero width joiner emoji kept", "👩\u200d💻", "👩\u200d💻", "👩\u200d💻"},
		{"zero width space", "a\u200bb", "a\uFFFDb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
			if got := Block(tt.in); got != tt.block {
				t.Errorf("Block(%q) = %q, want %q", tt.in, got, tt.block)
			}
		})
	}
}

// FuzzBlock checks the invariants whatever the input: valid UTF-8 out, no
// ESC, no C0 but newline and tab, no C1, no bidi control, idempotent.
func FuzzBlock(f *testing.F) {
	for _, s := range []string{"", "abc", "\x1b]52;c;x\x07", "\u202e", "\xff", "a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, out := range []string{Block(in), Line(in)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q", in)
			}
			for _, r := range out {
				if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7F || (r >= 0x80 && r <= 0x9F) || isInvisibleFormat(r) {
					t.Fatalf("unsafe rune %U left in %q (from %q)", r, out, in)
				}
			}
			if Block(out) != out {
				t.Fatalf("not idempotent on %q", in)
			}
		}
		if strings.ContainsAny(Line(in), "\n\t") {
			t.Fatalf("Line kept a newline or tab: %q", in)
		}
	})
}

func BenchmarkLineAccented(b *testing.B) {
	s := strings.Repeat("Vélo volé devant la gare, cadenas coupé. ", 10)
	for b.Loop() {
		Line(s)
	}
}
