package citizen

import (
	"net/url"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal"
)

// TestBehalfWitnessesInsuranceReachTheRecord files for a company with two
// witnesses and an insurer: the zone's record has them as typed, the
// enterprise number canonical and the witness's birth date as a date.
func TestBehalfWitnessesInsuranceReachTheRecord(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	token := ts.officer("5275")
	b := ts.browser()
	b.answers("fr", "behalf")
	b.post("/fr/behalf", url.Values{"behalf": {"company"}}).at("/fr/behalf-company", 200)
	b.post("/fr/behalf-company", url.Values{"name": {"Vélos SA"}, "enterprise_number": {"0403.170.702"}}).at("/fr/behalf-company", 422)
	b.contains(`href="#on_behalf_of-company-enterprise_number"`)
	b.post("/fr/behalf-company", url.Values{"name": {"Vélos SA"}, "enterprise_number": {"0403.170.701"}, "role": {"gérant"}}).at("/fr/fact-type", 200)
	b.answersFrom("fr", "fact-type", "witnesses")
	b.post("/fr/witnesses", url.Values{"w.0.last_name": {"Martin"}, "w.0.birth_date": {"30/07/1985"}, "add": {"witness"}}).at("/fr/witnesses", 200)
	b.contains(`id="witnesses-1-last_name"`, `value="Martin"`)
	b.post("/fr/witnesses", url.Values{"w.0.last_name": {"Martin"}, "w.0.birth_date": {"30/07/1985"}, "w.1.last_name": {"Lambert"}, "w.1.phone": {"0470 12 34 56"}}).at("/fr/insurance", 200)
	b.post("/fr/insurance", url.Values{"company": {"Ethias"}, "policy_number": {"45.678.901"}}).at("/fr/contact", 200)
	b.post("/fr/contact", url.Values{"confirmation": {"email"}, "email": {"marc.dubois@example.be"}}).at("/fr/check", 200)
	b.contains("Vélos SA", "Martin", "Lambert", "Ethias", `href="/fr/witnesses?change=1"`)
	b.post("/fr/submit", nil).at("/fr/receipt", 200)
	refs := ts.feedRefs("5275", token)
	if len(refs) != 1 {
		t.Fatalf("feed %v", refs)
	}
	rec := ts.record("5275", token, refs[0])
	if c := rec.OnBehalfOf.Company; rec.OnBehalfOf.Kind != complaint.BehalfCompany || c == nil || c.EnterpriseNumber != "0403170701" || c.Name != "Vélos SA" {
		t.Errorf("on behalf of %+v", rec.OnBehalfOf)
	}
	if len(rec.Witnesses) != 2 || rec.Witnesses[0].BirthDate != "1985-07-30" || rec.Witnesses[1].LastName != "Lambert" {
		t.Errorf("witnesses %+v", rec.Witnesses)
	}
	if rec.Insurance.Company != "Ethias" || rec.Insurance.PolicyNumber != "45.678.901" {
		t.Errorf("insurance %+v", rec.Insurance)
	}
}

// TestBehalfPersonNeedsConsent: filing for another person needs their
// consent, said on the checkbox.
func TestBehalfPersonNeedsConsent(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	b := ts.browser()
	b.answers("en", "behalf")
	b.post("/en/behalf", url.Values{"behalf": {"person"}}).at("/en/behalf-person", 200)
	person := merge(url.Values{"first_name": {"Léa"}, "last_name": {"Dubois"}}, dateValues("birth_date", time.Date(2003, 11, 5, 0, 0, 0, 0, time.UTC), false))
	b.post("/en/behalf-person", person).at("/en/behalf-person", 422)
	b.contains(`href="#on_behalf_of-person-consent"`, "only report for another person with their consent")
	b.post("/en/behalf-person", merge(person, url.Values{"consent": {"yes"}})).at("/en/fact-type", 200)
}
