package citizen

import (
	"fmt"
	"net/http"

	"guichet/complaint"
)

// The start pages: one per language, and the entry point a zone's website
// links to (its name in the header; the place of the facts still decides
// the zone).

type startData struct {
	FactTypes []string
	Begin     string
}

func (f *Form) handleStart(w http.ResponseWriter, r *http.Request, lang string) {
	v := f.newView(r, lang, text(lang, "start_title"))
	var types []string
	for _, ft := range complaint.Catalog() {
		types = append(types, ft.Label(lang))
	}
	v.Data = startData{FactTypes: types, Begin: "/" + lang + "/eligibility"}
	f.render(w, http.StatusOK, tmplStart, v)
}

func (f *Form) handleZone(w http.ResponseWriter, r *http.Request, lang string) {
	zone, ok := f.zoneOf(r.PathValue("zone"))
	if !ok {
		f.notFound(w, r, lang)
		return
	}
	v := f.newView(r, lang, zone.Name)
	v.ZoneName = zoneName(zone)
	v.Data = startData{Begin: "/" + lang + "/eligibility"}
	f.render(w, http.StatusOK, tmplZone, v)
}

// handleExpired says the answers were deleted after an hour without
// activity, and offers to start again.
func (f *Form) handleExpired(w http.ResponseWriter, r *http.Request, lang string) {
	v := f.newView(r, lang, text(lang, "expired_title"))
	v.Lead = []string{text(lang, "expired_body")}
	v.Data = messageData{Start: "/" + lang + "/eligibility", StartLabel: text(lang, "start_again")}
	f.render(w, http.StatusOK, tmplMessage, v)
}

// handleKeepAlive renews the session of a draft (the notice's button): it
// answers when the answers are now kept until, or 410 when they are gone.
func (f *Form) handleKeepAlive(w http.ResponseWriter, r *http.Request, lang string) {
	sess, _, err := f.sessions.lookup(r)
	if err != nil {
		f.log.Error("read form session", "err", err)
		http.Error(w, "session unavailable", http.StatusServiceUnavailable)
		return
	}
	if sess == nil || sess.draft == nil {
		http.Error(w, "no session", http.StatusGone)
		return
	}
	sess.renew = true
	end := f.sessionEndOf(r, lang)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"ends":%q,"left":%d}`, end.Time, end.Left)
}
