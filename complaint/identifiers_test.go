package complaint

import (
	"errors"
	"strings"
	"testing"
)

// Published examples come from the national register's documentation and
// from python-stdnum's be.nn, be.bis, be.eid and be.vat doctests; the other
// numbers were computed by hand (check digits worked out independently of
// this package) to cover one rule each.

// errCode is the message key of err, "" for nil, or a marker when err is
// not a *CodedError (which would break the validator's field reporting).
func errCode(err error) string {
	if err == nil {
		return ""
	}
	var c *CodedError
	if !errors.As(err, &c) {
		return "NOT A *CodedError: " + err.Error()
	}
	return c.Code
}

// testYear pins "now" for the national number's 2000 rule.
const testYear = 2026

func TestParseNationalNumber(t *testing.T) {
	type date struct{ y, m, d int }
	tests := []struct {
		name   string
		in     string
		code   string // expected error code, "" for valid
		digits string
		birth  date
		bis    bool
		sex    string
	}{
		// Published example, with every separator style.
		{name: "published 1985", in: "85073003328", digits: "85073003328", birth: date{1985, 7, 30}, sex: "M"},
		{name: "card form", in: "85.07.30-033.28", digits: "85073003328", birth: date{1985, 7, 30}, sex: "M"},
		{name: "spaces", in: "85 07 30 033 28", digits: "85073003328", birth: date{1985, 7, 30}, sex: "M"},
		{name: "dashes and padding", in: "  85-07-30-033-28\t", digits: "85073003328", birth: date{1985, 7, 30}, sex: "M"},
		{name: "no-break and thin spaces", in: "85\u00a007\u202f30 033 28", digits: "85073003328", birth: date{1985, 7, 30}, sex: "M"},
		{name: "mixed separators", in: "85.07.30 033-28", digits: "85073003328", birth: date{1985, 7, 30}, sex: "M"},

		// Births from 2000: the check digits are computed over 2YYMMDDSSS.
		{name: "published 2017", in: "17.07.30-033.84", digits: "17073003384", birth: date{2017, 7, 30}, sex: "M"},
		{name: "2003 only 2-prefixed passes", in: "03031501239", digits: "03031501239", birth: date{2003, 3, 15}, sex: "F"},
		{name: "same digits, plain check: 1903", in: "03031501210", digits: "03031501210", birth: date{1903, 3, 15}, sex: "F"},
		{name: "2000-02-29 leap year", in: "00022900145", digits: "00022900145", birth: date{2000, 2, 29}, sex: "M"},
		{name: "1900-02-29 does not exist", in: "00022900116", code: ErrIDDate},
		{name: "2040 birth is in the future", in: "40010100169", code: ErrIDChecksum},
		{name: "1940 birth", in: "40010100140", digits: "40010100140", birth: date{1940, 1, 1}, sex: "M"},

		// Bis numbers.
		{name: "published bis +40", in: "98.47.28-997.65", digits: "98472899765", birth: date{1998, 7, 28}, bis: true, sex: "M"},
		{name: "published bis +40 from 2000", in: "01 49 07 001 85", digits: "01490700185", birth: date{2001, 9, 7}, bis: true, sex: "M"},
		{name: "bis +40 woman from 2000", in: "04400100270", digits: "04400100270", birth: date{2004, 0, 0}, bis: true, sex: "F"},
		{name: "bis +20 sex unknown", in: "85301200182", digits: "85301200182", birth: date{1985, 10, 12}, bis: true, sex: ""},
		{name: "bis +20 month unknown", in: "84201200188", digits: "84201200188", birth: date{1984, 0, 0}, bis: true, sex: ""},
		{name: "bis +20 Feb 29 in leap year 1984", in: "84222900177", digits: "84222900177", birth: date{1984, 2, 29}, bis: true, sex: ""},
		{name: "bis +20 Feb 29 in 1985", in: "85222900101", code: ErrIDDate},

		// Unknown parts of the birth date.
		{name: "month and day unknown", in: "85000000138", digits: "85000000138", birth: date{1985, 0, 0}, sex: "M"},
		{name: "day unknown", in: "85070000187", digits: "85070000187", birth: date{1985, 7, 0}, sex: "M"},
		{name: "month 00: day digits are no day", in: "85003100178", digits: "85003100178", birth: date{1985, 0, 0}, sex: "M"},
		{name: "fictitious 1900/00/01", in: "00000100166", digits: "00000100166", birth: date{0, 0, 0}, sex: "M"},
		{name: "fictitious 2000/00/01", in: "00000100294", digits: "00000100294", birth: date{0, 0, 0}, sex: "F"},

		// Impossible dates (check digits right, date wrong).
		{name: "month 13", in: "85130000132", code: ErrIDDate},
		{name: "month 19", in: "85190000174", code: ErrIDDate},
		{name: "bis month 33", in: "85330000175", code: ErrIDDate},
		{name: "bis month 53", in: "85530000121", code: ErrIDDate},
		{name: "Feb 30", in: "85023000125", code: ErrIDDate},
		{name: "Feb 29 1985", in: "85022900155", code: ErrIDDate},
		{name: "Jan 32", in: "85013200155", code: ErrIDDate},
		{name: "month unknown, day 32", in: "85003200148", code: ErrIDDate},

		// Wrong check digits.
		{name: "check off by one", in: "85073003329", code: ErrIDChecksum},
		{name: "2-prefixed check for a 1985 number", in: "85073003357", code: ErrIDChecksum},
		{name: "transposed digits", in: "85070303328", code: ErrIDChecksum},
		{name: "stdnum invalid example", in: "12345678901", code: ErrIDChecksum},

		// Wrong lengths and characters.
		{name: "10 digits", in: "8507300332", code: ErrIDLength},
		{name: "12 digits", in: "850730033280", code: ErrIDLength},
		{name: "far too long", in: strings.Repeat("8", 200), code: ErrIDLength},
		{name: "letter O for zero", in: "85O73003328", code: ErrIDFormat},
		{name: "slash", in: "85/07/30-033.28", code: ErrIDFormat},
		{name: "Arabic-Indic digits", in: "٨٥٠٧٣٠٠٣٣٢٨", code: ErrIDFormat},
		{name: "invalid UTF-8", in: "85073003\xff28", code: ErrIDFormat},
		{name: "empty", in: "", code: ErrRequired},
		{name: "separators only", in: " .- ", code: ErrRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := parseNationalNumber(tt.in, testYear)
			if got := errCode(err); got != tt.code {
				t.Fatalf("parse %q: error %q, want %q", tt.in, got, tt.code)
			}
			if tt.code != "" {
				if n != (NationalNumber{}) {
					t.Errorf("parse %q failed but returned %+v", tt.in, n)
				}
				return
			}
			if n.Digits() != tt.digits {
				t.Errorf("Digits() = %q, want %q", n.Digits(), tt.digits)
			}
			want := tt.digits[0:2] + "." + tt.digits[2:4] + "." + tt.digits[4:6] + "-" + tt.digits[6:9] + "." + tt.digits[9:]
			if n.String() != want {
				t.Errorf("String() = %q, want %q", n.String(), want)
			}
			if y, m, d := n.BirthDate(); (date{y, m, d}) != tt.birth {
				t.Errorf("BirthDate() = %d-%d-%d, want %+v", y, m, d, tt.birth)
			}
			if n.IsBis() != tt.bis {
				t.Errorf("IsBis() = %v, want %v", n.IsBis(), tt.bis)
			}
			if n.Sex() != tt.sex {
				t.Errorf("Sex() = %q, want %q", n.Sex(), tt.sex)
			}
			// The formatted form parses back to the same number.
			again, err := parseNationalNumber(n.String(), testYear)
			if err != nil || again != n {
				t.Errorf("round trip of %q: %+v, %v", n.String(), again, err)
			}
		})
	}
}

// The 2000 rule is tried only when 20YY is not in the future, so the same
// digits become valid once that year has come.
func TestParseNationalNumberFutureCentury(t *testing.T) {
	if _, err := parseNationalNumber("40010100169", 2039); errCode(err) != ErrIDChecksum {
		t.Fatalf("2039: error %v, want checksum", err)
	}
	n, err := parseNationalNumber("40010100169", 2040)
	if err != nil {
		t.Fatalf("2040: %v", err)
	}
	if y, m, d := n.BirthDate(); y != 2040 || m != 1 || d != 1 {
		t.Errorf("BirthDate() = %d-%d-%d, want 2040-1-1", y, m, d)
	}
	// The exported function uses today's year; a 2017 birth is past in any
	// year this code runs.
	if _, err := ParseNationalNumber("17073003384"); err != nil {
		t.Errorf("ParseNationalNumber(2017 birth): %v", err)
	}
}

func TestNationalNumberConsistentWithBirthDate(t *testing.T) {
	tests := []struct {
		number string
		date   string
		want   bool
	}{
		{"85073003328", "1985-07-30", true},
		{"85073003328", "1985-07-31", false},
		{"85073003328", "1985-08-30", false},
		{"85073003328", "2085-07-30", false}, // the checksum decided 19xx
		{"85073003328", "1885-07-30", false},
		{"17073003384", "2017-07-30", true},
		{"17073003384", "1917-07-30", false}, // the checksum decided 20xx
		{"03031501239", "2003-03-15", true},
		{"03031501210", "1903-03-15", true},
		{"03031501210", "2003-03-15", false},
		{"98472899765", "1998-07-28", true}, // bis +40
		{"98472899765", "1998-09-28", false},
		{"85301200182", "1985-10-12", true}, // bis +20
		{"85000000138", "1985-12-31", true}, // month and day unknown
		{"85000000138", "1986-01-01", false},
		{"85070000187", "1985-07-01", true}, // day unknown
		{"85070000187", "1985-06-30", false},
		{"85003100178", "1985-02-01", true}, // month 00: day digits ignored
		{"00000100166", "1950-06-15", true}, // nothing known
		{"00000100294", "2010-01-01", true},
		// Malformed dates are never consistent.
		{"85073003328", "", false},
		{"85073003328", "1985-7-30", false},
		{"85073003328", "30/07/1985", false},
		{"85073003328", "1985-07-30T00:00:00Z", false},
		{"85000000138", "1985-02-30", false},
		{"85000000138", "1985-13-01", false},
	}
	for _, tt := range tests {
		n, err := parseNationalNumber(tt.number, testYear)
		if err != nil {
			t.Fatalf("parse %q: %v", tt.number, err)
		}
		if got := n.ConsistentWithBirthDate(tt.date); got != tt.want {
			t.Errorf("%s.ConsistentWithBirthDate(%q) = %v, want %v", tt.number, tt.date, got, tt.want)
		}
	}
	if (NationalNumber{}).ConsistentWithBirthDate("1985-07-30") {
		t.Error("zero NationalNumber is consistent with a date")
	}
}

func TestNationalNumberZeroValue(t *testing.T) {
	var n NationalNumber
	if n.Digits() != "" || n.String() != "" || n.IsBis() || n.Sex() != "" {
		t.Errorf("zero value: %q %q %v %q", n.Digits(), n.String(), n.IsBis(), n.Sex())
	}
	if y, m, d := n.BirthDate(); y != 0 || m != 0 || d != 0 {
		t.Errorf("zero value BirthDate() = %d-%d-%d", y, m, d)
	}
}

func TestParseIDCardNumber(t *testing.T) {
	tests := []struct {
		name, in, code, digits, formatted string
	}{
		{name: "published", in: "591191706458", digits: "591191706458", formatted: "591-1917064-58"},
		{name: "card form", in: "591-1917064-58", digits: "591191706458", formatted: "591-1917064-58"},
		{name: "spaces and dots", in: " 591 1917064.58 ", digits: "591191706458", formatted: "591-1917064-58"},
		{name: "published leading zeros", in: "000-0011032-71", digits: "000001103271", formatted: "000-0011032-71"},
		{name: "remainder 0 written 97", in: "591-2010999-97", digits: "591201099997", formatted: "591-2010999-97"},
		{name: "remainder 0 written 00", in: "591201099900", code: ErrIDChecksum},
		{name: "published wrong check", in: "000-0011032-25", code: ErrIDChecksum},
		{name: "check off by one", in: "591191706459", code: ErrIDChecksum},
		{name: "11 digits", in: "59119170645", code: ErrIDLength},
		{name: "13 digits", in: "5911917064580", code: ErrIDLength},
		{name: "national number given instead", in: "85073003328", code: ErrIDLength},
		{name: "letter", in: "591-19170G4-58", code: ErrIDFormat},
		{name: "empty", in: "", code: ErrRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseIDCardNumber(tt.in)
			if got := errCode(err); got != tt.code {
				t.Fatalf("ParseIDCardNumber(%q): error %q, want %q", tt.in, got, tt.code)
			}
			if d != tt.digits {
				t.Errorf("digits = %q, want %q", d, tt.digits)
			}
			if tt.code == "" {
				if f := FormatIDCardNumber(d); f != tt.formatted {
					t.Errorf("FormatIDCardNumber(%q) = %q, want %q", d, f, tt.formatted)
				}
			}
		})
	}
	// Format never invents digits.
	for _, s := range []string{"", "59119170645", "59119170645x", "591-1917064-58"} {
		if f := FormatIDCardNumber(s); f != s {
			t.Errorf("FormatIDCardNumber(%q) = %q, want it unchanged", s, f)
		}
	}
}

func TestParseSISCardNumber(t *testing.T) {
	tests := []struct{ in, code, digits string }{
		{"1234567890", "", "1234567890"},
		{"12345 67890", "", "1234567890"},
		{"123.456.789-0", "", "1234567890"},
		{"123456789", ErrIDLength, ""},
		{"12345678901", ErrIDLength, ""},
		{"12345678a0", ErrIDFormat, ""},
		{"", ErrRequired, ""},
	}
	for _, tt := range tests {
		d, err := ParseSISCardNumber(tt.in)
		if got := errCode(err); got != tt.code || d != tt.digits {
			t.Errorf("ParseSISCardNumber(%q) = %q, %q; want %q, %q", tt.in, d, got, tt.digits, tt.code)
		}
	}
}

func TestParseEnterpriseNumber(t *testing.T) {
	tests := []struct {
		name, in, code, digits string
	}{
		// Published numbers (KBO/BCE public search; python-stdnum be.vat).
		{name: "KBO form", in: "0403.170.701", digits: "0403170701"},
		{name: "VAT form", in: "BE0403019261", digits: "0403019261"},
		{name: "VAT form lower case, dots", in: "be 0428.759.497", digits: "0428759497"},
		{name: "legacy 9 digits with BE", in: "BE 428759497", digits: "0428759497"},
		{name: "legacy 9 digits", in: "403.170.701", digits: "0403170701"},
		{name: "Proximus", in: "0202.239.951", digits: "0202239951"},
		{name: "dashes and spaces", in: " 0403-170-701 ", digits: "0403170701"},
		{name: "new series starting with 1", in: "1000.000.021", digits: "1000000021"},

		{name: "published wrong check", in: "BE431150351", code: ErrIDChecksum},
		{name: "check off by one", in: "0403.170.702", code: ErrIDChecksum},
		{name: "first digit 2 (branch unit)", in: "2000.000.042", code: ErrIDFormat},
		{name: "all zeros passes arithmetic only", in: "0000.000.097", code: ErrIDFormat},
		{name: "8 digits", in: "04031707", code: ErrIDLength},
		{name: "11 digits", in: "04031707011", code: ErrIDLength},
		{name: "other country prefix", in: "FR0403170701", code: ErrIDFormat},
		{name: "BE twice", in: "BEBE0403170701", code: ErrIDFormat},
		{name: "letter inside", in: "0403.17O.701", code: ErrIDFormat},
		{name: "letter inside, 9 digits", in: "403.17O.701", code: ErrIDFormat},
		{name: "empty", in: "", code: ErrRequired},
		{name: "BE only", in: "BE", code: ErrRequired},
		{name: "far too long", in: strings.Repeat("0", 100), code: ErrIDLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseEnterpriseNumber(tt.in)
			if got := errCode(err); got != tt.code {
				t.Fatalf("ParseEnterpriseNumber(%q): error %q, want %q", tt.in, got, tt.code)
			}
			if d != tt.digits {
				t.Errorf("digits = %q, want %q", d, tt.digits)
			}
			if tt.code == "" {
				f := FormatEnterpriseNumber(d)
				want := d[:4] + "." + d[4:7] + "." + d[7:]
				if f != want {
					t.Errorf("FormatEnterpriseNumber(%q) = %q, want %q", d, f, want)
				}
				if again, err := ParseEnterpriseNumber(f); err != nil || again != d {
					t.Errorf("round trip of %q: %q, %v", f, again, err)
				}
			}
		})
	}
	if f := FormatEnterpriseNumber("0403.170.701"); f != "0403.170.701" {
		t.Errorf("FormatEnterpriseNumber of a non-canonical input changed it: %q", f)
	}
	if f := FormatEnterpriseNumber("0403170701"); f != "0403.170.701" {
		t.Errorf("FormatEnterpriseNumber(0403170701) = %q", f)
	}
}

func TestParsePVNumber(t *testing.T) {
	canonical := PVNumber{Arrondissement: "NI", Code: "55", Service: "L5", Sequence: "012345", Year: 2026}
	tests := []struct {
		name string
		in   string
		want PVNumber // zero when an error is expected
		code string
	}{
		{name: "canonical", in: "NI.55.L5.012345/2026", want: canonical},
		{name: "lower case", in: "ni.55.l5.012345/2026", want: canonical},
		{name: "2-digit year", in: "NI.55.L5.012345/26", want: canonical},
		{name: "spaces anywhere", in: "  NI . 55 . L5 . 012 345 / 2026 ", want: canonical},
		{name: "tab and no-break space", in: "NI.55.L5.012345\t/\u00a026", want: canonical},
		{name: "no dots", in: "NI55L5012345/2026", want: canonical},
		{name: "spaces instead of dots", in: "ni 55 l5 012345/26", want: canonical},
		{name: "numeric service", in: "BR.10.23.000001/2000", want: PVNumber{"BR", "10", "23", "000001", 2000}},
		{name: "year 00", in: "AN.12.AB.999999/00", want: PVNumber{"AN", "12", "AB", "999999", 2000}},
		{name: "year 2099", in: "AN.12.AB.999999/2099", want: PVNumber{"AN", "12", "AB", "999999", 2099}},

		{name: "sequence 5 digits", in: "NI.55.L5.12345/2026", code: ErrInvalidPV},
		{name: "sequence 7 digits", in: "NI.55.L5.0123456/2026", code: ErrInvalidPV},
		{name: "sequence with letter", in: "NI.55.L5.01234A/2026", code: ErrInvalidPV},
		{name: "arrondissement 1 letter", in: "N.55.L5.012345/2026", code: ErrInvalidPV},
		{name: "arrondissement 3 letters", in: "NIV.55.L5.012345/2026", code: ErrInvalidPV},
		{name: "arrondissement with digit", in: "N1.55.L5.012345/2026", code: ErrInvalidPV},
		{name: "code with letter", in: "NI.5A.L5.012345/2026", code: ErrInvalidPV},
		{name: "code 1 digit", in: "NI.5.L5.012345/2026", code: ErrInvalidPV},
		{name: "service with punctuation", in: "NI.55.L_.012345/2026", code: ErrInvalidPV},
		{name: "service 3 characters", in: "NI.55.L5X.012345/2026", code: ErrInvalidPV},
		{name: "some dots missing", in: "NI.55L5.012345/2026", code: ErrInvalidPV},
		{name: "five parts", in: "NI.55.L5.01.2345/2026", code: ErrInvalidPV},
		{name: "no dots, wrong length", in: "NI55L512345/2026", code: ErrInvalidPV},
		{name: "dashes", in: "NI-55-L5-012345/2026", code: ErrInvalidPV},
		{name: "no year", in: "NI.55.L5.012345", code: ErrInvalidPV},
		{name: "empty year", in: "NI.55.L5.012345/", code: ErrInvalidPV},
		{name: "two slashes", in: "NI.55.L5.012345/2026/1", code: ErrInvalidPV},
		{name: "3-digit year", in: "NI.55.L5.012345/026", code: ErrInvalidPV},
		{name: "year 1999", in: "NI.55.L5.012345/1999", code: ErrInvalidPV},
		{name: "year 2100", in: "NI.55.L5.012345/2100", code: ErrInvalidPV},
		{name: "year with letter", in: "NI.55.L5.012345/20X6", code: ErrInvalidPV},
		{name: "non-ASCII letter", in: "NÏ.55.L5.012345/2026", code: ErrInvalidPV},
		{name: "NUL", in: "NI.55.L5.012345/2026\x00", code: ErrInvalidPV},
		{name: "invalid UTF-8", in: "NI.55.L5.012345/2026\xff", code: ErrInvalidPV},
		{name: "far too long", in: "NI.55.L5.012345/2026" + strings.Repeat(" ", 100), code: ErrInvalidPV},
		{name: "empty", in: "", code: ErrRequired},
		{name: "blank", in: " \t ", code: ErrRequired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePVNumber(tt.in)
			if got := errCode(err); got != tt.code {
				t.Fatalf("ParsePVNumber(%q): error %q, want %q", tt.in, got, tt.code)
			}
			if p != tt.want {
				t.Fatalf("ParsePVNumber(%q) = %+v, want %+v", tt.in, p, tt.want)
			}
			if tt.code != "" {
				return
			}
			// One canonical form, stable under re-parsing.
			s := p.String()
			again, err := ParsePVNumber(s)
			if err != nil || again != p || again.String() != s {
				t.Errorf("round trip of %q: %+v, %v", s, again, err)
			}
		})
	}
}

func TestPVNumberString(t *testing.T) {
	tests := []struct {
		p    PVNumber
		want string
	}{
		{PVNumber{"NI", "55", "L5", "012345", 2026}, "NI.55.L5.012345/2026"},
		{PVNumber{"BR", "10", "23", "000001", 2000}, "BR.10.23.000001/2000"},
		{PVNumber{}, ""},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// Whatever the input, the parsers return a *CodedError or a value whose
// canonical form parses back to itself; they never panic.
func FuzzParseIdentifiers(f *testing.F) {
	for _, s := range []string{
		"85.07.30-033.28", "17073003384", "98472899765", "00000100166", "591-1917064-58",
		"BE 428759497", "0403.170.701", "NI.55.L5.012345/26", "ni55l5012345/2026", "", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := ParseNationalNumber(s); err != nil {
			if strings.HasPrefix(errCode(err), "NOT") {
				t.Fatal(errCode(err))
			}
		} else if again, err := ParseNationalNumber(n.String()); err != nil || again != n {
			t.Fatalf("national %q: round trip %+v, %v", s, again, err)
		}
		if d, err := ParseIDCardNumber(s); err == nil {
			if again, err := ParseIDCardNumber(FormatIDCardNumber(d)); err != nil || again != d {
				t.Fatalf("id card %q: round trip %q, %v", s, again, err)
			}
		} else if strings.HasPrefix(errCode(err), "NOT") {
			t.Fatal(errCode(err))
		}
		if d, err := ParseEnterpriseNumber(s); err == nil {
			if again, err := ParseEnterpriseNumber(FormatEnterpriseNumber(d)); err != nil || again != d {
				t.Fatalf("enterprise %q: round trip %q, %v", s, again, err)
			}
		} else if strings.HasPrefix(errCode(err), "NOT") {
			t.Fatal(errCode(err))
		}
		if p, err := ParsePVNumber(s); err == nil {
			if again, err := ParsePVNumber(p.String()); err != nil || again != p {
				t.Fatalf("pv %q: round trip %+v, %v", s, again, err)
			}
		} else if strings.HasPrefix(errCode(err), "NOT") {
			t.Fatal(errCode(err))
		}
	})
}

func BenchmarkParseNationalNumber(b *testing.B) {
	for _, in := range []string{"85073003328", "85.07.30-033.28", "01 49 07 001 85"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseNationalNumber(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParsePVNumber(b *testing.B) {
	for _, in := range []string{"NI.55.L5.012345/2026", " ni 55 l5 012345 / 26 "} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePVNumber(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
