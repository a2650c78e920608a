package citizen

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// contentSecurityPolicy allows the form's own stylesheet, script (the
// session's end notice, fetching only the form itself) and forms: no inline
// script, no third-party request, no plugin, no <base>; frames only from
// the form itself and the configured zone websites.
func contentSecurityPolicy(frameAncestors []string) string {
	fa := "'self'"
	if len(frameAncestors) > 0 {
		fa += " " + strings.Join(frameAncestors, " ")
	}
	return "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors " + fa
}

// checkOrigin accepts "https://host[:port]" (http only for loopback), the
// form a frame-ancestors source and an Origin header take.
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil ||
		strings.ContainsAny(o, " ;,'\"") {
		return fmt.Errorf("frame ancestor %q: want an origin such as https://www.police.be", o)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && loopbackHost(u.Hostname())) {
		return fmt.Errorf("frame ancestor %q: https only (http for loopback)", o)
	}
	return nil
}

func loopbackHost(h string) bool {
	r := &http.Request{Host: h}
	return loopbackRequest(r)
}

// secure sets the headers of every answer and refuses cross-origin POSTs
// (CSRF) with a page in the citizen's language.
func (f *Form) secure(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.renderMessage(w, r, pageLanguage(r), http.StatusForbidden, "csrf_title", "csrf_body")
	}))
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", f.csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if !strings.HasPrefix(r.URL.Path, "/assets/") {
			// Pages show personal data: no copy in any cache.
			h.Set("Cache-Control", "no-store")
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				// The route only: never the answers.
				f.log.Error("panic in form handler", "pattern", r.Pattern, "panic", fmt.Sprint(p))
				f.renderMessage(w, r, pageLanguage(r), http.StatusInternalServerError, "error_title", "error_body")
			}
		}()
		protected.ServeHTTP(w, r)
	})
}

// cookie is a cookie of the form for r: HttpOnly, SameSite=Lax, Secure
// except on loopback. A page framed by a zone website (the form has
// FrameAncestors and the browser says the request loads a frame) gets
// SameSite=None; Secure; Partitioned instead: a browser neither stores nor
// sends a Lax cookie in a frame of another site, and keeps a partitioned
// one for that embedding site only. Cross-site posts are still refused by
// CrossOriginProtection (the frame's own posts are same-origin).
func (f *Form) cookie(r *http.Request, name, value string) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: !loopbackRequest(r)}
	if f.framed(r) {
		c.SameSite, c.Secure, c.Partitioned = http.SameSiteNoneMode, true, true
	}
	return c
}

// framed reports whether r loads a page in a frame of a zone website: the
// form may be framed (Options.FrameAncestors) and the browser says so.
func (f *Form) framed(r *http.Request) bool {
	return len(f.opts.FrameAncestors) > 0 && r.Header.Get("Sec-Fetch-Dest") == "iframe"
}

// localPath accepts a path of this site to go back to ("/fr/when"), and
// nothing that could lead elsewhere ("//evil", "/\\evil", "https://…").
func localPath(p string) (string, bool) {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") || len(p) > 200 {
		return "", false
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "", false
	}
	return u.Path, true
}
