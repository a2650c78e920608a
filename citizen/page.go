package citizen

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet/i18n"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// pageTemplates are the parsed pages, each the layout with its content.
type pageTemplates struct {
	byName map[string]*template.Template
}

// page names (templates/NAME.tmpl).
const (
	tmplQuestion = "question"
	tmplStart    = "start"
	tmplCheck    = "check"
	tmplReceipt  = "receipt"
	tmplMessage  = "message"
	tmplStatus   = "status"
	tmplZone     = "zone"
)

func parsePages() (*pageTemplates, error) {
	base, err := template.New("layout.tmpl").ParseFS(templateFS, "templates/layout.tmpl", "templates/components.tmpl")
	if err != nil {
		return nil, err
	}
	p := &pageTemplates{byName: map[string]*template.Template{}}
	for _, name := range []string{tmplQuestion, tmplStart, tmplCheck, tmplReceipt, tmplMessage, tmplStatus, tmplZone} {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".tmpl")
		if err != nil {
			return nil, err
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what every page template gets.
type view struct {
	Lang     string
	Title    string // the page's heading and <title>
	Here     string // this page's path, for the switches
	Langs    []langLink
	Contrast bool   // the display for the visually impaired is on
	Back     string // the previous page, when there is one
	Errors   []summaryError
	ZoneName string // the zone website the citizen came from

	// Question pages.
	Action     string // where the form posts
	Caption    string // the section above the heading
	Lead       []string
	Notice     string // an inset paragraph (the zone that will receive it)
	Components []component
	Button     string
	Links      []link // choices that leave the form (identification)
	Change     bool   // the page was opened from the recap: back there after

	Data any // the page's own data (recap rows, receipt, status)

	// Session says when the answers of a draft under way will be deleted.
	Session *sessionEnd
}

// sessionEnd is the end of the session of the page's request, if it holds
// a draft: the footer says when ("until 15:04", the sentence split around
// the time); the script warns a few minutes before.
type sessionEnd struct {
	Before, Time, After string // the footer's sentence
	Warning             [3]string
	Left                int    // seconds
	KeepAlive           string // the path the script posts to keep the answers
}

type link struct{ Href, Label, Hint string }

type langLink struct {
	Code, Name, Href string
	Current          bool
}

// summaryError is a line of the error summary: a message linking to its
// field.
type summaryError struct{ ID, Message string }

// T is the page's text of key in its language.
func (v *view) T(key string) string { return text(v.Lang, key) }

// component is one question of a page: a text input, a textarea, radios,
// a date, or a group of them under a legend (an item of a list, an
// address).
type component struct {
	Kind         string // input, textarea, radios, date, datetime, group
	ID           string // the input's id (a date's day box is ID-day)
	Name         string
	Label        string
	Hint         string
	Error        string
	Value        string
	Type         string // input type, "text" when empty
	Autocomplete string
	InputMode    string
	Width        string // CSS class: w2, w4, w10, w20
	Spellcheck   bool
	Checked      bool // checkbox
	Choices      []choice
	Date         dateInput
	Time         string
	Children     []component
	Heading      bool    // a lone question: its label or legend is the page heading
	Remove       *button // a group that can be removed (a row of a list)
	Add          *button // a group list's "add another"
	Lang         string
}

// T is a text of the component's language (the parts of a date).
func (c component) T(key string) string { return text(c.Lang, key) }

type choice struct {
	ID, Value, Label, Hint string
	Checked                bool
}

type button struct{ Name, Value, Label string }

// Describedby lists the hint and error ids of a component.
func (c component) Describedby() string {
	var ids []string
	if c.Hint != "" {
		ids = append(ids, c.ID+"-hint")
	}
	if c.Error != "" {
		ids = append(ids, c.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Anchor is the id an error summary links to.
func (c component) Anchor() string {
	switch c.Kind {
	case "date", "datetime":
		return c.ID + "-day"
	case "radios":
		if len(c.Choices) > 0 {
			return c.Choices[0].ID
		}
	}
	return c.ID
}

// newView prepares the common part of a page.
func (f *Form) newView(r *http.Request, lang, title string) *view {
	v := &view{Lang: lang, Title: title, Here: r.URL.Path, Contrast: contrastOn(r)}
	rest := "/"
	if p, ok := strings.CutPrefix(r.URL.Path, "/"+lang+"/"); ok {
		rest += p
	}
	for _, l := range i18n.Languages() {
		v.Langs = append(v.Langs, langLink{Code: l, Name: i18n.Name(l), Href: "/" + l + rest, Current: l == lang})
	}
	v.Session = f.sessionEndOf(r, lang)
	return v
}

// sessionEndOf is when the request's draft will be deleted: the idle time
// after the last use the request stores (sessions.renewedAt: at most a
// minute before the request). nil without a draft.
func (f *Form) sessionEndOf(r *http.Request, lang string) *sessionEnd {
	rs := scopeOf(r)
	if rs == nil {
		return nil
	}
	for _, sess := range rs.byKey {
		if sess.draft == nil {
			continue
		}
		now := f.now()
		end := f.sessions.renewedAt(sess, now).Add(f.sessions.idle)
		at := end.In(brussels()).Format("15:04")
		e := &sessionEnd{Time: at, Left: int(end.Sub(now) / time.Second),
			KeepAlive: "/" + lang + "/keep-alive"}
		e.Before, e.After, _ = strings.Cut(text(lang, "session_ends"), "%s")
		w0, w2, _ := strings.Cut(text(lang, "session_warning"), "%s")
		e.Warning = [3]string{w0, at, w2}
		return e
	}
	return nil
}

// render writes a page. A template error is a programming error: it is
// logged (the page name only) and the citizen gets the error page.
func (f *Form) render(w http.ResponseWriter, status int, name string, v *view) {
	var buf bytes.Buffer
	if err := f.pages.byName[name].ExecuteTemplate(&buf, "layout.tmpl", v); err != nil {
		f.log.Error("render page", "page", name, "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString("<!DOCTYPE html><title>Error</title><p>Internal error.</p>")
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderMessage is a page with a heading and a paragraph, such as an error.
func (f *Form) renderMessage(w http.ResponseWriter, r *http.Request, lang string, status int, titleKey, bodyKey string) {
	v := f.newView(r, lang, text(lang, titleKey))
	v.Lead = []string{text(lang, bodyKey)}
	v.Data = messageData{Start: "/" + lang + "/"}
	f.render(w, status, tmplMessage, v)
}

type messageData struct {
	Start      string
	Emergency  bool
	StartLabel string
}

func (f *Form) notFound(w http.ResponseWriter, r *http.Request, lang string) {
	f.renderMessage(w, r, lang, http.StatusNotFound, "not_found_title", "not_found_body")
}
