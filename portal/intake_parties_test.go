package portal

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"guichet/complaint"
)

// TestIntakeCarriesPartiesAndGoods files complaints with every new part of
// the record — on whose behalf (a person, a company), witnesses, insurance,
// several goods — and one in the form of before the goods list, over HTTP,
// and reads them back from the zone's feed and the complaint's own URL.
func TestIntakeCarriesPartiesAndGoods(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Inspecteur Dupont")
	now := time.Now()

	person := sampleSubmission(now)
	company := sampleSubmission(now)
	company.OnBehalfOf = complaint.Behalf{Kind: "company", Company: &complaint.Company{
		EnterpriseNumber: "BE 0403.170.701", Name: "Delhaize Le Lion", Role: "gérant"}}
	company.Witnesses = append(company.Witnesses, complaint.Witness{LastName: "Lambert", BirthDate: "1979-03-04"})
	legacy := sampleSubmission(now)
	legacy.Details = json.RawMessage(`{"brand":"Gazelle","model":"Esprit","colour":"bleu","value_eur":450}`)
	legacy.Goods = nil
	legacy.OnBehalfOf, legacy.Witnesses, legacy.Insurance = complaint.Behalf{}, nil, complaint.Insurance{}

	for _, tc := range []struct {
		name  string
		sub   *complaint.Submission
		check func(t *testing.T, r *complaint.Record)
	}{
		{"person", person, func(t *testing.T, r *complaint.Record) {
			if !reflect.DeepEqual(r.OnBehalfOf, person.OnBehalfOf) || !reflect.DeepEqual(r.Witnesses, person.Witnesses) ||
				r.Insurance != person.Insurance || string(r.Goods) != string(person.Goods) {
				t.Errorf("stored %+v %+v %+v %s", r.OnBehalfOf, r.Witnesses, r.Insurance, r.Goods)
			}
		}},
		{"company", company, func(t *testing.T, r *complaint.Record) {
			c := r.OnBehalfOf.Company
			if r.OnBehalfOf.Kind != complaint.BehalfCompany || c == nil || c.EnterpriseNumber != "0403170701" || c.Name != "Delhaize Le Lion" {
				t.Errorf("company stored as %+v %+v", r.OnBehalfOf, c)
			}
			if len(r.Witnesses) != 2 || r.Witnesses[1].BirthDate != "1979-03-04" {
				t.Errorf("witnesses stored as %+v", r.Witnesses)
			}
		}},
		{"legacy goods", legacy, func(t *testing.T, r *complaint.Record) {
			if string(r.Details) != `{}` || string(r.Goods) != `[{"brand":"Gazelle","model":"Esprit","colour":"bleu","value_eur":450}]` {
				t.Errorf("stored details %s, goods %s", r.Details, r.Goods)
			}
			if !r.OnBehalfOf.Self() || r.Witnesses != nil || r.Insurance != (complaint.Insurance{}) {
				t.Errorf("absent parts stored as %+v %+v %+v", r.OnBehalfOf, r.Witnesses, r.Insurance)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := tp.do("POST", "/v1/complaints", "", "", mustJSON(tc.sub))
			if res.Status != http.StatusCreated {
				t.Fatalf("intake: %d %s", res.Status, res.Body)
			}
			var rc complaint.IntakeReceipt
			res.decode(t, &rc)
			var fromFeed *complaint.Record
			for cursor := ""; fromFeed == nil; {
				page, fr := tp.feed("5275", tok, cursor, 100)
				if fr.Status != 200 {
					t.Fatalf("feed: %d %s", fr.Status, fr.Body)
				}
				for _, it := range page.Items {
					if it.Reference == rc.Reference {
						fromFeed = it.Record
					}
				}
				if !page.More {
					break
				}
				cursor = page.Cursor
			}
			if fromFeed == nil {
				t.Fatalf("%s not in the feed", rc.Reference)
			}
			tc.check(t, fromFeed)
			one := tp.do("GET", "/v1/zones/5275/complaints/"+rc.Reference, tok, "", nil)
			var got complaint.Record
			one.decode(t, &got)
			if !reflect.DeepEqual(got.Submission, fromFeed.Submission) {
				t.Errorf("GET differs from the feed:\n%+v\n%+v", got.Submission, fromFeed.Submission)
			}
		})
	}

	// A refused part is a field error with its path, and nothing is filed.
	bad := sampleSubmission(now)
	bad.Witnesses[0].Phone = "appelez-moi"
	bad.OnBehalfOf.Person.Consent = false
	res := tp.do("POST", "/v1/complaints", "", "", mustJSON(bad))
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad parts: %d %s", res.Status, res.Body)
	}
	fields := res.apiError(t).Fields
	if fields["witnesses[0].phone"] == "" || fields["on_behalf_of.person.consent"] == "" || len(fields) != 2 {
		t.Errorf("fields = %v", fields)
	}
}
