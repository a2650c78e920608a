package fas

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"guichet/complaint"
	"guichet/fas/devfas"
	"guichet/i18n"
	"guichet/portal"
)

// clock is a settable clock shared by a test's relying party or provider.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// world is a development FAS on a real HTTP server and a relying party
// registered at it, each with its own clock.
type world struct {
	srv      *httptest.Server
	provider *devfas.Provider
	rp       *RelyingParty
	rpClock  *clock
	fasClock *clock
	callback string
	// otherCallback is the same callback under the name localhost.
	otherCallback string
}

const (
	testClientID = "guichet-test"
	testSecret   = "s3cret-for-tests"
)

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{rpClock: &clock{}, fasClock: &clock{}}
	mux := http.NewServeMux()
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	w.callback = w.srv.URL + "/auth/callback"
	w.otherCallback = strings.Replace(w.callback, "127.0.0.1", "localhost", 1)
	var err error
	w.provider, err = devfas.New(devfas.Options{
		Issuer:  w.srv.URL + "/dev-fas",
		Clients: []devfas.Client{{ID: testClientID, Secret: testSecret, RedirectURIs: []string{w.callback, w.otherCallback}}},
		Now:     w.fasClock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle(w.provider.Path()+"/", w.provider.Handler())
	w.rp = w.newRP(t, testClientID)
	return w
}

func (w *world) newRP(t testing.TB, clientID string) *RelyingParty {
	t.Helper()
	rp, err := New(Config{Issuer: w.provider.Issuer(), ClientID: clientID, ClientSecret: testSecret,
		RedirectURL: w.callback, OtherRedirectURLs: []string{w.otherCallback}, Now: w.rpClock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return rp
}

// login plays the citizen's browser at the development FAS and returns
// the query of the callback.
func login(t *testing.T, authURL string, person devfas.Person, method string, cancel bool) url.Values {
	t.Helper()
	cb, err := devfas.Login(authURL, person, method, cancel)
	if err != nil {
		t.Fatal(err)
	}
	return cb.Query()
}

func (w *world) begin(t *testing.T) (string, Pending) {
	t.Helper()
	authURL, p, err := w.rp.Begin(context.Background(), "nl")
	if err != nil {
		t.Fatal(err)
	}
	return authURL, p
}

func TestFullCodeFlow(t *testing.T) {
	w := newWorld(t)
	for _, person := range devfas.People {
		for _, method := range devfas.Methods {
			t.Run(person.LastName+"/"+method, func(t *testing.T) {
				authURL, p := w.begin(t)
				q, _ := url.Parse(authURL)
				for k, want := range map[string]string{"code_challenge_method": "S256", "state": p.State,
					"nonce": p.Nonce, "client_id": testClientID, "redirect_uri": w.callback, "ui_locales": "nl",
					"response_type": "code", "code_challenge": oauth2.S256ChallengeFromVerifier(p.Verifier)} {
					if got := q.Query().Get(k); got != want {
						t.Errorf("auth URL %s = %q, want %q", k, got, want)
					}
				}
				id, err := w.rp.Finish(context.Background(), p, login(t, authURL, person, method, false))
				if err != nil {
					t.Fatal(err)
				}
				want := Identity{NationalNumber: person.NationalNumber, FirstName: person.FirstName,
					LastName: person.LastName, BirthDate: person.BirthDate, Method: Method(method)}
				got := id
				got.Subject, got.AuthenticatedAt = "", time.Time{}
				if got != want {
					t.Errorf("identity = %+v, want %+v", got, want)
				}
				if id.Subject == "" || time.Since(id.AuthenticatedAt) > time.Minute {
					t.Errorf("subject %q, authenticated at %v", id.Subject, id.AuthenticatedAt)
				}
			})
		}
	}
}

// TestBeginAtOtherCallback: the flow through the other registered callback
// repeats it in the token request; an unconfigured one is refused.
func TestBeginAtOtherCallback(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	authURL, p, err := w.rp.BeginAt(ctx, w.otherCallback, "de")
	if err != nil {
		t.Fatal(err)
	}
	if got := mustQuery(t, authURL).Get("redirect_uri"); got != w.otherCallback {
		t.Fatalf("redirect_uri %q", got)
	}
	if _, err := w.rp.Finish(ctx, p, login(t, authURL, devfas.People[0], "eid", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.rp.BeginAt(ctx, w.srv.URL+"/elsewhere", "de"); !errors.Is(err, ErrUnknownRedirect) {
		t.Fatalf("BeginAt(unconfigured) = %v", err)
	}
}

func mustQuery(t *testing.T, u string) url.Values {
	t.Helper()
	x, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return x.Query()
}

func TestBeginMakesFreshSecrets(t *testing.T) {
	w := newWorld(t)
	_, a := w.begin(t)
	_, b := w.begin(t)
	if a.State == b.State || a.Nonce == b.Nonce || a.Verifier == b.Verifier || len(a.State) < 43 || len(a.Nonce) < 43 {
		t.Errorf("secrets not fresh or too short: %+v %+v", a, b)
	}
}

// finishErr runs Finish and checks the error's reason.
func finishErr(t *testing.T, w *world, p Pending, q url.Values, want *Error) {
	t.Helper()
	id, err := w.rp.Finish(context.Background(), p, q)
	if !errors.Is(err, want) {
		t.Fatalf("Finish = %+v, %v; want reason %s", id, err, want.Reason)
	}
	if id != (Identity{}) {
		t.Errorf("identity %+v returned with the error", id)
	}
}

func TestFinishRefusesTamperedState(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[0], "eid", false)
	for name, state := range map[string]string{"other": "x" + p.State[1:], "empty": "", "missing": "-"} {
		t.Run(name, func(t *testing.T) {
			tampered := url.Values{"code": {q.Get("code")}}
			if state != "-" {
				tampered.Set("state", state)
			}
			finishErr(t, w, p, tampered, ErrWrongState)
		})
	}
	// A session without a login in progress cannot finish one.
	finishErr(t, w, Pending{}, q, ErrWrongState)
	// The untouched answer still works: the code was never sent.
	if _, err := w.rp.Finish(context.Background(), p, q); err != nil {
		t.Fatal(err)
	}
}

func TestFinishRefusesReusedCode(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[1], "token", false)
	if _, err := w.rp.Finish(context.Background(), p, q); err != nil {
		t.Fatal(err)
	}
	finishErr(t, w, p, q, ErrRefused)
}

func TestFinishRefusesWrongVerifier(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[0], "eid", false)
	p.Verifier = oauth2.GenerateVerifier()
	finishErr(t, w, p, q, ErrRefused)
}

func TestFinishRefusesWrongNonce(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[0], "eid", false)
	// Another first character (a fixed "x" left the nonce unchanged when it
	// already began with "x": the test failed one run in 64).
	first := "x"
	if p.Nonce[0] == 'x' {
		first = "y"
	}
	p.Nonce = first + p.Nonce[1:]
	finishErr(t, w, p, q, ErrWrongNonce)
}

func TestFinishRefusesExpiredToken(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[2], "itsme", false)
	// The relying party's clock is past the token's expiry (but the login
	// itself is younger than LoginTimeout).
	w.rpClock.Advance(devfas.IDTokenTTL + time.Minute)
	finishErr(t, w, p, q, ErrExpired)
}

func TestFinishRefusesExpiredCode(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[0], "eid", false)
	w.fasClock.Advance(devfas.CodeTTL + time.Second)
	finishErr(t, w, p, q, ErrRefused)
}

func TestFinishRefusesOldLogin(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[0], "eid", false)
	w.rpClock.Advance(DefaultLoginTimeout + time.Second)
	finishErr(t, w, p, q, ErrExpired)
	// Refused before the code was sent: with the clock back, it works.
	w.rpClock.Advance(-DefaultLoginTimeout - time.Second)
	if _, err := w.rp.Finish(context.Background(), p, q); err != nil {
		t.Fatalf("the refused login had used the code: %v", err)
	}
}

func TestFinishCancelled(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[0], "eid", true)
	if q.Get("code") != "" || q.Get("error") != "access_denied" {
		t.Fatalf("cancel answered %v", q)
	}
	finishErr(t, w, p, q, ErrCancelled)
}

func TestFinishProviderUnreachable(t *testing.T) {
	w := newWorld(t)
	authURL, p := w.begin(t)
	q := login(t, authURL, devfas.People[0], "eid", false)
	w.srv.Close()
	finishErr(t, w, p, q, ErrUnavailable)
}

func TestBeginProviderUnreachable(t *testing.T) {
	rp, err := New(Config{Issuer: "http://127.0.0.1:1/dev-fas", ClientID: "x", RedirectURL: "http://127.0.0.1:1/cb"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := rp.Begin(context.Background(), "fr"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Begin = %v, want unavailable", err)
	}
}

// TestIdentifyRefusesBadTokens gives the verification step tokens the
// flow cannot produce: another audience, expired, signed by another key or
// issuer, without a usable identity.
func TestIdentifyRefusesBadTokens(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, _, err := w.rp.Begin(ctx, "fr"); err != nil { // discovery
		t.Fatal(err)
	}
	impostor, err := devfas.New(devfas.Options{Issuer: w.provider.Issuer(),
		Clients: []devfas.Client{{ID: testClientID, Secret: "x", RedirectURIs: []string{w.callback}}}})
	if err != nil {
		t.Fatal(err)
	}
	good := devfas.IDToken{ClientID: testClientID, Nonce: "n", Person: devfas.People[0], Method: "eid", IssuedAt: time.Now()}
	badNN := good
	badNN.Person.NationalNumber = "85073003428"
	noName := good
	noName.Person.FirstName = ""
	bidiName := good
	bidiName.Person.LastName = "Dubois\u202e"
	wrongBirth := good
	wrongBirth.Person.BirthDate = "1985-07-31"
	noBirth := good
	noBirth.Person.BirthDate = ""
	unknownMethod := good
	unknownMethod.Method = "password"
	otherIssuer := good
	otherIssuer.Issuer = w.srv.URL + "/other-fas"
	otherAudience := good
	otherAudience.ClientID = "someone-else"
	expired := good
	expired.IssuedAt = time.Now().Add(-time.Hour)
	for _, tc := range []struct {
		name   string
		signer *devfas.Provider
		token  devfas.IDToken
		want   *Error
	}{
		{"good", w.provider, good, nil},
		{"no birth date given", w.provider, noBirth, nil},
		{"wrong audience", w.provider, otherAudience, ErrInvalidToken},
		{"expired", w.provider, expired, ErrExpired},
		{"another key", impostor, good, ErrInvalidToken},
		{"another issuer", w.provider, otherIssuer, ErrInvalidToken},
		{"national number checksum", w.provider, badNN, ErrIdentity},
		{"no first name", w.provider, noName, ErrIdentity},
		{"bidi control in a name", w.provider, bidiName, ErrIdentity},
		{"birth date against the number", w.provider, wrongBirth, ErrIdentity},
		{"unknown acr", w.provider, unknownMethod, ErrIdentity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := tc.signer.SignIDToken(tc.token)
			if err != nil {
				t.Fatal(err)
			}
			id, err := w.rp.identify(ctx, raw, "n")
			if tc.want == nil {
				if err != nil || id.NationalNumber != tc.token.Person.NationalNumber || id.BirthDate != tc.token.Person.BirthDate {
					t.Fatalf("identify = %+v, %v", id, err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("identify = %+v, %v; want reason %s", id, err, tc.want.Reason)
			}
		})
	}
	// Tampered payload, genuine signature: refused.
	raw, _ := w.provider.SignIDToken(good)
	parts := strings.Split(raw, ".")
	evil, _ := w.provider.SignIDToken(otherAudience)
	forged := parts[0] + "." + strings.Split(evil, ".")[1] + "." + parts[2]
	if _, err := w.rp.identify(ctx, forged, "n"); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("forged payload: %v", err)
	}
}

func TestNewChecksConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"plain http issuer", Config{Issuer: "http://fas.example.be", ClientID: "c", RedirectURL: "https://g.example.be/cb"}},
		{"relative issuer", Config{Issuer: "/dev-fas", ClientID: "c", RedirectURL: "https://g.example.be/cb"}},
		{"no client id", Config{Issuer: "https://fas.example.be", RedirectURL: "https://g.example.be/cb"}},
		{"relative redirect", Config{Issuer: "https://fas.example.be", ClientID: "c", RedirectURL: "/cb"}},
	} {
		if _, err := New(tc.cfg); err == nil {
			t.Errorf("%s: New accepted %+v", tc.name, tc.cfg)
		}
	}
	for _, issuer := range []string{"https://fas.example.be", "http://127.0.0.1:8080/dev-fas", "http://[::1]:8080/dev-fas", "http://localhost:8080/dev-fas"} {
		if _, err := New(Config{Issuer: issuer, ClientID: "c", RedirectURL: "https://g.example.be/cb"}); err != nil {
			t.Errorf("New refused issuer %s: %v", issuer, err)
		}
	}
}

func TestErrorMessagesInEveryLanguage(t *testing.T) {
	reasons := []Reason{ReasonCancelled, ReasonExpired, ReasonWrongState, ReasonRefused,
		ReasonInvalidToken, ReasonIdentity, ReasonUnavailable}
	english := map[string]Reason{}
	for _, r := range reasons {
		e := &Error{Reason: r, Err: errors.New("technical detail")}
		if other, dup := english[e.Message("en")]; dup {
			t.Errorf("%s and %s say the same", r, other)
		}
		english[e.Message("en")] = r
		seen := map[string]string{}
		for _, lang := range i18n.Languages() {
			m := e.Message(lang)
			if m == "" || strings.Contains(m, "technical") {
				t.Errorf("%s/%s: %q", r, lang, m)
			}
			if other, dup := seen[m]; dup {
				t.Errorf("%s: %s and %s say the same %q", r, lang, other, m)
			}
			seen[m] = lang
		}
		if e.Message("xx") != e.Message("en") {
			t.Errorf("%s: unknown language does not fall back to English", r)
		}
	}
	// A wrong nonce is, for the citizen, an answer that is not theirs.
	if (&Error{Reason: ReasonWrongNonce}).Message("fr") != (&Error{Reason: ReasonWrongState}).Message("fr") {
		t.Error("wrong nonce and wrong state say different things")
	}
}

// TestIdentityAssertionPassesThePortal: the assertion an Identity states is
// one the portal's verification accepts, with the same facts.
func TestIdentityAssertionPassesThePortal(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, tc := range []struct {
		method Method
		want   string
	}{{MethodEID, complaint.MethodEID}, {MethodToken, complaint.MethodToken}, {MethodItsme, complaint.MethodToken}} {
		id := Identity{NationalNumber: "85073003427", FirstName: "Marie", LastName: "Dubois", Method: tc.method}
		a, err := portal.VerifyAssertion(pub, portal.SignAssertion(priv, id.Assertion(now, 10*time.Minute)), now)
		if err != nil {
			t.Fatal(err)
		}
		if a.NationalNumber != id.NationalNumber || a.FirstName != "Marie" || a.LastName != "Dubois" || a.Method != tc.want {
			t.Errorf("%s: assertion %+v", tc.method, a)
		}
	}
}
