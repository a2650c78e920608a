package citizen

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/portal"
)

// Options configures the form.
type Options struct {
	// FrameAncestors are the origins allowed to embed the form in a frame
	// (the zone websites, "https://www.police.be"); none: only the form's
	// own pages may.
	FrameAncestors []string
	// Identifier identifies citizens through the federal authentication
	// service (eID, itsme): a *fas.RelyingParty whose RedirectURL is the
	// form's /auth/callback. nil offers only the three numbers.
	Identifier Identifier
	// AssertionKey signs, for the portal's intake, the identity the FAS
	// certified (the portal's Options.FormAssertionKey is its public half;
	// guichetd makes the pair at start-up).
	// Required with Identifier.
	AssertionKey ed25519.PrivateKey
	// Logger receives the form's errors; never answers or identifiers.
	Logger *slog.Logger
	// Now is the clock (tests); time.Now when nil.
	Now func() time.Time
	// IdleTimeout is how long a session lives without a request; 0 means
	// the package's IdleTimeout (the pages say 60 minutes: tests only).
	IdleTimeout time.Duration
}

// Form is the citizen's web form over one portal.
type Form struct {
	srv      *portal.Server
	opts     Options
	log      *slog.Logger
	now      func() time.Time
	sessions *sessions
	pages    *pageTemplates
	csp      string
	handler  http.Handler
}

// New makes the form of srv.
func New(srv *portal.Server, opts Options) (*Form, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = IdleTimeout
	}
	if opts.Identifier != nil && len(opts.AssertionKey) != ed25519.PrivateKeySize {
		return nil, errors.New("citizen: an Identifier needs the AssertionKey the portal trusts")
	}
	for _, o := range opts.FrameAncestors {
		if err := checkOrigin(o); err != nil {
			return nil, err
		}
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	f := &Form{srv: srv, opts: opts, log: opts.Logger, now: opts.Now,
		sessions: newSessions(srv.FormSessions(), opts.Now, opts.IdleTimeout, opts.Logger), pages: pages}
	f.sessions.cookie = f.cookie
	f.csp = contentSecurityPolicy(opts.FrameAncestors)
	f.handler = f.secure(f.sessionScope(f.routes()))
	return f, nil
}

// Handler serves the form's pages and assets.
func (f *Form) Handler() http.Handler { return f.handler }

// Mount serves the API under /v1/ and the form everywhere else: the one
// handler guichetd serves.
func (f *Form) Mount(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1" || strings.HasPrefix(r.URL.Path, "/v1/") {
			api.ServeHTTP(w, r)
			return
		}
		f.handler.ServeHTTP(w, r)
	})
}

func (f *Form) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", f.handleRoot)
	mux.HandleFunc("GET /assets/site.css", serveCSS)
	mux.HandleFunc("GET /assets/session.js", serveSessionJS)
	mux.HandleFunc("POST /display", f.handleDisplay)
	mux.HandleFunc("GET /zones/{zone}/{$}", f.handleZoneRedirect)
	mux.HandleFunc("GET "+callbackPath, f.handleIdentifyCallback)
	mux.HandleFunc("GET /{lang}/{$}", f.withLang(f.handleStart))
	mux.HandleFunc("GET /{lang}/zones/{zone}/{$}", f.withLang(f.handleZone))
	mux.HandleFunc("GET /{lang}/identify/fas", f.withLang(f.handleIdentifyStart))
	mux.HandleFunc("GET /{lang}/status", f.withLang(f.handleStatusForm))
	mux.HandleFunc("POST /{lang}/status", f.withLang(f.handleStatusLookup))
	mux.HandleFunc("POST /{lang}/submit", f.withLang(f.handleSubmit))
	mux.HandleFunc("GET /{lang}/receipt", f.withLang(f.handleReceipt))
	mux.HandleFunc("GET /{lang}/expired", f.withLang(f.handleExpired))
	mux.HandleFunc("POST /{lang}/keep-alive", f.withLang(f.handleKeepAlive))
	mux.HandleFunc("GET /{lang}/not-online", f.withLang(f.handleNotOnline))
	mux.HandleFunc("GET /{lang}/check", f.withLang(f.handleCheck))
	mux.HandleFunc("GET /{lang}/{step}", f.withLang(f.handleStepGet))
	mux.HandleFunc("POST /{lang}/{step}", f.withLang(f.handleStepPost))
	return notFoundHTML(f, mux)
}

// langHandler is a handler of a page in one of the five languages.
type langHandler func(w http.ResponseWriter, r *http.Request, lang string)

// withLang reads the language of the path; an unknown one is 404.
func (f *Form) withLang(h langHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := r.PathValue("lang")
		if !knownLanguage(lang) {
			f.notFound(w, r, pickLanguage(r))
			return
		}
		h(w, r, lang)
	}
}

// notFoundHTML answers the mux's own 404 and 405 with a page.
func notFoundHTML(f *Form, mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" {
			f.notFound(w, r, pageLanguage(r))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (f *Form) handleRoot(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept-Language")
	http.Redirect(w, r, "/"+pickLanguage(r)+"/", http.StatusSeeOther)
}

func (f *Form) handleZoneRedirect(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Accept-Language")
	zone, ok := f.srv.Router().Zone(r.PathValue("zone"))
	if !ok {
		f.notFound(w, r, pickLanguage(r))
		return
	}
	http.Redirect(w, r, "/"+pickLanguage(r)+"/zones/"+zone.Code+"/", http.StatusSeeOther)
}

// state is the session of a request with its draft, created when absent.
// expired reports that the citizen's previous session ended by inactivity
// (then there is no session: the expiry page is shown first).
// err is a failure of the database.
func (f *Form) state(w http.ResponseWriter, r *http.Request) (sess *session, expired bool, err error) {
	sess, expired, err = f.sessions.lookup(r)
	if sess == nil && !expired && err == nil {
		sess = f.sessions.create(w, r)
	}
	return sess, expired, err
}

// existing is the session of a request, nil when it has none; err is a
// failure of the database, which it has answered with the error page.
func (f *Form) existing(w http.ResponseWriter, r *http.Request, lang string) (sess *session, expired bool, err error) {
	sess, expired, err = f.sessions.lookup(r)
	if err != nil {
		f.sessionFailed(w, r, lang, err)
	}
	return sess, expired, err
}

// sessionFailed answers a request whose session could not be read.
func (f *Form) sessionFailed(w http.ResponseWriter, r *http.Request, lang string, err error) {
	f.log.Error("read form session", "err", err)
	f.renderMessage(w, r, lang, http.StatusServiceUnavailable, "error_title", "error_body")
}

func randomToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newDraft starts the draft of a request's session.
func (f *Form) newDraft(r *http.Request) *Draft {
	d := newDraft()
	d.Framed = f.framed(r)
	return d
}

// submission is the draft as the portal's intake takes it.
func (f *Form) submission(d *Draft, lang string) *complaint.Submission {
	return d.Submission(lang, f.opts.AssertionKey, f.now())
}

// zoneOf is the zone of a code, for the entry point.
func (f *Form) zoneOf(code string) (complaint.Zone, bool) {
	return f.srv.Router().Zone(code)
}
