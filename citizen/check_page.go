package citizen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/portal"
)

// The recap ("check your answers"): every answer with a link that changes
// it and comes back here.

type recapSection struct {
	Title string
	Rows  []recapRow
}

type recapRow struct {
	Key    string
	Lines  []string
	Change string
}

type recapData struct {
	Sections   []recapSection
	ZoneNotice string
}

func (f *Form) handleCheck(w http.ResponseWriter, r *http.Request, lang string) {
	sess, ok := f.sessionDraft(w, r, lang)
	if !ok {
		return
	}
	if redirectWithoutDraft(w, r, lang, sess, "/eligibility") {
		return
	}
	if open := f.firstOpen(sess.draft); open >= 0 {
		http.Redirect(w, r, f.stepPath(lang, open), http.StatusSeeOther)
		return
	}
	f.renderCheck(w, r, lang, sess.draft, nil, http.StatusOK)
}

// renderCheck shows the recap; problems found at filing (there should be
// none: every page was checked) are listed with a link to their page.
func (f *Form) renderCheck(w http.ResponseWriter, r *http.Request, lang string, d *Draft, problems complaint.FieldErrors, status int) {
	v := f.newView(r, lang, text(lang, "check_title"))
	v.Here = "/" + lang + "/check"
	v.Back = f.backOf(lang, d, len(flow))
	v.Data = f.recap(lang, d)
	for _, p := range problems {
		v.Errors = append(v.Errors, summaryError{ID: "main", Message: message(lang, p)})
	}
	f.render(w, status, tmplCheck, v)
}

// recapBuilder makes the recap's sections, row by row.
type recapBuilder struct {
	lang     string
	sections []recapSection
}

// section starts a section titled by the text of key.
func (b *recapBuilder) section(key string) {
	b.sections = append(b.sections, recapSection{Title: text(b.lang, key)})
}

// row adds to the current section the answer labelled label, changed on
// the page step ("" when it cannot be changed there).
func (b *recapBuilder) row(label, step string, lines ...string) {
	change := ""
	if step != "" {
		change = "/" + b.lang + "/" + step + "?change=1"
	}
	if len(nonEmpty(lines...)) == 0 {
		lines = []string{text(b.lang, "recap_not_given")}
	}
	s := &b.sections[len(b.sections)-1]
	s.Rows = append(s.Rows, recapRow{Key: label, Lines: lines, Change: change})
}

// labelled is "label: value", with French's space before the colon.
func labelled(lang, label, value string) string {
	if lang == "fr" {
		return label + "\u00a0: " + value
	}
	return label + ": " + value
}

func (f *Form) recap(lang string, d *Draft) recapData {
	t := func(k string) string { return text(lang, k) }
	b := &recapBuilder{lang: lang}

	b.section("section_identity")
	aboutStep := "about-you"
	if d.Identity != nil {
		b.row(t("identification_title"), "identification", t("identification_done_fas"))
		aboutStep = "" // certified by the FAS
	} else {
		b.row(t("national_number"), "three-numbers", d.NationalNumber)
		b.row(t("id_card_number"), "three-numbers", d.IDCardNumber)
		b.row(t("sis_card_number"), "three-numbers", d.SISCardNumber)
	}
	b.row(t("name"), aboutStep, strings.TrimSpace(d.FirstName+" "+d.LastName))
	b.row(t("birth_date"), aboutStep, showDate(d.BirthDate))
	switch d.BehalfKind {
	case complaint.BehalfSelf:
		b.row(t("behalf_title"), "behalf", t("behalf_self"))
	case complaint.BehalfPerson:
		v := d.Victim
		b.row(t("behalf_title"), "behalf-person", t("behalf_person"),
			strings.TrimSpace(v.FirstName+" "+v.LastName), showDate(v.BirthDate), v.NationalNumber)
	case complaint.BehalfCompany:
		c := d.Company
		b.row(t("behalf_title"), "behalf-company", t("behalf_company"), c.Name, c.EnterpriseNumber, c.Role)
	}

	b.section("section_facts")
	ft, _ := complaint.LookupFactType(d.FactType)
	b.row(t("fact_type_title"), "fact-type", ft.Label(lang))
	sub := f.submission(d, lang)
	b.row(t("when_title"), "when", labelled(lang, t("when_start"), showInstant(sub.Facts.StartedAt, d.TimeUnknown)),
		labelled(lang, t("when_end"), showInstant(sub.Facts.EndedAt, d.TimeUnknown)))
	b.row(t("section_place"), "where", strings.TrimSpace(d.Street+" "+d.Number), strings.TrimSpace(d.PostalCode+" "+d.Municipality))
	if hasDetails(f, d) {
		for _, fld := range detailFields(ft) {
			b.row(fld.Label(lang), "details", detailLines(lang, fld, fld.Key, d)...)
		}
	}
	b.row(t("description_title"), "description", strings.Split(strings.TrimSpace(d.Description), "\n")...)
	var ws []string
	for i, w := range d.Witnesses {
		ws = append(ws, textf(lang, "witness_n", i+1)+" – "+strings.Join(nonEmpty(strings.TrimSpace(w.FirstName+" "+w.LastName), w.BirthDate, w.Phone), ", "))
	}
	b.row(t("witnesses_list"), "witnesses", ws...)
	b.row(t("insurance_title"), "insurance", nonEmpty(d.Insurance.Company, d.Insurance.PolicyNumber)...)

	b.section("section_contact")
	channel := t("channel_email")
	if d.Channel == complaint.ChannelPost {
		channel = t("channel_post")
	}
	b.row(t("channel_question"), "contact", channel)
	if d.Email != "" {
		b.row(t("email"), "contact", d.Email)
	}
	if d.Phone != "" {
		b.row(t("phone"), "contact", d.Phone)
	}
	if addressGiven(d.Address) {
		a := d.Address
		street := strings.TrimSpace(a.Street + " " + a.Number)
		if a.Box != "" {
			street += " " + t("box") + " " + a.Box
		}
		b.row(t("address"), "contact", street, strings.TrimSpace(a.PostalCode+" "+a.Municipality), a.Country)
	}
	return recapData{Sections: b.sections, ZoneNotice: f.zoneNotice(lang, d)}
}

// detailLines shows one detail answer as typed; a list shows one line per
// item.
func detailLines(lang string, fld complaint.DetailField, name string, d *Draft) []string {
	switch fld.Kind {
	case complaint.KindItems:
		var lines []string
		for i, row := range itemRowNames(name, d.Details) {
			var parts []string
			for _, sub := range fld.Item {
				if v := detailLines(lang, sub, row+"."+sub.Key, d); len(v) > 0 && v[0] != "" {
					parts = append(parts, labelled(lang, sub.Label(lang), strings.Join(v, " ")))
				}
			}
			lines = append(lines, itemLabel(lang, fld, i)+" – "+strings.Join(parts, ", "))
		}
		return lines
	case complaint.KindBool:
		switch d.Details[name] {
		case "yes":
			return []string{text(lang, "yes")}
		case "no":
			return []string{text(lang, "no")}
		}
		return []string{""}
	case complaint.KindMoney:
		if v := strings.TrimSpace(d.Details[name]); v != "" {
			return []string{v + " EUR"}
		}
	}
	return strings.Split(strings.TrimSpace(d.Details[name]), "\n")
}

func showDate(d dateInput) string {
	y, m, day, ok := d.date()
	if !ok {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", day, m, y)
}

func showInstant(t time.Time, dayOnly bool) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(brussels())
	if dayOnly {
		return t.Format("02/01/2006")
	}
	return t.Format("02/01/2006 15:04")
}

// Receipt is what the session keeps once the complaint is filed: no
// answer, only what the receipt page shows.
type Receipt struct {
	Reference string
	Zone      complaint.Zone
	FactType  string
	Channel   string
	FiledAt   time.Time
}

type receiptData struct {
	Reference, ZoneName, FactType, FiledAt, Channel, Next string
}

// redirectWithoutDraft answers a session that has no draft: to its
// receipt when it filed one, else to fallback (a path under /lang). It
// reports whether it answered.
func redirectWithoutDraft(w http.ResponseWriter, r *http.Request, lang string, sess *session, fallback string) bool {
	if sess.draft != nil {
		return false
	}
	to := "/" + lang + fallback
	if sess.receipt != nil {
		to = "/" + lang + "/receipt"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return true
}

// handleSubmit files the draft through the portal's intake (the code path
// of POST /v1/complaints) with the draft's idempotency key. The session's
// lock makes a double click wait for the first; the second then finds the
// receipt and shows the same reference (on another node, the idempotency
// key gives it the same reference).
func (f *Form) handleSubmit(w http.ResponseWriter, r *http.Request, lang string) {
	sess, ok := f.sessionDraft(w, r, lang)
	if !ok {
		return
	}
	if redirectWithoutDraft(w, r, lang, sess, "/") {
		return
	}
	d := sess.draft
	if open := f.firstOpen(d); open >= 0 {
		http.Redirect(w, r, f.stepPath(lang, open), http.StatusSeeOther)
		return
	}
	if ok, retry := f.srv.AllowIntake(r); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		f.renderMessage(w, r, lang, http.StatusTooManyRequests, "too_many_title", "too_many_body")
		return
	}
	// Filed even if the citizen closes the tab before the answer: the
	// refresh finds the same reference by the draft's key.
	rc, err := f.srv.Intake(context.WithoutCancel(r.Context()), f.submission(d, lang), d.IdemKey)
	if err != nil {
		var ie *portal.IntakeError
		if errors.As(err, &ie) && len(ie.Body.Error.Fields) > 0 {
			f.renderCheck(w, r, lang, d, fieldErrorsOf(ie.Body.Error.Fields), http.StatusUnprocessableEntity)
			return
		}
		f.log.Error("filing from the form", "err", err)
		f.renderMessage(w, r, lang, http.StatusInternalServerError, "error_title", "error_body")
		return
	}
	sess.receipt = &Receipt{Reference: rc.Reference, Zone: rc.Zone, FactType: d.FactType, Channel: d.Channel, FiledAt: f.now()}
	sess.draft = nil // the answers are deleted once filed
	http.Redirect(w, r, "/"+lang+"/receipt", http.StatusSeeOther)
}

func fieldErrorsOf(fields map[string]string) complaint.FieldErrors {
	var errs complaint.FieldErrors
	for path, msg := range fields {
		errs = append(errs, complaint.FieldError{Path: path, Message: msg})
	}
	return errs
}

func (f *Form) handleReceipt(w http.ResponseWriter, r *http.Request, lang string) {
	sess, _, err := f.existing(w, r, lang)
	if err != nil {
		return
	}
	if sess == nil || sess.receipt == nil {
		http.Redirect(w, r, "/"+lang+"/", http.StatusSeeOther)
		return
	}
	rc := sess.receipt
	v := f.newView(r, lang, text(lang, "receipt_title"))
	ft, _ := complaint.LookupFactType(rc.FactType)
	channel, next := text(lang, "channel_email"), text(lang, "receipt_next_email")
	if rc.Channel == complaint.ChannelPost {
		channel, next = text(lang, "channel_post"), text(lang, "receipt_next_post")
	}
	v.Data = receiptData{Reference: rc.Reference, ZoneName: zoneName(rc.Zone), FactType: ft.Label(lang),
		FiledAt: showInstant(rc.FiledAt, false), Channel: channel, Next: fmt.Sprintf(next, zoneName(rc.Zone))}
	f.render(w, http.StatusOK, tmplReceipt, v)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}
