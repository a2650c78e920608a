package citizen

import (
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/portal"
)

// TestStatusPageInEveryLanguage: the status of a complaint is shown in the
// language of the page the citizen chose (the language switch is on every
// page), whatever language it was filed in: every status — received, taken
// in charge, handled with its PV number, refused with its reason,
// forwarded to another zone — in each of the five languages, with the
// type of facts and the explanation in that language and no status word
// of another language.
func TestStatusPageInEveryLanguage(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{StatusLookupLimit: portal.RateLimit{Burst: 100, Per: time.Hour}})
	token := ts.officer("5275")
	refs := map[complaint.Status]string{}
	for _, st := range []complaint.Status{complaint.StatusNew, complaint.StatusClaimed, complaint.StatusHandled, complaint.StatusRejected, complaint.StatusForwarded} {
		ref := ts.browser().fileBicycleTheft("fr")
		refs[st] = ref
		if st != complaint.StatusNew {
			ts.officerAction(token, ref, `{"type":"claim"}`)
		}
		switch st {
		case complaint.StatusHandled:
			ts.officerAction(token, ref, `{"type":"handle","pv_number":"NI.55.L5.012345/2026"}`)
		case complaint.StatusRejected:
			ts.officerAction(token, ref, `{"type":"reject","reason":"Hors compétence"}`)
		case complaint.StatusForwarded:
			ts.officerAction(token, ref, `{"type":"forward","to_zone":"5339","reason":"Lieu à Bruxelles"}`)
		}
	}
	birth := dateValues("birth_date", time.Date(1985, 7, 30, 0, 0, 0, 0, time.UTC), false)
	ft, _ := complaint.LookupFactType("bicycle_theft")
	for _, lang := range i18n.Languages() {
		for st, ref := range refs {
			b := ts.browser()
			p := "/" + lang + "/status"
			b.post(p, merge(url.Values{"reference": {ref}}, birth)).at(p, 200)
			explain := text(lang, "status_explain."+string(st))
			if st == complaint.StatusForwarded {
				explain = strings.SplitN(explain, "%s", 2)[0]
			}
			b.contains(`<html lang="`+lang+`"`, html.EscapeString(text(lang, "status_result_title")),
				html.EscapeString(text(lang, "status."+string(st))), html.EscapeString(ft.Label(lang)), html.EscapeString(explain))
			switch st {
			case complaint.StatusHandled:
				b.contains(html.EscapeString(text(lang, "status_pv")), "NI.55.L5.012345/2026")
			case complaint.StatusRejected:
				b.contains(html.EscapeString(text(lang, "status_reason")), "Hors compétence")
			case complaint.StatusForwarded:
				b.contains(html.EscapeString(text(lang, "status_forwarded_to")), "(5339)")
			}
			for _, other := range i18n.Languages() {
				word := text(other, "status."+string(st))
				if other != lang && word != text(lang, "status."+string(st)) && strings.Contains(b.body, ">"+html.EscapeString(word)+"<") {
					t.Errorf("%s %s: the page shows the %s status %q", lang, st, other, word)
				}
			}
		}
	}
}
