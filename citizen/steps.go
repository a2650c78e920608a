package citizen

import (
	"net/http"
	"strings"

	"guichet/complaint"
	"guichet/i18n"
)

// step is one page of the flow: what it asks (build) and how it reads and
// checks the answers (save). A step that does not apply to a draft (the
// municipality choice when the postal code covers one) is skipped.
type step struct {
	name    string
	applies func(f *Form, d *Draft) bool
	// build makes the page's view from the draft; errs holds messages
	// by component id.
	build func(f *Form, v *view, d *Draft, errs map[string]string)
	// save reads the posted answers into the draft and checks them; it
	// returns the messages by component id (none: the page is answered).
	// A "stay" answer (a row added to a list) re-shows the page.
	save func(f *Form, r *http.Request, lang string, d *Draft) (errs map[string]string, stay bool)
}

func always(*Form, *Draft) bool { return true }

// flow is the order of the pages before the recap.
var flow []step

func init() {
	flow = []step{
		{name: "eligibility", applies: always, build: buildEligibility, save: saveEligibility},
		{name: "identification", applies: func(f *Form, d *Draft) bool { return f.opts.Identifier != nil && !d.Framed }, build: buildIdentification, save: saveIdentification},
		{name: "three-numbers", applies: func(f *Form, d *Draft) bool { return d.Identity == nil }, build: buildThreeNumbers, save: saveThreeNumbers},
		{name: "about-you", applies: func(f *Form, d *Draft) bool { return d.Identity == nil || d.Identity.BirthDate == "" }, build: buildAboutYou, save: saveAboutYou},
		{name: "behalf", applies: always, build: buildBehalf, save: saveBehalf},
		{name: "behalf-person", applies: behalfIs(complaint.BehalfPerson), build: buildBehalfPerson, save: saveBehalfPerson},
		{name: "behalf-company", applies: behalfIs(complaint.BehalfCompany), build: buildBehalfCompany, save: saveBehalfCompany},
		{name: "fact-type", applies: always, build: buildFactType, save: saveFactType},
		{name: "when", applies: always, build: buildWhen, save: saveWhen},
		{name: "where", applies: always, build: buildWhere, save: saveWhere},
		{name: "municipality", applies: needsMunicipality, build: buildMunicipality, save: saveMunicipality},
		{name: "street", applies: always, build: buildStreet, save: saveStreet},
		{name: "details", applies: hasDetails, build: buildDetails, save: saveDetails},
		{name: "description", applies: always, build: buildDescription, save: saveDescription},
		{name: "witnesses", applies: always, build: buildWitnesses, save: saveWitnesses},
		{name: "insurance", applies: always, build: buildInsurance, save: saveInsurance},
		{name: "contact", applies: always, build: buildContact, save: saveContact},
	}
}

func stepIndex(name string) int {
	for i, s := range flow {
		if s.name == name {
			return i
		}
	}
	return -1
}

// answered reports whether a step is answered: a page without questions
// (the choice of identification) is answered by what it leads to.
func (d *Draft) answered(name string) bool {
	if name == "identification" {
		return d.Identity != nil || d.done[name]
	}
	return d.done[name]
}

// firstOpen is the first step that applies and is not answered, -1 when
// every one is (the recap may be shown).
func (f *Form) firstOpen(d *Draft) int {
	for i, s := range flow {
		if s.applies(f, d) && !d.answered(s.name) {
			return i
		}
	}
	return -1
}

// nextAfter is the page after step i: the next step that applies, or the
// recap.
func (f *Form) nextAfter(lang string, d *Draft, i int) string {
	for j := i + 1; j < len(flow); j++ {
		if flow[j].applies(f, d) {
			return "/" + lang + "/" + flow[j].name
		}
	}
	return "/" + lang + "/check"
}

// backOf is the page before step i: the previous step that applies, or the
// start page.
func (f *Form) backOf(lang string, d *Draft, i int) string {
	for j := i - 1; j >= 0; j-- {
		if flow[j].applies(f, d) {
			return "/" + lang + "/" + flow[j].name
		}
	}
	return "/" + lang + "/"
}

func (f *Form) stepPath(lang string, i int) string {
	if i < 0 {
		return "/" + lang + "/check"
	}
	return "/" + lang + "/" + flow[i].name
}

// sessionDraft is the request's session, a new one when there is none. A
// request whose session expired is sent to the expiry page, one whose
// session cannot be read gets the error page (ok false: answered).
func (f *Form) sessionDraft(w http.ResponseWriter, r *http.Request, lang string) (*session, bool) {
	sess, expired, err := f.state(w, r)
	if err != nil {
		f.sessionFailed(w, r, lang, err)
		return nil, false
	}
	if expired {
		http.Redirect(w, r, "/"+lang+"/expired", http.StatusSeeOther)
		return nil, false
	}
	return sess, true
}

// openStep is the draft and the step of a page's request, or ok false
// when it has been answered: an unknown step (404), an expired session, a
// draft already filed (a page posted again from the browser's history
// starts nothing new by accident: the receipt), or a step that cannot be
// answered yet or does not apply (the first open step).
func (f *Form) openStep(w http.ResponseWriter, r *http.Request, lang string) (d *Draft, i int, ok bool) {
	i = stepIndex(r.PathValue("step"))
	if i < 0 {
		f.notFound(w, r, lang)
		return nil, 0, false
	}
	sess, ok := f.sessionDraft(w, r, lang)
	if !ok {
		return nil, 0, false
	}
	if sess.draft == nil {
		if sess.receipt != nil && r.Method == http.MethodPost {
			http.Redirect(w, r, "/"+lang+"/receipt", http.StatusSeeOther)
			return nil, 0, false
		}
		sess.draft = f.newDraft(r)
	}
	d = sess.draft
	if open := f.firstOpen(d); open >= 0 && open < i || !flow[i].applies(f, d) {
		http.Redirect(w, r, f.stepPath(lang, f.firstOpen(d)), http.StatusSeeOther)
		return nil, 0, false
	}
	return d, i, true
}

func (f *Form) handleStepGet(w http.ResponseWriter, r *http.Request, lang string) {
	d, i, ok := f.openStep(w, r, lang)
	if !ok {
		return
	}
	f.renderStep(w, r, lang, d, i, nil, r.URL.Query().Get("change") == "1", http.StatusOK)
}

func (f *Form) handleStepPost(w http.ResponseWriter, r *http.Request, lang string) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		f.renderMessage(w, r, lang, http.StatusRequestEntityTooLarge, "too_large_title", "too_large_body")
		return
	}
	d, i, ok := f.openStep(w, r, lang)
	if !ok {
		return
	}
	change := r.PostForm.Get("change") == "1"
	errs, stay := flow[i].save(f, r, lang, d)
	if len(errs) > 0 || stay {
		status := http.StatusOK
		if len(errs) > 0 {
			status = http.StatusUnprocessableEntity
			delete(d.done, flow[i].name)
		}
		f.renderStep(w, r, lang, d, i, errs, change, status)
		return
	}
	d.done[flow[i].name] = true
	next := f.nextAfter(lang, d, i)
	if change {
		next = f.stepPath(lang, f.firstOpen(d))
	}
	if flow[i].name == "eligibility" && !d.eligible() {
		delete(d.done, "eligibility")
		next = "/" + lang + "/not-online"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// maxFormBytes bounds a posted page: the longest page (a list of goods)
// stays far below.
const maxFormBytes = 256 << 10

func (f *Form) renderStep(w http.ResponseWriter, r *http.Request, lang string, d *Draft, i int, errs map[string]string, change bool, status int) {
	v := f.newView(r, lang, "")
	v.Here = "/" + lang + "/" + flow[i].name
	v.Action = v.Here
	v.Button = text(lang, "continue")
	v.Change = change
	v.Back = f.backOf(lang, d, i)
	if change {
		v.Back = "/" + lang + "/check"
	}
	flow[i].build(f, v, d, errs)
	placeErrors(v, errs)
	f.render(w, status, tmplQuestion, v)
}

// placeErrors sets the page's language on every component (their date
// parts), puts each message on its component and lists it in the error
// summary in page order. A message whose component is not on the page
// goes to the first component, never lost.
func placeErrors(v *view, errs map[string]string) {
	placed := map[string]bool{}
	eachComponent(v.Components, func(c *component) {
		c.Lang = v.Lang
		if msg, ok := errs[c.ID]; ok && c.ID != "" {
			c.Error = msg
			placed[c.ID] = true
			v.Errors = append(v.Errors, summaryError{ID: c.Anchor(), Message: msg})
		}
	})
	for id, msg := range errs {
		if placed[id] || len(v.Components) == 0 {
			continue
		}
		c := &v.Components[0]
		if c.Error == "" {
			c.Error = msg
		} else if !strings.Contains(c.Error, msg) {
			c.Error += " " + msg
		}
		v.Errors = append(v.Errors, summaryError{ID: c.Anchor(), Message: msg})
	}
}

// idOf is the component id of a submission path:
// "details.items[0].value_eur" → "details-items-0-value_eur".
func idOf(path string) string {
	return strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(path)
}

// checkPage validates the whole draft through the portal (the code path of
// POST /v1/complaints) and keeps the problems of the paths this page asks
// (prefixes), by component id.
func (f *Form) checkPage(d *Draft, lang string, prefixes ...string) (complaint.Zone, map[string]string) {
	zone, all := f.srv.CheckSubmission(f.submission(d, lang))
	errs := map[string]string{}
	for _, e := range all {
		for _, p := range prefixes {
			if e.Path == p || strings.HasPrefix(e.Path, p+".") || strings.HasPrefix(e.Path, p+"[") {
				id := idOf(e.Path)
				if _, dup := errs[id]; !dup {
					errs[id] = message(lang, e)
				}
				break
			}
		}
	}
	return zone, errs
}

// message is a validation message in the page's language: the portal
// writes it in the submission's language, which is the page's.
func message(lang string, e complaint.FieldError) string {
	if e.Message != "" {
		return e.Message
	}
	return i18n.For(lang).Message(e.Code)
}

// eachComponent calls fn on every component and child, in page order.
func eachComponent(cs []component, fn func(c *component)) {
	for k := range cs {
		fn(&cs[k])
		eachComponent(cs[k].Children, fn)
	}
}
