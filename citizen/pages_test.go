package citizen

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/portal"
)

// TestPageHandlers: every page of the form, answered well and badly, in
// one table. Each row starts from a fresh browser whose answers reach the
// page asked.
func TestPageHandlers(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	cases := []struct {
		name     string
		upTo     string // answer the pages before this one ("-": none)
		method   string
		path     string
		form     url.Values
		header   map[string]string
		status   int
		at       string   // path after redirects
		contains []string // in the page
	}{
		{"root picks Dutch", "-", "GET", "/", nil, map[string]string{"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"}, 200, "/nl/", []string{`lang="nl"`, "Fietsdiefstal"}},
		{"root falls back to English", "-", "GET", "/", nil, map[string]string{"Accept-Language": "pt-PT"}, 200, "/en/", []string{`lang="en"`}},
		{"start fr", "-", "GET", "/fr/", nil, nil, 200, "/fr/", []string{"Vol de vélo", "Graffiti", `href="/fr/eligibility"`, `href="/nl/"`}},
		{"start de", "-", "GET", "/de/", nil, nil, 200, "/de/", []string{`lang="de"`, "Fahrraddiebstahl"}},
		{"start es", "-", "GET", "/es/", nil, nil, 200, "/es/", []string{`lang="es"`, "Robo de bicicleta", "Empezar"}},
		{"unknown language", "-", "GET", "/it/", nil, nil, 404, "/it/", []string{"Page not found"}},
		{"zone entry redirects by language", "-", "GET", "/zones/5275/", nil, map[string]string{"Accept-Language": "fr-BE"}, 200, "/fr/zones/5275/", []string{"Ottignies-Louvain-la-Neuve (5275)"}},
		{"unknown zone", "-", "GET", "/zones/9999/", nil, nil, 404, "/zones/9999/", nil},
		{"eligibility", "-", "GET", "/fr/eligibility", nil, nil, 200, "/fr/eligibility", []string{"<legend class=\"legend\">Les faits se sont-ils passés en Belgique\u00a0?</legend>"}},
		{"eligibility unanswered", "-", "POST", "/fr/eligibility", url.Values{}, nil, 422, "/fr/eligibility", []string{`class="error-summary"`, `href="#in_belgium"`, `href="#author_known"`, `aria-describedby="in_belgium-error"`, "<title>Erreur:"}},
		{"eligibility violence", "-", "POST", "/en/eligibility", url.Values{"in_belgium": {"yes"}, "author_known": {"no"}, "violence": {"yes"}}, nil, 200, "/en/not-online", []string{"call 112", "call 101", "police station", "Nothing has been sent"}},
		{"eligibility author known", "-", "POST", "/nl/eligibility", url.Values{"in_belgium": {"yes"}, "author_known": {"yes"}, "violence": {"no"}}, nil, 200, "/nl/not-online", []string{"bel 112"}},
		{"a later page before its turn", "-", "GET", "/fr/when", nil, nil, 200, "/fr/eligibility", nil},
		{"three numbers", "three-numbers", "GET", "/fr/three-numbers", nil, nil, 200, "/fr/three-numbers", []string{`id="complainant-identification-national_number"`}},
		{"three numbers wrong", "three-numbers", "POST", "/fr/three-numbers", url.Values{"national_number": {"85073003329"}, "id_card_number": {"12"}, "sis_card_number": {marc.SIS}}, nil, 422, "/fr/three-numbers",
			[]string{`href="#complainant-identification-national_number"`, "chiffres de contrôle", `href="#complainant-identification-id_card_number"`, `value="85073003329"`}},
		{"about you birth date not the national number's", "about-you", "POST", "/en/about-you", merge(url.Values{"first_name": {"Marc"}, "last_name": {"Dubois"}}, dateValues("birth_date", time.Date(1985, 7, 31, 0, 0, 0, 0, time.UTC), false)), nil, 422, "/en/about-you",
			[]string{`href="#complainant-birth_date-day"`}},
		{"about you impossible date", "about-you", "POST", "/en/about-you", url.Values{"first_name": {"Marc"}, "last_name": {"Dubois"}, "birth_date.day": {"31"}, "birth_date.month": {"2"}, "birth_date.year": {"1985"}}, nil, 422, "/en/about-you", []string{"This date does not exist"}},
		{"name with a bidi override", "about-you", "POST", "/en/about-you", merge(url.Values{"first_name": {"Ma\u202erc"}, "last_name": {"Dubois"}}, dateValues("birth_date", time.Date(1985, 7, 30, 0, 0, 0, 0, time.UTC), false)), nil, 422, "/en/about-you",
			[]string{`href="#complainant-first_name"`, "invalid characters"}},
		{"fact type from the catalog", "fact-type", "GET", "/de/fact-type", nil, nil, 200, "/de/fact-type", []string{"Ladendiebstahl", "Beschädigung von Privateigentum", `<legend class="legend"><h1>`}},
		{"fact type unknown", "fact-type", "POST", "/de/fact-type", url.Values{"fact_type": {"murder"}}, nil, 422, "/de/fact-type", nil},
		{"when ends before it starts", "when", "POST", "/fr/when", merge(dateValues("start", time.Now().AddDate(0, 0, -1), true), dateValues("end", time.Now().AddDate(0, 0, -3), true)), nil, 422, "/fr/when", []string{`href="#facts-ended_at-day"`}},
		{"when a time that is not one", "when", "POST", "/fr/when", merge(dateValues("start", time.Now().AddDate(0, 0, -3), false), dateValues("end", time.Now().AddDate(0, 0, -2), false), url.Values{"start.time": {"25:00"}, "end.time": {"8"}}), nil, 422, "/fr/when", []string{"18:30"}},
		{"when the times are unknown", "when", "POST", "/fr/when", merge(dateValues("start", time.Now().AddDate(0, 0, -3), false), dateValues("end", time.Now().AddDate(0, 0, -2), false), url.Values{"time_unknown": {"yes"}}), nil, 200, "/fr/where", nil},
		{"where unknown postal code", "where", "POST", "/fr/where", url.Values{"postal_code": {"1001"}}, nil, 422, "/fr/where", []string{"Code postal inconnu"}},
		{"where several municipalities", "where", "POST", "/fr/where", url.Values{"postal_code": {"1348"}}, nil, 200, "/fr/municipality", []string{"Mont-Saint-Guibert", "Ottignies-Louvain-la-Neuve"}},
		{"street says the zone", "street", "GET", "/fr/street", nil, nil, 200, "/fr/street", []string{"zone de police Ottignies-Louvain-la-Neuve (5275)"}},
		{"details from the catalog", "details", "GET", "/en/details", nil, nil, 200, "/en/details", []string{`id="goods-0-brand"`, `name="d.goods.0.brand"`, `id="goods-0-frame_number"`, "(optional)", `id="goods-0-electric-no"`, "Bicycle 1", `name="add" value="goods"`}},
		{"details a value that is no number", "details", "POST", "/en/details", merge(bicycleDetails(), url.Values{"d.goods.0.value_eur": {"a lot"}}), nil, 422, "/en/details", []string{`href="#goods-0-value_eur"`, "Enter a number"}},
		{"description with a control character", "description", "POST", "/nl/description", url.Values{"description": {"Fiets\x07 gestolen"}}, nil, 422, "/nl/description", []string{`href="#facts-description"`, "ongeldige tekens"}},
		{"contact by post needs the address", "contact", "POST", "/en/contact", url.Values{"confirmation": {"post"}}, nil, 422, "/en/contact", []string{`href="#complainant-address-street"`}},
		{"recap", "", "GET", "/fr/check", nil, nil, 200, "/fr/check", []string{"Gazelle", "450 EUR", `href="/fr/details?change=1"`, "85073003328", "zone de police Ottignies"}},
		{"change link comes back to the recap", "", "POST", "/fr/description", url.Values{"description": {"Autre récit."}, "change": {"1"}}, nil, 200, "/fr/check", []string{"Autre récit."}},
		{"change page goes back to the recap", "", "GET", "/fr/description?change=1", nil, nil, 200, "/fr/description", []string{`name="change" value="1"`, `href="/fr/check" class="back"`}},
		{"receipt without filing", "-", "GET", "/fr/receipt", nil, nil, 200, "/fr/", nil},
		{"status form", "-", "GET", "/es/status", nil, nil, 200, "/es/status", []string{"Su número de referencia", `id="birth_date-day"`}},
		{"status not a reference", "-", "POST", "/en/status", merge(url.Values{"reference": {"hello"}}, dateValues("birth_date", time.Date(1985, 7, 30, 0, 0, 0, 0, time.UTC), false)), nil, 422, "/en/status", []string{"looks like 2026-K7M4-Q9XT"}},
		{"status unknown", "-", "POST", "/en/status", merge(url.Values{"reference": {"2026-AAAA-BBBB"}}, dateValues("birth_date", time.Date(1985, 7, 30, 0, 0, 0, 0, time.UTC), false)), nil, 404, "/en/status", []string{"No report with this number and date of birth"}},
		{"cross-site post refused", "-", "POST", "/fr/eligibility", url.Values{"in_belgium": {"yes"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "/fr/eligibility", []string{"Demande refusée"}},
		{"unknown page", "-", "GET", "/fr/nothing", nil, nil, 404, "/fr/nothing", []string{"Page introuvable"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := ts.browser()
			b.t = t
			if tc.upTo != "-" {
				lang := strings.Split(tc.path, "/")[1]
				b.answers(lang, tc.upTo)
			}
			var body *strings.Reader
			if tc.form != nil {
				body = strings.NewReader(tc.form.Encode())
			} else {
				body = strings.NewReader("")
			}
			req, _ := http.NewRequest(tc.method, ts.http.URL+tc.path, body)
			if tc.method == "POST" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			b.do(req).at(tc.at, tc.status)
			b.contains(tc.contains...)
			if !strings.Contains(b.body, "<main") {
				t.Errorf("not a page of the form:\n%s", b.body)
			}
		})
	}
}
