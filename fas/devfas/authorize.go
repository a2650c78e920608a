package devfas

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"guichet/i18n"
)

// serveAuthorize checks an authorization request (OpenID Connect Core
// §3.1.2.1 with PKCE) and shows the page to pick a test person. With
// ?request=ID it shows the page of a request already checked again (the
// language switch).
func (p *Provider) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lang := pickLanguage(q.Get("ui_locales"))
	if id := q.Get("request"); id != "" {
		p.mu.Lock()
		req, ok := p.requests[id]
		p.mu.Unlock()
		if !ok || !p.now().Before(req.Expires) {
			p.errorPage(w, lang, http.StatusBadRequest, texts(lang).RequestGone)
			return
		}
		p.choicePage(w, lang, id, req)
		return
	}
	c, ok := p.clients[q.Get("client_id")]
	redirectURI := q.Get("redirect_uri")
	if !ok || !slices.Contains(c.RedirectURIs, redirectURI) {
		// Never redirect to an address nobody registered.
		p.errorPage(w, lang, http.StatusBadRequest, texts(lang).BadClient)
		return
	}
	state := q.Get("state")
	refuse := func(code, description string) {
		http.Redirect(w, r, withQuery(redirectURI, url.Values{"error": {code}, "error_description": {description}, "state": {state}}), http.StatusSeeOther)
	}
	switch {
	case q.Get("response_type") != "code":
		refuse("unsupported_response_type", "only the authorization code flow")
		return
	case !slices.Contains(strings.Fields(q.Get("scope")), "openid"):
		refuse("invalid_scope", "openid scope required")
		return
	case q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43:
		refuse("invalid_request", "PKCE with S256 required")
		return
	case q.Get("nonce") == "":
		refuse("invalid_request", "nonce required")
		return
	}
	req := authRequest{ClientID: c.ID, RedirectURI: redirectURI, State: state, Nonce: q.Get("nonce"),
		Challenge: q.Get("code_challenge"), Language: lang, Expires: p.now().Add(RequestTTL)}
	id := randomToken()
	if !p.keep(func() { p.requests[id] = req }) {
		p.errorPage(w, lang, http.StatusServiceUnavailable, texts(lang).BadRequest)
		return
	}
	p.choicePage(w, lang, id, req)
}

// serveChoice takes the person picked (or the cancellation) and sends the
// browser back to the relying party with a code (or access_denied).
func (p *Provider) serveChoice(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.errorPage(w, "en", http.StatusBadRequest, texts("en").BadRequest)
		return
	}
	id := r.PostForm.Get("request")
	p.mu.Lock()
	req, ok := p.requests[id]
	delete(p.requests, id) // one choice per request
	p.mu.Unlock()
	if !ok || !p.now().Before(req.Expires) {
		lang := pickLanguage(r.PostForm.Get("ui_locales"))
		p.errorPage(w, lang, http.StatusBadRequest, texts(lang).RequestGone)
		return
	}
	if r.PostForm.Has("cancel") {
		http.Redirect(w, r, withQuery(req.RedirectURI, url.Values{"error": {"access_denied"}, "state": {req.State}}), http.StatusSeeOther)
		return
	}
	i := slices.IndexFunc(People, func(x Person) bool { return x.NationalNumber == r.PostForm.Get("person") })
	method := r.PostForm.Get("method")
	if i < 0 || !slices.Contains(Methods, method) {
		p.errorPage(w, req.Language, http.StatusBadRequest, texts(req.Language).BadRequest)
		return
	}
	code := randomToken()
	g := grant{ClientID: req.ClientID, RedirectURI: req.RedirectURI, Nonce: req.Nonce, Challenge: req.Challenge,
		Person: People[i], Method: method, Expires: p.now().Add(CodeTTL)}
	if !p.keep(func() { p.codes[code] = g }) {
		p.errorPage(w, req.Language, http.StatusServiceUnavailable, texts(req.Language).BadRequest)
		return
	}
	http.Redirect(w, r, withQuery(req.RedirectURI, url.Values{"code": {code}, "state": {req.State}}), http.StatusSeeOther)
}

// keep runs add under the lock unless too much is outstanding even after
// the expired requests and codes are dropped.
func (p *Provider) keep(add func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.requests)+len(p.codes) >= maxOutstanding {
		now := p.now()
		for k, v := range p.requests {
			if !now.Before(v.Expires) {
				delete(p.requests, k)
			}
		}
		for k, v := range p.codes {
			if !now.Before(v.Expires) {
				delete(p.codes, k)
			}
		}
		if len(p.requests)+len(p.codes) >= maxOutstanding {
			return false
		}
	}
	add()
	return true
}

// withQuery adds v to the query of a registered redirect URI.
func withQuery(base string, v url.Values) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	for k, vals := range v {
		if len(vals) == 1 && vals[0] == "" {
			continue
		}
		q[k] = vals
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func equalSecret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// pageData feeds pageTemplate.
type pageData struct {
	Lang, Path, Request, Error string
	Style                      template.CSS
	T                          i18n.DevFAS
	Languages                  []languageLink
	People                     []personChoice
	Methods                    []methodChoice
}

type languageLink struct {
	Code, Name, Href string
	Current          bool
}

type personChoice struct {
	Value, Label string
	Checked      bool
}

type methodChoice struct {
	Value, Label string
	Checked      bool
}

func (p *Provider) choicePage(w http.ResponseWriter, lang, id string, req authRequest) {
	t := texts(lang)
	d := pageData{Lang: lang, Path: p.path, Request: id, T: t}
	for _, code := range i18n.Languages() {
		d.Languages = append(d.Languages, languageLink{Code: code, Name: i18n.Name(code), Current: code == lang,
			Href: p.path + "/authorize?" + url.Values{"request": {id}, "ui_locales": {code}}.Encode()})
	}
	for i, x := range People {
		born, _ := time.Parse(time.DateOnly, x.BirthDate)
		d.People = append(d.People, personChoice{Value: x.NationalNumber, Checked: i == 0,
			Label: x.FirstName + " " + x.LastName + " — " + formatNN(x.NationalNumber) + " — " + t.Born + " " + born.Format("02/01/2006")})
	}
	for i, m := range Methods {
		d.Methods = append(d.Methods, methodChoice{Value: m, Label: methodLabel(t, m), Checked: i == 0})
	}
	p.render(w, http.StatusOK, req.RedirectURI, d)
}

// errorPage shows message, one of the texts of lang.
func (p *Provider) errorPage(w http.ResponseWriter, lang string, status int, message string) {
	p.render(w, status, "", pageData{Lang: lang, Path: p.path, T: texts(lang), Error: message})
}

func (p *Provider) render(w http.ResponseWriter, status int, redirectURI string, d pageData) {
	formAction := "'self'"
	if u, err := url.Parse(redirectURI); err == nil && u.Host != "" {
		// The choice is answered by a redirect to the relying party:
		// browsers apply form-action to it.
		formAction += " " + u.Scheme + "://" + u.Host
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src '"+styleHash+"'; form-action "+formAction+"; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	d.Style = template.CSS(pageStyle)
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	pageTemplate.Execute(w, d)
}

// formatNN prints 11 digits as on the eID card, "85.07.30-034.27".
func formatNN(d string) string {
	if len(d) != 11 {
		return d
	}
	return d[0:2] + "." + d[2:4] + "." + d[4:6] + "-" + d[6:9] + "." + d[9:11]
}

// pageStyle is the pages' only style sheet, inline; the CSP allows it by
// its hash and nothing else.
const pageStyle = `
body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;line-height:1.5;color:#0b0c0c;background:#fff}
.banner{border:4px solid #d4351c;background:#fde8e6;padding:.75rem;font-weight:bold}
fieldset{border:1px solid #505a5f;margin:1rem 0;padding:.5rem 1rem}
legend{font-weight:bold}
h1,label{overflow-wrap:anywhere;hyphens:auto}
label{display:block;padding:.25rem 0}
button{font-size:1rem;padding:.5rem 1rem;margin-right:1rem}
:focus{outline:3px solid #fd0;outline-offset:2px}
a{color:#1d70b8}
`

var styleHash = func() string {
	sum := sha256.Sum256([]byte(pageStyle))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}()

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.T.Title}} — NOT FOR PRODUCTION</title>
<style>{{.Style}}</style>
</head>
<body>
<p class="banner" role="note"><span lang="en">NOT FOR PRODUCTION</span> — {{.T.Banner}}</p>
{{if .Languages}}<nav aria-label="{{.T.LanguageLabel}}"><ul>{{range .Languages}}
<li>{{if .Current}}<span lang="{{.Code}}" aria-current="true">{{.Name}}</span>{{else}}<a href="{{.Href}}" lang="{{.Code}}" hreflang="{{.Code}}">{{.Name}}</a>{{end}}</li>{{end}}
</ul></nav>{{end}}
<main>
<h1>{{.T.Title}}</h1>
{{if .Error}}<h2>{{.T.ErrorTitle}}</h2>
<p>{{.Error}}</p>
{{else}}<p>{{.T.Intro}}</p>
<form method="post" action="{{.Path}}/authorize">
<input type="hidden" name="request" value="{{.Request}}">
<input type="hidden" name="ui_locales" value="{{.Lang}}">
<fieldset><legend>{{.T.Person}}</legend>{{range .People}}
<label><input type="radio" name="person" value="{{.Value}}"{{if .Checked}} checked{{end}}> {{.Label}}</label>{{end}}
</fieldset>
<fieldset><legend>{{.T.Method}}</legend>{{range .Methods}}
<label><input type="radio" name="method" value="{{.Value}}"{{if .Checked}} checked{{end}}> {{.Label}}</label>{{end}}
</fieldset>
<button type="submit" name="continue" value="1">{{.T.Continue}}</button>
<button type="submit" name="cancel" value="1">{{.T.Cancel}}</button>
</form>{{end}}
</main>
</body>
</html>
`))
