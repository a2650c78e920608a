package devfas

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"guichet/i18n"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Warning is printed at start-up by whoever mounts the provider.
const Warning = "NOT FOR PRODUCTION: the development FAS (--dev-fas) certifies any fictitious test person to whoever asks; real logins go through the federal authentication service (--oidc-issuer)"

// Lifetimes.
const (
	CodeTTL    = time.Minute      // an authorization code
	RequestTTL = 10 * time.Minute // the authorize page, from display to choice
	IDTokenTTL = 5 * time.Minute  // an ID token
	// maxOutstanding bounds the requests and codes kept in memory.
	maxOutstanding = 10_000
)

// Client is a relying party registered at the provider.
type Client struct {
	ID           string
	Secret       string
	RedirectURIs []string // exact matches
}

// Options configure a Provider.
type Options struct {
	// Issuer is the provider's URL, "http://127.0.0.1:8080/dev-fas" for
	// example: its host must be a loopback address or "localhost".
	Issuer  string
	Clients []Client
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
}

// Provider is the development OpenID provider. Its key is made by New and
// lives as long as the process.
type Provider struct {
	issuer  string
	path    string // the issuer's path, "" or "/dev-fas"
	clients map[string]Client
	now     func() time.Time
	signer  jose.Signer
	jwks    []byte

	mu       sync.Mutex
	requests map[string]authRequest // authorize page shown, choice awaited
	codes    map[string]grant       // code issued, exchange awaited
}

// authRequest is a validated authorization request.
type authRequest struct {
	ClientID, RedirectURI, State, Nonce, Challenge, Language string
	Expires                                                  time.Time
}

// grant is what an authorization code stands for.
type grant struct {
	ClientID, RedirectURI, Nonce, Challenge string
	Person                                  Person
	Method                                  string
	Expires                                 time.Time
}

// ErrNotLoopback refuses a development FAS that others could reach.
var ErrNotLoopback = errors.New("the development FAS (NOT FOR PRODUCTION) runs only on a loopback address (127.0.0.1, ::1, localhost)")

// New makes a provider with a fresh ES256 signing key.
func New(o Options) (*Provider, error) {
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("devfas: issuer %q is not an absolute http(s) URL", o.Issuer)
	}
	if !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("devfas: issuer %q: %w", o.Issuer, ErrNotLoopback)
	}
	if len(o.Clients) == 0 {
		return nil, errors.New("devfas: no client registered")
	}
	p := &Provider{
		issuer:   strings.TrimSuffix(o.Issuer, "/"),
		path:     strings.TrimSuffix(u.Path, "/"),
		clients:  map[string]Client{},
		now:      o.Now,
		requests: map[string]authRequest{},
		codes:    map[string]grant{},
	}
	if p.now == nil {
		p.now = time.Now
	}
	for _, c := range o.Clients {
		if c.ID == "" || c.Secret == "" || len(c.RedirectURIs) == 0 {
			return nil, fmt.Errorf("devfas: client %q needs an id, a secret and redirect URIs", c.ID)
		}
		p.clients[c.ID] = c
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	kid := randomToken()[:16]
	p.signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		return nil, err
	}
	p.jwks, err = json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &key.PublicKey, KeyID: kid, Algorithm: string(jose.ES256), Use: "sig"},
	}})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// CheckListener refuses an address that is not a loopback one: guichetd
// calls it on its listener before mounting the provider.
func CheckListener(addr net.Addr) error {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsLoopback() {
		return fmt.Errorf("listening on %s: %w", addr, ErrNotLoopback)
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Issuer is the provider's issuer URL.
func (p *Provider) Issuer() string { return p.issuer }

// Path is the issuer URL's path ("/dev-fas"): mount Handler at Path+"/".
func (p *Provider) Path() string { return p.path }

// Handler serves the provider's endpoints under Path.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p.path+"/.well-known/openid-configuration", p.serveDiscovery)
	mux.HandleFunc("GET "+p.path+"/jwks", p.serveJWKS)
	mux.HandleFunc("GET "+p.path+"/authorize", p.serveAuthorize)
	mux.HandleFunc("POST "+p.path+"/authorize", p.serveChoice)
	mux.HandleFunc("POST "+p.path+"/token", p.serveToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Not-For-Production", "development FAS")
		mux.ServeHTTP(w, r)
	})
}

func (p *Provider) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.issuer,
		"authorization_endpoint":                p.issuer + "/authorize",
		"token_endpoint":                        p.issuer + "/token",
		"jwks_uri":                              p.issuer + "/jwks",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{string(jose.ES256)},
		"scopes_supported":                      []string{"openid", "profile"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":      []string{"S256"},
		"claims_supported": []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr",
			"given_name", "family_name", "birthdate", "national_number"},
		"acr_values_supported": Methods,
		"ui_locales_supported": i18n.Languages(),
	})
}

func (p *Provider) serveJWKS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(p.jwks)
}

// IDToken is what an ID token states.
type IDToken struct {
	ClientID string // the audience
	Issuer   string // "" means the provider's; relying-party tests set another
	Nonce    string
	Person   Person
	Method   string // acr: eid, token or itsme
	IssuedAt time.Time
	TTL      time.Duration // 0 means IDTokenTTL
}

// SignIDToken makes a signed ID token. The token endpoint uses it; tests
// of relying parties use it to make tokens the flow would not (another
// audience, an expired one).
func (p *Provider) SignIDToken(t IDToken) (string, error) {
	if t.TTL == 0 {
		t.TTL = IDTokenTTL
	}
	if t.Issuer == "" {
		t.Issuer = p.issuer
	}
	sum := sha256.Sum256([]byte("devfas subject " + t.Person.NationalNumber))
	claims := map[string]any{
		"iss":             t.Issuer,
		"sub":             hex.EncodeToString(sum[:16]),
		"aud":             t.ClientID,
		"iat":             t.IssuedAt.Unix(),
		"auth_time":       t.IssuedAt.Unix(),
		"exp":             t.IssuedAt.Add(t.TTL).Unix(),
		"nonce":           t.Nonce,
		"acr":             t.Method,
		"given_name":      t.Person.FirstName,
		"family_name":     t.Person.LastName,
		"birthdate":       t.Person.BirthDate,
		"national_number": t.Person.NationalNumber,
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := p.signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// serveToken is the code exchange (RFC 6749 §4.1.3, RFC 7636 §4.6).
func (p *Provider) serveToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "unreadable form")
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 §2.3.1: both are form-encoded inside the header.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	c, ok := p.clients[id]
	if !ok || !equalSecret(secret, c.Secret) {
		w.Header().Set("WWW-Authenticate", `Basic realm="devfas"`)
		tokenError(w, http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "only authorization_code")
		return
	}
	code := r.PostForm.Get("code")
	p.mu.Lock()
	g, found := p.codes[code]
	delete(p.codes, code) // single use, whatever happens next
	p.mu.Unlock()
	now := p.now()
	switch {
	case !found:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "unknown or already used code")
	case !now.Before(g.Expires):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "expired code")
	case g.ClientID != c.ID:
		tokenError(w, http.StatusBadRequest, "invalid_grant", "code issued to another client")
	case g.RedirectURI != r.PostForm.Get("redirect_uri"):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request's")
	case !equalSecret(s256(r.PostForm.Get("code_verifier")), g.Challenge):
		tokenError(w, http.StatusBadRequest, "invalid_grant", "PKCE verifier does not match the challenge")
	default:
		idToken, err := p.SignIDToken(IDToken{ClientID: c.ID, Nonce: g.Nonce, Person: g.Person, Method: g.Method, IssuedAt: now})
		if err != nil {
			tokenError(w, http.StatusInternalServerError, "server_error", "signing failed")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": randomToken(), // grants nothing: there is no userinfo endpoint
			"token_type":   "Bearer",
			"expires_in":   int(IDTokenTTL / time.Second),
			"id_token":     idToken,
		})
	}
}

// s256 is the PKCE S256 transform of a verifier (RFC 7636 §4.2); "" for
// no verifier, which matches no challenge.
func s256(verifier string) string {
	if verifier == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func tokenError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// randomToken is 256 random bits, base64url.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}
