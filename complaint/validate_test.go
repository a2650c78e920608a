package complaint

import (
	"encoding/json"
	"fmt"
	"guichet/i18n"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// testNow is the server clock of the validation tests: the morning after the
// facts of the DESIGN.md example.
var testNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CET", 3600))

// baseComplaint is the DESIGN.md example, without details.
const baseComplaint = `{
  "fact_type": "bicycle_theft",
  "language": "fr",
  "facts": {
    "started_at": "2026-11-20T18:00:00+01:00",
    "ended_at": "2026-11-21T07:30:00+01:00",
    "place": {"street": "Avenue des Combattants", "number": "35",
              "postal_code": "1340", "municipality": "Ottignies-Louvain-la-Neuve"},
    "description": "Vélo attaché devant la gare, cadenas coupé."
  },
  "complainant": {
    "identification": {"method": "three_numbers", "national_number": "85073003328",
                       "id_card_number": "591191706458", "sis_card_number": "1234567890"},
    "first_name": "Marc", "last_name": "Dubois", "birth_date": "1985-07-30",
    "address": {"street": "Rue Haute", "number": "12", "postal_code": "1000",
                "municipality": "Bruxelles", "country": "BE"},
    "email": "marc.dubois@example.be", "phone": "+32470123456"
  },
  "confirmation": "email"
}`

// validDetails holds one valid details object per phase-1 fact type.
var validDetails = map[string]string{
	"bicycle_theft": `{}`,
	"shoplifting": `{"shop_name": "Delhaize Louvain-la-Neuve", "enterprise_number": "BE 0403.170.701",
		"suspect_description": "Homme, environ 30 ans,\nveste rouge.", "camera_footage": true}`,
	"graffiti": `{"surface": "Façade de la maison", "text_or_tag": "XYZ 2026", "area_m2": 12.5,
		"owner_is_complainant": true}`,
	"damage_private_property": `{"suspect_known": false}`,
}

// validGoods holds one valid goods list per phase-1 fact type that has one.
var validGoods = map[string]string{
	"bicycle_theft": `[{"brand": "Gazelle", "model": "Esprit", "colour": "bleu",
		"frame_number": "GZ123456789", "value_eur": 450}]`,
	"shoplifting": `[{"description": "Bouteille de whisky", "quantity": 2, "value_eur": 34.9},
		{"description": "Rasoir", "quantity": 1, "value_eur": 19.99}]`,
	"damage_private_property": `[{"object": "Voiture (rétroviseur)", "damage_description": "Rétroviseur gauche arraché.",
		"estimated_cost_eur": 250}]`,
}

// complaintMap returns the DESIGN.md example with the details and goods of
// factType, as a JSON tree a test can change.
func complaintMap(t testing.TB, factType string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(baseComplaint), &m); err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(validDetails[factType]), &d); err != nil {
		t.Fatal(err)
	}
	m["fact_type"] = factType
	m["details"] = d
	if g, ok := validGoods[factType]; ok {
		var goods []any
		if err := json.Unmarshal([]byte(g), &goods); err != nil {
			t.Fatal(err)
		}
		m["goods"] = goods
	}
	return m
}

// validPerson is the identity of a person a complaint is filed for, with
// their consent (a child born 2012-06-01; 12060112373 is a valid national
// number of that date).
func validPerson() map[string]any {
	return map[string]any{"last_name": "Dubois", "first_name": "Léa", "birth_date": "2012-06-01",
		"national_number": "12.06.01-123.73", "consent": true}
}

// validCompany is a company a complaint is filed for.
func validCompany() map[string]any {
	return map[string]any{"enterprise_number": "BE 0403.170.701", "name": "Delhaize Le Lion", "role": "gérant"}
}

func complaintBody(t testing.TB, factType string) []byte {
	t.Helper()
	b, err := json.Marshal(complaintMap(t, factType))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// remove is the value set() uses to delete a member.
type removeT struct{}

var remove = removeT{}

// set changes the JSON tree at a dotted path ("facts.place.postal_code",
// "details.items.0.quantity"); the value remove deletes the member.
func set(t testing.TB, m map[string]any, path string, v any) {
	t.Helper()
	parts := strings.Split(path, ".")
	var cur any = m
	for i, p := range parts {
		last := i == len(parts)-1
		switch node := cur.(type) {
		case map[string]any:
			if last {
				if v == remove {
					delete(node, p)
				} else {
					node[p] = v
				}
				return
			}
			next, ok := node[p]
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			cur = next
		case []any:
			var idx int
			if _, err := fmt.Sscan(p, &idx); err != nil || idx >= len(node) {
				t.Fatalf("set %s: bad index %q", path, p)
			}
			if last {
				node[idx] = v
				return
			}
			cur = node[idx]
		default:
			t.Fatalf("set %s: %q is not an object or array", path, p)
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidComplaintPerFactType(t *testing.T) {
	rt := DefaultRouter()
	for _, ft := range Catalog() {
		t.Run(ft.Key, func(t *testing.T) {
			body, ok := validDetails[ft.Key]
			if !ok {
				t.Fatalf("no valid example for catalog entry %s: add one to validDetails", ft.Key)
			}
			_ = body
			s, zone, errs := DecodeValidate(complaintBody(t, ft.Key), "fr", rt, testNow)
			if len(errs) != 0 {
				t.Fatalf("valid complaint refused: %v", errs.Codes())
			}
			if zone.Code != "5275" || !strings.Contains(zone.Name, "Ottignies") {
				t.Errorf("zone = %+v, want 5275 Ottignies-Louvain-la-Neuve", zone)
			}
			if s.FactType != ft.Key {
				t.Errorf("fact type = %q", s.FactType)
			}
		})
	}
}

func TestValidNormalises(t *testing.T) {
	m := complaintMap(t, "shoplifting")
	set(t, m, "language", " NL ")
	set(t, m, "confirmation", "Post")
	set(t, m, "complainant.first_name", "  Marc ")
	set(t, m, "complainant.phone", "+32 470/12.34.56")
	set(t, m, "complainant.address.country", "be")
	set(t, m, "complainant.identification.national_number", "85.07.30-033.28")
	set(t, m, "complainant.identification.id_card_number", "591-1917064-58")
	set(t, m, "facts.description", "  Ligne 1\r\nLigne 2\tfin  ")
	// Members in another order than the catalog's, a null optional.
	set(t, m, "details", map[string]any{
		"camera_footage":    false,
		"enterprise_number": "0403 170 701", "shop_name": " Carrefour ", "suspect_description": nil,
	})
	set(t, m, "goods", []any{map[string]any{"value_eur": 10.50, "quantity": 3.0, "description": " Savon "}})
	s, _, errs := DecodeValidate(mustJSON(t, m), "fr", DefaultRouter(), testNow)
	if len(errs) != 0 {
		t.Fatalf("refused: %v", errs.Codes())
	}
	checks := []struct{ name, got, want string }{
		{"language", s.Language, "nl"},
		{"confirmation", s.Confirmation, "post"},
		{"first_name", s.Complainant.FirstName, "Marc"},
		{"phone", s.Complainant.Phone, "+32470123456"},
		{"country", s.Complainant.Address.Country, "BE"},
		{"national_number", s.Complainant.Identification.NationalNumber, "85073003328"},
		{"id_card_number", s.Complainant.Identification.IDCardNumber, "591191706458"},
		{"description", s.Facts.Description, "Ligne 1\nLigne 2\tfin"},
		{"details", string(s.Details), `{"shop_name":"Carrefour","enterprise_number":"0403170701","camera_footage":false}`},
		{"goods", string(s.Goods), `[{"description":"Savon","quantity":3,"value_eur":10.5}]`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	// Normalising twice changes nothing.
	again := *s
	before := mustJSON(t, s)
	if _, errs := Validate(&again, DefaultRouter(), testNow); len(errs) != 0 {
		t.Fatalf("normalised submission refused: %v", errs.Codes())
	}
	if after := mustJSON(t, &again); string(after) != string(before) {
		t.Errorf("second normalisation changed the submission:\n%s\n%s", before, after)
	}
}

// ruleCase is one invalid input and the exact problems it must cause.
type ruleCase struct {
	name     string
	factType string                 // default bicycle_theft
	mutate   func(m map[string]any) // changes the valid complaint
	body     string                 // used instead of the complaint when set
	want     map[string]string      // path → code, exactly
}

func ruleCases(t testing.TB) []ruleCase {
	s := func(path string, v any) func(m map[string]any) {
		return func(m map[string]any) { set(t, m, path, v) }
	}
	all := func(fs ...func(m map[string]any)) func(m map[string]any) {
		return func(m map[string]any) {
			for _, f := range fs {
				f(m)
			}
		}
	}
	one := func(path, code string) map[string]string { return map[string]string{path: code} }
	items := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"description": "x", "quantity": 1, "value_eur": 1}
		}
		return out
	}
	manyUnknown := func() string {
		var b strings.Builder
		b.WriteString(`{`)
		for i := 0; i < 150; i++ {
			fmt.Fprintf(&b, `"x%d":0,`, i)
		}
		b.WriteString(`"fact_type":"graffiti"}`)
		return b.String()
	}
	return []ruleCase{
		// Body.
		{name: "not JSON", body: `{"fact_type": `, want: one("body", ErrMalformedJSON)},
		{name: "trailing data", body: baseComplaint + ` {}`, want: one("body", ErrMalformedJSON)},
		{name: "not an object", body: `[1, 2]`, want: one("body", ErrWrongType)},
		{name: "invalid UTF-8", body: strings.Replace(baseComplaint, "Marc", "Ma\xffrc", 1), want: one("body", ErrInvalidText)},
		{name: "too large", body: `{"facts": {"description": "` + strings.Repeat("a", MaxSubmissionBytes) + `"}}`, want: one("body", ErrBodyTooLarge)},

		// Strict decoding, with paths.
		{name: "unknown top-level member", mutate: s("foo", 1), want: one("foo", ErrUnknownField)},
		{name: "unknown nested member", mutate: s("facts.place.city", "Ottignies"), want: one("facts.place.city", ErrUnknownField)},
		{name: "unknown identification member", mutate: s("complainant.identification.pin", "1234"), want: one("complainant.identification.pin", ErrUnknownField)},
		{name: "member in another case", mutate: all(s("Fact_Type", "graffiti")), want: one("Fact_Type", ErrUnknownField)},
		{name: "odd member name is quoted", mutate: s("complainant.a b", 1), want: one(`complainant."a b"`, ErrUnknownField)},
		{name: "repeated member", body: strings.Replace(baseComplaint, `"language": "fr",`, `"language": "fr", "language": "nl",`, 1),
			// the goods are missing in this body too
			want: map[string]string{"language": ErrDuplicateField, "goods": ErrRequired}},
		{name: "number for a string", mutate: s("facts.place.postal_code", 1340), want: one("facts.place.postal_code", ErrWrongType)},
		{name: "string for an object", mutate: s("facts", "hier"), want: map[string]string{"facts": ErrWrongType}},
		{name: "started_at not a date", mutate: s("facts.started_at", "hier soir"), want: one("facts.started_at", ErrInvalidDateTime)},
		{name: "ended_at without offset", mutate: s("facts.ended_at", "2026-11-21T07:30:00"), want: one("facts.ended_at", ErrInvalidDateTime)},
		{name: "started_at a number", mutate: s("facts.started_at", 1763658000), want: one("facts.started_at", ErrWrongType)},
		{name: "too many problems", body: manyUnknown(), want: nil /* checked in TestTooManyProblems */},

		// Fact type and language.
		{name: "fact_type missing", mutate: s("fact_type", remove), want: one("fact_type", ErrRequired)},
		{name: "fact_type unknown", mutate: s("fact_type", "burglary"), want: one("fact_type", ErrUnknownFactType)},
		{name: "language missing", mutate: s("language", remove), want: one("language", ErrRequired)},
		{name: "language unsupported", mutate: s("language", "it"), want: one("language", ErrUnsupportedLang)},

		// Dates of the facts.
		{name: "started_at missing", mutate: s("facts.started_at", remove), want: one("facts.started_at", ErrRequired)},
		{name: "ended_at missing", mutate: s("facts.ended_at", remove), want: one("facts.ended_at", ErrRequired)},
		{name: "ends before start", mutate: s("facts.ended_at", "2026-11-20T17:59:00+01:00"), want: one("facts.ended_at", ErrEndsBeforeStart)},
		{name: "ends in the future", mutate: s("facts.ended_at", testNow.Add(ClockTolerance+time.Second).Format(time.RFC3339)), want: one("facts.ended_at", ErrInFuture)},
		{name: "starts in the future", mutate: all(s("facts.started_at", testNow.Add(time.Hour).Format(time.RFC3339)), s("facts.ended_at", testNow.Add(2*time.Hour).Format(time.RFC3339))),
			want: map[string]string{"facts.started_at": ErrInFuture, "facts.ended_at": ErrInFuture}},
		{name: "older than one year", mutate: s("facts.started_at", testNow.AddDate(-1, 0, -1).Format(time.RFC3339)), want: one("facts.started_at", ErrFactsTooOld)},

		// Place of the facts.
		{name: "postal code missing", mutate: s("facts.place.postal_code", remove), want: one("facts.place.postal_code", ErrRequired)},
		{name: "postal code not 4 digits", mutate: s("facts.place.postal_code", "13400"), want: one("facts.place.postal_code", ErrInvalidPostalCode)},
		{name: "postal code unknown", mutate: all(s("facts.place.postal_code", "1001"), s("facts.place.municipality", remove)), want: one("facts.place", ErrUnknownPostalCode)},
		{name: "postal code of several zones without municipality", mutate: all(s("facts.place.postal_code", "1348"), s("facts.place.municipality", remove)), want: one("facts.place", ErrAmbiguousPlace)},
		{name: "municipality does not match", mutate: s("facts.place.municipality", "Gent"), want: one("facts.place", ErrMunicipalityMismatch)},
		{name: "street missing", mutate: s("facts.place.street", "  "), want: one("facts.place.street", ErrRequired)},
		{name: "street too long", mutate: s("facts.place.street", strings.Repeat("é", MaxStreetLen+1)), want: one("facts.place.street", ErrTooLong)},
		{name: "house number with a newline", mutate: s("facts.place.number", "35\n36"), want: one("facts.place.number", ErrInvalidText)},

		// Description.
		{name: "description missing", mutate: s("facts.description", ""), want: one("facts.description", ErrRequired)},
		{name: "description too long", mutate: s("facts.description", strings.Repeat("é", MaxDescriptionLen+1)), want: one("facts.description", ErrTooLong)},
		{name: "description with NUL", mutate: s("facts.description", "vol\x00"), want: one("facts.description", ErrInvalidText)},
		{name: "description with ESC", mutate: s("facts.description", "vol \x1b[31m rouge"), want: one("facts.description", ErrInvalidText)},
		{name: "description with C1", mutate: s("facts.description", "vol \u009b rouge"), want: one("facts.description", ErrInvalidText)},

		// Confirmation channel, e-mail, postal address, phone.
		{name: "confirmation missing", mutate: s("confirmation", remove), want: one("confirmation", ErrRequired)},
		{name: "confirmation unknown", mutate: s("confirmation", "sms"), want: one("confirmation", ErrUnknownChannel)},
		{name: "email missing for email channel", mutate: s("complainant.email", remove), want: one("complainant.email", ErrRequired)},
		{name: "email without domain", mutate: s("complainant.email", "marc@"), want: one("complainant.email", ErrInvalidEmail)},
		{name: "email with a space", mutate: s("complainant.email", "marc dubois@example.be"), want: one("complainant.email", ErrInvalidEmail)},
		{name: "email with a display name", mutate: s("complainant.email", "Marc <marc@example.be>"), want: one("complainant.email", ErrInvalidEmail)},
		{name: "email with a dotless domain", mutate: s("complainant.email", "marc@localhost"), want: one("complainant.email", ErrInvalidEmail)},
		{name: "email with a bad label", mutate: s("complainant.email", "marc@-example.be"), want: one("complainant.email", ErrInvalidEmail)},
		{name: "email too long", mutate: s("complainant.email", strings.Repeat("a", 64)+"@"+strings.Repeat("b", 200)+".be"), want: one("complainant.email", ErrTooLong)},
		{name: "email given but wrong with post channel", mutate: all(s("confirmation", "post"), s("complainant.email", "x@y")), want: one("complainant.email", ErrInvalidEmail)},
		{name: "post without address", mutate: all(s("confirmation", "post"), s("complainant.address", remove)), want: map[string]string{
			"complainant.address.street": ErrRequired, "complainant.address.number": ErrRequired,
			"complainant.address.postal_code": ErrRequired, "complainant.address.municipality": ErrRequired,
			"complainant.address.country": ErrRequired}},
		{name: "post with a bad Belgian postal code", mutate: all(s("confirmation", "post"), s("complainant.address.postal_code", "10000")), want: one("complainant.address.postal_code", ErrInvalidPostalCode)},
		{name: "post with a bad country", mutate: all(s("confirmation", "post"), s("complainant.address.country", "Belgique")), want: one("complainant.address.country", ErrInvalidCountry)},
		{name: "box too long", mutate: s("complainant.address.box", strings.Repeat("1", MaxBoxLen+1)), want: one("complainant.address.box", ErrTooLong)},
		{name: "phone not a number", mutate: s("complainant.phone", "appelez-moi"), want: one("complainant.phone", ErrInvalidPhone)},
		{name: "phone too short", mutate: s("complainant.phone", "112"), want: one("complainant.phone", ErrInvalidPhone)},

		// Complainant.
		{name: "last name missing", mutate: s("complainant.last_name", remove), want: one("complainant.last_name", ErrRequired)},
		{name: "first name too long", mutate: s("complainant.first_name", strings.Repeat("M", MaxNameLen+1)), want: one("complainant.first_name", ErrTooLong)},
		{name: "first name with a tab", mutate: s("complainant.first_name", "Marc\tX"), want: one("complainant.first_name", ErrInvalidText)},
		{name: "birth date missing", mutate: s("complainant.birth_date", remove), want: one("complainant.birth_date", ErrRequired)},
		{name: "birth date not a date", mutate: s("complainant.birth_date", "1985-02-30"), want: one("complainant.birth_date", ErrNotADate)},
		{name: "birth date other format", mutate: s("complainant.birth_date", "30/07/1985"), want: one("complainant.birth_date", ErrNotADate)},
		{name: "birth date in the future", mutate: s("complainant.birth_date", "2026-11-22"), want: one("complainant.birth_date", ErrInFuture)},
		{name: "birth date implausible", mutate: s("complainant.birth_date", "1885-07-30"), want: one("complainant.birth_date", ErrImplausibleDate)},
		{name: "birth date does not match the national number", mutate: s("complainant.birth_date", "1985-07-31"), want: one("complainant.birth_date", ErrBirthDateMismatch)},

		// Identification.
		{name: "method missing", mutate: s("complainant.identification.method", remove), want: one("complainant.identification.method", ErrRequired)},
		{name: "method unknown", mutate: s("complainant.identification.method", "passport"), want: one("complainant.identification.method", ErrUnknownMethod)},
		{name: "national number checksum", mutate: s("complainant.identification.national_number", "85073003329"), want: one("complainant.identification.national_number", ErrIDChecksum)},
		{name: "national number length", mutate: s("complainant.identification.national_number", "8507300332"), want: one("complainant.identification.national_number", ErrIDLength)},
		{name: "national number missing", mutate: s("complainant.identification.national_number", remove), want: one("complainant.identification.national_number", ErrRequired)},
		{name: "id card checksum", mutate: s("complainant.identification.id_card_number", "591191706459"), want: one("complainant.identification.id_card_number", ErrIDChecksum)},
		{name: "id card letters", mutate: s("complainant.identification.id_card_number", "B91191706458"), want: one("complainant.identification.id_card_number", ErrIDFormat)},
		{name: "sis card length", mutate: s("complainant.identification.sis_card_number", "123"), want: one("complainant.identification.sis_card_number", ErrIDLength)},
		{name: "assertion with three numbers", mutate: s("complainant.identification.assertion", "eyJ.x.y"), want: one("complainant.identification.assertion", ErrNotExpected)},
		{name: "eid without assertion", mutate: s("complainant.identification", map[string]any{"method": "eid"}), want: one("complainant.identification.assertion", ErrRequired)},
		{name: "token assertion too long", mutate: s("complainant.identification", map[string]any{"method": "token", "assertion": strings.Repeat("a", MaxAssertionLen+1)}), want: one("complainant.identification.assertion", ErrTooLong)},
		{name: "eid assertion with control characters", mutate: s("complainant.identification", map[string]any{"method": "eid", "assertion": "a\x07b"}), want: one("complainant.identification.assertion", ErrInvalidText)},
		{name: "eid with a national number", mutate: s("complainant.identification.method", "eid"), want: map[string]string{
			"complainant.identification.assertion": ErrRequired, "complainant.identification.national_number": ErrNotExpected,
			"complainant.identification.id_card_number": ErrNotExpected, "complainant.identification.sis_card_number": ErrNotExpected}},

		// Details, per catalog.
		{name: "details missing", factType: "graffiti", mutate: s("details", remove), want: one("details.surface", ErrRequired)},
		{name: "details missing, none required", mutate: s("details", remove), want: map[string]string{}},
		{name: "details not an object", mutate: s("details", []any{}), want: one("details", ErrWrongType)},
		{name: "details unknown field", mutate: s("details.foo", "bar"), want: one("details.foo", ErrUnknownField)},
		{name: "details field of another type", mutate: s("details.shop_name", "Delhaize"), want: one("details.shop_name", ErrUnknownField)},
		{name: "details field of the goods", factType: "shoplifting", mutate: s("details.quantity", 1), want: one("details.quantity", ErrUnknownField)},
		{name: "details repeated field", body: strings.Replace(string(complaintBody(t, "bicycle_theft")), `"brand":"Gazelle"`, `"brand":"Gazelle","brand":"Batavus"`, 1), want: one("goods[0].brand", ErrDuplicateField)},
		{name: "details required missing", mutate: s("goods.0.colour", remove), want: one("goods[0].colour", ErrRequired)},
		{name: "details required empty", mutate: s("goods.0.colour", " "), want: one("goods[0].colour", ErrRequired)},
		{name: "details text wrong type", mutate: s("goods.0.brand", 12), want: one("goods[0].brand", ErrWrongType)},
		{name: "details text too long", mutate: s("goods.0.model", strings.Repeat("x", 101)), want: one("goods[0].model", ErrTooLong)},
		{name: "details text control", mutate: s("goods.0.frame_number", "GZ\x1b123"), want: one("goods[0].frame_number", ErrInvalidText)},
		{name: "money negative", mutate: s("goods.0.value_eur", -1), want: one("goods[0].value_eur", ErrNegative)},
		{name: "money too large", mutate: s("goods.0.value_eur", MaxMoneyEUR+0.01), want: one("goods[0].value_eur", ErrValueTooLarge)},
		{name: "money huge", body: strings.Replace(string(complaintBody(t, "bicycle_theft")), `"value_eur":450`, `"value_eur":123456789012345678901234567890`, 1), want: one("goods[0].value_eur", ErrValueTooLarge)},
		{name: "money three decimals", mutate: s("goods.0.value_eur", 12.345), want: one("goods[0].value_eur", ErrTooManyDecimals)},
		{name: "money as a string", mutate: s("goods.0.value_eur", "450"), want: one("goods[0].value_eur", ErrWrongType)},
		{name: "money with an exponent", body: strings.Replace(string(complaintBody(t, "bicycle_theft")), `"value_eur":450`, `"value_eur":4.5e2`, 1), want: one("goods[0].value_eur", ErrInvalidNumber)},
		{name: "bool as a string", mutate: s("goods.0.electric", "oui"), want: one("goods[0].electric", ErrWrongType)},
		{name: "shop name missing", factType: "shoplifting", mutate: s("details.shop_name", remove), want: one("details.shop_name", ErrRequired)},
		{name: "enterprise number checksum", factType: "shoplifting", mutate: s("details.enterprise_number", "0403.170.702"), want: one("details.enterprise_number", ErrIDChecksum)},
		{name: "enterprise number wrong type", factType: "shoplifting", mutate: s("details.enterprise_number", 403170701), want: one("details.enterprise_number", ErrWrongType)},
		{name: "items missing", factType: "shoplifting", mutate: s("goods", remove), want: one("goods", ErrRequired)},
		{name: "items empty", factType: "shoplifting", mutate: s("goods", []any{}), want: one("goods", ErrTooFewItems)},
		{name: "items too many", factType: "shoplifting", mutate: s("goods", items(maxItems+1)), want: one("goods", ErrTooManyItems)},
		{name: "items not a list", factType: "shoplifting", mutate: s("goods", map[string]any{}), want: one("goods", ErrWrongType)},
		{name: "item not an object", factType: "shoplifting", mutate: s("goods.0", "savon"), want: one("goods[0]", ErrWrongType)},
		{name: "item quantity zero", factType: "shoplifting", mutate: s("goods.0.quantity", 0), want: one("goods[0].quantity", ErrValueTooSmall)},
		{name: "item quantity fraction", factType: "shoplifting", mutate: s("goods.1.quantity", 1.5), want: one("goods[1].quantity", ErrNotInteger)},
		{name: "item quantity too large", factType: "shoplifting", mutate: s("goods.1.quantity", maxItemQuantity+1), want: one("goods[1].quantity", ErrValueTooLarge)},
		{name: "item description missing", factType: "shoplifting", mutate: s("goods.1.description", remove), want: one("goods[1].description", ErrRequired)},
		{name: "item value negative", factType: "shoplifting", mutate: s("goods.0.value_eur", -5), want: one("goods[0].value_eur", ErrNegative)},
		{name: "item unknown field", factType: "shoplifting", mutate: s("goods.0.colour", "rouge"), want: one("goods[0].colour", ErrUnknownField)},
		{name: "suspect description too long", factType: "shoplifting", mutate: s("details.suspect_description", strings.Repeat("x", maxLongText+1)), want: one("details.suspect_description", ErrTooLong)},
		{name: "surface missing", factType: "graffiti", mutate: s("details.surface", remove), want: one("details.surface", ErrRequired)},
		{name: "area negative", factType: "graffiti", mutate: s("details.area_m2", -3), want: one("details.area_m2", ErrNegative)},
		{name: "area too large", factType: "graffiti", mutate: s("details.area_m2", maxAreaM2+1), want: one("details.area_m2", ErrValueTooLarge)},
		{name: "area three decimals", factType: "graffiti", mutate: s("details.area_m2", 1.125), want: one("details.area_m2", ErrTooManyDecimals)},
		{name: "object missing", factType: "damage_private_property", mutate: s("goods.0.object", remove), want: one("goods[0].object", ErrRequired)},
		{name: "damage description missing", factType: "damage_private_property", mutate: s("goods.0.damage_description", ""), want: one("goods[0].damage_description", ErrRequired)},
		{name: "damage description control", factType: "damage_private_property", mutate: s("goods.0.damage_description", "a\x00b"), want: one("goods[0].damage_description", ErrInvalidText)},
		{name: "estimated cost too large", factType: "damage_private_property", mutate: s("goods.0.estimated_cost_eur", 2e6), want: one("goods[0].estimated_cost_eur", ErrValueTooLarge)},
		{name: "suspect known not a bool", factType: "damage_private_property", mutate: s("details.suspect_known", 1), want: one("details.suspect_known", ErrWrongType)},

		// Goods, several per complaint, described by the catalog.
		{name: "goods missing", mutate: s("goods", remove), want: one("goods", ErrRequired)},
		{name: "goods null", mutate: s("goods", nil), want: one("goods", ErrRequired)},
		{name: "goods for graffiti", factType: "graffiti", mutate: s("goods", []any{map[string]any{"brand": "x"}}), want: one("goods", ErrNotExpected)},
		{name: "second bicycle without brand", mutate: s("goods", []any{
			map[string]any{"brand": "Gazelle", "model": "Esprit", "colour": "bleu"},
			map[string]any{"model": "Orange", "colour": "rouge", "phone": "x"}}),
			want: map[string]string{"goods[1].brand": ErrRequired, "goods[1].phone": ErrUnknownField}},
		{name: "too many bicycles", mutate: s("goods", func() []any {
			out := make([]any, maxBicycles+1)
			for i := range out {
				out[i] = map[string]any{"brand": "b", "model": "m", "colour": "c"}
			}
			return out
		}()), want: one("goods", ErrTooManyItems)},
		{name: "goods and legacy details together", mutate: s("details.brand", "Batavus"), want: one("details.brand", ErrUnknownField)},

		// On whose behalf.
		{name: "behalf kind unknown", mutate: s("on_behalf_of", map[string]any{"kind": "cousin"}), want: one("on_behalf_of.kind", ErrUnknownBehalf)},
		{name: "behalf parts without kind", mutate: s("on_behalf_of", map[string]any{"company": map[string]any{"name": "x"}}), want: one("on_behalf_of.kind", ErrRequired)},
		{name: "behalf self with a person", mutate: s("on_behalf_of", map[string]any{"kind": "self", "person": validPerson()}), want: one("on_behalf_of.person", ErrNotExpected)},
		{name: "behalf person missing", mutate: s("on_behalf_of", map[string]any{"kind": "person"}), want: one("on_behalf_of.person", ErrRequired)},
		{name: "behalf person with a company", mutate: s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson(), "company": validCompany()}), want: one("on_behalf_of.company", ErrNotExpected)},
		{name: "behalf person without consent", mutate: all(s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson()}), s("on_behalf_of.person.consent", false)), want: one("on_behalf_of.person.consent", ErrConsentRequired)},
		{name: "behalf person consent absent", mutate: all(s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson()}), s("on_behalf_of.person.consent", remove)), want: one("on_behalf_of.person.consent", ErrConsentRequired)},
		{name: "behalf person consent a string", mutate: all(s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson()}), s("on_behalf_of.person.consent", "yes")), want: one("on_behalf_of.person.consent", ErrWrongType)},
		{name: "behalf person identity missing", mutate: s("on_behalf_of", map[string]any{"kind": "person", "person": map[string]any{"consent": true}}), want: map[string]string{
			"on_behalf_of.person.last_name": ErrRequired, "on_behalf_of.person.first_name": ErrRequired, "on_behalf_of.person.birth_date": ErrRequired}},
		{name: "behalf person national number checksum", mutate: all(s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson()}), s("on_behalf_of.person.national_number", "12060112374")), want: one("on_behalf_of.person.national_number", ErrIDChecksum)},
		{name: "behalf person birth date does not match", mutate: all(s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson()}), s("on_behalf_of.person.birth_date", "2012-06-02")), want: one("on_behalf_of.person.birth_date", ErrBirthDateMismatch)},
		{name: "behalf person bidi name", mutate: all(s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson()}), s("on_behalf_of.person.last_name", "Du\u202ebois")), want: one("on_behalf_of.person.last_name", ErrInvalidText)},
		{name: "behalf person bad postal code", mutate: all(s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson()}), s("on_behalf_of.person.address", map[string]any{"postal_code": "13400", "country": "BE"})), want: one("on_behalf_of.person.address.postal_code", ErrInvalidPostalCode)},
		{name: "behalf person bad e-mail and phone", mutate: all(s("on_behalf_of", map[string]any{"kind": "person", "person": validPerson()}), s("on_behalf_of.person.email", "x@"), s("on_behalf_of.person.phone", "12")), want: map[string]string{
			"on_behalf_of.person.email": ErrInvalidEmail, "on_behalf_of.person.phone": ErrInvalidPhone}},
		{name: "behalf company missing", mutate: s("on_behalf_of", map[string]any{"kind": "company"}), want: one("on_behalf_of.company", ErrRequired)},
		{name: "behalf company checksum", mutate: all(s("on_behalf_of", map[string]any{"kind": "company", "company": validCompany()}), s("on_behalf_of.company.enterprise_number", "0403.170.702")), want: one("on_behalf_of.company.enterprise_number", ErrIDChecksum)},
		{name: "behalf company number length", mutate: all(s("on_behalf_of", map[string]any{"kind": "company", "company": validCompany()}), s("on_behalf_of.company.enterprise_number", "04031707")), want: one("on_behalf_of.company.enterprise_number", ErrIDLength)},
		{name: "behalf company parts missing", mutate: s("on_behalf_of", map[string]any{"kind": "company", "company": map[string]any{}}), want: map[string]string{
			"on_behalf_of.company.enterprise_number": ErrRequired, "on_behalf_of.company.name": ErrRequired}},
		{name: "behalf company name too long", mutate: all(s("on_behalf_of", map[string]any{"kind": "company", "company": validCompany()}), s("on_behalf_of.company.name", strings.Repeat("é", MaxCompanyNameLen+1))), want: one("on_behalf_of.company.name", ErrTooLong)},
		{name: "behalf company role with a newline", mutate: all(s("on_behalf_of", map[string]any{"kind": "company", "company": validCompany()}), s("on_behalf_of.company.role", "gérant\nx")), want: one("on_behalf_of.company.role", ErrInvalidText)},
		{name: "behalf company unknown member", mutate: all(s("on_behalf_of", map[string]any{"kind": "company", "company": validCompany()}), s("on_behalf_of.company.vat", "x")), want: one("on_behalf_of.company.vat", ErrUnknownField)},

		// Witnesses.
		{name: "witnesses not a list", mutate: s("witnesses", map[string]any{"last_name": "x"}), want: one("witnesses", ErrWrongType)},
		{name: "witness not an object", mutate: s("witnesses", []any{"Dupont"}), want: one("witnesses[0]", ErrWrongType)},
		{name: "witness without a name", mutate: s("witnesses", []any{map[string]any{"last_name": "Dupont"}, map[string]any{"phone": "0470 12 34 56"}}), want: one("witnesses[1].last_name", ErrRequired)},
		{name: "witness phone", mutate: s("witnesses", []any{map[string]any{"last_name": "Dupont"}, map[string]any{"last_name": "Martin", "phone": "appelez"}}), want: one("witnesses[1].phone", ErrInvalidPhone)},
		{name: "witness birth date", mutate: s("witnesses", []any{map[string]any{"last_name": "Dupont", "birth_date": "1985-02-30"}}), want: one("witnesses[0].birth_date", ErrNotADate)},
		{name: "witness birth date in the future", mutate: s("witnesses", []any{map[string]any{"last_name": "Dupont", "birth_date": "2030-01-01"}}), want: one("witnesses[0].birth_date", ErrInFuture)},
		{name: "witness control character", mutate: s("witnesses", []any{map[string]any{"last_name": "Du\x1b[2Jpont"}}), want: one("witnesses[0].last_name", ErrInvalidText)},
		{name: "witness zero-width space", mutate: s("witnesses", []any{map[string]any{"last_name": "Dupont", "first_name": "Ma\u200brie"}}), want: one("witnesses[0].first_name", ErrInvalidText)},
		{name: "witness street too long", mutate: s("witnesses", []any{map[string]any{"last_name": "Dupont", "address": map[string]any{"street": strings.Repeat("r", MaxStreetLen+1)}}}), want: one("witnesses[0].address.street", ErrTooLong)},
		{name: "witness unknown member", mutate: s("witnesses", []any{map[string]any{"last_name": "Dupont", "email": "x@y.be"}}), want: one("witnesses[0].email", ErrUnknownField)},
		{name: "too many witnesses", mutate: s("witnesses", func() []any {
			out := make([]any, 3*MaxWitnesses)
			for i := range out {
				out[i] = map[string]any{"last_name": "x"}
			}
			return out
		}()), want: one("witnesses", ErrTooManyItems)},

		// Insurance.
		{name: "insurance without company", mutate: s("insurance", map[string]any{"policy_number": "P-123"}), want: one("insurance.company", ErrRequired)},
		{name: "insurance policy too long", mutate: s("insurance", map[string]any{"company": "Ethias", "policy_number": strings.Repeat("9", MaxPolicyNumberLen+1)}), want: map[string]string{"insurance.policy_number": ErrTooLong}},
		{name: "insurance bidi", mutate: s("insurance", map[string]any{"company": "Eth\u2066ias"}), want: one("insurance.company", ErrInvalidText)},
		{name: "insurance not an object", mutate: s("insurance", "Ethias"), want: one("insurance", ErrWrongType)},

		// Several problems at once: every one is reported.
		{name: "several problems", mutate: all(s("language", "nl"), s("fact_type", remove), s("facts.description", ""), s("complainant.email", "nope"), s("complainant.identification.sis_card_number", "1")),
			want: map[string]string{"fact_type": ErrRequired, "facts.description": ErrRequired, "complainant.email": ErrInvalidEmail,
				"complainant.identification.sis_card_number": ErrIDLength}},
	}
}

func TestValidationRules(t *testing.T) {
	rt := DefaultRouter()
	for _, tc := range ruleCases(t) {
		if tc.want == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(tc.body)
			if tc.body == "" {
				ft := tc.factType
				if ft == "" {
					ft = "bicycle_theft"
				}
				m := complaintMap(t, ft)
				tc.mutate(m)
				body = mustJSON(t, m)
			}
			_, _, errs := DecodeValidate(body, "fr", rt, testNow)
			got := errs.Codes()
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems = %v\nwant       %v", got, tc.want)
			}
			for _, e := range errs {
				if e.Message == "" || e.Message == e.Code {
					t.Errorf("%s: code %q has no message", e.Path, e.Code)
				}
			}
		})
	}
}

func TestTooManyProblems(t *testing.T) {
	var body string
	for _, tc := range ruleCases(t) {
		if tc.name == "too many problems" {
			body = tc.body
		}
	}
	_, _, errs := DecodeValidate([]byte(body), "fr", DefaultRouter(), testNow)
	if len(errs) != maxProblems+1 {
		t.Fatalf("%d problems, want %d", len(errs), maxProblems+1)
	}
	if last := errs[len(errs)-1]; last.Path != BodyPath || last.Code != ErrTooManyProblems {
		t.Errorf("last problem = %+v", last)
	}
}

func TestMessagesInSubmissionLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want string // the required-field message
	}{
		{"fr", "Ce champ est obligatoire."},
		{"nl", "Dit veld is verplicht."},
		{"de", "Dieses Feld ist erforderlich."},
		{"en", "This field is required."},
		{"es", "Este campo es obligatorio."},
		{"it", "This field is required."}, // unsupported: the language is a problem, messages in English
	} {
		t.Run(tc.lang, func(t *testing.T) {
			m := complaintMap(t, "graffiti")
			set(t, m, "language", tc.lang)
			set(t, m, "details.surface", remove)
			set(t, m, "facts.started_at", "hier") // a decoding problem, same language
			_, _, errs := DecodeValidate(mustJSON(t, m), "fr", DefaultRouter(), testNow)
			msgs := errs.Map()
			if msgs["details.surface"] != tc.want {
				t.Errorf("message = %q, want %q", msgs["details.surface"], tc.want)
			}
			wantDate := i18n.For(tc.lang).Complaint.Errors.InvalidDatetime
			if msgs["facts.started_at"] != wantDate {
				t.Errorf("decoding message = %q, want %q", msgs["facts.started_at"], wantDate)
			}
		})
	}
}

func TestClockTolerance(t *testing.T) {
	m := complaintMap(t, "graffiti")
	set(t, m, "facts.ended_at", testNow.Add(ClockTolerance-time.Second).Format(time.RFC3339))
	if _, _, errs := DecodeValidate(mustJSON(t, m), "fr", DefaultRouter(), testNow); len(errs) != 0 {
		t.Errorf("end within the clock tolerance refused: %v", errs.Codes())
	}
	// Exactly one year ago is still accepted.
	set(t, m, "facts.started_at", testNow.AddDate(-1, 0, 0).Format(time.RFC3339))
	if _, _, errs := DecodeValidate(mustJSON(t, m), "fr", DefaultRouter(), testNow); len(errs) != 0 {
		t.Errorf("facts one year old refused: %v", errs.Codes())
	}
}

func TestLimitsAccepted(t *testing.T) {
	// Values right at each bound are accepted.
	m := complaintMap(t, "shoplifting")
	set(t, m, "facts.description", strings.Repeat("é", MaxDescriptionLen-1)+"\n")
	set(t, m, "facts.description", strings.Repeat("€", MaxDescriptionLen))
	set(t, m, "complainant.last_name", strings.Repeat("ß", MaxNameLen))
	set(t, m, "goods", func() []any {
		out := make([]any, maxItems)
		for i := range out {
			out[i] = map[string]any{"description": strings.Repeat("x", maxLineText), "quantity": maxItemQuantity, "value_eur": MaxMoneyEUR}
		}
		return out
	}())
	body := mustJSON(t, m)
	if len(body) > MaxSubmissionBytes {
		t.Fatalf("a complaint at the bounds is %d bytes, above MaxSubmissionBytes", len(body))
	}
	if _, _, errs := DecodeValidate(body, "fr", DefaultRouter(), testNow); len(errs) != 0 {
		t.Errorf("complaint at the bounds refused: %v", errs.Codes())
	}
}

func TestValidateWithoutDecode(t *testing.T) {
	// Validate alone, on a submission built in Go (not through Decode):
	// invalid UTF-8 is caught, and a nil router means the default one.
	s, errs := Decode(complaintBody(t, "bicycle_theft"), "fr")
	if len(errs) != 0 {
		t.Fatal(errs.Codes())
	}
	s.Complainant.LastName = "Du\xffbois"
	s.Details = json.RawMessage("{\"brand\": \"Gazelle\", \"model\": \"Esprit\", \"colour\": \"bl\xffeu\"}")
	s.Goods = json.RawMessage("[{\"brand\": \"Gazelle\", \"model\": \"Esprit\", \"colour\": \"bl\xffeu\"}]")
	zone, errs := Validate(s, nil, testNow)
	want := map[string]string{"complainant.last_name": ErrInvalidText, "details": ErrInvalidText, "goods": ErrInvalidText}
	if !reflect.DeepEqual(errs.Codes(), want) {
		t.Errorf("problems = %v, want %v", errs.Codes(), want)
	}
	if zone.Code != "5275" {
		t.Errorf("zone = %+v: the place is fine and must still route", zone)
	}
}

func TestDecodeKeepsWhatItCanRead(t *testing.T) {
	m := complaintMap(t, "graffiti")
	set(t, m, "facts.place.city", "x")
	s, errs := Decode(mustJSON(t, m), "fr")
	if !reflect.DeepEqual(errs.Paths(), []string{"facts.place.city"}) {
		t.Fatalf("paths = %v", errs.Paths())
	}
	if s.Facts.Place.PostalCode != "1340" || s.Complainant.LastName != "Dubois" {
		t.Errorf("decoded submission lost data: %+v", s)
	}
}

// every code a rule case produces has a message; collected for messages_test.
func ruleCaseCodes(t testing.TB) []string {
	seen := map[string]bool{}
	for _, tc := range ruleCases(t) {
		for _, c := range tc.want {
			seen[c] = true
		}
	}
	var out []string
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

func BenchmarkValidate(b *testing.B) {
	rt := DefaultRouter()
	decoded, errs := Decode(complaintBody(b, "shoplifting"), "fr")
	if len(errs) != 0 {
		b.Fatal(errs.Codes())
	}
	b.ReportAllocs()
	for b.Loop() {
		s := *decoded
		if _, errs := Validate(&s, rt, testNow); len(errs) != 0 {
			b.Fatal(errs.Codes())
		}
	}
}

func BenchmarkDecodeValidate(b *testing.B) {
	rt := DefaultRouter()
	body := complaintBody(b, "shoplifting")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, errs := DecodeValidate(body, "fr", rt, testNow); len(errs) != 0 {
			b.Fatal(errs.Codes())
		}
	}
}
