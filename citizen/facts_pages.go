package citizen

import (
	"net/http"

	"guichet/complaint"
)

// The pages about the facts: their type (from the catalog), when they
// happened, and the citizen's own account.

func buildFactType(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("fact_type_title")
	v.Caption = v.T("section_facts")
	c := component{Kind: "radios", ID: "fact_type", Name: "fact_type", Label: v.Title, Heading: true}
	for i, ft := range complaint.Catalog() {
		id := "fact_type-" + ft.Key
		if i == 0 {
			id = "fact_type"
		}
		c.Choices = append(c.Choices, choice{ID: id, Value: ft.Key, Label: ft.Label(v.Lang), Checked: d.FactType == ft.Key})
	}
	v.Components = []component{c}
}

func saveFactType(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	key := r.PostForm.Get("fact_type")
	if _, ok := complaint.LookupFactType(key); !ok {
		return map[string]string{"fact_type": text(lang, "fact_type_missing")}, false
	}
	if key != d.FactType {
		// Another type asks other details.
		d.FactType = key
		d.Details = map[string]string{}
		d.ItemRows = map[string]int{}
		delete(d.done, "details")
		if d.TimeUnknown && !timeUnknownAllowed(d) {
			// This type needs the times: ask them again.
			d.TimeUnknown = false
			delete(d.done, "when")
		}
	}
	return nil, false
}

// timeUnknownAllowed reports whether the draft's type of facts lets the
// citizen give whole days (the catalog's TimeUnknownAllowed).
func timeUnknownAllowed(d *Draft) bool {
	ft, ok := complaint.LookupFactType(d.FactType)
	return ok && ft.TimeUnknownAllowed
}

func buildWhen(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("when_title")
	v.Caption = v.T("section_facts")
	v.Lead = []string{v.T("when_lead")}
	v.Components = []component{
		{Kind: "datetime", ID: "facts-started_at", Name: "start", Label: v.T("when_start"), Hint: v.T("when_hint"),
			Date: d.Start.dateInput, Time: d.Start.Time},
		{Kind: "datetime", ID: "facts-ended_at", Name: "end", Label: v.T("when_end"), Hint: v.T("when_hint"),
			Date: d.End.dateInput, Time: d.End.Time},
	}
	if timeUnknownAllowed(d) {
		v.Components = append(v.Components, component{Kind: "checkbox", ID: "time_unknown", Name: "time_unknown",
			Label: v.T("when_time_unknown"), Hint: v.T("when_time_unknown_hint"), Value: "yes", Checked: d.TimeUnknown})
	}
}

func readDateTime(r *http.Request, name string) dateTimeInput {
	return dateTimeInput{dateInput: readDate(r, name), Time: r.PostForm.Get(name + ".time")}
}

func saveWhen(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	d.Start = readDateTime(r, "start")
	d.End = readDateTime(r, "end")
	// A type whose times must be given ignores the box (not on its page).
	allowed := timeUnknownAllowed(d)
	d.TimeUnknown = allowed && r.PostForm.Get("time_unknown") == "yes"
	badTime := text(lang, "time_invalid")
	if !allowed {
		badTime = text(lang, "time_required")
	}
	_, errs := f.checkPage(d, lang, "facts.started_at", "facts.ended_at")
	for id, in := range map[string]dateTimeInput{"facts-started_at": d.Start, "facts-ended_at": d.End} {
		if msg, bad := dateProblem(lang, in.dateInput); bad {
			errs[id] = msg
			continue
		}
		if !in.empty() && !d.TimeUnknown {
			if _, _, ok := clock(in.Time); !ok {
				errs[id] = badTime
			}
		}
	}
	return errs, false
}

func buildDescription(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("description_title")
	v.Caption = v.T("section_facts")
	v.Components = []component{{Kind: "textarea", ID: "facts-description", Name: "description",
		Label: v.Title, Hint: v.T("description_hint"), Value: d.Description, Heading: true, Spellcheck: true}}
}

func saveDescription(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	d.Description = r.PostForm.Get("description")
	_, errs := f.checkPage(d, lang, "facts.description")
	return errs, false
}
