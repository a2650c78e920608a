package i18n

import (
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	at := time.Date(2026, 11, 26, 18, 5, 0, 0, time.UTC)
	tests := []struct{ lang, date, dt, short, amount, neg, n string }{
		{"fr", "26/11/2026", "26/11/2026 18:05", "26/11 18:05", "€ 1.234,50", "-€ 0,05", "1.234.567"},
		{"nl", "26/11/2026", "26/11/2026 18:05", "26/11 18:05", "€ 1.234,50", "-€ 0,05", "1.234.567"},
		{"de", "26.11.2026", "26.11.2026 18:05", "26.11. 18:05", "€ 1.234,50", "-€ 0,05", "1.234.567"},
		{"en", "26 Nov 2026", "26 Nov 2026 18:05", "26 Nov 18:05", "€1,234.50", "-€0.05", "1,234,567"},
		{"es", "26/11/2026", "26/11/2026 18:05", "26/11 18:05", "1.234,50 €", "-0,05 €", "1.234.567"},
	}
	for _, tt := range tests {
		c := For(tt.lang)
		got := []string{c.Date(at), c.DateTime(at), c.ShortDateTime(at), c.Amount(123450), c.Amount(-5), c.Int(1234567)}
		want := []string{tt.date, tt.dt, tt.short, tt.amount, tt.neg, tt.n}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %q, want %q", tt.lang, got[i], want[i])
			}
		}
	}
}

// TestPluralCLDR: the plural form follows CLDR, not "n == 1": French and
// Spanish differ on 0.
func TestPluralCLDR(t *testing.T) {
	p := Plural{One: "%d one", Other: "%d other"}
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 one"}, {"fr", 1, "1 one"}, {"fr", 2, "2 other"}, {"fr", 1000000, "1000000 other"},
		{"en", 0, "0 other"}, {"en", 1, "1 one"}, {"en", -1, "-1 one"},
		{"nl", 0, "0 other"}, {"de", 1, "1 one"},
		{"es", 0, "0 other"}, {"es", 1, "1 one"}, {"es", 2, "2 other"},
	}
	for _, tt := range tests {
		if got := For(tt.lang).N(p, tt.n); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := For("fr").N(Plural{One: "%d plainte de %s", Other: "%d plaintes de %s"}, 2, "Gand"); got != "2 plaintes de Gand" {
		t.Errorf("with arguments: %q", got)
	}
}
