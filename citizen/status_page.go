package citizen

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"guichet/complaint"
	"guichet/portal"
)

// The status lookup: the reference and the complainant's birth date show
// where the complaint stands, in the page's language, and nothing the
// citizen did not file (no officer, no history). Lookups are limited per
// source address; an unknown reference and a wrong birth date get the same
// answer.

func (f *Form) statusFormView(r *http.Request, lang, ref string, birth dateInput, errs map[string]string) *view {
	v := f.newView(r, lang, text(lang, "status_title"))
	v.Here = "/" + lang + "/status"
	v.Action = v.Here
	v.Button = text(lang, "status_button")
	v.Lead = []string{text(lang, "status_lead")}
	v.Components = []component{
		{Kind: "input", ID: "reference", Name: "reference", Label: text(lang, "receipt_reference"),
			Hint: text(lang, "reference_hint"), Value: ref, Width: "w10"},
		{Kind: "date", ID: "birth_date", Name: "birth_date", Label: text(lang, "birth_date"),
			Hint: text(lang, "birth_date_hint"), Date: birth},
	}
	placeErrors(v, errs)
	return v
}

func (f *Form) handleStatusForm(w http.ResponseWriter, r *http.Request, lang string) {
	f.render(w, http.StatusOK, tmplQuestion, f.statusFormView(r, lang, "", dateInput{}, nil))
}

func (f *Form) handleStatusLookup(w http.ResponseWriter, r *http.Request, lang string) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		f.renderMessage(w, r, lang, http.StatusRequestEntityTooLarge, "too_large_title", "too_large_body")
		return
	}
	if ok, retry := f.srv.AllowStatusLookup(r); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		f.renderMessage(w, r, lang, http.StatusTooManyRequests, "too_many_title", "too_many_status_body")
		return
	}
	refIn := r.PostForm.Get("reference")
	birth := readDate(r, "birth_date")
	errs := map[string]string{}
	ref, textOK := complaint.CleanText(refIn, complaint.TextName)
	switch {
	case ref == "":
		errs["reference"] = text(lang, "reference_missing")
	case !textOK:
		errs["reference"] = msgCode(lang, complaint.ErrInvalidText)
	default:
		if _, ok := complaint.NormalizeReference(ref); !ok {
			errs["reference"] = text(lang, "reference_invalid")
		}
	}
	if birth.empty() {
		errs["birth_date"] = text(lang, "birth_date_missing")
	} else if msg, bad := dateProblem(lang, birth); bad {
		errs["birth_date"] = msg
	}
	if len(errs) > 0 {
		f.render(w, http.StatusUnprocessableEntity, tmplQuestion, f.statusFormView(r, lang, refIn, birth, errs))
		return
	}
	st, err := f.srv.LookupStatus(ref, birth.iso())
	if errors.Is(err, portal.ErrStatusNotFound) {
		errs["reference"] = text(lang, "status_not_found")
		f.render(w, http.StatusNotFound, tmplQuestion, f.statusFormView(r, lang, refIn, birth, errs))
		return
	}
	if err != nil {
		f.log.Error("status lookup", "err", err)
		f.renderMessage(w, r, lang, http.StatusInternalServerError, "error_title", "error_body")
		return
	}
	v := f.newView(r, lang, text(lang, "status_result_title"))
	v.Here = "/" + lang + "/status"
	ft, _ := complaint.LookupFactType(st.FactType)
	data := statusData{Reference: st.Reference, FactType: ft.Label(lang), FiledAt: showInstant(st.ReceivedAt, false),
		ZoneName: zoneName(st.Zone), Status: text(lang, "status."+string(st.Status)),
		Explain: text(lang, "status_explain."+string(st.Status))}
	switch st.Status {
	case complaint.StatusHandled:
		data.Extra = append(data.Extra, recapRow{Key: text(lang, "status_pv"), Lines: []string{st.PVNumber}})
	case complaint.StatusRejected:
		data.Extra = append(data.Extra, recapRow{Key: text(lang, "status_reason"), Lines: []string{st.Reason}})
	case complaint.StatusForwarded:
		data.Extra = append(data.Extra, recapRow{Key: text(lang, "status_forwarded_to"), Lines: []string{zoneName(st.ForwardedTo)}})
		if st.Reason != "" {
			data.Extra = append(data.Extra, recapRow{Key: text(lang, "status_reason"), Lines: []string{st.Reason}})
		}
		data.Explain = fmt.Sprintf(data.Explain, zoneName(st.ForwardedTo))
	}
	v.Data = data
	f.render(w, http.StatusOK, tmplStatus, v)
}

type statusData struct {
	Reference, FactType, FiledAt, ZoneName, Status, Explain string
	Extra                                                   []recapRow
}
