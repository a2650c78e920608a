package complaint

// Decoding and validation of a citizen's submission. Decode turns the body
// into a Submission, strictly: every unknown or repeated member, every value
// of the wrong JSON type and every unreadable date is a field error with its
// JSON path. Validate then checks every rule and reports every problem at
// once (path → reason code, with a message in the submission's language),
// normalising what it accepts (trimmed text, canonical identifiers, details
// re-encoded in catalog order). DecodeValidate does both for the portal.
//
// Identification: for eid and token, Validate only checks the shape of the
// assertion (present, bounded, printable). Verifying its signature and
// matching the identity is the portal's job; it holds the public key.

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/mail"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"guichet/i18n"
)

// Bounds of a submission.
const (
	// MaxSubmissionBytes bounds a submission body (256 KiB). The largest
	// legitimate complaint — every text at its maximum in 4-byte
	// characters, every goods list and the witnesses full — stays below
	// it (TestLargestComplaintFitsTheBodyLimit); the portal should cut the
	// request body at this size (http.MaxBytesReader) too.
	MaxSubmissionBytes = 256 << 10
	// ClockTolerance is how far in the future the facts may seem to end:
	// the citizen's clock may be a little ahead of the server's.
	ClockTolerance = 5 * time.Minute
	// MaxDescriptionLen bounds facts.description, in characters.
	MaxDescriptionLen = 4000
	// MaxNameLen bounds first and last names and municipalities.
	MaxNameLen = 100
	// MaxStreetLen bounds street names.
	MaxStreetLen = 200
	// MaxHouseNumberLen bounds house numbers ("35", "12A", "12-14").
	MaxHouseNumberLen = 20
	// MaxBoxLen bounds a box (boîte/bus).
	MaxBoxLen = 10
	// MaxEmailLen is the longest usable address (RFC 5321 path limit).
	MaxEmailLen = 254
	// MaxAssertionLen bounds an eid/token identity assertion, in bytes.
	MaxAssertionLen = 16 << 10
	// maxProblems bounds how many problems one answer reports, so a body
	// of 40 000 unknown members does not become a 4 MB answer.
	maxProblems = 100
	// MaxWitnesses bounds the witnesses of one complaint.
	MaxWitnesses = 10
	// MaxCompanyNameLen bounds a company's or an insurer's name.
	MaxCompanyNameLen = 200
	// MaxPolicyNumberLen bounds an insurance policy number.
	MaxPolicyNumberLen = 50
	// maxDecodedElements bounds the elements Decode reads of a list of
	// the submission's own structure (witnesses): one more than any
	// such list may hold, so that Validate still sees it is too long.
	maxDecodedElements = MaxWitnesses + 1
)

// BodyPath is the path of a problem with the body as a whole (too large,
// not JSON, not an object, too many problems).
const BodyPath = "body"

// Reason codes of validation (message keys, see messages.go).
const (
	ErrBodyTooLarge       = "body_too_large"
	ErrMalformedJSON      = "malformed_json"
	ErrTooManyProblems    = "too_many_problems"
	ErrDuplicateField     = "duplicate_field"
	ErrNotExpected        = "not_expected" // a member the chosen method or channel does not use
	ErrUnknownFactType    = "unknown_fact_type"
	ErrUnsupportedLang    = "unsupported_language"
	ErrUnknownChannel     = "unknown_channel"
	ErrUnknownMethod      = "unknown_method"
	ErrInvalidDateTime    = "invalid_datetime" // not RFC 3339 with an offset
	ErrNotADate           = "not_a_date"       // not a real YYYY-MM-DD date
	ErrInFuture           = "in_future"
	ErrFactsTooOld        = "facts_too_old"
	ErrEndsBeforeStart    = "ends_before_start"
	ErrImplausibleDate    = "implausible_date"
	ErrBirthDateMismatch  = "birth_date_mismatch"
	ErrInvalidEmail       = "invalid_email"
	ErrInvalidPhone       = "invalid_phone"
	ErrInvalidPostalCode  = "invalid_postal_code"
	ErrInvalidCountry     = "invalid_country"
	ErrInvalidNumber      = "invalid_number" // exponent notation
	ErrNegative           = "negative"
	ErrValueTooSmall      = "value_too_small"
	ErrValueTooLarge      = "value_too_large"
	ErrTooManyDecimals    = "too_many_decimals"
	ErrNotInteger         = "not_integer"
	ErrTooFewItems        = "too_few_items"
	ErrTooManyItems       = "too_many_items"
	ErrInvalidEnterpriseN = "invalid_enterprise_number"
	ErrConsentRequired    = "consent_required" // filing for another person needs their consent
	ErrUnknownBehalf      = "unknown_behalf"   // on_behalf_of.kind is not self, person or company
)

// ---------------------------------------------------------------------------
// Decoding.

// problem is a field error before its message is chosen.
type problem struct{ path, code string }

// problems collects problems up to maxProblems.
type problems []problem

func (p *problems) add(path, code string) {
	switch {
	case len(*p) < maxProblems:
		*p = append(*p, problem{path, code})
	case len(*p) == maxProblems:
		*p = append(*p, problem{BodyPath, ErrTooManyProblems})
	}
}

func (p problems) errors(lang string) FieldErrors {
	if len(p) == 0 {
		return nil
	}
	errs := make(FieldErrors, 0, len(p))
	for _, q := range p {
		errs.Add(lang, q.path, q.code)
	}
	return errs
}

// Decode parses a submission body strictly: at most MaxSubmissionBytes,
// valid UTF-8, one JSON object and nothing after it, no unknown or repeated
// members at any level, strings where strings are expected, RFC 3339 dates
// with an offset for facts.started_at and facts.ended_at. details is kept
// raw; Validate checks it against the catalog.
//
// Every problem is reported with its JSON path. The submission is never nil:
// on errors it holds what could be read. Messages are in the submission's
// language when it could be read and is supported, else in lang, else in
// English.
func Decode(body []byte, lang string) (*Submission, FieldErrors) {
	s := &Submission{}
	var found problems
	switch {
	case len(body) > MaxSubmissionBytes:
		found.add(BodyPath, ErrBodyTooLarge)
	case !utf8.Valid(body):
		// encoding/json would silently turn invalid UTF-8 into U+FFFD.
		found.add(BodyPath, ErrInvalidText)
	case !json.Valid(body): // also rejects anything after the value
		found.add(BodyPath, ErrMalformedJSON)
	default:
		// encoding/json would silently turn a lone surrogate escape into
		// U+FFFD.
		for _, path := range LoneSurrogatePaths(body) {
			found.add(path, ErrInvalidText)
		}
		decodeValue(&found, "", bytes.TrimSpace(body), reflect.ValueOf(s).Elem())
	}
	if lang2 := strings.ToLower(strings.TrimSpace(s.Language)); i18n.Supported(lang2) {
		lang = lang2
	}
	return s, found.errors(lang)
}

var (
	timeType       = reflect.TypeFor[time.Time]()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	jsonFieldCache sync.Map // reflect.Type → map[string]int
)

// jsonFields maps the exact JSON names of a struct's fields to their index.
// Unlike encoding/json, names match case-sensitively: the contract has one
// spelling.
func jsonFields(t reflect.Type) map[string]int {
	if m, ok := jsonFieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	jsonFieldCache.Store(t, m)
	return m
}

// decodeValue decodes raw, a syntactically valid JSON value, into v,
// reporting problems under path. null leaves v as it is.
func decodeValue(found *problems, path string, raw []byte, v reflect.Value) {
	if string(raw) == "null" {
		return
	}
	at := path
	if at == "" {
		at = BodyPath
	}
	switch v.Type() {
	case rawMessageType:
		v.SetBytes(bytes.Clone(raw))
		return
	case timeType:
		text, ok := unquote(raw)
		if !ok {
			found.add(at, ErrWrongType)
			return
		}
		t, err := time.Parse(time.RFC3339, text)
		if err != nil {
			found.add(at, ErrInvalidDateTime)
			return
		}
		v.Set(reflect.ValueOf(t))
		return
	}
	switch v.Kind() {
	case reflect.String:
		text, ok := unquote(raw)
		if !ok {
			found.add(at, ErrWrongType)
			return
		}
		v.SetString(text)
	case reflect.Bool:
		switch string(raw) {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			found.add(at, ErrWrongType)
		}
	case reflect.Pointer:
		if raw[0] != '{' {
			found.add(at, ErrWrongType)
			return
		}
		p := reflect.New(v.Type().Elem())
		decodeValue(found, path, raw, p.Elem())
		v.Set(p)
	case reflect.Slice:
		if raw[0] != '[' {
			found.add(at, ErrWrongType)
			return
		}
		elems, err := arrayElements(raw)
		if err != nil {
			found.add(at, ErrMalformedJSON)
			return
		}
		if len(elems) > maxDecodedElements {
			// Validate reports the list as too long; reading 40 000
			// elements first would only cost time.
			elems = elems[:maxDecodedElements]
		}
		out := reflect.MakeSlice(v.Type(), len(elems), len(elems))
		for i, e := range elems {
			decodeValue(found, path+"["+strconv.Itoa(i)+"]", e, out.Index(i))
		}
		v.Set(out)
	case reflect.Struct:
		if raw[0] != '{' {
			found.add(at, ErrWrongType)
			return
		}
		fields := jsonFields(v.Type())
		members, err := objectMembers(raw)
		if err != nil {
			found.add(at, ErrMalformedJSON)
			return
		}
		seen := make(map[string]bool, len(members))
		for _, m := range members {
			p := joinPath(path, m.key)
			i, ok := fields[m.key]
			switch {
			case !ok:
				found.add(p, ErrUnknownField)
			case seen[m.key]:
				found.add(p, ErrDuplicateField)
			default:
				seen[m.key] = true
				decodeValue(found, p, m.value, v.Field(i))
			}
		}
	default:
		// Submission has no other kinds; a new one needs a case here.
		found.add(at, ErrWrongType)
	}
}

// member is one member of a JSON object, in document order.
type member struct {
	key   string
	value json.RawMessage
}

// objectMembers lists the members of a JSON object, keeping repeated keys
// (encoding/json would keep only the last one silently). raw must be valid
// JSON (callers check with json.Valid or get it from a checked body); a
// structure that is not an object is an error. The values alias raw.
func objectMembers(raw []byte) ([]member, error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, errNotJSON
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return nil, nil
	}
	var members []member
	for {
		if i >= len(raw) || raw[i] != '"' {
			return nil, errNotJSON
		}
		end := scanString(raw, i)
		if end < 0 {
			return nil, errNotJSON
		}
		key, ok := unquote(raw[i:end])
		if !ok {
			return nil, errNotJSON
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return nil, errNotJSON
		}
		i = skipSpace(raw, i+1)
		end = scanValue(raw, i)
		if end < 0 {
			return nil, errNotJSON
		}
		members = append(members, member{key, raw[i:end:end]})
		i = skipSpace(raw, end)
		switch {
		case i < len(raw) && raw[i] == ',':
			i = skipSpace(raw, i+1)
		case i < len(raw) && raw[i] == '}':
			return members, nil
		default:
			return nil, errNotJSON
		}
	}
}

// arrayElements lists the elements of a JSON array (valid JSON, as for
// objectMembers). The elements alias raw.
func arrayElements(raw []byte) ([]json.RawMessage, error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil, errNotJSON
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		return nil, nil
	}
	var elems []json.RawMessage
	for {
		end := scanValue(raw, i)
		if end < 0 {
			return nil, errNotJSON
		}
		elems = append(elems, raw[i:end:end])
		i = skipSpace(raw, end)
		switch {
		case i < len(raw) && raw[i] == ',':
			i = skipSpace(raw, i+1)
		case i < len(raw) && raw[i] == ']':
			return elems, nil
		default:
			return nil, errNotJSON
		}
	}
}

var errNotJSON = errors.New("not the expected JSON structure")

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the index after the string starting at b[i] ('"'),
// or -1.
func scanString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// scanValue returns the index after the value starting at b[i], or -1.
func scanValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return scanString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				end := scanString(b, i)
				if end < 0 {
					return -1
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	start := i
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// unquote decodes a JSON string literal; without escapes it is a slice.
func unquote(lit []byte) (string, bool) {
	if len(lit) < 2 || lit[0] != '"' || lit[len(lit)-1] != '"' {
		return "", false
	}
	if bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1]), true
	}
	var s string
	return s, json.Unmarshal(lit, &s) == nil
}

// joinPath appends a member name to a path. A name that is not a plain
// identifier (it comes from the client, as an unknown member) is quoted and
// cut, so error paths stay short and printable.
func joinPath(path, key string) string {
	if !plainKey(key) {
		if utf8.RuneCountInString(key) > 40 {
			key = string([]rune(key)[:40]) + "…"
		}
		key = strconv.QuoteToASCII(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func plainKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Validation.

// Validate checks every rule at once against the catalog and returns the
// zone of the place of the facts (also when other fields have problems, so
// a dry run can show it; the zero Zone when the place does not route). now
// is the server's clock; rt nil means DefaultRouter(). Messages are in
// s.Language, in English when that is not supported. Accepted values are
// normalised in s.
func Validate(s *Submission, rt *Router, now time.Time) (Zone, FieldErrors) {
	return validate(s, catalog(), rt, now)
}

// DecodeValidate decodes and validates a body in one step, the way the
// portal's intake needs it: decoding problems and validation problems come
// together, the latter left out on paths that already have a decoding
// problem (an unreadable date is not also "required"). It never returns a
// nil submission.
func DecodeValidate(body []byte, lang string, rt *Router, now time.Time) (*Submission, Zone, FieldErrors) {
	s, derrs := Decode(body, lang)
	if derrs.Has(BodyPath) {
		return s, Zone{}, derrs
	}
	zone, verrs := Validate(s, rt, now)
	if len(derrs) == 0 {
		return s, zone, verrs
	}
	// Validate has settled the language; decoding messages follow it.
	lang = s.Language
	if !i18n.Supported(lang) {
		lang = "en"
	}
	merged := make(FieldErrors, 0, len(derrs)+len(verrs))
	for _, e := range derrs {
		merged.Add(lang, e.Path, e.Code)
	}
	for _, e := range verrs {
		if !coveredBy(e.Path, derrs) && len(merged) <= maxProblems {
			merged = append(merged, e)
		}
	}
	return s, zone, merged
}

// coveredBy reports whether path, or a path it contains or is contained in,
// already has a problem in errs.
func coveredBy(path string, errs FieldErrors) bool {
	for _, e := range errs {
		if e.Path == path || strings.HasPrefix(path, e.Path+".") || strings.HasPrefix(e.Path, path+".") {
			return true
		}
	}
	return false
}

// checker collects the problems of one submission.
type checker struct {
	found problems
}

func (c *checker) add(path, code string) { c.found.add(path, code) }

// validate is Validate over a given catalog, so that a test can show that a
// new fact type is only data.
func validate(s *Submission, cat []FactType, rt *Router, now time.Time) (Zone, FieldErrors) {
	if rt == nil {
		rt = DefaultRouter()
	}
	var c checker

	s.Language = strings.ToLower(strings.TrimSpace(s.Language))
	lang := s.Language
	switch {
	case s.Language == "":
		c.add("language", ErrRequired)
		lang = "en"
	case !i18n.Supported(s.Language):
		c.add("language", ErrUnsupportedLang)
		lang = "en"
	}

	s.FactType = strings.TrimSpace(s.FactType)
	ft, known := lookupFactType(cat, s.FactType)
	switch {
	case s.FactType == "":
		c.add("fact_type", ErrRequired)
	case !known:
		c.add("fact_type", ErrUnknownFactType)
	}

	c.dates(&s.Facts, now)
	zone := c.place(&s.Facts.Place, rt)
	c.text("facts.description", &s.Facts.Description, true, MaxDescriptionLen, true)

	if known {
		s.Details, s.Goods = legacyGoods(s, cat)
		c.details(ft, s)
		c.goods(ft, s)
	}
	c.behalf(&s.OnBehalfOf, now)
	c.witnesses(s.Witnesses, now)
	c.insurance(&s.Insurance)

	s.Confirmation = strings.ToLower(strings.TrimSpace(s.Confirmation))
	switch s.Confirmation {
	case ChannelEmail, ChannelPost:
	case "":
		c.add("confirmation", ErrRequired)
	default:
		c.add("confirmation", ErrUnknownChannel)
	}
	c.complainant(&s.Complainant, s.Confirmation, now)

	return zone, c.found.errors(lang)
}

func (c *checker) dates(f *Facts, now time.Time) {
	startOK, endOK := true, true
	latest := now.Add(ClockTolerance)
	switch {
	case f.StartedAt.IsZero():
		c.add("facts.started_at", ErrRequired)
		startOK = false
	case f.StartedAt.After(latest):
		c.add("facts.started_at", ErrInFuture)
		startOK = false
	case f.StartedAt.Before(now.AddDate(-1, 0, 0)):
		c.add("facts.started_at", ErrFactsTooOld)
	}
	switch {
	case f.EndedAt.IsZero():
		c.add("facts.ended_at", ErrRequired)
		endOK = false
	case f.EndedAt.After(latest):
		c.add("facts.ended_at", ErrInFuture)
		endOK = false
	}
	if startOK && endOK && f.EndedAt.Before(f.StartedAt) {
		c.add("facts.ended_at", ErrEndsBeforeStart)
	}
}

// place checks the place of the facts and routes it; only a place whose
// fields are fine is routed, so a missing postal code is reported once, on
// its own path.
func (c *checker) place(p *Place, rt *Router) Zone {
	ok := c.text("facts.place.street", &p.Street, true, MaxStreetLen, false)
	ok = c.optionalText("facts.place.number", &p.Number, MaxHouseNumberLen) && ok
	ok = c.optionalText("facts.place.municipality", &p.Municipality, MaxNameLen) && ok
	if c.text("facts.place.postal_code", &p.PostalCode, true, 12, false) {
		if !belgianPostalCode(p.PostalCode) {
			c.add("facts.place.postal_code", ErrInvalidPostalCode)
			ok = false
		}
	} else {
		ok = false
	}
	if !ok {
		return Zone{}
	}
	z, err := rt.Route(*p)
	if err != nil {
		c.add("facts.place", codeOf(err, ErrUnknownPostalCode))
		return Zone{}
	}
	return z
}

func belgianPostalCode(s string) bool {
	return len(s) == 4 && allDigits(s) && s[0] != '0'
}

func (c *checker) complainant(p *Complainant, channel string, now time.Time) {
	const base = "complainant."
	c.text(base+"last_name", &p.LastName, true, MaxNameLen, false)
	c.text(base+"first_name", &p.FirstName, true, MaxNameLen, false)
	birthOK := c.birthDate(base+"birth_date", &p.BirthDate, now)

	c.address(base+"address.", &p.Address, channel == ChannelPost)

	if c.text(base+"email", &p.Email, channel == ChannelEmail, MaxEmailLen, false) && !validEmail(p.Email) {
		c.add(base+"email", ErrInvalidEmail)
	}
	c.phone(base+"phone", &p.Phone)

	c.identification(&p.Identification, p.BirthDate, birthOK)
}

// phone checks an optional phone number and normalises it (normalPhone).
func (c *checker) phone(path string, p *string) {
	if c.text(path, p, false, 40, false) {
		if phone, ok := normalPhone(*p); ok {
			*p = phone
		} else {
			c.add(path, ErrInvalidPhone)
		}
	}
}

func (c *checker) birthDate(path string, d *string, now time.Time) bool {
	*d = strings.TrimSpace(*d)
	if *d == "" {
		c.add(path, ErrRequired)
		return false
	}
	t, err := time.Parse(time.DateOnly, *d)
	if err != nil || len(*d) != len(time.DateOnly) {
		c.add(path, ErrNotADate)
		return false
	}
	y, m, day := now.Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	switch {
	case t.After(today):
		c.add(path, ErrInFuture)
		return false
	case t.Year() < 1900:
		c.add(path, ErrImplausibleDate)
		return false
	}
	return true
}

// address checks a postal address whose parts' paths start with base;
// complete is whether every part is required (the complainant's, with
// confirmation by post). A partial address is still checked part by part.
func (c *checker) address(base string, a *Address, complete bool) {
	c.text(base+"street", &a.Street, complete, MaxStreetLen, false)
	c.text(base+"number", &a.Number, complete, MaxHouseNumberLen, false)
	c.optionalText(base+"box", &a.Box, MaxBoxLen)
	c.text(base+"municipality", &a.Municipality, complete, MaxNameLen, false)
	countryOK := c.text(base+"country", &a.Country, complete, MaxNameLen, false)
	if countryOK {
		a.Country = strings.ToUpper(a.Country)
		if !ValidCountry(a.Country) {
			c.add(base+"country", ErrInvalidCountry)
			countryOK = false
		}
	}
	if c.text(base+"postal_code", &a.PostalCode, complete, 12, false) {
		be := countryOK && a.Country == "BE"
		if be && !belgianPostalCode(a.PostalCode) || !be && !foreignPostalCode(a.PostalCode) {
			c.add(base+"postal_code", ErrInvalidPostalCode)
		}
	}
}

func foreignPostalCode(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == ' ' || r == '-') {
			return false
		}
	}
	return s != ""
}

func (c *checker) identification(id *Identification, birthDate string, birthOK bool) {
	const base = "complainant.identification."
	id.Method = strings.ToLower(strings.TrimSpace(id.Method))
	notExpected := func(name, value string) {
		if strings.TrimSpace(value) != "" {
			c.add(base+name, ErrNotExpected)
		}
	}
	switch id.Method {
	case "":
		c.add(base+"method", ErrRequired)
	case MethodThreeNumbers:
		if nn, err := ParseNationalNumber(id.NationalNumber); err != nil {
			c.add(base+"national_number", codeOf(err, ErrIDFormat))
		} else {
			id.NationalNumber = nn.Digits()
			if birthOK && !nn.ConsistentWithBirthDate(birthDate) {
				c.add("complainant.birth_date", ErrBirthDateMismatch)
			}
		}
		if d, err := ParseIDCardNumber(id.IDCardNumber); err != nil {
			c.add(base+"id_card_number", codeOf(err, ErrIDFormat))
		} else {
			id.IDCardNumber = d
		}
		if d, err := ParseSISCardNumber(id.SISCardNumber); err != nil {
			c.add(base+"sis_card_number", codeOf(err, ErrIDFormat))
		} else {
			id.SISCardNumber = d
		}
		notExpected("assertion", id.Assertion)
	case MethodEID, MethodToken:
		// Shape only: the portal verifies the signature.
		id.Assertion = strings.TrimSpace(id.Assertion)
		switch {
		case id.Assertion == "":
			c.add(base+"assertion", ErrRequired)
		case len(id.Assertion) > MaxAssertionLen:
			c.add(base+"assertion", ErrTooLong)
		case !ValidText(id.Assertion, TextName):
			c.add(base+"assertion", ErrInvalidText)
		}
		notExpected("national_number", id.NationalNumber)
		notExpected("id_card_number", id.IDCardNumber)
		notExpected("sis_card_number", id.SISCardNumber)
	default:
		c.add(base+"method", ErrUnknownMethod)
	}
}

// text checks and normalises one text field with CleanText: trimmed, valid
// UTF-8, the characters of TextName (one line: names, identifiers) or
// TextLines (multiline), at most max characters. It reports whether the
// field holds an acceptable non-empty value.
func (c *checker) text(path string, p *string, required bool, max int, multiline bool) bool {
	kind := TextName
	if multiline {
		kind = TextLines
	}
	v, ok := CleanText(*p, kind)
	*p = v
	switch {
	case v == "":
		if required {
			c.add(path, ErrRequired)
		}
		return false
	case !ok:
		c.add(path, ErrInvalidText)
		return false
	case utf8.RuneCountInString(v) > max:
		c.add(path, ErrTooLong)
		return false
	}
	return true
}

// optionalText is text for an optional field; it reports whether the field
// is acceptable (empty included).
func (c *checker) optionalText(path string, p *string, max int) bool {
	return c.text(path, p, false, max, false) || *p == ""
}

// validEmail accepts what net/mail accepts as a bare address, further
// restricted to what a mail server will deliver to in practice: no display
// name, no quoted local part, no domain literal, a dotted domain of
// hostname labels.
func validEmail(s string) bool {
	if len(s) > MaxEmailLen || strings.ContainsAny(s, " \"\\()<>[],;:") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				return false
			}
		}
	}
	return !allDigits(labels[len(labels)-1])
}

// normalPhone strips the separators people type ("+32 470 12.34.56",
// "0470/12 34 56") and accepts 8 to 15 digits (E.164), with an optional
// leading "+" or international "00".
func normalPhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '/' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	out := b.String()
	digits := len(strings.TrimPrefix(out, "+"))
	return out, digits >= 8 && digits <= 15
}

// ---------------------------------------------------------------------------
// Details, checked against the catalog.

// details checks s.Details against ft and, when it is fine, replaces it by
// its normal form: the catalog's fields in catalog order, text trimmed,
// identifiers canonical, absent optional fields left out.
func (c *checker) details(ft FactType, s *Submission) {
	raw := bytes.TrimSpace(s.Details)
	var members []member
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case !utf8.Valid(raw):
		// Only a submission built in Go gets here (Decode checks the
		// body); encoding/json would turn the bytes into U+FFFD.
		c.add("details", ErrInvalidText)
		return
	case !json.Valid(raw):
		c.add("details", ErrMalformedJSON)
		return
	case raw[0] != '{':
		c.add("details", ErrWrongType)
		return
	default:
		var err error
		if members, err = objectMembers(raw); err != nil {
			c.add("details", ErrMalformedJSON)
			return
		}
	}
	before := len(c.found)
	normal := c.object("details", members, ft.Fields)
	if len(c.found) == before {
		s.Details = normal
	}
}

// object checks the members of one JSON object against fields and returns
// its normal form.
func (c *checker) object(path string, members []member, fields []DetailField) json.RawMessage {
	values := make(map[string]json.RawMessage, len(members))
	for _, m := range members {
		p := joinPath(path, m.key)
		_, known := fieldByKey(fields, m.key)
		_, dup := values[m.key]
		switch {
		case !known:
			c.add(p, ErrUnknownField)
		case dup:
			c.add(p, ErrDuplicateField)
		default:
			values[m.key] = m.value
		}
	}
	var out bytes.Buffer
	out.WriteByte('{')
	for _, f := range fields {
		p := path + "." + f.Key
		raw, present := values[f.Key]
		if !present || string(raw) == "null" {
			if f.Required {
				c.add(p, ErrRequired)
			}
			continue
		}
		normal := c.detailValue(p, f, raw)
		if normal == nil {
			continue
		}
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		// Catalog keys are plain identifiers (TestCatalogIsWellFormed).
		out.WriteByte('"')
		out.WriteString(f.Key)
		out.WriteString(`":`)
		out.Write(normal)
	}
	out.WriteByte('}')
	return out.Bytes()
}

func fieldByKey(fields []DetailField, key string) (DetailField, bool) {
	for _, f := range fields {
		if f.Key == key {
			return f, true
		}
	}
	return DetailField{}, false
}

// detailValue checks one value and returns its normal form, nil when it is
// empty (optional text) or wrong.
func (c *checker) detailValue(path string, f DetailField, raw json.RawMessage) json.RawMessage {
	switch f.Kind {
	case KindText, KindEnterpriseNumber:
		text, ok := unquote(raw)
		if !ok {
			c.add(path, ErrWrongType)
			return nil
		}
		maxLen := f.MaxLen
		if f.Kind == KindEnterpriseNumber {
			maxLen = maxIDInput
		}
		if !c.text(path, &text, f.Required, maxLen, f.Multiline) {
			return nil
		}
		if f.Kind == KindEnterpriseNumber {
			d, err := ParseEnterpriseNumber(text)
			if err != nil {
				c.add(path, codeOf(err, ErrInvalidEnterpriseN))
				return nil
			}
			text = d
		}
		out, _ := json.Marshal(text)
		return out
	case KindBool:
		if s := string(raw); s != "true" && s != "false" {
			c.add(path, ErrWrongType)
			return nil
		}
		return raw
	case KindMoney, KindInteger, KindNumber:
		return c.number(path, f, raw)
	case KindItems:
		return c.items(path, f, raw)
	}
	// A catalog entry with a kind this code does not know is a programming
	// error; refuse the value rather than store it unchecked.
	c.add(path, ErrWrongType)
	return nil
}

func (c *checker) number(path string, f DetailField, raw json.RawMessage) json.RawMessage {
	if raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
		c.add(path, ErrWrongType)
		return nil
	}
	d, ok := parseDecimal(string(raw))
	if !ok {
		c.add(path, ErrInvalidNumber)
		return nil
	}
	maxDecimals := 2
	if f.Kind == KindInteger {
		maxDecimals = 0
	}
	min := f.Min
	switch {
	case d.decimals > maxDecimals && f.Kind == KindInteger:
		c.add(path, ErrNotInteger)
	case d.decimals > maxDecimals:
		c.add(path, ErrTooManyDecimals)
	case d.neg && min >= 0:
		c.add(path, ErrNegative)
	case d.huge || d.value() > f.Max:
		c.add(path, ErrValueTooLarge)
	case d.value() < min:
		c.add(path, ErrValueTooSmall)
	default:
		return json.RawMessage(d.String())
	}
	return nil
}

// decimal is a JSON number read exactly, in hundredths when it has at most
// two decimals.
type decimal struct {
	neg        bool
	hundredths int64 // magnitude, valid when decimals <= 2 and !huge
	decimals   int   // significant digits after the point
	huge       bool  // more than 15 integer digits
}

// parseDecimal reads a JSON number without exponent. Exponents are refused
// (ok false): no form sends amounts that way, and big exponents would make
// exact arithmetic expensive.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	if strings.ContainsAny(s, "eE") {
		return d, false
	}
	if strings.HasPrefix(s, "-") {
		d.neg, s = true, s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	intPart = strings.TrimLeft(intPart, "0")
	d.decimals = len(frac)
	if len(intPart) > 15 {
		d.huge = true
		return d, true
	}
	d.hundredths = atoiDigits(intPart) * 100
	if d.decimals <= 2 {
		f := frac + strings.Repeat("0", 2-len(frac))
		d.hundredths += atoiDigits(f)
	}
	if d.hundredths == 0 && d.decimals == 0 {
		d.neg = false // -0 is 0
	}
	return d, true
}

func (d decimal) value() float64 {
	v := float64(d.hundredths) / 100
	if d.neg {
		return -v
	}
	return v
}

// String is the shortest form: "450", "450.5", "0.05".
func (d decimal) String() string {
	s := strconv.FormatInt(d.hundredths/100, 10)
	if cents := d.hundredths % 100; cents != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(100+cents, 10)[1:], "0")
	}
	if d.neg {
		s = "-" + s
	}
	return s
}

func (c *checker) items(path string, f DetailField, raw json.RawMessage) json.RawMessage {
	if raw[0] != '[' {
		c.add(path, ErrWrongType)
		return nil
	}
	elems, err := arrayElements(raw)
	switch {
	case err != nil:
		c.add(path, ErrMalformedJSON)
		return nil
	case len(elems) < f.MinItems:
		c.add(path, ErrTooFewItems)
		return nil
	case f.MaxItems > 0 && len(elems) > f.MaxItems:
		c.add(path, ErrTooManyItems)
		return nil
	case len(elems) == 0:
		return nil
	}
	var out bytes.Buffer
	out.WriteByte('[')
	for i, e := range elems {
		p := path + "[" + strconv.Itoa(i) + "]"
		if i > 0 {
			out.WriteByte(',')
		}
		if e[0] != '{' {
			c.add(p, ErrWrongType)
			continue
		}
		members, err := objectMembers(e)
		if err != nil {
			c.add(p, ErrMalformedJSON)
			continue
		}
		out.Write(c.object(p, members, f.Item))
	}
	out.WriteByte(']')
	return out.Bytes()
}
