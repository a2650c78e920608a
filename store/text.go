package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite"

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
// the facts, every text and number of the type-specific details and of the
// goods (a frame number), and the other people of the complaint.
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
	// Identifiers in the forms an officer types them: the national number
	// with and without separators, the birth date as ISO and as 30/07/1985
	// or 30.07.1985, the phone in its national form (0471…), the identity
	// card number.
	if n, err := complaint.ParseNationalNumber(c.Identification.NationalNumber); err == nil {
		add(n.String(), n.Digits())
	} else {
		add(c.Identification.NationalNumber)
	}
	add(c.Identification.IDCardNumber)
	if d, err := time.Parse("2006-01-02", c.BirthDate); err == nil {
		add(c.BirthDate, d.Format("02/01/2006"), d.Format("02.01.2006"))
	} else {
		add(c.BirthDate)
	}
	if p, ok := strings.CutPrefix(strings.ReplaceAll(c.Phone, " ", ""), "+32"); ok {
		add("0" + p)
	}
	add(factsDayTokens(r.Facts.StartedAt, r.Facts.EndedAt)...)
	for _, raw := range []json.RawMessage{r.Details, r.Goods} {
		if len(raw) > 0 {
			var v any
			if json.Unmarshal(raw, &v) == nil {
				addValues(&b, v)
			}
		}
	}
	// The other people of the complaint, as officers look for them: the
	// victim the complainant filed for (names, national number) or the
	// company (name, enterprise number in both forms), the witnesses'
	// names and phones, the insurer and policy number. Absent parts add
	// nothing, so a record without them indexes as it did before.
	if p := r.OnBehalfOf.Person; p != nil {
		add(p.FirstName, p.LastName, p.BirthDate, p.Phone, p.Email)
		if n, err := complaint.ParseNationalNumber(p.NationalNumber); err == nil {
			add(n.String(), n.Digits())
		} else {
			add(p.NationalNumber)
		}
	}
	if c := r.OnBehalfOf.Company; c != nil {
		add(c.Name, c.EnterpriseNumber)
		if f := complaint.FormatEnterpriseNumber(c.EnterpriseNumber); f != c.EnterpriseNumber {
			add(f)
		}
	}
	for _, w := range r.Witnesses {
		add(w.FirstName, w.LastName, w.Phone)
	}
	add(r.Insurance.Company, r.Insurance.PolicyNumber)
	return b.String()
}

// searchTextFunc is the SQL function guichet_search_text(stored record):
// the searchText of a stored record ("" for a tombstone stub, which search
// must not find, and for NULL). The full-text index reads its text through
// it (the view complaints_search is its external content), so the text is
// never stored: it is made again from the record when SQLite needs it (to
// delete a row's tokens, to rebuild or check the index).
// storedTextReads counts the texts searchTextFunc made from stored
// records (each decompresses and decodes a record): the writer reads one
// only when a record's text changes (tests count them).
var storedTextReads atomic.Int64

func searchTextFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	stored, ok := args[0].([]byte)
	if !ok {
		if args[0] == nil {
			return "", nil
		}
		s, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("guichet_search_text: a %T, not a record", args[0])
		}
		stored = []byte(s)
	}
	storedTextReads.Add(1)
	var r complaint.Record
	if err := decodeRecord(stored, &r); err != nil {
		return nil, fmt.Errorf("guichet_search_text: %w", err)
	}
	return storedSearchText(&r), nil
}

// storedSearchText is what the index holds for a cached record: nothing
// for a tombstone stub. The index keeps no copy of it and removes a row's
// tokens with the text made again from the record: whenever what
// searchText returns changes, add a migration whose Go steps are
// rebuildSearchIndex and then fillSearchHashes, or the index of existing
// caches no longer matches.
func storedSearchText(r *complaint.Record) string {
	if isTombstoneStub(r) {
		return ""
	}
	return searchText(r)
}

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("guichet_search_text", 1, searchTextFunc)
}

// searchHash is what a complaint's row keeps of the text it is indexed
// with (the column search_hash): its 64-bit FNV-1a hash. The writer
// compares it with the hash of a record's new text to know, without
// decoding the stored record, whether the index must change.
func searchHash(body string) int64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(body); i++ {
		h ^= uint64(body[i])
		h *= 1099511628211
	}
	if h == 0 {
		return 1 // 0 is the column's "unknown" (migration 10)
	}
	return int64(h)
}

// factsDayPrefix starts the search token of a day of the facts ("fd20261105"):
// a facts-date range is searched as any of its days.
const factsDayPrefix = "fd"

// maxFactsDays bounds the days a complaint's facts (and a searched range)
// span in the index.
const maxFactsDays = 366

// factsDayTokens are the search tokens of the days from start to end (in
// Brussels time), at most maxFactsDays.
func factsDayTokens(start, end time.Time) []string {
	if start.IsZero() {
		return nil
	}
	if end.Before(start) {
		end = start
	}
	d := dayOf(start)
	last := dayOf(end)
	var out []string
	for i := 0; !d.After(last) && i < maxFactsDays; i++ {
		out = append(out, factsDayToken(d))
		d = d.AddDate(0, 0, 1)
	}
	return out
}

func factsDayToken(d time.Time) string { return factsDayPrefix + d.Format("20060102") }

// dayOf is the calendar day of t in Brussels, at midnight UTC.
func dayOf(t time.Time) time.Time {
	y, m, d := t.In(complaint.Brussels()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// factsDaysExpr is the full-text expression "any day from from to to"
// (calendar days, inclusive), or "" when the range is empty.
func factsDaysExpr(from, to time.Time) string {
	if from.IsZero() && to.IsZero() {
		return ""
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -(maxFactsDays - 1))
	}
	if to.IsZero() {
		to = from.AddDate(0, 0, maxFactsDays-1)
	}
	var terms []string
	for d, i := dayOf(from), 0; !d.After(dayOf(to)) && i < maxFactsDays; d, i = d.AddDate(0, 0, 1), i+1 {
		terms = append(terms, factsDayToken(d))
	}
	if len(terms) == 0 {
		return factsDayPrefix + "none"
	}
	return strings.Join(terms, " OR ")
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
		// In key order: the text must be the same each time it is made
		// from the record (the index reads it again to remove it).
		for _, k := range slices.Sorted(maps.Keys(x)) {
			addValues(b, x[k])
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
