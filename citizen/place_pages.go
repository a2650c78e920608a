package citizen

import (
	"fmt"
	"net/http"
	"strings"

	"guichet/complaint"
	"guichet/i18n"
)

// The place of the facts decides the zone: postal code, then the
// municipality when the postal code covers several, then the street. The
// street page says which zone will receive the complaint, from the portal's
// router.

func buildWhere(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("where_title")
	v.Caption = v.T("section_place")
	v.Components = []component{{Kind: "input", ID: "facts-place-postal_code", Name: "postal_code",
		Label: v.Title, Hint: v.T("where_hint"), Value: d.PostalCode, InputMode: "numeric", Width: "w4", Heading: true}}
}

func saveWhere(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	pc := r.PostForm.Get("postal_code")
	const id = "facts-place-postal_code"
	clean, ok := complaint.CleanText(pc, complaint.TextName)
	switch {
	case clean == "":
		d.PostalCode = pc
		return map[string]string{id: i18n.For(submissionLanguage(lang)).Message(complaint.ErrRequired)}, false
	case !ok:
		d.PostalCode = pc
		return map[string]string{id: msgCode(lang, complaint.ErrInvalidText)}, false
	}
	munis := f.srv.Router().PostalCodeMunicipalities(clean)
	if len(munis) == 0 {
		d.PostalCode = pc
		code := complaint.ErrUnknownPostalCode
		if len(clean) != 4 || strings.Trim(clean, "0123456789") != "" {
			code = complaint.ErrInvalidPostalCode
		}
		return map[string]string{id: msgCode(lang, code)}, false
	}
	if clean != d.PostalCode {
		d.Municipality = ""
		delete(d.done, "municipality")
		delete(d.done, "street")
	}
	d.PostalCode = clean
	if len(munis) == 1 {
		d.Municipality = munis[0].Name
	}
	return nil, false
}

// msgCode is the validation message of a code in the page's language.
func msgCode(lang, code string) string {
	return i18n.For(lang).Message(code)
}

func needsMunicipality(f *Form, d *Draft) bool {
	return len(f.srv.Router().PostalCodeMunicipalities(d.PostalCode)) > 1
}

func buildMunicipality(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("municipality_title")
	v.Caption = v.T("section_place")
	c := component{Kind: "radios", ID: "facts-place-municipality", Name: "municipality", Label: v.Title,
		Hint: fmt.Sprintf(v.T("municipality_hint"), d.PostalCode), Heading: true}
	for i, m := range f.srv.Router().PostalCodeMunicipalities(d.PostalCode) {
		id := "facts-place-municipality-" + m.NIS
		if i == 0 {
			id = c.ID
		}
		c.Choices = append(c.Choices, choice{ID: id, Value: m.Name, Label: m.Name, Checked: d.Municipality == m.Name})
	}
	v.Components = []component{c}
}

func saveMunicipality(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	name := r.PostForm.Get("municipality")
	for _, m := range f.srv.Router().PostalCodeMunicipalities(d.PostalCode) {
		if m.Name == name {
			d.Municipality = name
			return nil, false
		}
	}
	return map[string]string{"facts-place-municipality": text(lang, "municipality_missing")}, false
}

// zoneNotice says which zone will receive the complaint, when the place
// routes.
func (f *Form) zoneNotice(lang string, d *Draft) string {
	z, err := f.srv.Router().Route(complaint.Place{PostalCode: d.PostalCode, Municipality: d.Municipality})
	if err != nil {
		return ""
	}
	return fmt.Sprintf(text(lang, "zone_notice"), zoneName(z))
}

func zoneName(z complaint.Zone) string {
	if z.Provisional || z.Code == "" {
		return z.Name
	}
	return z.Name + " (" + z.Code + ")"
}

func buildStreet(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("street_title")
	v.Caption = v.T("section_place")
	v.Lead = []string{strings.TrimSpace(d.PostalCode + " " + d.Municipality)}
	v.Notice = f.zoneNotice(v.Lang, d)
	v.Components = []component{
		{Kind: "input", ID: "facts-place-street", Name: "street", Label: v.T("street"), Hint: v.T("street_hint"), Value: d.Street, Width: "w20"},
		{Kind: "input", ID: "facts-place-number", Name: "number", Label: v.T("house_number"), Hint: v.T("house_number_hint"), Value: d.Number, Width: "w4"},
	}
}

func saveStreet(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	d.Street = r.PostForm.Get("street")
	d.Number = r.PostForm.Get("number")
	_, errs := f.checkPage(d, lang, "facts.place")
	if msg, ok := errs["facts-place"]; ok {
		// The place as a whole does not route (the municipality no longer
		// matches): say it on the street, the field of this page.
		delete(errs, "facts-place")
		errs["facts-place-street"] = msg
	}
	return errs, false
}
