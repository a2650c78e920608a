package complaint

// Belgian identifiers: parse (tolerant of the separators people type or
// copy from a card), validate (length, check digits, embedded date) and
// format (one canonical form). Every error is a *CodedError whose Code is
// a message key of errors.go, so the validator can report it per field in
// the complainant's language:
//
//   - ErrRequired   the input is empty or only separators;
//   - ErrIDFormat   a character that is neither a digit nor an accepted
//     separator, or a part that cannot be what it claims (enterprise
//     number not starting with 0 or 1);
//   - ErrIDLength   the wrong number of digits;
//   - ErrIDChecksum the check digits do not match;
//   - ErrIDDate     the birth date inside a national register number
//     does not exist (month 13, 30 February);
//   - ErrInvalidPV  anything wrong with a PV number (its message shows an
//     example, which helps an officer more than a generic "wrong format").
//
// Sources for the rules: the national register's instruction IT000
// (rijksregisternummer), IT195 (identity card number), the KBO/BCE
// description of the enterprise number, and the published examples that
// python-stdnum's be.nn, be.bis, be.eid and be.vat modules test against.

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxIDInput bounds how much of an untrusted identifier we look at: the
// longest legitimate input ("BE 0403.170.701", "85.07.30-033.28" with a few
// extra spaces) is far below it, so anything longer is rejected before any
// work is done on it.
const maxIDInput = 64

// compactDigits strips the separators people type or copy from a card
// (spaces of any kind, dots, dashes) and returns the digits, or the error
// code. want is the expected number of digits; the scan stops early once
// there are more digits than that.
func compactDigits(s string, want int) (string, error) {
	if len(s) > maxIDInput {
		return "", &CodedError{Code: ErrIDLength}
	}
	var buf [maxIDInput]byte
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			buf[n] = byte(r)
			n++
		case r == '.' || r == '-' || unicode.IsSpace(r):
			// separator
		default:
			// Includes utf8.RuneError for invalid UTF-8 and non-ASCII
			// digits, which no Belgian card prints.
			return "", &CodedError{Code: ErrIDFormat}
		}
	}
	switch {
	case n == 0:
		return "", &CodedError{Code: ErrRequired}
	case n != want:
		return "", &CodedError{Code: ErrIDLength}
	}
	return string(buf[:n]), nil
}

// atoiDigits converts an all-ASCII-digit string; callers have checked it.
func atoiDigits(s string) int64 {
	var v int64
	for i := 0; i < len(s); i++ {
		v = v*10 + int64(s[i]-'0')
	}
	return v
}

// ---------------------------------------------------------------------------
// National register number (rijksregisternummer / numéro de registre
// national / Nationalregisternummer), including bis numbers.

// NationalNumber is a validated Belgian national register number or bis
// number: YYMMDD SSS CC. The zero value is not a valid number; obtain one
// from ParseNationalNumber.
//
// Rules implemented:
//   - CC = 97 - (YYMMDDSSS mod 97) for births before 2000, and
//     97 - (2YYMMDDSSS mod 97) for births from 2000; which one passes
//     decides the century. The 2000 rule is only tried when 20YY is not
//     in the future.
//   - Bis numbers add 20 to the month when the sex was unknown at
//     registration and 40 when it was known.
//   - Month 00 means the month is unknown, or that the day counter of that
//     birth date ran out (IT000 then zeroes month and day and may bump the
//     sixth digit); either way month and day are reported unknown. Day 00
//     with a known month means the day is unknown.
//   - YYMMDD = 000001 (bis: 002001, 004001) is the fictitious date used when
//     nothing of the birth date was known: year, month and day unknown.
//   - SSS odd is a man, even a woman — except in a bis number with month
//     +20, where the sex was not known.
type NationalNumber struct {
	digits  string // 11 ASCII digits
	century int    // 1900 or 2000, decided by the check digits
}

// ParseNationalNumber accepts 11 digits with any spaces, dots and dashes
// ("85.07.30-033.28", "85 07 30 033 28", "85073003328"), checks the check
// digits and the birth date they carry.
func ParseNationalNumber(s string) (NationalNumber, error) {
	return parseNationalNumber(s, time.Now().Year())
}

// parseNationalNumber is ParseNationalNumber with the current year given,
// so tests do not depend on the day they run.
func parseNationalNumber(s string, thisYear int) (NationalNumber, error) {
	d, err := compactDigits(s, 11)
	if err != nil {
		return NationalNumber{}, err
	}
	body, check := atoiDigits(d[:9]), atoiDigits(d[9:])
	yy := int(atoiDigits(d[:2]))
	century := 0
	switch {
	case 97-body%97 == check:
		century = 1900
	case 2000+yy <= thisYear && 97-(2_000_000_000+body)%97 == check:
		// Both rules cannot pass at once: 2_000_000_000 mod 97 is 68, not 0.
		century = 2000
	default:
		return NationalNumber{}, &CodedError{Code: ErrIDChecksum}
	}
	n := NationalNumber{digits: d, century: century}
	mm, dd := n.rawMonth(), int(atoiDigits(d[4:6]))
	if mm < 0 || mm > 12 {
		return NationalNumber{}, &CodedError{Code: ErrIDDate}
	}
	switch {
	case mm == 0:
		// Unknown month or exhausted day counter: the day digits are
		// not a day, but still never more than a month has.
		if dd > 31 {
			return NationalNumber{}, &CodedError{Code: ErrIDDate}
		}
	case dd > daysIn(century+yy, mm):
		return NationalNumber{}, &CodedError{Code: ErrIDDate}
	}
	return n, nil
}

// rawMonth is the month with the bis offset removed, 0 for unknown, or -1
// when the digits are no month at all (13-19, 33-39, 53-99).
func (n NationalNumber) rawMonth() int {
	m := int(atoiDigits(n.digits[2:4]))
	switch {
	case m >= 40:
		m -= 40
	case m >= 20:
		m -= 20
	}
	if m > 12 {
		return -1
	}
	return m
}

// daysIn is the number of days of month (1-12) in year (Gregorian).
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// Digits is the canonical form: 11 digits, no separators.
func (n NationalNumber) Digits() string { return n.digits }

// String is the form printed on the eID card: "85.07.30-033.28".
func (n NationalNumber) String() string {
	d := n.digits
	if len(d) != 11 {
		return ""
	}
	return d[0:2] + "." + d[2:4] + "." + d[4:6] + "-" + d[6:9] + "." + d[9:11]
}

// IsBis reports whether this is a bis number (month +20 or +40).
func (n NationalNumber) IsBis() bool {
	return len(n.digits) == 11 && n.digits[2] >= '2'
}

// Sex is "M" or "F" as encoded by the sequence number, or "" when the
// number does not say (bis number with month +20).
func (n NationalNumber) Sex() string {
	if len(n.digits) != 11 || (n.digits[2] == '2' || n.digits[2] == '3') {
		return ""
	}
	if (n.digits[8]-'0')%2 == 1 {
		return "M"
	}
	return "F"
}

// BirthDate is the birth date the number carries, with 0 for each part
// that is unknown (see NationalNumber for when that happens). The century
// is the one the check digits decided.
func (n NationalNumber) BirthDate() (year, month, day int) {
	if len(n.digits) != 11 {
		return 0, 0, 0
	}
	yy, mm, dd := int(atoiDigits(n.digits[:2])), n.rawMonth(), int(atoiDigits(n.digits[4:6]))
	if yy == 0 && mm == 0 && dd == 1 {
		return 0, 0, 0 // fictitious 00/00/01: nothing was known
	}
	year = n.century + yy
	if mm <= 0 {
		return year, 0, 0
	}
	return year, mm, dd
}

// ConsistentWithBirthDate reports whether date ("YYYY-MM-DD", as in the
// complaint's birth_date) agrees with the number: every part the number
// knows must be equal, unknown parts match anything. A date that does not
// parse is never consistent.
func (n NationalNumber) ConsistentWithBirthDate(date string) bool {
	if len(n.digits) != 11 || len(date) != len("2006-01-02") {
		return false
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return false
	}
	y, m, d := n.BirthDate()
	return (y == 0 || y == t.Year()) && (m == 0 || m == int(t.Month())) && (d == 0 || d == t.Day())
}

// ---------------------------------------------------------------------------
// eID card number.

// ParseIDCardNumber validates the number of a Belgian identity card
// (eID, kids-ID, foreigner's card): 12 digits, the last two being the
// first ten mod 97, with a remainder of 0 written as 97. Spaces, dots and
// dashes are accepted ("591-1917064-58"); the result is the 12 digits.
func ParseIDCardNumber(s string) (string, error) {
	d, err := compactDigits(s, 12)
	if err != nil {
		return "", err
	}
	want := atoiDigits(d[:10]) % 97
	if want == 0 {
		want = 97
	}
	if atoiDigits(d[10:]) != want {
		return "", &CodedError{Code: ErrIDChecksum}
	}
	return d, nil
}

// FormatIDCardNumber prints 12 canonical digits as on the card,
// "591-1917064-58". Anything else is returned unchanged.
func FormatIDCardNumber(digits string) string {
	if len(digits) != 12 || !allDigits(digits) {
		return digits
	}
	return digits[:3] + "-" + digits[3:10] + "-" + digits[10:]
}

// ---------------------------------------------------------------------------
// SIS card number.

// ParseSISCardNumber validates the number of a (legacy) SIS card: 10
// digits. The SIS card's numbering has no published check digit, so only
// the characters and the length are checked — the number proves nothing
// on its own and is recorded as "sis_card_format", not as a checksum.
// Spaces, dots and dashes are accepted; the result is the 10 digits.
func ParseSISCardNumber(s string) (string, error) {
	return compactDigits(s, 10)
}

// ---------------------------------------------------------------------------
// Enterprise number (KBO/BCE ondernemingsnummer / numéro d'entreprise).

// ParseEnterpriseNumber validates a Belgian enterprise number: 10 digits,
// the first 0 or 1, the last two 97 - (first eight mod 97). Accepted on
// input: a "BE" prefix (VAT form, any case), spaces, dots and dashes, and
// the legacy 9-digit form (before 2005), which gets its leading 0 back.
// The result is the 10 digits.
func ParseEnterpriseNumber(s string) (string, error) {
	if len(s) > maxIDInput {
		return "", &CodedError{Code: ErrIDLength}
	}
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if len(s) >= 2 && (s[0] == 'B' || s[0] == 'b') && (s[1] == 'E' || s[1] == 'e') {
		s = s[2:]
	}
	d, err := compactDigits(s, 10)
	if err != nil {
		// The legacy 9-digit form: retry as such only when the count was
		// the problem.
		if codeOf(err, "") != ErrIDLength {
			return "", err
		}
		d9, err9 := compactDigits(s, 9)
		if err9 != nil {
			return "", err
		}
		d = "0" + d9
	}
	if d[0] != '0' && d[0] != '1' {
		return "", &CodedError{Code: ErrIDFormat}
	}
	body := atoiDigits(d[:8])
	if body == 0 {
		// "0000000097" passes the arithmetic but is no enterprise.
		return "", &CodedError{Code: ErrIDFormat}
	}
	if atoiDigits(d[8:]) != 97-body%97 {
		return "", &CodedError{Code: ErrIDChecksum}
	}
	return d, nil
}

// FormatEnterpriseNumber prints 10 canonical digits the way the KBO/BCE
// does, "0403.170.701". Anything else is returned unchanged.
func FormatEnterpriseNumber(digits string) string {
	if len(digits) != 10 || !allDigits(digits) {
		return digits
	}
	return digits[:4] + "." + digits[4:7] + "." + digits[7:]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ---------------------------------------------------------------------------
// PV number (procès-verbal / proces-verbaal).

// PVNumber is a police report number AA.NN.XX.NNNNNN/YYYY.
type PVNumber struct {
	Arrondissement string // two letters, e.g. "NI"
	Code           string // two digits, e.g. "55"
	Service        string // two alphanumerics, e.g. "L5"
	Sequence       string // six digits
	Year           int    // four digits
}

// Years a PV number may carry. A 2-digit year on input means 20YY.
const (
	minPVYear = 2000
	maxPVYear = 2099
)

// String is the canonical form, e.g. "NI.55.L5.012345/2026". The zero
// value prints as "".
func (p PVNumber) String() string {
	if p == (PVNumber{}) {
		return ""
	}
	return p.Arrondissement + "." + p.Code + "." + p.Service + "." + p.Sequence + "/" + strconv.Itoa(p.Year)
}

// ParsePVNumber reads a PV number as an officer types it. Tolerated:
//   - white space anywhere ("NI.55.L5.012345 / 2026", "NI 55 L5 012345/26");
//   - lower case ("ni.55.l5.012345/2026");
//   - a 2-digit year, meaning 20YY;
//   - the dots all left out ("NI55L5012345/2026"), the parts then being
//     read by position.
//
// Not tolerated, because each would be a guess: some dots but not all, a
// part of the wrong length (a sequence of five digits is not padded), any
// other separator, a missing "/year", a year outside 2000-2099.
// Every error is a *CodedError with Code ErrInvalidPV (ErrRequired for an
// empty input).
func ParsePVNumber(s string) (PVNumber, error) {
	bad := &CodedError{Code: ErrInvalidPV}
	if len(s) > maxIDInput {
		return PVNumber{}, bad
	}
	var buf [maxIDInput]byte
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsSpace(r):
		case r < utf8.RuneSelf:
			c := byte(r)
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			buf[n] = c
			n++
		default:
			return PVNumber{}, bad
		}
	}
	if n == 0 {
		return PVNumber{}, &CodedError{Code: ErrRequired}
	}
	c := string(buf[:n])
	slash := strings.IndexByte(c, '/')
	if slash < 0 || strings.IndexByte(c[slash+1:], '/') >= 0 {
		return PVNumber{}, bad
	}
	head, yearPart := c[:slash], c[slash+1:]

	var p PVNumber
	switch strings.Count(head, ".") {
	case 3:
		var rest string
		p.Arrondissement, rest, _ = strings.Cut(head, ".")
		p.Code, rest, _ = strings.Cut(rest, ".")
		p.Service, p.Sequence, _ = strings.Cut(rest, ".")
	case 0:
		if len(head) != 12 {
			return PVNumber{}, bad
		}
		p.Arrondissement, p.Code, p.Service, p.Sequence = head[0:2], head[2:4], head[4:6], head[6:12]
	default:
		return PVNumber{}, bad
	}
	if len(p.Arrondissement) != 2 || !allLetters(p.Arrondissement) ||
		len(p.Code) != 2 || !allDigits(p.Code) ||
		len(p.Service) != 2 || !allAlnum(p.Service) ||
		len(p.Sequence) != 6 || !allDigits(p.Sequence) {
		return PVNumber{}, bad
	}
	if (len(yearPart) != 2 && len(yearPart) != 4) || !allDigits(yearPart) {
		return PVNumber{}, bad
	}
	p.Year = int(atoiDigits(yearPart))
	if len(yearPart) == 2 {
		p.Year += 2000
	}
	if p.Year < minPVYear || p.Year > maxPVYear {
		return PVNumber{}, bad
	}
	return p, nil
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func allAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 'A' || s[i] > 'Z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}
