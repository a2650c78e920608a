package fas

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"guichet/complaint"
)

// Defaults of Config.
const (
	DefaultLoginTimeout        = 10 * time.Minute
	DefaultNationalNumberClaim = "national_number"
	DefaultHTTPTimeout         = 10 * time.Second
)

// Config is the relying party's registration at the FAS.
type Config struct {
	// Issuer is the FAS's issuer URL; its discovery document is
	// Issuer + "/.well-known/openid-configuration". https, or http on a
	// loopback address (development provider).
	Issuer string
	// ClientID and ClientSecret are the portal's registration.
	ClientID     string
	ClientSecret string
	// RedirectURL is the form's callback, registered at the FAS: Begin
	// uses it.
	RedirectURL string
	// OtherRedirectURLs are more registered callbacks BeginAt may use (the
	// same form reached under another host name, such as localhost and
	// 127.0.0.1 in development).
	OtherRedirectURLs []string
	// Scopes asked for besides "openid"; nil means {"profile"}.
	Scopes []string
	// NationalNumberClaim names the claim holding the national register
	// number; "" means DefaultNationalNumberClaim.
	NationalNumberClaim string
	// ACRMethods maps the token's "acr" (authentication context class)
	// values to methods; nil means the values "eid", "token" and "itsme"
	// stand for themselves (the development provider's). A token whose acr
	// is not in the map is refused (ReasonIdentity).
	ACRMethods map[string]Method
	// HTTPClient talks to the FAS; nil means a client with a
	// DefaultHTTPTimeout timeout.
	HTTPClient *http.Client
	// LoginTimeout bounds the time from Begin to Finish; 0 means
	// DefaultLoginTimeout.
	LoginTimeout time.Duration
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
}

// RelyingParty logs citizens in at the FAS. It is safe for concurrent use.
type RelyingParty struct {
	cfg Config

	mu       sync.Mutex // guards the fields below, set by the first discovery
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// Pending is one login in progress: the secrets Begin made and Finish
// checks. The web layer keeps it server-side in the citizen's session
// (it is plain data: JSON or gob encode it as is) and uses it once.
type Pending struct {
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"` // PKCE code verifier
	// RedirectURL is the callback the FAS was given (the token request
	// repeats it).
	RedirectURL string    `json:"redirect_url"`
	Language    string    `json:"language"`
	Started     time.Time `json:"started"`
}

// New checks cfg and makes a relying party. It does not contact the FAS:
// the first Begin reads its discovery document.
func New(cfg Config) (*RelyingParty, error) {
	if err := checkIssuer(cfg.Issuer); err != nil {
		return nil, err
	}
	if cfg.ClientID == "" {
		return nil, errors.New("fas: the client id is missing")
	}
	for _, r := range append([]string{cfg.RedirectURL}, cfg.OtherRedirectURLs...) {
		if u, err := url.Parse(r); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("fas: redirect URL %q is not an absolute http(s) URL", r)
		}
	}
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"profile"}
	}
	if cfg.NationalNumberClaim == "" {
		cfg.NationalNumberClaim = DefaultNationalNumberClaim
	}
	if cfg.ACRMethods == nil {
		cfg.ACRMethods = map[string]Method{"eid": MethodEID, "token": MethodToken, "itsme": MethodItsme}
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if cfg.LoginTimeout == 0 {
		cfg.LoginTimeout = DefaultLoginTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &RelyingParty{cfg: cfg}, nil
}

// checkIssuer accepts https URLs, and http ones on a loopback address.
func checkIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("fas: issuer %q is not an absolute URL", issuer)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopbackHost(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("fas: issuer %q must be https (http only on a loopback address)", issuer)
}

// isLoopbackHost reports whether host (no port) is "localhost" or a
// loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Issuer is the configured issuer URL.
func (rp *RelyingParty) Issuer() string { return rp.cfg.Issuer }

// ctx carries the HTTP client to go-oidc and x/oauth2.
func (rp *RelyingParty) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(context.WithValue(ctx, oauth2.HTTPClient, rp.cfg.HTTPClient), rp.cfg.HTTPClient)
}

// discover reads the discovery document once it has succeeded; a failure
// is retried at the next call.
func (rp *RelyingParty) discover(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.oauth != nil {
		return rp.oauth, rp.verifier, nil
	}
	// The key set keeps this context for its own requests (without its
	// cancellation): give it the client only.
	provider, err := oidc.NewProvider(rp.ctx(context.WithoutCancel(ctx)), rp.cfg.Issuer)
	if err != nil {
		return nil, nil, fail(ReasonUnavailable, "discovery at %s: %w", rp.cfg.Issuer, err)
	}
	endpoint := provider.Endpoint()
	endpoint.AuthStyle = authStyle(provider)
	rp.oauth = &oauth2.Config{
		ClientID:     rp.cfg.ClientID,
		ClientSecret: rp.cfg.ClientSecret,
		Endpoint:     endpoint,
		RedirectURL:  rp.cfg.RedirectURL,
		Scopes:       append([]string{oidc.ScopeOpenID}, rp.cfg.Scopes...),
	}
	rp.verifier = provider.Verifier(&oidc.Config{ClientID: rp.cfg.ClientID, Now: rp.cfg.Now})
	return rp.oauth, rp.verifier, nil
}

// authStyle is how the client authenticates at the token endpoint:
// client_secret_basic, the default of OpenID Connect Discovery §3, unless
// the provider supports only client_secret_post. Fixing it spares a second
// exchange of a refused code (x/oauth2's auto-detection retries).
func authStyle(p *oidc.Provider) oauth2.AuthStyle {
	var d struct {
		Methods []string `json:"token_endpoint_auth_methods_supported"`
	}
	if p.Claims(&d) == nil && len(d.Methods) > 0 && !slices.Contains(d.Methods, "client_secret_basic") && slices.Contains(d.Methods, "client_secret_post") {
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleInHeader
}

// Begin starts a login: the URL to send the citizen's browser to, and the
// Pending to keep in their session for Finish. lang (fr, nl, de, en, es) is
// passed to the FAS as ui_locales. The only error is a FAS whose discovery
// document cannot be read (ReasonUnavailable).
func (rp *RelyingParty) Begin(ctx context.Context, lang string) (authURL string, p Pending, err error) {
	return rp.BeginAt(ctx, rp.cfg.RedirectURL, lang)
}

// ErrUnknownRedirect refuses a callback that is not in the Config.
var ErrUnknownRedirect = errors.New("fas: redirect URL not configured")

// BeginAt is Begin with one of the configured callbacks (RedirectURL or
// one of OtherRedirectURLs); another one is ErrUnknownRedirect.
func (rp *RelyingParty) BeginAt(ctx context.Context, redirectURL, lang string) (authURL string, p Pending, err error) {
	if redirectURL != rp.cfg.RedirectURL && !slices.Contains(rp.cfg.OtherRedirectURLs, redirectURL) {
		return "", Pending{}, fmt.Errorf("%w: %q", ErrUnknownRedirect, redirectURL)
	}
	oc, _, err := rp.discover(ctx)
	if err != nil {
		return "", Pending{}, err
	}
	p = Pending{
		State:       randomToken(),
		Nonce:       randomToken(),
		Verifier:    oauth2.GenerateVerifier(),
		RedirectURL: redirectURL,
		Language:    lang,
		Started:     rp.cfg.Now(),
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier),
		oauth2.SetAuthURLParam("redirect_uri", redirectURL)}
	if lang != "" {
		opts = append(opts, oauth2.SetAuthURLParam("ui_locales", lang))
	}
	return oc.AuthCodeURL(p.State, opts...), p, nil
}

// randomToken is 256 random bits, base64url.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Finish completes the login p with the query of the FAS's redirect to
// the callback: it checks the state, exchanges the code with the PKCE
// verifier, verifies the ID token (signature, issuer, audience, expiry)
// and its nonce, and reads the identity. Every error is a *Error.
func (rp *RelyingParty) Finish(ctx context.Context, p Pending, query url.Values) (Identity, error) {
	if p.State == "" || p.Nonce == "" || p.Verifier == "" || p.RedirectURL == "" {
		return Identity{}, fail(ReasonWrongState, "no login in progress in this session")
	}
	if rp.cfg.Now().Sub(p.Started) > rp.cfg.LoginTimeout {
		return Identity{}, fail(ReasonExpired, "login started %s ago", rp.cfg.Now().Sub(p.Started).Round(time.Second))
	}
	if !equalSecret(query.Get("state"), p.State) {
		return Identity{}, fail(ReasonWrongState, "the callback's state is not this login's")
	}
	if e := query.Get("error"); e != "" {
		// Error codes of RFC 6749 §4.1.2.1 and OpenID Connect Core §3.1.2.6.
		switch e {
		case "access_denied", "login_required", "consent_required", "interaction_required":
			return Identity{}, fail(ReasonCancelled, "the FAS answered %q", e)
		}
		return Identity{}, fail(ReasonUnavailable, "the FAS answered %q: %.200q", e, query.Get("error_description"))
	}
	code := query.Get("code")
	if code == "" {
		return Identity{}, fail(ReasonWrongState, "the callback has no code")
	}
	oc, _, err := rp.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	tok, err := oc.Exchange(rp.ctx(ctx), code, oauth2.VerifierOption(p.Verifier), oauth2.SetAuthURLParam("redirect_uri", p.RedirectURL))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" && re.ErrorCode != "server_error" && re.ErrorCode != "temporarily_unavailable" {
			return Identity{}, &Error{Reason: ReasonRefused, Err: err}
		}
		return Identity{}, &Error{Reason: ReasonUnavailable, Err: err}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fail(ReasonInvalidToken, "the token response has no id_token")
	}
	return rp.identify(ctx, raw, p.Nonce)
}

// identify verifies an ID token (signature against the FAS's keys, issuer,
// audience, expiry, then nonce) and reads the identity in it.
func (rp *RelyingParty) identify(ctx context.Context, raw, nonce string) (Identity, error) {
	_, verifier, err := rp.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	idt, err := verifier.Verify(rp.ctx(ctx), raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return Identity{}, &Error{Reason: ReasonExpired, Err: err}
		}
		return Identity{}, &Error{Reason: ReasonInvalidToken, Err: err}
	}
	if !equalSecret(idt.Nonce, nonce) {
		return Identity{}, fail(ReasonWrongNonce, "the ID token's nonce is not this login's")
	}
	var claims map[string]json.RawMessage
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, &Error{Reason: ReasonInvalidToken, Err: err}
	}
	str := func(names ...string) string {
		for _, n := range names {
			var s string
			if json.Unmarshal(claims[n], &s) == nil && s != "" {
				return s
			}
		}
		return ""
	}
	id := Identity{Subject: idt.Subject, AuthenticatedAt: idt.IssuedAt}
	nn, err := complaint.ParseNationalNumber(str(rp.cfg.NationalNumberClaim))
	if err != nil {
		return Identity{}, fail(ReasonIdentity, "claim %q: %v", rp.cfg.NationalNumberClaim, err)
	}
	id.NationalNumber = nn.Digits()
	for _, f := range []struct {
		dst  *string
		name string
		from []string
	}{
		{&id.FirstName, "first name", []string{"given_name"}},
		{&id.LastName, "last name", []string{"family_name"}},
	} {
		v, ok := complaint.CleanText(str(f.from...), complaint.TextName)
		if !ok || v == "" || len(v) > complaint.MaxNameLen {
			return Identity{}, fail(ReasonIdentity, "claim %s: missing, too long or with forbidden characters", f.from[0])
		}
		*f.dst = v
	}
	if bd := str("birthdate"); bd != "" {
		if !nn.ConsistentWithBirthDate(bd) {
			return Identity{}, fail(ReasonIdentity, "claim birthdate disagrees with the national number")
		}
		id.BirthDate = bd
	}
	acr := str("acr")
	m, ok := rp.cfg.ACRMethods[acr]
	if !ok {
		return Identity{}, fail(ReasonIdentity, "unknown acr %.100q", acr)
	}
	id.Method = m
	return id, nil
}

// equalSecret compares two secrets in constant time; "" never matches.
func equalSecret(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
