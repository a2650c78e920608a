package citizen

import (
	"net/http"
	"net/url"
	"strings"

	"guichet/complaint"
)

// Identity is what the federal authentication service certified about the
// citizen. The portal verifies Assertion again at intake.
type Identity struct {
	Method    string // complaint.MethodEID or complaint.MethodToken
	Assertion string
	FirstName string
	LastName  string
	BirthDate string // YYYY-MM-DD
}

// Identifier identifies citizens through the federal authentication
// service (eID card, itsme): the browser goes to the provider and comes
// back to /identify/callback.
type Identifier interface {
	// AuthURL is the provider's page for one identification; pending is
	// what the callback needs to check the answer (state, nonce, PKCE
	// verifier), kept in the session.
	AuthURL(callback string, lang string) (authURL, pending string, err error)
	// Callback checks the provider's answer against pending and returns
	// the certified identity.
	Callback(r *http.Request, callback, pending string) (Identity, error)
}

// buildIdentification offers the federal authentication service (a link:
// the provider is another site) or the three numbers (a button of this
// form).
func buildIdentification(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("identification_title")
	v.Caption = v.T("section_identity")
	v.Lead = []string{v.T("identification_lead")}
	v.Links = []link{{Href: "/" + v.Lang + "/identify/fas", Label: v.T("identification_fas"), Hint: v.T("identification_fas_hint")}}
	v.Button = v.T("identification_three_numbers")
}

func saveIdentification(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	d.Method = complaint.MethodThreeNumbers
	d.Identity = nil
	return nil, false
}

// handleIdentifyStart sends the browser to the provider.
func (f *Form) handleIdentifyStart(w http.ResponseWriter, r *http.Request, lang string) {
	if f.opts.Identifier == nil {
		f.notFound(w, r, lang)
		return
	}
	sess, ok := f.sessionDraft(w, r, lang)
	if !ok {
		return
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	if sess.draft == nil {
		sess.draft = newDraft()
	}
	authURL, pending, err := f.opts.Identifier.AuthURL(callbackURL(r), lang)
	if err != nil {
		f.log.Error("identification start", "err", err)
		f.renderMessage(w, r, lang, http.StatusBadGateway, "fas_error_title", "fas_error_body")
		return
	}
	sess.draft.pendingID = lang + " " + pending
	http.Redirect(w, r, authURL, http.StatusSeeOther)
}

// callbackURL is where the provider sends the citizen back.
func callbackURL(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && loopbackRequest(r) {
		scheme = "http"
	}
	return (&url.URL{Scheme: scheme, Host: r.Host, Path: "/identify/callback"}).String()
}

func (f *Form) handleIdentifyCallback(w http.ResponseWriter, r *http.Request) {
	lang := pickLanguage(r)
	sess, expired := f.existing(r)
	if sess == nil {
		if expired {
			http.Redirect(w, r, "/"+lang+"/expired", http.StatusSeeOther)
			return
		}
		f.renderMessage(w, r, lang, http.StatusBadRequest, "fas_error_title", "fas_error_body")
		return
	}
	sess.mu.Lock()
	defer sess.mu.Unlock()
	d := sess.draft
	if d == nil || d.pendingID == "" || f.opts.Identifier == nil {
		f.renderMessage(w, r, lang, http.StatusBadRequest, "fas_error_title", "fas_error_body")
		return
	}
	lang, pending, _ := strings.Cut(d.pendingID, " ")
	d.pendingID = "" // one answer per start
	id, err := f.opts.Identifier.Callback(r, callbackURL(r), pending)
	if err != nil {
		f.log.Warn("identification refused", "err", err)
		f.renderMessage(w, r, lang, http.StatusBadRequest, "fas_error_title", "fas_error_body")
		return
	}
	d.Identity = &id
	d.Method = id.Method
	d.FirstName, d.LastName = id.FirstName, id.LastName
	d.BirthDate = dateInputOf(id.BirthDate)
	d.NationalNumber, d.IDCardNumber, d.SISCardNumber = "", "", ""
	http.Redirect(w, r, f.stepPath(lang, f.firstOpen(d)), http.StatusSeeOther)
}

func buildThreeNumbers(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("three_numbers_title")
	v.Caption = v.T("section_identity")
	v.Lead = []string{v.T("three_numbers_lead")}
	v.Components = []component{
		{Kind: "input", ID: "complainant-identification-national_number", Name: "national_number",
			Label: v.T("national_number"), Hint: v.T("national_number_hint"), Value: d.NationalNumber,
			InputMode: "numeric", Width: "w20"},
		{Kind: "input", ID: "complainant-identification-id_card_number", Name: "id_card_number",
			Label: v.T("id_card_number"), Hint: v.T("id_card_number_hint"), Value: d.IDCardNumber,
			InputMode: "numeric", Width: "w20"},
		{Kind: "input", ID: "complainant-identification-sis_card_number", Name: "sis_card_number",
			Label: v.T("sis_card_number"), Hint: v.T("sis_card_number_hint"), Value: d.SISCardNumber,
			InputMode: "numeric", Width: "w20"},
	}
}

func saveThreeNumbers(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	d.Method = complaint.MethodThreeNumbers
	d.Identity = nil
	d.NationalNumber = r.PostForm.Get("national_number")
	d.IDCardNumber = r.PostForm.Get("id_card_number")
	d.SISCardNumber = r.PostForm.Get("sis_card_number")
	_, errs := f.checkPage(d, lang, "complainant.identification")
	return errs, false
}

func buildAboutYou(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("about_you_title")
	v.Caption = v.T("section_identity")
	v.Components = []component{
		{Kind: "input", ID: "complainant-first_name", Name: "first_name", Label: v.T("first_name"),
			Value: d.FirstName, Autocomplete: "given-name", Width: "w20"},
		{Kind: "input", ID: "complainant-last_name", Name: "last_name", Label: v.T("last_name"),
			Value: d.LastName, Autocomplete: "family-name", Width: "w20"},
		{Kind: "date", ID: "complainant-birth_date", Name: "birth_date", Label: v.T("birth_date"),
			Hint: v.T("birth_date_hint"), Date: d.BirthDate, Autocomplete: "bday"},
	}
}

func saveAboutYou(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	d.FirstName = r.PostForm.Get("first_name")
	d.LastName = r.PostForm.Get("last_name")
	d.BirthDate = readDate(r, "birth_date")
	_, errs := f.checkPage(d, lang, "complainant.first_name", "complainant.last_name", "complainant.birth_date")
	if msg, bad := dateProblem(lang, d.BirthDate); bad {
		errs["complainant-birth_date"] = msg
	}
	return errs, false
}

func readDate(r *http.Request, name string) dateInput {
	return dateInput{Day: r.PostForm.Get(name + ".day"), Month: r.PostForm.Get(name + ".month"), Year: r.PostForm.Get(name + ".year")}
}

// dateProblem is the form's own message for boxes that do not make a date
// (validation would only say "not a date" of the joined text).
func dateProblem(lang string, d dateInput) (string, bool) {
	if d.empty() {
		return "", false
	}
	if _, _, _, ok := d.date(); !ok {
		return text(lang, "date_invalid"), true
	}
	return "", false
}
