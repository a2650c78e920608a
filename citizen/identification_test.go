package citizen

import (
	"html"
	"net/url"
	"regexp"
	"testing"

	"guichet/complaint"
	"guichet/fas/devfas"
)

var devfasRequest = regexp.MustCompile(`name="request" value="([^"]+)"`)

// TestFASIdentificationFilesWithCertifiedIdentity logs in at the
// development provider through the real relying party (authorization code,
// PKCE, state, nonce, ID token), skips the questions the FAS answered, and
// files a complaint the portal accepts with the signed assertion: the
// record names the certified person and the eid method.
func TestFASIdentificationFilesWithCertifiedIdentity(t *testing.T) {
	ts := newFASSite(t)
	token := ts.officer("5275")
	b := ts.browser()
	p := "/nl/"
	b.post(p+"eligibility", url.Values{"in_belgium": {"yes"}, "author_known": {"no"}, "violence": {"no"}}).at(p+"identification", 200)
	person := devfas.People[1]
	b.identifyWithFAS("nl", person, "eid")
	// Back from the provider: the names and the birth date are certified,
	// so the next question is the type of facts.
	b.at(p+"behalf", 200)
	ref := b.fileFrom("nl", "behalf")
	rec := ts.record("5275", token, ref)
	if rec.Complainant.FirstName != person.FirstName || rec.Complainant.LastName != person.LastName ||
		rec.Complainant.BirthDate != person.BirthDate || rec.Complainant.Identification.NationalNumber != person.NationalNumber {
		t.Errorf("record complainant = %+v, want %+v", rec.Complainant, person)
	}
	if rec.Verification.Method != complaint.MethodEID {
		t.Errorf("verification method = %q, want eid", rec.Verification.Method)
	}
}

// TestFASCallbackOnTheHostTheCitizenUsed: a citizen who opened the form
// as localhost comes back from the provider to localhost, where their
// session cookie is, not to the first registered callback (127.0.0.1,
// another site to the browser: the session would be lost there).
func TestFASCallbackOnTheHostTheCitizenUsed(t *testing.T) {
	ts := newFASSite(t)
	for _, base := range []string{localhostURL(ts.http.URL), ts.http.URL} {
		b := ts.browserAt(base)
		b.post("/fr/eligibility", url.Values{"in_belgium": {"yes"}, "author_known": {"no"}, "violence": {"no"}}).at("/fr/identification", 200)
		b.identifyWithFAS("fr", devfas.People[0], "eid")
		b.at("/fr/behalf", 200)
		if got := b.last.Request.URL.Scheme + "://" + b.last.Request.URL.Host; got != base {
			t.Errorf("came back to %s, want %s", got, base)
		}
	}
}

// TestFASCancelledSaysSoAndFilesNothing: the citizen cancels at the
// provider; the form says the identification did not work, offers to
// choose again, and nothing is filed.
func TestFASCancelledSaysSoAndFilesNothing(t *testing.T) {
	ts := newFASSite(t)
	token := ts.officer("5275")
	b := ts.browser()
	b.post("/fr/eligibility", url.Values{"in_belgium": {"yes"}, "author_known": {"no"}, "violence": {"no"}})
	b.get("/fr/identify/fas")
	m := devfasRequest.FindStringSubmatch(b.body)
	if m == nil {
		t.Fatal("no request on the provider's page")
	}
	b.postTo(b.site.http.URL+"/dev-fas/authorize", url.Values{"request": {m[1]}, "cancel": {"1"}}).at("/auth/callback", 400)
	b.contains(html.EscapeString(text("fr", "fas_error_title")), "/fr/identification")
	// The callback is single-use: replaying it is refused too.
	b.get(b.last.Request.URL.RequestURI()).at("/auth/callback", 400)
	if refs := ts.feedRefs("5275", token); len(refs) != 0 {
		t.Errorf("filed %v", refs)
	}
}

// identifyWithFAS follows the form's link to the development provider from
// the identification page, logs in there as person with method and comes
// back to the form through the relying party's callback.
func (b *browser) identifyWithFAS(lang string, person devfas.Person, method string) {
	b.t.Helper()
	p := "/" + lang + "/"
	b.contains(p + "identify/fas")
	b.get(p+"identify/fas").at("/dev-fas/authorize", 200)
	m := devfasRequest.FindStringSubmatch(b.body)
	if m == nil {
		b.t.Fatalf("no request on the provider's page:\n%s", b.body)
	}
	b.postTo(b.site.http.URL+"/dev-fas/authorize", url.Values{"request": {m[1]}, "person": {person.NationalNumber}, "method": {method}, "continue": {"1"}})
}
