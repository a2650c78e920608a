package citizen

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"guichet/complaint"
	"guichet/fas"
)

// Identifier logs citizens in at the federal authentication service (eID
// card, federal token, itsme): *fas.RelyingParty.
type Identifier interface {
	Begin(ctx context.Context, lang string) (authURL string, p fas.Pending, err error)
	// BeginAt is Begin with another of the registered callbacks
	// (fas.ErrUnknownRedirect when it is not one).
	BeginAt(ctx context.Context, redirectURL, lang string) (authURL string, p fas.Pending, err error)
	Finish(ctx context.Context, p fas.Pending, query url.Values) (fas.Identity, error)
}

// assertionTTL is how long the assertion the form signs for an identity
// stays valid: the portal accepts at most an hour, and the draft itself
// lives at most an hour idle.
const assertionTTL = time.Hour

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
	if d.Identity != nil {
		// From the FAS to the three numbers: the certified names go too.
		d.FirstName, d.LastName, d.BirthDate = "", "", dateInput{}
		delete(d.done, "about-you")
	}
	d.Method = complaint.MethodThreeNumbers
	d.Identity = nil
	return nil, false
}

// handleIdentifyStart sends the browser to the provider; what Finish
// needs to check its answer stays in the session.
func (f *Form) handleIdentifyStart(w http.ResponseWriter, r *http.Request, lang string) {
	if f.opts.Identifier == nil {
		f.notFound(w, r, lang)
		return
	}
	sess, ok := f.sessionDraft(w, r, lang)
	if !ok {
		return
	}
	if sess.draft == nil {
		sess.draft = f.newDraft(r)
	}
	if sess.draft.Framed {
		http.Redirect(w, r, "/"+lang+"/three-numbers", http.StatusSeeOther)
		return
	}
	authURL, pending, err := f.beginIdentification(r, lang)
	if err != nil {
		f.log.Error("identification start", "err", err)
		f.identifyFailed(w, r, lang, err)
		return
	}
	sess.draft.pendingID = &pending
	http.Redirect(w, r, authURL, http.StatusSeeOther)
}

// callbackPath is where the provider sends the citizen back.
const callbackPath = "/auth/callback"

// beginIdentification starts a login whose callback is on the host name
// the citizen used: the session cookie belongs to that name (localhost and
// 127.0.0.1 are two sites to a browser). A host name that is not a
// registered callback (a proxy's internal name) gets the default one.
func (f *Form) beginIdentification(r *http.Request, lang string) (string, fas.Pending, error) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	here := (&url.URL{Scheme: scheme, Host: r.Host, Path: callbackPath}).String()
	authURL, pending, err := f.opts.Identifier.BeginAt(r.Context(), here, lang)
	if errors.Is(err, fas.ErrUnknownRedirect) {
		return f.opts.Identifier.Begin(r.Context(), lang)
	}
	return authURL, pending, err
}

// identifyFailed says, in the citizen's words, why the identification did
// not work, and offers to try again or to use the three numbers.
func (f *Form) identifyFailed(w http.ResponseWriter, r *http.Request, lang string, err error) {
	v := f.newView(r, lang, text(lang, "fas_error_title"))
	var fe *fas.Error
	if errors.As(err, &fe) {
		v.Lead = append(v.Lead, fe.Message(lang))
	}
	v.Lead = append(v.Lead, text(lang, "fas_error_body"))
	v.Data = messageData{Start: "/" + lang + "/identification", StartLabel: text(lang, "fas_try_again")}
	f.render(w, http.StatusBadRequest, tmplMessage, v)
}

// handleIdentifyCallback is where the provider sends the citizen back
// (the RedirectURL registered at the FAS: /auth/callback).
func (f *Form) handleIdentifyCallback(w http.ResponseWriter, r *http.Request) {
	lang := pickLanguage(r)
	sess, expired, err := f.existing(w, r, lang)
	if err != nil {
		return
	}
	if sess == nil {
		if expired {
			http.Redirect(w, r, "/"+lang+"/expired", http.StatusSeeOther)
			return
		}
		f.identifyFailed(w, r, lang, nil)
		return
	}
	d := sess.draft
	if d == nil || d.pendingID == nil || f.opts.Identifier == nil {
		f.identifyFailed(w, r, lang, nil)
		return
	}
	pending := *d.pendingID
	d.pendingID = nil // single use, whatever the outcome
	if knownLanguage(pending.Language) {
		lang = pending.Language
	}
	id, err := f.opts.Identifier.Finish(r.Context(), pending, r.URL.Query())
	if err != nil {
		f.log.Warn("identification refused", "err", err)
		f.identifyFailed(w, r, lang, err)
		return
	}
	d.Identity = &id
	d.Method = id.ComplaintMethod()
	d.FirstName, d.LastName = id.FirstName, id.LastName
	if id.BirthDate != "" {
		d.BirthDate = dateInputOf(id.BirthDate)
	}
	d.NationalNumber, d.IDCardNumber, d.SISCardNumber = "", "", ""
	d.done["identification"] = true
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
	d.NationalNumber = r.PostForm.Get("national_number")
	d.IDCardNumber = r.PostForm.Get("id_card_number")
	d.SISCardNumber = r.PostForm.Get("sis_card_number")
	_, errs := f.checkPage(d, lang, "complainant.identification")
	return errs, false
}

func buildAboutYou(f *Form, v *view, d *Draft, errs map[string]string) {
	v.Title = v.T("about_you_title")
	v.Caption = v.T("section_identity")
	birth := component{Kind: "date", ID: "complainant-birth_date", Name: "birth_date", Label: v.T("birth_date"),
		Hint: v.T("birth_date_hint"), Date: d.BirthDate, Autocomplete: "bday"}
	if d.Identity != nil {
		// The FAS gave the names but not the birth date.
		v.Title = v.T("birth_date")
		v.Lead = []string{d.FirstName + " " + d.LastName}
		v.Components = []component{birth}
		return
	}
	v.Components = []component{
		{Kind: "input", ID: "complainant-first_name", Name: "first_name", Label: v.T("first_name"),
			Value: d.FirstName, Autocomplete: "given-name", Width: "w20"},
		{Kind: "input", ID: "complainant-last_name", Name: "last_name", Label: v.T("last_name"),
			Value: d.LastName, Autocomplete: "family-name", Width: "w20"},
		birth,
	}
}

func saveAboutYou(f *Form, r *http.Request, lang string, d *Draft) (map[string]string, bool) {
	if d.Identity == nil {
		d.FirstName = r.PostForm.Get("first_name")
		d.LastName = r.PostForm.Get("last_name")
	}
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
