package citizen

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/fas"
	"guichet/fas/devfas"
	"guichet/portal"
)

// TestFormAndAPIFileEqualRecords files one bicycle theft through the form
// and the same one through POST /v1/complaints: the zone's officer gets
// the same record, but for what the portal gives each filing (reference,
// times, history).
func TestFormAndAPIFileEqualRecords(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	token := ts.officer("5275")
	ref := ts.browser().fileBicycleTheft("fr")

	resp, err := http.Post(ts.http.URL+"/v1/complaints", "application/json", bytes.NewBufferString(bicycleTheftJSON("fr")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("API intake: %d", resp.StatusCode)
	}
	var apiRef string
	for _, it := range ts.feedRefs("5275", token) {
		if it != ref {
			apiRef = it
		}
	}
	viaForm, viaAPI := ts.record("5275", token, ref), ts.record("5275", token, apiRef)
	for _, r := range []*complaint.Record{&viaForm, &viaAPI} {
		r.Reference, r.ReceivedAt, r.UpdatedAt, r.History, r.Verification.VerifiedAt = "", time.Time{}, time.Time{}, nil, time.Time{}
	}
	if a, b := compactRecord(viaForm), compactRecord(viaAPI); a != b {
		t.Errorf("records differ:\nform: %s\nAPI:  %s", a, b)
	}
}

// TestFormAndAPIFileEqualRecordsInEveryLanguageAndMethod files, in each
// language of the form and with each way of identifying (three numbers, a
// federal login at the development FAS), one bicycle theft through the
// form and the same one through POST /v1/complaints with the same identity
// (for the FAS, the one the provider certified, as a signed assertion).
// Both land in the feed of the zone of the place of the facts and in no
// other, with equal records in the form's language and the right method.
func TestFormAndAPIFileEqualRecordsInEveryLanguageAndMethod(t *testing.T) {
	places := map[string]struct{ zone, municipality string }{
		"1340": {"5275", "Ottignies-Louvain-la-Neuve"},
		"9000": {"5415", "Gent"},
	}
	type method struct {
		name   string
		person *devfas.Person // nil: three numbers
		fas    string         // the method chosen at the provider
		want   string         // the record's verification method
	}
	methods := []method{
		{"three_numbers", nil, "", complaint.MethodThreeNumbers},
		{"fas_eid", &devfas.People[3], "eid", complaint.MethodEID},
		{"fas_token", &devfas.People[2], "token", complaint.MethodToken},
	}
	ts := newFASSite(t)
	tokens := map[string]string{"5275": ts.officer("5275"), "5415": ts.officer("5415")}
	i := 0
	for _, lang := range []string{"fr", "nl", "de", "en", "es"} {
		for _, m := range methods {
			postal := []string{"1340", "9000"}[i%2]
			i++
			place := places[postal]
			t.Run(lang+"/"+m.name+"/"+postal, func(t *testing.T) {
				ts.t = t
				b := ts.browser()
				b.t = t
				p := "/" + lang + "/"
				b.post(p+"eligibility", url.Values{"in_belgium": {"yes"}, "author_known": {"no"}, "violence": {"no"}}).at(p+"identification", 200)
				sub := map[string]any{}
				if err := json.Unmarshal([]byte(bicycleTheftJSON(lang)), &sub); err != nil {
					t.Fatal(err)
				}
				complainant := sub["complainant"].(map[string]any)
				if m.person == nil {
					b.post(p+"identification", url.Values{}).at(p+"three-numbers", 200)
					b.answersFrom(lang, "three-numbers", "behalf")
				} else {
					b.identifyWithFAS(lang, *m.person, m.fas)
					b.at(p+"behalf", 200)
					id := fas.Identity{NationalNumber: m.person.NationalNumber, FirstName: m.person.FirstName, LastName: m.person.LastName,
						BirthDate: m.person.BirthDate, Method: fas.Method(m.fas)}
					complainant["identification"] = map[string]any{"method": m.want,
						"assertion": portal.SignAssertion(ts.assertionKey, id.Assertion(time.Now(), time.Hour))}
					complainant["first_name"], complainant["last_name"], complainant["birth_date"] = m.person.FirstName, m.person.LastName, m.person.BirthDate
				}
				ref := b.fileFrom(lang, "behalf", formStep{page: "where", form: url.Values{"postal_code": {postal}}})

				// The same complaint through the API.
				facts := sub["facts"].(map[string]any)
				facts["place"].(map[string]any)["postal_code"] = postal
				facts["place"].(map[string]any)["municipality"] = place.municipality
				body, _ := json.Marshal(sub)
				resp, err := http.Post(ts.http.URL+"/v1/complaints", "application/json", bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				var receipt complaint.IntakeReceipt
				json.NewDecoder(resp.Body).Decode(&receipt)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					t.Fatalf("API intake: %d", resp.StatusCode)
				}

				for zone, token := range tokens {
					refs := ts.feedRefs(zone, token)
					for _, r := range []string{ref, receipt.Reference} {
						if in := slices.Contains(refs, r); in != (zone == place.zone) {
							t.Errorf("%s in the feed of zone %s: %v, want %v", r, zone, in, zone == place.zone)
						}
					}
				}
				viaForm, viaAPI := ts.record(place.zone, tokens[place.zone], ref), ts.record(place.zone, tokens[place.zone], receipt.Reference)
				for _, r := range []*complaint.Record{&viaForm, &viaAPI} {
					r.Reference, r.ReceivedAt, r.UpdatedAt, r.History, r.Verification.VerifiedAt = "", time.Time{}, time.Time{}, nil, time.Time{}
				}
				if a, b := compactRecord(viaForm), compactRecord(viaAPI); a != b {
					t.Errorf("records differ:\nform: %s\nAPI:  %s", a, b)
				}
				if viaForm.Language != lang {
					t.Errorf("record language = %q, want %q", viaForm.Language, lang)
				}
				if viaForm.Verification.Method != m.want {
					t.Errorf("verification method = %q, want %q", viaForm.Verification.Method, m.want)
				}
				if viaForm.Zone.Code != place.zone {
					t.Errorf("record zone = %q, want %q", viaForm.Zone.Code, place.zone)
				}
			})
		}
	}
}
