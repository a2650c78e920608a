package complaint

// Routing of the place of the facts to a local police zone.
//
// The reference data lives in data/ (a copy of shared/data, see
// data/SOURCES.md) and is embedded: postcodes.csv and
// postcodes_extra_sector_based.csv give postal code → municipality (NIS5),
// zones.csv gives municipality → zone. Only the zone table can be replaced at
// run time (LoadZones), because that is the part an administrator must be able
// to correct the day a provisional zone code is confirmed; the postal codes
// are fixed by the build.

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ProvisionalPrefix starts the code of a zone whose official code is not
// confirmed yet, e.g. "prov-carma".
const ProvisionalPrefix = "prov-"

// MaxZonesCSVBytes bounds the zone table LoadZones accepts; the real table is
// about 40 KB.
const MaxZonesCSVBytes = 1 << 20

var (
	//go:embed data/postcodes.csv
	embeddedPostcodesCSV []byte
	//go:embed data/postcodes_extra_sector_based.csv
	embeddedExtraPostcodesCSV []byte
	//go:embed data/zones.csv
	embeddedZonesCSV []byte
)

// EmbeddedZonesCSV returns a copy of the zone table built into the binary, in
// the format LoadZones reads, so the portal can show or export it.
func EmbeddedZonesCSV() []byte { return bytes.Clone(embeddedZonesCSV) }

// Municipality is one municipality with its postal codes and localities.
type Municipality struct {
	NIS         string // NIS5 code (2025)
	Name        string // as in zones.csv
	Zone        Zone
	PostalCodes []string // sorted
	Localities  []string // locality names of those postal codes
}

func (m Municipality) clone() Municipality {
	m.PostalCodes = append([]string(nil), m.PostalCodes...)
	m.Localities = append([]string(nil), m.Localities...)
	return m
}

// Router resolves the place of the facts to a zone. It is immutable and safe
// for concurrent use: every map is filled while building and only read after.
type Router struct {
	zones      []Zone         // sorted by code
	zoneByCode map[string]int // code → index in zones
	zoneMunis  [][]int        // index in zones → indices in munis
	munis      []Municipality // sorted by NIS
	muniZone   []int          // index in munis → index in zones
	muniByNIS  map[string]int
	byPostcode map[string][]int // postal code → indices in munis
	// byName maps a normalized place name (municipality name in any language
	// the data gives, or locality) to the municipalities it names.
	byName map[string][]int
	rows   []zoneRow // the table, for ZonesCSV

	// search is SearchZones' index, built on first use.
	searchOnce sync.Once
	search     *zoneSearchIndex
}

var (
	defaultRouterOnce sync.Once
	defaultRouter     *Router
)

// DefaultRouter is built once from the embedded data.
func DefaultRouter() *Router {
	defaultRouterOnce.Do(func() {
		r, err := LoadZones(bytes.NewReader(embeddedZonesCSV))
		if err != nil {
			// The embedded data is checked by the tests; a failure here is a
			// broken build, not a run-time condition.
			panic("complaint: embedded zone table: " + err.Error())
		}
		defaultRouter = r
	})
	return defaultRouter
}

// Route returns the zone of the place of the facts, or a *CodedError
// (ErrUnknownPostalCode, ErrAmbiguousPlace, ErrMunicipalityMismatch).
// Only p.PostalCode and p.Municipality are used.
//
// The rules, from what a citizen types:
//   - The postal code decides. An unknown one is ErrUnknownPostalCode.
//   - A postal code of one municipality routes without a municipality name.
//   - A postal code that spans municipalities of different zones (the border
//     sectors of postcodes_extra_sector_based.csv, e.g. 1070 Anderlecht and
//     Bruxelles) needs the municipality to settle it; without it, or with a
//     name the data does not know, it is ErrAmbiguousPlace. When all its
//     municipalities are in one zone (3680, 4671) there is nothing to settle.
//   - The name is matched, after normalization (case, accents, punctuation,
//     hyphens and spaces, "(Bru.)"-style suffixes, Saint/Sint/St), against
//     the municipality names of the zone table (each language of
//     "Bruxelles / Brussel") and every locality of that municipality.
//   - A name the data does not know at all does not block routing: the
//     localities date from 2013 and are not complete, and the postal code is
//     the more reliable field. The postal code decides.
//   - A name the data knows only for municipalities the postal code does not
//     cover contradicts it: ErrMunicipalityMismatch, so the citizen corrects
//     one of the two rather than the complaint going to a zone chosen by
//     guess ("9000 Antwerpen"). Exception: when one of the municipalities so
//     named is in the postal code's (single) zone, the zone is not in doubt
//     and the complaint routes ("1050 Bruxelles": Ixelles and Bruxelles are
//     both zone 5339).
//
// The known limit: a place in a border sector that the 2013 data does not
// list, typed with its true postal code and true municipality, gets
// ErrMunicipalityMismatch; the message tells the citizen to check both.
func (r *Router) Route(p Place) (Zone, error) {
	cands, ok := r.byPostcode[strings.TrimSpace(p.PostalCode)]
	if !ok {
		return Zone{}, &CodedError{Code: ErrUnknownPostalCode}
	}
	var buf [64]byte
	name := appendNormalized(buf[:0], p.Municipality)
	if len(name) == 0 {
		return r.oneZone(cands)
	}
	named := r.byName[string(name)] // no allocation: the compiler looks up the bytes
	var matchedBuf [8]int
	matched := matchedBuf[:0]
	for _, c := range cands {
		if containsInt(named, c) {
			matched = append(matched, c)
		}
	}
	if len(matched) > 0 {
		return r.oneZone(matched)
	}
	zi, single := r.singleZone(cands)
	if len(named) > 0 {
		// The name is a place of other municipalities only. It contradicts the
		// postal code unless one of those places is in the same zone anyway.
		if single {
			for _, m := range named {
				if r.muniZone[m] == zi {
					return r.zones[zi], nil
				}
			}
		}
		return Zone{}, &CodedError{Code: ErrMunicipalityMismatch}
	}
	if single {
		return r.zones[zi], nil
	}
	return Zone{}, &CodedError{Code: ErrAmbiguousPlace}
}

// oneZone returns the zone shared by the municipalities, or ErrAmbiguousPlace.
func (r *Router) oneZone(munis []int) (Zone, error) {
	if zi, ok := r.singleZone(munis); ok {
		return r.zones[zi], nil
	}
	return Zone{}, &CodedError{Code: ErrAmbiguousPlace}
}

func (r *Router) singleZone(munis []int) (int, bool) {
	zi := r.muniZone[munis[0]]
	for _, m := range munis[1:] {
		if r.muniZone[m] != zi {
			return -1, false
		}
	}
	return zi, true
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Zones lists every zone, sorted by code.
func (r *Router) Zones() []Zone { return append([]Zone(nil), r.zones...) }

// Zone finds a zone by code (an official code or a provisional "prov-…" one).
func (r *Router) Zone(code string) (Zone, bool) {
	i, ok := r.zoneByCode[code]
	if !ok {
		return Zone{}, false
	}
	return r.zones[i], true
}

// Municipalities lists the municipalities of a zone (all when code is ""),
// sorted by NIS code. An unknown code gives nil.
func (r *Router) Municipalities(code string) []Municipality {
	if code == "" {
		out := make([]Municipality, len(r.munis))
		for i, m := range r.munis {
			out[i] = m.clone()
		}
		return out
	}
	zi, ok := r.zoneByCode[code]
	if !ok {
		return nil
	}
	out := make([]Municipality, 0, len(r.zoneMunis[zi]))
	for _, mi := range r.zoneMunis[zi] {
		out = append(out, r.munis[mi].clone())
	}
	return out
}

// Municipality finds a municipality by its NIS5 code.
func (r *Router) Municipality(nis string) (Municipality, bool) {
	i, ok := r.muniByNIS[nis]
	if !ok {
		return Municipality{}, false
	}
	return r.munis[i].clone(), true
}

// PostalCodeMunicipalities lists the municipalities a postal code covers,
// sorted by NIS (nil for an unknown code). When it gives more than one, a
// form can offer them as the choice that settles ErrAmbiguousPlace.
func (r *Router) PostalCodeMunicipalities(postalCode string) []Municipality {
	idx := r.byPostcode[strings.TrimSpace(postalCode)]
	if len(idx) == 0 {
		return nil
	}
	out := make([]Municipality, 0, len(idx))
	for _, mi := range idx {
		out = append(out, r.munis[mi].clone())
	}
	return out
}

// ZonesCSV writes the router's zone table in the zones.csv format (CRLF line
// ends, like the source), one row per municipality sorted by zone then NIS;
// provisional zones have an empty code, as in the source. LoadZones reads it
// back to the same router, and for the embedded table it is byte for byte
// EmbeddedZonesCSV.
func (r *Router) ZonesCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	_ = w.Write(zonesHeader)
	for _, row := range r.rows {
		_ = w.Write([]string{row.code, row.name, row.nis, row.municipality})
	}
	w.Flush()
	return b.Bytes()
}

// NormalizePlaceName reduces a municipality or locality name to the form the
// router compares: lower case, accents and ligatures folded (é→e, œ→oe),
// parenthesized parts dropped ("Laken (Bru.)" → "laken"), Saint/Sint/Sankt/St
// made one word, and every space, hyphen and punctuation mark removed, so
// "Louvain la Neuve", "LOUVAIN-LA-NEUVE" and "Louvain-la-Neuve" are equal.
func NormalizePlaceName(s string) string {
	var buf [64]byte
	return string(appendNormalized(buf[:0], s))
}

// appendNormalized appends NormalizePlaceName(s) to dst; Route uses it with a
// stack buffer so that routing one place does not allocate.
func appendNormalized(dst []byte, s string) []byte {
	start := len(dst) // start of the current word in dst
	endWord := func() {
		switch string(dst[start:]) {
		case "saint", "sint", "sankt":
			dst = append(dst[:start], "st"...)
		case "sainte":
			dst = append(dst[:start], "ste"...)
		}
		start = len(dst)
	}
	depth := 0
	for i := 0; i < len(s); {
		c, size := rune(s[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case c == '(':
			depth++
			endWord()
			continue
		case c == ')':
			if depth > 0 {
				depth--
			}
			continue
		case depth > 0:
			continue
		}
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			dst = append(dst, byte(c))
		case c >= 'A' && c <= 'Z':
			dst = append(dst, byte(c)+'a'-'A')
		case c < utf8.RuneSelf:
			endWord()
		default:
			c = unicode.ToLower(c)
			if f, ok := foldRune(c); ok {
				dst = append(dst, f...)
			} else if unicode.IsLetter(c) || unicode.IsDigit(c) {
				dst = utf8.AppendRune(dst, c)
			} else {
				endWord()
			}
		}
	}
	endWord()
	return dst
}

// foldRune folds the accented and ligature lower-case letters of Belgian
// place names (French, Dutch, German) to ASCII.
func foldRune(c rune) (string, bool) {
	switch c {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		return "a", true
	case 'ç':
		return "c", true
	case 'è', 'é', 'ê', 'ë':
		return "e", true
	case 'ì', 'í', 'î', 'ï':
		return "i", true
	case 'ñ':
		return "n", true
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø':
		return "o", true
	case 'ù', 'ú', 'û', 'ü':
		return "u", true
	case 'ý', 'ÿ':
		return "y", true
	case 'œ':
		return "oe", true
	case 'æ':
		return "ae", true
	case 'ß':
		return "ss", true
	}
	return "", false
}

// provisionalCode is the code of a zone without a confirmed code:
// ProvisionalPrefix and the name as a URL-path-safe slug ([a-z0-9-]).
func provisionalCode(name string) string {
	var b strings.Builder
	b.WriteString(ProvisionalPrefix)
	dash := false
	n := 0
	for _, c := range name {
		var s string
		c = unicode.ToLower(c)
		if f, ok := foldRune(c); ok {
			s = f
		} else if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			s = string(c)
		}
		if s == "" {
			dash = n > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(s)
		n++
	}
	if n == 0 {
		return ""
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// Postal data (fixed by the build).

type postalData struct {
	nis        map[string]bool     // every NIS a postal code leads to
	byPostcode map[string][]string // postal code → NIS, sorted
	postcodes  map[string][]string // NIS → postal codes, sorted
	localities map[string][]string // NIS → locality names, sorted
	extraNames map[string][]string // NIS → 2011 names of the sector file
	// embeddedName is the municipality name of the embedded zones.csv, to
	// name a municipality missing from a table given to LoadZones.
	embeddedName map[string]string
}

var (
	postalOnce sync.Once
	postal     *postalData
)

func embeddedPostal() *postalData {
	postalOnce.Do(func() {
		p, err := parsePostal(embeddedPostcodesCSV, embeddedExtraPostcodesCSV)
		if err != nil {
			panic("complaint: embedded postal codes: " + err.Error())
		}
		rows, err := csv.NewReader(bytes.NewReader(embeddedZonesCSV)).ReadAll()
		if err != nil {
			panic("complaint: embedded zones.csv: " + err.Error())
		}
		p.embeddedName = make(map[string]string, len(rows))
		for _, row := range rows[1:] {
			p.embeddedName[row[2]] = row[3]
		}
		postal = p
	})
	return postal
}

func parsePostal(main, extra []byte) (*postalData, error) {
	p := &postalData{
		nis:        map[string]bool{},
		byPostcode: map[string][]string{},
		postcodes:  map[string][]string{},
		localities: map[string][]string{},
		extraNames: map[string][]string{},
	}
	add := func(m map[string][]string, k, v string) {
		for _, x := range m[k] {
			if x == v {
				return
			}
		}
		m[k] = append(m[k], v)
	}
	link := func(pc, nis string) error {
		if !isDigits(pc, 4) || !isDigits(nis, 5) {
			return fmt.Errorf("bad postal code %q or NIS %q", pc, nis)
		}
		p.nis[nis] = true
		add(p.byPostcode, pc, nis)
		add(p.postcodes, nis, pc)
		return nil
	}
	rows, err := csv.NewReader(bytes.NewReader(main)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "postal_code,locality,nis5" {
		return nil, errors.New("postcodes.csv: unexpected header")
	}
	for _, row := range rows[1:] {
		if err := link(row[0], row[2]); err != nil {
			return nil, fmt.Errorf("postcodes.csv: %w", err)
		}
		add(p.localities, row[2], row[1])
	}
	rows, err = csv.NewReader(bytes.NewReader(extra)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || !strings.HasPrefix(strings.Join(rows[0], ","), "postal_code,nis5,municipality_2011_name,") {
		return nil, errors.New("postcodes_extra_sector_based.csv: unexpected header")
	}
	for _, row := range rows[1:] {
		if err := link(row[0], row[1]); err != nil {
			return nil, fmt.Errorf("postcodes_extra_sector_based.csv: %w", err)
		}
		add(p.extraNames, row[1], row[2])
	}
	for _, m := range []map[string][]string{p.byPostcode, p.postcodes, p.localities} {
		for _, v := range m {
			sort.Strings(v)
		}
	}
	return p, nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Zone table (replaceable at run time).

var zonesHeader = []string{"zone_code", "zone_name", "nis5", "municipality"}

type zoneRow struct {
	code, name, nis, municipality string
	line                          int
}

// ZoneTableProblem is one problem of a zone table given to LoadZones. Line is
// the 1-based line of the CSV, 0 for a problem of the table as a whole (a
// municipality missing). Code is a stable key for the kind of problem; Message
// explains it in English for the administrator.
type ZoneTableProblem struct {
	Line    int    `json:"line,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Kinds of ZoneTableProblem.
const (
	ZoneTableTooBig          = "too_big"
	ZoneTableBadCSV          = "bad_csv"
	ZoneTableBadHeader       = "bad_header"
	ZoneTableBadRow          = "bad_row"
	ZoneTableBadCode         = "bad_code"
	ZoneTableBadName         = "bad_name"
	ZoneTableUnknownNIS      = "unknown_nis"
	ZoneTableDuplicateNIS    = "duplicate_nis"
	ZoneTableMissingNIS      = "missing_nis"
	ZoneTableCodeTwoNames    = "code_two_names"
	ZoneTableNameTwoCodes    = "name_two_codes"
	ZoneTableProvisionalSlug = "provisional_code_clash"
)

// maxZoneTableProblems bounds the report; an empty table would otherwise list
// all 565 municipalities.
const maxZoneTableProblems = 50

// ZoneTableError is every problem LoadZones found, in line order; nothing is
// loaded when there is one.
type ZoneTableError struct {
	Problems []ZoneTableProblem
	// More counts the problems left out beyond the first 50.
	More int
}

func (e *ZoneTableError) Error() string {
	var b strings.Builder
	b.WriteString("zone table rejected:")
	for _, p := range e.Problems {
		if p.Line > 0 {
			fmt.Fprintf(&b, "\n  line %d: %s", p.Line, p.Message)
		} else {
			fmt.Fprintf(&b, "\n  %s", p.Message)
		}
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n  … and %d more", e.More)
	}
	return b.String()
}

func (e *ZoneTableError) add(line int, code, format string, args ...any) {
	if len(e.Problems) >= maxZoneTableProblems {
		e.More++
		return
	}
	e.Problems = append(e.Problems, ZoneTableProblem{Line: line, Code: code, Message: fmt.Sprintf(format, args...)})
}

// LoadZones builds a router from a zone table in the zones.csv format
// (zone_code,zone_name,nis5,municipality) over the embedded postal codes.
// The table must cover every municipality; problems are reported with line
// numbers as a *ZoneTableError. A zone_code is four digits, or empty for a
// zone whose code is not confirmed (it gets ProvisionalPrefix + slug of its
// name). One code has one name and one name one code. A UTF-8 byte order mark
// and CRLF line ends (a spreadsheet's export) are accepted.
func LoadZones(r io.Reader) (*Router, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxZonesCSVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("zone table: %w", err)
	}
	problems := &ZoneTableError{}
	if len(data) > MaxZonesCSVBytes {
		problems.add(0, ZoneTableTooBig, "the table is larger than %d bytes", MaxZonesCSVBytes)
		return nil, problems
	}
	rows := parseZoneTable(data, embeddedPostal(), problems)
	if len(problems.Problems) > 0 {
		return nil, problems
	}
	return buildRouter(rows, embeddedPostal()), nil
}

func parseZoneTable(data []byte, pd *postalData, problems *ZoneTableError) []zoneRow {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // counted below, to report every bad row
	var rows []zoneRow
	header := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.StartLine != pe.Line {
				// An unclosed quote runs on to the end: name the record's line.
				problems.add(pe.StartLine, ZoneTableBadCSV, "not valid CSV: %v (the record starting here runs on to line %d)", pe.Err, pe.Line)
			} else if pe != nil {
				problems.add(pe.Line, ZoneTableBadCSV, "not valid CSV: %v", pe.Err)
			} else {
				problems.add(0, ZoneTableBadCSV, "not valid CSV: %v", err)
			}
			return nil
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if header {
			header = false
			if strings.Join(rec, ",") != strings.Join(zonesHeader, ",") {
				problems.add(line, ZoneTableBadHeader, "the header must be %q, found %q",
					strings.Join(zonesHeader, ","), strings.Join(rec, ","))
				return nil
			}
			continue
		}
		if len(rec) == 1 && rec[0] == "" {
			continue // a blank line
		}
		if len(rec) != len(zonesHeader) {
			problems.add(line, ZoneTableBadRow, "%d fields, want %d (%s)", len(rec), len(zonesHeader), strings.Join(zonesHeader, ","))
			continue
		}
		rows = append(rows, zoneRow{code: rec[0], name: rec[1], nis: rec[2], municipality: rec[3], line: line})
	}
	if header {
		problems.add(1, ZoneTableBadHeader, "the table is empty; the header must be %q", strings.Join(zonesHeader, ","))
		return nil
	}

	seenNIS := map[string]int{}        // NIS → line
	nameOfCode := map[string]zoneRow{} // code → first row
	codeOfName := map[string]zoneRow{} // name → first row
	for _, row := range rows {
		ok := true
		if row.code != "" && !isDigits(row.code, 4) {
			problems.add(row.line, ZoneTableBadCode, "zone code %q: want four digits, or empty for a provisional zone", row.code)
			ok = false
		}
		if msg := checkTableText(row.name); msg != "" {
			problems.add(row.line, ZoneTableBadName, "zone name: %s", msg)
			ok = false
		}
		if msg := checkTableText(row.municipality); msg != "" {
			problems.add(row.line, ZoneTableBadName, "municipality name: %s", msg)
		}
		switch {
		case !isDigits(row.nis, 5):
			problems.add(row.line, ZoneTableUnknownNIS, "NIS code %q: want five digits", row.nis)
		case !pd.nis[row.nis]:
			problems.add(row.line, ZoneTableUnknownNIS, "NIS code %s (%s) is not a municipality of the postal code data", row.nis, row.municipality)
		default:
			if first, dup := seenNIS[row.nis]; dup {
				problems.add(row.line, ZoneTableDuplicateNIS, "NIS code %s (%s) is already listed on line %d", row.nis, row.municipality, first)
			} else {
				seenNIS[row.nis] = row.line
			}
		}
		if !ok {
			continue
		}
		if row.code != "" {
			if first, seen := nameOfCode[row.code]; seen && first.name != row.name {
				problems.add(row.line, ZoneTableCodeTwoNames, "zone code %s is named %q here but %q on line %d", row.code, row.name, first.name, first.line)
			} else if !seen {
				nameOfCode[row.code] = row
			}
		}
		if first, seen := codeOfName[row.name]; seen && first.code != row.code {
			problems.add(row.line, ZoneTableNameTwoCodes, "zone %q has code %s here but %s on line %d", row.name, showCode(row.code), showCode(first.code), first.line)
		} else if !seen {
			codeOfName[row.name] = row
		}
	}
	slugs := map[string]zoneRow{}
	for _, row := range rows {
		if row.code != "" || codeOfName[row.name].line != row.line || checkTableText(row.name) != "" {
			continue // one check per provisional zone, at its first row
		}
		slug := provisionalCode(row.name)
		if slug == "" {
			problems.add(row.line, ZoneTableBadName, "zone name %q has no letter or digit to make a provisional code from", row.name)
			continue
		}
		if first, seen := slugs[slug]; seen {
			problems.add(row.line, ZoneTableProvisionalSlug, "zones %q and %q (line %d) would both get the provisional code %s", row.name, first.name, first.line, slug)
			continue
		}
		slugs[slug] = row
	}
	var missing []string
	for nis := range pd.nis {
		if _, ok := seenNIS[nis]; !ok {
			missing = append(missing, nis)
		}
	}
	sort.Strings(missing)
	for _, nis := range missing {
		problems.add(0, ZoneTableMissingNIS, "municipality NIS %s (%s) is missing", nis, describeNIS(pd, nis))
	}
	return rows
}

func showCode(code string) string {
	if code == "" {
		return "(empty)"
	}
	return code
}

// describeNIS names a municipality for an administrator: its name in the
// embedded zone table, else its localities.
func describeNIS(pd *postalData, nis string) string {
	if name, ok := pd.embeddedName[nis]; ok {
		return name
	}
	return strings.Join(pd.localities[nis], ", ")
}

// checkTableText says what is wrong with a name of the zone table, or "".
func checkTableText(s string) string {
	switch {
	case s == "":
		return "empty"
	case !utf8.ValidString(s):
		return "not valid UTF-8"
	case utf8.RuneCountInString(s) > 200:
		return "longer than 200 characters"
	}
	for _, c := range s {
		if unicode.IsControl(c) || c == '\u2028' || c == '\u2029' || unicode.Is(unicode.Bidi_Control, c) {
			return fmt.Sprintf("control character %s", strconv.QuoteRune(c))
		}
	}
	return ""
}

// buildRouter indexes a checked table; every map is complete before the
// router is returned and never written again.
func buildRouter(rows []zoneRow, pd *postalData) *Router {
	r := &Router{
		zoneByCode: map[string]int{},
		muniByNIS:  make(map[string]int, len(rows)),
		byPostcode: make(map[string][]int, len(pd.byPostcode)),
		byName:     map[string][]int{},
	}
	zoneOfName := map[string]Zone{}
	for _, row := range rows {
		if _, ok := zoneOfName[row.name]; ok {
			continue
		}
		z := Zone{Code: row.code, Name: row.name}
		if z.Code == "" {
			z.Code, z.Provisional = provisionalCode(row.name), true
		}
		zoneOfName[row.name] = z
		r.zones = append(r.zones, z)
	}
	sort.Slice(r.zones, func(i, j int) bool { return r.zones[i].Code < r.zones[j].Code })
	for i, z := range r.zones {
		r.zoneByCode[z.Code] = i
	}
	r.zoneMunis = make([][]int, len(r.zones))

	sorted := append([]zoneRow(nil), rows...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].nis < sorted[j].nis })
	for i, row := range sorted {
		zi := r.zoneByCode[zoneOfName[row.name].Code]
		r.munis = append(r.munis, Municipality{
			NIS:         row.nis,
			Name:        row.municipality,
			Zone:        r.zones[zi],
			PostalCodes: pd.postcodes[row.nis],
			Localities:  pd.localities[row.nis],
		})
		r.muniZone = append(r.muniZone, zi)
		r.zoneMunis[zi] = append(r.zoneMunis[zi], i)
		r.muniByNIS[row.nis] = i
		for _, pc := range pd.postcodes[row.nis] {
			r.byPostcode[pc] = append(r.byPostcode[pc], i)
		}
		names := []string{row.municipality}
		names = append(names, strings.Split(row.municipality, "/")...)
		for _, l := range pd.localities[row.nis] {
			names = append(names, l)
			names = append(names, strings.Split(l, "/")...)
		}
		names = append(names, pd.extraNames[row.nis]...)
		for _, n := range names {
			k := NormalizePlaceName(n)
			if k != "" && !containsInt(r.byName[k], i) {
				r.byName[k] = append(r.byName[k], i)
			}
		}
	}

	// The export order: zones by code, then municipalities by NIS.
	for zi := range r.zones {
		for _, mi := range r.zoneMunis[zi] {
			m := r.munis[mi]
			code := m.Zone.Code
			if m.Zone.Provisional {
				code = ""
			}
			r.rows = append(r.rows, zoneRow{code: code, name: m.Zone.Name, nis: m.NIS, municipality: m.Name})
		}
	}
	return r
}
