package complaint

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// legacyRecords reads records as the portal stored and served them before
// the goods list, on whose behalf, witnesses and insurance existed.
func legacyRecords(t *testing.T) []Record {
	t.Helper()
	b, err := os.ReadFile("testdata/legacy_records.json")
	if err != nil {
		t.Fatal(err)
	}
	var rs []Record
	if err := json.Unmarshal(b, &rs); err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestLegacyRecordsStayValid: a record stored before the new fields still
// passes validation, and is shown and copied like a new one, its goods as
// a list.
func TestLegacyRecordsStayValid(t *testing.T) {
	wantGoods := map[string]struct{ details, goods string }{
		"bicycle_theft": {`{}`, `[{"brand":"Gazelle","model":"Esprit","colour":"bleu","frame_number":"GZ123456789","value_eur":450,"electric":true}]`},
		"shoplifting": {`{"shop_name":"Delhaize","enterprise_number":"0403170701","camera_footage":true}`,
			`[{"description":"Whisky","quantity":2,"value_eur":34.9},{"description":"Scheermes","quantity":1,"value_eur":19.99}]`},
		"damage_private_property": {`{"suspect_known":false}`, `[{"object":"Car (mirror)","damage_description":"Left mirror torn off.","estimated_cost_eur":250}]`},
		"graffiti":                {`{"surface":"Fassade","area_m2":12.5}`, ``},
	}
	for _, r := range legacyRecords(t) {
		t.Run(r.FactType, func(t *testing.T) {
			want := wantGoods[r.FactType]
			d, g := LegacyGoods(&r.Submission)
			if compact(t, d) != want.details || compact(t, g) != want.goods {
				t.Errorf("LegacyGoods =\n%s\n%s\nwant\n%s\n%s", d, g, want.details, want.goods)
			}
			if !r.OnBehalfOf.Self() || r.Witnesses != nil || r.Insurance != (Insurance{}) {
				t.Errorf("absent fields read as %+v %+v %+v", r.OnBehalfOf, r.Witnesses, r.Insurance)
			}
			s := r.Submission
			if _, errs := Validate(&s, nil, testNow); len(errs) != 0 {
				t.Fatalf("stored record no longer valid: %v", errs.Codes())
			}
			if string(s.Details) != want.details || string(s.Goods) != want.goods {
				t.Errorf("validated as\n%s\n%s", s.Details, s.Goods)
			}
			m := fieldMap(DisplayFields(&r, "fr"))
			if m["on_behalf_of.kind"].Value != "Le plaignant lui-même" {
				t.Errorf("on behalf = %+v", m["on_behalf_of.kind"])
			}
			if want.goods != "" && m["goods"].Value == "" {
				t.Errorf("goods not shown: %+v", m)
			}
			for key := range m {
				if strings.HasPrefix(key, "details.") && m[key].Label == strings.TrimPrefix(key, "details.") {
					t.Errorf("%s shown as an unknown member", key)
				}
			}
		})
	}
	// The old record's bicycle is the first good, its parts one key each.
	r := legacyRecords(t)[0]
	m := fieldMap(DisplayFields(&r, "nl"))
	if got := m["goods[0].brand"]; got.Value != "Gazelle" || got.Label != "Fiets 1 — Merk" || got.Group != GroupGoods {
		t.Errorf("goods[0].brand = %+v", got)
	}
	if got := m["goods[0].electric"].Value; got != "Ja" {
		t.Errorf("goods[0].electric = %q", got)
	}
	// Stored again, the old record keeps its own JSON: nothing rewrites
	// it behind the portal's back.
	b, _ := json.Marshal(r)
	if strings.Contains(string(b), `"goods"`) || strings.Contains(string(b), `"on_behalf_of"`) ||
		strings.Contains(string(b), `"witnesses"`) || strings.Contains(string(b), `"insurance"`) {
		t.Errorf("old record re-encoded with new members: %s", b)
	}
}

func compact(t *testing.T, raw []byte) string {
	t.Helper()
	if len(raw) == 0 {
		return ""
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestLegacyGoodsLeavesOthersAlone(t *testing.T) {
	for _, tc := range []struct {
		name, factType, details, goods string
	}{
		{"goods given", "bicycle_theft", `{"brand":"x"}`, `[{"brand":"y"}]`},
		{"type without goods", "graffiti", `{"surface":"x","brand":"y"}`, ``},
		{"unknown type", "phone_theft", `{"brand":"x"}`, ``},
		{"details not an object", "bicycle_theft", `["brand"]`, ``},
		{"details not JSON", "bicycle_theft", `{"brand":`, ``},
		{"no legacy member", "shoplifting", `{"shop_name":"x"}`, ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Submission{FactType: tc.factType, Details: json.RawMessage(tc.details), Goods: json.RawMessage(tc.goods)}
			d, g := LegacyGoods(s)
			if string(d) != tc.details || string(g) != tc.goods {
				t.Errorf("LegacyGoods changed %s / %s into %s / %s", tc.details, tc.goods, d, g)
			}
		})
	}
}

// TestValidPartiesNormalised: on whose behalf, witnesses and insurance are
// accepted and normalised like the rest.
func TestValidPartiesNormalised(t *testing.T) {
	for _, tc := range []struct {
		name   string
		behalf map[string]any
		check  func(t *testing.T, b Behalf)
	}{
		{"self", map[string]any{"kind": " Self "}, func(t *testing.T, b Behalf) {
			if b.Kind != BehalfSelf || !b.Self() || b.Person != nil || b.Company != nil {
				t.Errorf("behalf = %+v", b)
			}
		}},
		{"person", validPerson(), func(t *testing.T, b Behalf) {
			if b.Kind != BehalfPerson || b.Person == nil || b.Person.NationalNumber != "12060112373" || !b.Person.Consent || b.Person.FirstName != "Léa" {
				t.Errorf("behalf = %+v %+v", b, b.Person)
			}
		}},
		{"company", validCompany(), func(t *testing.T, b Behalf) {
			if b.Kind != BehalfCompany || b.Company == nil || b.Company.EnterpriseNumber != "0403170701" || b.Company.Role != "gérant" {
				t.Errorf("behalf = %+v %+v", b, b.Company)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := complaintMap(t, "bicycle_theft")
			switch tc.name {
			case "person":
				set(t, m, "on_behalf_of", map[string]any{"kind": "PERSON", "person": tc.behalf})
			case "company":
				set(t, m, "on_behalf_of", map[string]any{"kind": "company", "company": tc.behalf})
			default:
				set(t, m, "on_behalf_of", tc.behalf)
			}
			set(t, m, "witnesses", []any{
				map[string]any{"last_name": " Martin ", "first_name": "Claire", "birth_date": "1990-01-02",
					"phone": "0470 12 34 56", "address": map[string]any{"street": "Rue Haute", "number": "3", "postal_code": "1000", "municipality": "Bruxelles", "country": "be"}},
				map[string]any{"last_name": "Lambert"},
			})
			set(t, m, "insurance", map[string]any{"company": " Ethias ", "policy_number": "45.123.789"})
			set(t, m, "goods", []any{
				map[string]any{"brand": "Gazelle", "model": "Esprit", "colour": "bleu"},
				map[string]any{"electric": true, "colour": "rouge", "model": "Orange", "brand": " Cube "},
			})
			s, _, errs := DecodeValidate(mustJSON(t, m), "fr", DefaultRouter(), testNow)
			if len(errs) != 0 {
				t.Fatalf("refused: %v", errs.Codes())
			}
			tc.check(t, s.OnBehalfOf)
			wantW := []Witness{
				{LastName: "Martin", FirstName: "Claire", BirthDate: "1990-01-02", Phone: "0470123456",
					Address: Address{Street: "Rue Haute", Number: "3", PostalCode: "1000", Municipality: "Bruxelles", Country: "BE"}},
				{LastName: "Lambert"},
			}
			if !reflect.DeepEqual(s.Witnesses, wantW) {
				t.Errorf("witnesses = %+v", s.Witnesses)
			}
			if s.Insurance != (Insurance{Company: "Ethias", PolicyNumber: "45.123.789"}) {
				t.Errorf("insurance = %+v", s.Insurance)
			}
			if got := string(s.Goods); got != `[{"brand":"Gazelle","model":"Esprit","colour":"bleu"},{"brand":"Cube","model":"Orange","colour":"rouge","electric":true}]` {
				t.Errorf("goods = %s", got)
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
		})
	}
}
