package citizen

import (
	"net/http"
	"strconv"
	"strings"

	"guichet/complaint"
)

// On whose behalf, witnesses and insurance: the parts of a complaint every
// type of facts may have. The citizen files for themself, for another
// person (who agreed; their identity is recorded) or for a company they
// represent (its KBO/BCE number is checked).

func buildBehalf(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("behalf_title")
	v.Caption = v.T("section_identity")
	kind := d.BehalfKind
	v.Components = []component{{Kind: "radios", ID: "on_behalf_of-kind", Name: "behalf", Label: v.Title, Heading: true, Choices: []choice{
		{ID: "on_behalf_of-kind", Value: complaint.BehalfSelf, Label: v.T("behalf_self"), Checked: kind == complaint.BehalfSelf},
		{ID: "on_behalf_of-kind-person", Value: complaint.BehalfPerson, Label: v.T("behalf_person"), Hint: v.T("behalf_person_hint"), Checked: kind == complaint.BehalfPerson},
		{ID: "on_behalf_of-kind-company", Value: complaint.BehalfCompany, Label: v.T("behalf_company"), Hint: v.T("behalf_company_hint"), Checked: kind == complaint.BehalfCompany},
	}}}
}

func saveBehalf(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	switch k := r.PostForm.Get("behalf"); k {
	case complaint.BehalfSelf, complaint.BehalfPerson, complaint.BehalfCompany:
		if k != d.BehalfKind {
			delete(d.done, "behalf-person")
			delete(d.done, "behalf-company")
		}
		d.BehalfKind = k
		return nil, false
	}
	return map[string]string{"on_behalf_of-kind": text(lang, "behalf_missing")}, false
}

func behalfIs(kind string) func(*Form, *Draft) bool {
	return func(f *Form, d *Draft) bool { return d.BehalfKind == kind }
}

func buildBehalfPerson(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("victim_title")
	v.Caption = v.T("section_identity")
	p := d.Victim
	v.Components = []component{
		{Kind: "input", ID: "on_behalf_of-person-first_name", Name: "first_name", Label: v.T("first_name"), Value: p.FirstName, Width: "w20"},
		{Kind: "input", ID: "on_behalf_of-person-last_name", Name: "last_name", Label: v.T("last_name"), Value: p.LastName, Width: "w20"},
		{Kind: "date", ID: "on_behalf_of-person-birth_date", Name: "birth_date", Label: v.T("birth_date"), Hint: v.T("birth_date_hint"), Date: p.BirthDate},
		{Kind: "input", ID: "on_behalf_of-person-national_number", Name: "national_number", Label: v.T("national_number") + " " + v.T("optional"),
			Hint: v.T("national_number_hint"), Value: p.NationalNumber, InputMode: "numeric", Width: "w20"},
		{Kind: "checkbox", ID: "on_behalf_of-person-consent", Name: "consent", Value: "yes", Label: v.T("victim_consent"), Checked: p.Consent},
	}
}

func saveBehalfPerson(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	q := r.PostForm
	d.Victim = victimInput{FirstName: q.Get("first_name"), LastName: q.Get("last_name"), BirthDate: readDate(r, "birth_date"),
		NationalNumber: q.Get("national_number"), Consent: q.Get("consent") == "yes"}
	_, errs := f.checkPage(d, lang, "on_behalf_of")
	if msg, bad := dateProblem(lang, d.Victim.BirthDate); bad {
		errs["on_behalf_of-person-birth_date"] = msg
	}
	if !d.Victim.Consent {
		errs["on_behalf_of-person-consent"] = text(lang, "victim_consent_missing")
	}
	return errs, false
}

func buildBehalfCompany(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("company_title")
	v.Caption = v.T("section_identity")
	c := d.Company
	v.Components = []component{
		{Kind: "input", ID: "on_behalf_of-company-name", Name: "name", Label: v.T("company_name"), Value: c.Name, Autocomplete: "organization", Width: "w20"},
		{Kind: "input", ID: "on_behalf_of-company-enterprise_number", Name: "enterprise_number", Label: v.T("company_number"),
			Hint: v.T("enterprise_number_hint"), Value: c.EnterpriseNumber, InputMode: "numeric", Width: "w10"},
		{Kind: "input", ID: "on_behalf_of-company-role", Name: "role", Label: v.T("company_role") + " " + v.T("optional"),
			Hint: v.T("company_role_hint"), Value: c.Role, Autocomplete: "organization-title", Width: "w20"},
	}
}

func saveBehalfCompany(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	q := r.PostForm
	d.Company = complaint.Company{Name: q.Get("name"), EnterpriseNumber: q.Get("enterprise_number"), Role: q.Get("role")}
	_, errs := f.checkPage(d, lang, "on_behalf_of")
	return errs, false
}

// witnessInput is a witness as typed.
type witnessInput struct{ LastName, FirstName, BirthDate, Phone string }

func (w witnessInput) empty() bool {
	return strings.TrimSpace(w.LastName+w.FirstName+w.BirthDate+w.Phone) == ""
}

// victimInput is the person filed for, as typed.
type victimInput struct {
	FirstName, LastName, NationalNumber string
	BirthDate                           dateInput
	Consent                             bool
}

func buildWitnesses(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("witnesses_title")
	v.Caption = v.T("section_facts")
	v.Lead = []string{v.T("witnesses_lead")}
	list := component{Kind: "list", ID: "witnesses", Label: v.T("witnesses_list")}
	rows := d.WitnessRows
	if rows < 1 {
		rows = 1
	}
	for i := 0; i < rows; i++ {
		var w witnessInput
		if i < len(d.Witnesses) {
			w = d.Witnesses[i]
		}
		n := strconv.Itoa(i)
		id := "witnesses-" + n
		row := component{Kind: "group", ID: id, Label: textf(v.Lang, "witness_n", i+1), Children: []component{
			{Kind: "input", ID: id + "-last_name", Name: "w." + n + ".last_name", Label: v.T("last_name"), Value: w.LastName, Width: "w20"},
			{Kind: "input", ID: id + "-first_name", Name: "w." + n + ".first_name", Label: v.T("first_name") + " " + v.T("optional"), Value: w.FirstName, Width: "w20"},
			{Kind: "input", ID: id + "-birth_date", Name: "w." + n + ".birth_date", Label: v.T("birth_date") + " " + v.T("optional"), Hint: v.T("witness_birth_hint"), Value: w.BirthDate, Width: "w10"},
			{Kind: "input", ID: id + "-phone", Name: "w." + n + ".phone", Type: "tel", Label: v.T("phone") + " " + v.T("optional"), Value: w.Phone, Width: "w20"},
		}}
		if rows > 1 {
			row.Remove = &button{Name: "remove", Value: n, Label: textf(v.Lang, "witness_remove", i+1)}
		}
		list.Children = append(list.Children, row)
	}
	if rows < maxWitnessRows {
		list.Add = &button{Name: "add", Value: "witness", Label: v.T("witness_add")}
	}
	v.Components = []component{list}
}

// maxWitnessRows bounds the witness rows a page shows.
const maxWitnessRows = 20

func saveWitnesses(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	rows := d.WitnessRows
	if rows < 1 {
		rows = 1
	}
	var ws []witnessInput
	for i := 0; i < rows; i++ {
		n := "w." + strconv.Itoa(i) + "."
		w := witnessInput{LastName: r.PostForm.Get(n + "last_name"), FirstName: r.PostForm.Get(n + "first_name"),
			BirthDate: r.PostForm.Get(n + "birth_date"), Phone: r.PostForm.Get(n + "phone")}
		if rm := r.PostForm.Get("remove"); rm == strconv.Itoa(i) {
			continue
		}
		if !w.empty() {
			ws = append(ws, w)
		}
	}
	d.Witnesses = ws
	d.WitnessRows = max(len(ws), 1)
	if r.PostForm.Get("add") == "witness" && d.WitnessRows < maxWitnessRows {
		d.WitnessRows = len(ws) + 1
		return nil, true
	}
	if r.PostForm.Get("remove") != "" {
		return nil, true
	}
	_, errs := f.checkPage(d, lang, "witnesses")
	return errs, false
}

func buildInsurance(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("insurance_title")
	v.Caption = v.T("section_facts")
	v.Lead = []string{v.T("insurance_lead")}
	v.Components = []component{
		{Kind: "input", ID: "insurance-company", Name: "company", Label: v.T("insurance_company") + " " + v.T("optional"), Value: d.Insurance.Company, Width: "w20"},
		{Kind: "input", ID: "insurance-policy_number", Name: "policy_number", Label: v.T("insurance_policy") + " " + v.T("optional"), Value: d.Insurance.PolicyNumber, Width: "w20"},
	}
}

func saveInsurance(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	d.Insurance = complaint.Insurance{Company: r.PostForm.Get("company"), PolicyNumber: r.PostForm.Get("policy_number")}
	_, errs := f.checkPage(d, lang, "insurance")
	return errs, false
}

// witnessDate reads a witness's birth date as typed ("30/07/1985",
// "30.7.1985", "1985-07-30") into YYYY-MM-DD; anything else is passed on
// for validation to refuse.
func witnessDate(s string) string {
	s = strings.TrimSpace(s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' || r == ' ' })
	if len(parts) == 3 && len(parts[0]) <= 2 {
		in := dateInput{Day: parts[0], Month: parts[1], Year: parts[2]}
		if _, _, _, ok := in.date(); ok {
			return in.iso()
		}
	}
	return s
}
