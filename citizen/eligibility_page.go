package citizen

import (
	"net/http"
)

// The eligibility questions come first, as on the real Police-on-Web: the
// facts happened in Belgium, the author is unknown, and nobody was hurt or
// threatened. Any other answer means the police must be called or visited;
// the form then says how and files nothing.

func yesNo(lang, id, label, hint, value string) component {
	return component{Kind: "radios", ID: id, Name: id, Label: label, Hint: hint, Choices: []choice{
		{ID: id, Value: "yes", Label: text(lang, "yes"), Checked: value == "yes"},
		{ID: id + "-no", Value: "no", Label: text(lang, "no"), Checked: value == "no"},
	}}
}

func buildEligibility(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("eligibility_title")
	v.Lead = []string{v.T("eligibility_lead")}
	v.Components = []component{
		yesNo(v.Lang, "in_belgium", v.T("eligibility_belgium"), "", d.InBelgium),
		yesNo(v.Lang, "author_known", v.T("eligibility_author"), v.T("eligibility_author_hint"), d.AuthorKnown),
		yesNo(v.Lang, "violence", v.T("eligibility_violence"), v.T("eligibility_violence_hint"), d.Violence),
	}
}

func saveEligibility(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	errs := map[string]string{}
	read := func(name, missingKey string) string {
		v := r.PostForm.Get(name)
		if v != "yes" && v != "no" {
			errs[name] = text(lang, missingKey)
			return ""
		}
		return v
	}
	d.InBelgium = read("in_belgium", "eligibility_belgium_missing")
	d.AuthorKnown = read("author_known", "eligibility_author_missing")
	d.Violence = read("violence", "eligibility_violence_missing")
	return errs, false
}

// eligible reports whether the answers allow filing online.
func (d *Draft) eligible() bool {
	return d.InBelgium == "yes" && d.AuthorKnown == "no" && d.Violence == "no"
}

// handleNotOnline says to call or go to the police: nothing was filed.
func (f *Form) handleNotOnline(w http.ResponseWriter, r *http.Request, lang string) {
	v := f.newView(r, lang, text(lang, "not_online_title"))
	v.Lead = []string{text(lang, "not_online_body")}
	sess, _, err := f.existing(w, r, lang)
	if err != nil {
		return
	}
	if sess != nil {
		if d := sess.draft; d != nil {
			switch {
			case d.InBelgium == "no":
				v.Lead = append(v.Lead, text(lang, "not_online_abroad"))
			case d.Violence == "yes":
				v.Lead = append(v.Lead, text(lang, "not_online_violence"))
			case d.AuthorKnown == "yes":
				v.Lead = append(v.Lead, text(lang, "not_online_author"))
			}
		}
	}
	v.Back = "/" + lang + "/eligibility"
	v.Data = messageData{Emergency: true, Start: "/" + lang + "/eligibility", StartLabel: text(lang, "not_online_change")}
	f.render(w, http.StatusOK, tmplMessage, v)
}
