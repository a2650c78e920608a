package complaint

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

func TestTextRules(t *testing.T) {
	const (
		name  = 1 << TextName
		line  = 1 << TextLine
		lines = 1 << TextLines
		all   = name | line | lines
		none  = 0
	)
	for _, tc := range []struct {
		name string
		in   string
		ok   int // the kinds that accept it
	}{
		{"plain", "Marc Dubois", all},
		{"accents and other scripts", "Zoë Ölçer-Ñúñez 山田 Παπαδόπουλος", all},
		{"arabic with its marks", "محمد", all},
		{"newline", "a\nb", lines},
		{"tab", "a\tb", lines},
		{"NUL", "a\x00b", none},
		{"ESC", "a\x1b[31mb", none},
		{"OSC 52", "\x1b]52;c;aGVsbG8=\x07", none},
		{"CR alone", "a\rb", none}, // CleanText makes it LF for TextLines, ValidText sees it raw
		{"DEL", "a\x7fb", none},
		{"C1 CSI", "a\u009bb", none},
		{"NEL", "a\u0085b", none},
		{"line separator", "a\u2028b", none},
		{"RLO", "abc\u202egpj.exe", none},
		{"LRE", "a\u202ab", none},
		{"PDF", "a\u202cb", none},
		{"RLI", "a\u2067b", none},
		{"PDI", "a\u2069b", none},
		{"BOM", "\ufeffMarc", none},
		{"noncharacter", "a\uffffb", none},
		{"zero-width space", "Ma\u200brc", line | lines},
		{"zero-width joiner (emoji)", "👨\u200d👩", line | lines},
		{"zero-width non-joiner", "a\u200cb", line | lines},
		{"LRM", "a\u200eb", line | lines},
		{"word joiner", "a\u2060b", line | lines},
		{"soft hyphen", "Ma\u00adrc", line | lines},
		{"Hangul filler", "\u3164", line | lines},
		{"variation selector", "a\ufe0fb", line | lines},
		{"tag character", "a\U000E0041b", line | lines},
		{"invalid UTF-8", "a\xffb", none},
	} {
		for _, kind := range []TextKind{TextName, TextLine, TextLines} {
			want := tc.ok&(1<<kind) != 0
			if got := ValidText(tc.in, kind); got != want {
				t.Errorf("%s, kind %d: ValidText = %v, want %v", tc.name, kind, got, want)
			}
		}
	}
	if v, ok := CleanText("  a\r\nb\rc \n", TextLines); !ok || v != "a\nb\nc" {
		t.Errorf("CleanText lines: %q %v", v, ok)
	}
	if _, ok := CleanText("a\r\nb", TextLine); ok {
		t.Error("CleanText accepted CR LF in one line")
	}
}

func TestLoneSurrogatePaths(t *testing.T) {
	for _, tc := range []struct {
		body string
		want string
	}{
		{`{"a":"x"}`, ""},
		{`{"a":"\ud83d\ude00"}`, ""}, // a pair: 😀
		{`{"a":"\uD83D\uDE00"}`, ""},
		{`{"a":"\u00e9\\ud800"}`, ""}, // an escaped backslash, then text
		{`{"a":"\ud800"}`, "a"},
		{`{"a":"x\udc00y"}`, "a"},
		{`{"a":"\ud800\u0041"}`, "a"},
		{`{"a":"\ud800\n"}`, "a"},
		{`{"a":{"b":["ok","\udbff"]}}`, "a.b[1]"},
		{`"\ud800"`, "body"},
		{`{"a":"\ud800","b":"\ude00"}`, "a b"},
	} {
		if got := strings.Join(LoneSurrogatePaths([]byte(tc.body)), " "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.body, got, tc.want)
		}
	}
}

// TestIntakeRefusesInvisibleText: names and identifiers with bidi or
// invisible characters, text with a lone surrogate escape (encoding/json
// would store U+FFFD) and countries that are not ISO 3166-1 codes are
// refused with the field.
func TestIntakeRefusesInvisibleText(t *testing.T) {
	rt := DefaultRouter()
	for _, tc := range []struct {
		name, from, to string
		path, code     string
	}{
		{"RLO in last name", `"last_name": "Dubois"`, `"last_name": "Du\u202ebois"`, "complainant.last_name", ErrInvalidText},
		{"ZWSP in first name", `"first_name": "Marc"`, `"first_name": "Ma\u200brc"`, "complainant.first_name", ErrInvalidText},
		{"LRI in street", `"street": "Rue Haute"`, `"street": "Rue \u2066Haute"`, "complainant.address.street", ErrInvalidText},
		{"ZWSP in frame number", `"frame_number": "GZ123456789"`, `"frame_number": "GZ123\u200b456789"`, "goods[0].frame_number", ErrInvalidText},
		{"RLO in description", `"description": "Vélo`, `"description": "\u202eVélo`, "facts.description", ErrInvalidText},
		{"lone high surrogate in first name", `"first_name": "Marc"`, `"first_name": "Marc\ud800"`, "complainant.first_name", ErrInvalidText},
		{"lone low surrogate in description", `"description": "Vélo`, `"description": "\udc00Vélo`, "facts.description", ErrInvalidText},
		{"lone surrogate in goods", `"colour": "bleu"`, `"colour": "bl\ud800eu"`, "goods[0].colour", ErrInvalidText},
		{"user-assigned country", `"country": "BE"`, `"country": "XX"`, "complainant.address.country", ErrInvalidCountry},
		{"reserved country", `"country": "BE"`, `"country": "UK"`, "complainant.address.country", ErrInvalidCountry},
		{"unknown country", `"country": "BE"`, `"country": "ZZ"`, "complainant.address.country", ErrInvalidCountry},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := string(complaintBody(t, "bicycle_theft"))
			// complaintBody is compact JSON; the cases are written with a
			// space after the colon.
			from, to := strings.Replace(tc.from, `": `, `":`, 1), strings.Replace(tc.to, `": `, `":`, 1)
			if !strings.Contains(body, from) {
				t.Fatalf("%s not in %s", from, body)
			}
			body = strings.Replace(body, from, to, 1)
			_, _, errs := DecodeValidate([]byte(body), "fr", rt, testNow)
			if got := errs.Codes()[tc.path]; got != tc.code {
				t.Errorf("%s: %v, want %s", tc.path, errs.Codes(), tc.code)
			}
		})
	}
	// A pair of surrogates is a character like any other; a foreign
	// country that exists is accepted.
	body := strings.Replace(string(complaintBody(t, "bicycle_theft")), `"description":"Vélo`, `"description":"\ud83d\udeb2 Vélo`, 1)
	body = strings.Replace(body, `"country":"BE","municipality":"Bruxelles","number":"12","postal_code":"1000"`,
		`"country":"nl","municipality":"Amsterdam","number":"12","postal_code":"1012 AB"`, 1)
	s, _, errs := DecodeValidate([]byte(body), "fr", rt, testNow)
	if len(errs) > 0 {
		t.Fatalf("refused: %v", errs.Codes())
	}
	if !strings.HasPrefix(s.Facts.Description, "🚲") || s.Complainant.Address.Country != "NL" {
		t.Errorf("stored %q, %q", s.Facts.Description, s.Complainant.Address.Country)
	}
}

// TestCountryList: every code of the list is a country for CLDR too, and
// the only other codes CLDR calls countries are reserved or withdrawn ones
// that ISO 3166-1 does not assign.
func TestCountryList(t *testing.T) {
	if n := len(countries()); n != 250 {
		t.Errorf("%d codes, want 249 ISO codes and XK", n)
	}
	// Exceptionally reserved (AC CP CQ DG EA EZ FX IC SU TA UK UN) and
	// transitionally reserved or withdrawn codes.
	notAssigned := strings.Fields("AC AN BU CP CQ CS CT DD DG DY EA EZ FQ FX HV IC JT MI NH NQ NT PC PU PZ RH SU TA TP UK UN VD WK YD YU ZR")
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			cldr := err == nil && r.String() == code && r.IsCountry() && !slices.Contains(notAssigned, code)
			if ValidCountry(code) != cldr {
				t.Errorf("%s: ours %v, CLDR country %v", code, ValidCountry(code), cldr)
			}
		}
	}
	for _, code := range []string{"", "B", "BEL", "be", "XX", "EU"} {
		if ValidCountry(code) {
			t.Errorf("%q accepted", code)
		}
	}
}

func TestActionTextRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a     Action
		field string
	}{
		{"ESC in reason", Action{Type: ActionReject, Reason: "Pas d'infraction\x1b[2J"}, "reason"},
		{"OSC 52 in reason", Action{Type: ActionReject, Reason: "\x1b]52;c;cm0gLXJmIH4=\x07ok"}, "reason"},
		{"CR LF in reason", Action{Type: ActionReject, Reason: "ligne 1\r\nBcc: x@example.com"}, "reason"},
		{"LF in reason", Action{Type: ActionReject, Reason: "ligne 1\nligne 2"}, "reason"},
		{"DEL in reason", Action{Type: ActionReject, Reason: "a\x7fb"}, "reason"},
		{"C1 in reason", Action{Type: ActionReject, Reason: "a\u009bb"}, "reason"},
		{"RLO in reason", Action{Type: ActionReject, Reason: "a\u202eb"}, "reason"},
		{"isolate in forward reason", Action{Type: ActionForward, ToZone: "5339", Reason: "a\u2068b"}, "reason"},
		{"ESC in PV number", Action{Type: ActionHandle, PVNumber: "NI.55.L5.012345/2026\x1b"}, "pv_number"},
		{"ZWSP in PV number", Action{Type: ActionHandle, PVNumber: "NI.55.L5.0123\u200b45/2026"}, "pv_number"},
		{"RLO in PV number", Action{Type: ActionHandle, PVNumber: "\u202eNI.55.L5.012345/2026"}, "pv_number"},
	} {
		_, errs := tc.a.Check("fr")
		if got := errs.Codes()[tc.field]; got != ErrInvalidText {
			t.Errorf("%s: %v, want %s: %s", tc.name, errs.Codes(), tc.field, ErrInvalidText)
		}
	}
	if a, errs := (Action{Type: ActionReject, Reason: "  Les faits ne constituent pas une infraction 👍  "}).Check("fr"); len(errs) > 0 || a.Reason != "Les faits ne constituent pas une infraction 👍" {
		t.Errorf("plain reason: %q %v", a.Reason, errs.Codes())
	}
}
