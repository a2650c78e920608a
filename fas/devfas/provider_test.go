package devfas

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/i18n"
)

const (
	clientID = "guichet-test"
	secret   = "s3cret"
)

func newServer(t *testing.T) (*Provider, *httptest.Server, string) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	callback := srv.URL + "/auth/callback"
	p, err := New(Options{Issuer: srv.URL + "/dev-fas", Clients: []Client{{ID: clientID, Secret: secret, RedirectURIs: []string{callback}}}})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle(p.Path()+"/", p.Handler())
	return p, srv, callback
}

func TestPeopleHaveValidNationalNumbers(t *testing.T) {
	for _, x := range People {
		nn, err := complaint.ParseNationalNumber(x.NationalNumber)
		if err != nil {
			t.Errorf("%s %s: %v", x.FirstName, x.LastName, err)
			continue
		}
		if !nn.ConsistentWithBirthDate(x.BirthDate) {
			t.Errorf("%s %s: birth date %s disagrees with %s", x.FirstName, x.LastName, x.BirthDate, nn)
		}
	}
}

func TestNewRefusesNonLoopbackIssuer(t *testing.T) {
	clients := []Client{{ID: "c", Secret: "s", RedirectURIs: []string{"http://127.0.0.1/cb"}}}
	for _, issuer := range []string{"http://192.0.2.10:8080/dev-fas", "http://0.0.0.0:8080/dev-fas", "https://fas.example.be", "http://[2001:db8::1]/dev-fas", "http://127.0.0.1.example.com/dev-fas"} {
		if _, err := New(Options{Issuer: issuer, Clients: clients}); err == nil {
			t.Errorf("New accepted issuer %s", issuer)
		}
	}
	for _, issuer := range []string{"http://127.0.0.1:8080/dev-fas", "http://[::1]:9/dev-fas", "http://localhost:8080/dev-fas", "http://127.0.0.2/x"} {
		if _, err := New(Options{Issuer: issuer, Clients: clients}); err != nil {
			t.Errorf("New refused issuer %s: %v", issuer, err)
		}
	}
}

func TestCheckListener(t *testing.T) {
	for _, tc := range []struct {
		addr net.Addr
		ok   bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, true},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, true},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, false},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, false},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 2), Port: 8080}, false},
		{&net.UnixAddr{Name: "/tmp/x", Net: "unix"}, false},
	} {
		if err := CheckListener(tc.addr); (err == nil) != tc.ok {
			t.Errorf("CheckListener(%s) = %v", tc.addr, err)
		}
	}
}

func TestDiscoveryAndKeys(t *testing.T) {
	p, srv, _ := newServer(t)
	var d map[string]any
	getJSON(t, srv.URL+"/dev-fas/.well-known/openid-configuration", &d)
	if d["issuer"] != p.Issuer() || d["jwks_uri"] != p.Issuer()+"/jwks" || d["token_endpoint"] != p.Issuer()+"/token" {
		t.Errorf("discovery: %v", d)
	}
	var ks struct {
		Keys []struct{ Kty, Crv, Alg, Use, Kid, D string }
	}
	getJSON(t, srv.URL+"/dev-fas/jwks", &ks)
	if len(ks.Keys) != 1 || ks.Keys[0].Alg != "ES256" || ks.Keys[0].Kid == "" || ks.Keys[0].D != "" {
		t.Errorf("jwks: %+v", ks)
	}
	// A fresh key per provider (per process).
	q, _, _ := newServer(t)
	if string(q.jwks) == string(p.jwks) {
		t.Error("two providers share a key")
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func authorizeURL(srv *httptest.Server, callback string, change func(url.Values)) string {
	q := url.Values{"client_id": {clientID}, "redirect_uri": {callback}, "response_type": {"code"}, "scope": {"openid profile"},
		"state": {"st"}, "nonce": {"no"}, "code_challenge_method": {"S256"}, "code_challenge": {s256("verifier-verifier-verifier-verifier-verifier")}}
	if change != nil {
		change(q)
	}
	return srv.URL + "/dev-fas/authorize?" + q.Encode()
}

// TestPagesSayNotForProduction: the choice page in every language and the
// error pages carry the warning.
func TestPagesSayNotForProduction(t *testing.T) {
	_, srv, callback := newServer(t)
	urls := []string{srv.URL + "/dev-fas/authorize?request=unknown", authorizeURL(srv, callback, func(q url.Values) { q.Set("redirect_uri", "https://evil.example/cb") })}
	for _, code := range i18n.Languages() {
		urls = append(urls, authorizeURL(srv, callback, func(q url.Values) { q.Set("ui_locales", code+"-BE en") }))
	}
	for _, u := range urls {
		resp, err := noRedirect.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		if !strings.Contains(page, `<p class="banner" role="note"><span lang="en">NOT FOR PRODUCTION</span> — `) || resp.Header.Get("X-Not-For-Production") == "" {
			t.Errorf("%s: no warning:\n%s", u, page)
		}
		lang := pickLanguage(mustParse(u).Query().Get("ui_locales"))
		if !strings.Contains(page, `<html lang="`+lang+`">`) || !strings.Contains(page, htmlEscaped(texts(lang).Banner)) {
			t.Errorf("%s: not in %s:\n%s", u, lang, page)
		}
		// The inline style is the one the CSP's hash allows, and only it.
		csp := resp.Header.Get("Content-Security-Policy")
		m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
		sum := sha256.Sum256([]byte(m[1]))
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"';") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", u, resp.Header.Get("Content-Security-Policy"))
		}
	}
}

// htmlEscaped escapes like html/template does for the apostrophes of the texts.
func htmlEscaped(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

func mustParse(u string) *url.URL {
	x, _ := url.Parse(u)
	return x
}

// TestAuthorizeRefusals: an unregistered redirect URI gets a page, never a
// redirect; the other faults are sent back to the registered callback.
func TestAuthorizeRefusals(t *testing.T) {
	_, srv, callback := newServer(t)
	for _, tc := range []struct {
		name   string
		change func(url.Values)
		status int
		err    string
	}{
		{"unknown client", func(q url.Values) { q.Set("client_id", "nobody") }, 400, ""},
		{"unregistered redirect", func(q url.Values) { q.Set("redirect_uri", callback+"/x") }, 400, ""},
		{"implicit flow", func(q url.Values) { q.Set("response_type", "id_token") }, 303, "unsupported_response_type"},
		{"no openid scope", func(q url.Values) { q.Set("scope", "profile") }, 303, "invalid_scope"},
		{"plain PKCE", func(q url.Values) { q.Set("code_challenge_method", "plain") }, 303, "invalid_request"},
		{"no PKCE", func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, 303, "invalid_request"},
		{"no nonce", func(q url.Values) { q.Del("nonce") }, 303, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := noRedirect.Get(authorizeURL(srv, callback, tc.change))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.err != "" {
				loc := mustParse(resp.Header.Get("Location"))
				if !strings.HasPrefix(loc.String(), callback+"?") || loc.Query().Get("error") != tc.err || loc.Query().Get("state") != "st" {
					t.Errorf("redirect %s", loc)
				}
			}
		})
	}
}

// code runs the authorize page and returns a code.
func code(t *testing.T, srv *httptest.Server, callback string) string {
	t.Helper()
	resp, err := noRedirect.Get(authorizeURL(srv, callback, nil))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := requestFieldPattern.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no request on the page:\n%s", page)
	}
	form := url.Values{"request": {string(m[1])}, "person": {People[0].NationalNumber}, "method": {"eid"}}
	resp, err = noRedirect.PostForm(srv.URL+"/dev-fas/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := mustParse(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || loc.Query().Get("code") == "" || loc.Query().Get("state") != "st" {
		t.Fatalf("choice: %s %s", resp.Status, loc)
	}
	// The same request cannot be answered twice.
	resp, err = noRedirect.PostForm(srv.URL+"/dev-fas/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("second choice: %s", resp.Status)
	}
	return loc.Query().Get("code")
}

func TestTokenEndpoint(t *testing.T) {
	_, srv, callback := newServer(t)
	verifier := "verifier-verifier-verifier-verifier-verifier"
	for _, tc := range []struct {
		name   string
		form   func(code string) url.Values
		basic  bool
		status int
		err    string
	}{
		{"secret in the form", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {callback}, "code_verifier": {verifier}, "client_id": {clientID}, "client_secret": {secret}}
		}, false, 200, ""},
		{"secret in basic auth", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {callback}, "code_verifier": {verifier}}
		}, true, 200, ""},
		{"wrong secret", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {callback}, "code_verifier": {verifier}, "client_id": {clientID}, "client_secret": {"guess"}}
		}, false, 401, "invalid_client"},
		{"no verifier", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {callback}}
		}, true, 400, "invalid_grant"},
		{"other redirect", func(c string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {callback + "/x"}, "code_verifier": {verifier}}
		}, true, 400, "invalid_grant"},
		{"other grant", func(c string) url.Values {
			return url.Values{"grant_type": {"password"}, "code": {c}}
		}, true, 400, "unsupported_grant_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+"/dev-fas/token", strings.NewReader(tc.form(code(t, srv, callback)).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.basic {
				req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tc.status || (tc.err != "" && body["error"] != tc.err) {
				t.Fatalf("%s %v", resp.Status, body)
			}
			if tc.status == 200 && (body["id_token"] == nil || resp.Header.Get("Cache-Control") != "no-store") {
				t.Errorf("token response %v", body)
			}
		})
	}
}

func TestSignIDTokenLifetime(t *testing.T) {
	p, _, _ := newServer(t)
	now := time.Unix(1_800_000_000, 0)
	raw, err := p.SignIDToken(IDToken{ClientID: clientID, Nonce: "n", Person: People[3], Method: "itsme", IssuedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatal(raw)
	}
	var c map[string]any
	b, _ := decodeSegment(parts[1])
	json.Unmarshal(b, &c)
	if c["exp"].(float64)-c["iat"].(float64) != IDTokenTTL.Seconds() || c["aud"] != clientID || c["acr"] != "itsme" || c["family_name"] != "García López" {
		t.Errorf("claims %v", c)
	}
}

func decodeSegment(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(s)
}
