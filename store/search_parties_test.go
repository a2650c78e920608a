package store

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"guichet/complaint"
)

// TestSearchFindsPartiesAndGoods: the cache keeps every part of a record,
// and an officer finds a complaint by a witness's name, the victim's or the company's name, the enterprise
// number as printed, the policy number, and a bicycle's frame number in the
// goods list; and an old record (goods in details, no new parts) indexes
// exactly as before.
func TestSearchFindsPartiesAndGoods(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	person := newRecord("2026-AAAA-0001", "Marc", "Dubois")
	person.Goods = json.RawMessage(`[{"brand":"Gazelle","frame_number":"GZ123456789"},{"brand":"Cube","frame_number":"WCU7654321"}]`)
	person.OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfPerson, Person: &complaint.Person{
		LastName: "Vandenberghe", FirstName: "Léa", NationalNumber: "12060112373", Consent: true}}
	person.Witnesses = []complaint.Witness{{LastName: "Kowalczyk", FirstName: "Agnieszka", Phone: "+32470654321"}}
	person.Insurance = complaint.Insurance{Company: "Ethias", PolicyNumber: "45.123.789"}
	company := newRecord("2026-AAAA-0002", "Anne", "Martin")
	company.OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfCompany, Company: &complaint.Company{
		EnterpriseNumber: "0403170701", Name: "Boulangerie Wauters"}}
	other := newRecord("2026-AAAA-0003", "Jan", "Peeters")
	if err := st.BulkLoad(ctx, []complaint.Record{person, company, other}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ search, want string }{
		{"Kowalczyk", person.Reference},
		{"agnieszka", person.Reference},
		{"vandenberghe lea", person.Reference},
		{"12.06.01-123.73", person.Reference},
		{"WCU7654321", person.Reference},
		{"45.123.789", person.Reference},
		{"ethias", person.Reference},
		{"wauters", company.Reference},
		{"0403.170.701", company.Reference},
		{"0403170701", company.Reference},
	} {
		rows, err := st.Page(ctx, Query{Search: tc.search}, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Reference != tc.want {
			var got []string
			for _, r := range rows {
				got = append(got, r.Reference)
			}
			t.Errorf("search %q found %v, want %s", tc.search, got, tc.want)
		}
	}

	// The cache gives back every part as the portal sent it.
	for _, want := range []complaint.Record{person, company} {
		got, err := st.Get(ctx, want.Reference)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.OnBehalfOf, want.OnBehalfOf) || !reflect.DeepEqual(got.Witnesses, want.Witnesses) ||
			got.Insurance != want.Insurance || string(got.Goods) != string(want.Goods) {
			t.Errorf("%s read back as %+v %+v %+v %s", want.Reference, got.OnBehalfOf, got.Witnesses, got.Insurance, got.Goods)
		}
	}

	// A record of before: the same text as the build before these parts.
	old := newRecord("2026-AAAA-0004", "Marc", "Dubois")
	old.Details = json.RawMessage(`{"brand":"Gazelle"}`)
	before := searchText(&old)
	old.OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfSelf}
	if searchText(&old) != before {
		t.Error("filing for oneself changes the search text")
	}
}
