package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet/citizen"
	"guichet/complaint"
	"guichet/fas"
	"guichet/fas/devfas"
	"guichet/portal"
)

// TestIdentificationFlags: contradictory or incomplete flags, and a
// secret file others can read, are refused before anything listens.
func TestIdentificationFlags(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "open")
	if err := os.WriteFile(open, []byte("s3cret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(open, 0o644) // whatever the umask
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	full := []string{"--oidc-issuer", "https://fas.example.be", "--oidc-client-id", "guichet",
		"--oidc-client-secret-file", secret, "--oidc-redirect-url", "https://guichet.example.be/auth/callback"}
	with := func(extra ...string) []string { return append(append([]string{}, full...), extra...) }
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"dev-fas and oidc", with("--dev-fas"), "excludes"},
		{"dev-fas and one oidc flag", []string{"--dev-fas", "--oidc-client-id", "x"}, "excludes"},
		{"issuer alone", []string{"--oidc-issuer", "https://fas.example.be"}, "go together"},
		{"no redirect", full[:6], "go together"},
		{"world-readable secret", with("--oidc-client-secret-file", open), "accessible to every user"},
		{"empty secret", with("--oidc-client-secret-file", empty), "one line"},
		{"missing secret file", with("--oidc-client-secret-file", filepath.Join(dir, "nope")), "no such file"},
		{"plain http issuer", with("--oidc-issuer", "http://fas.example.be"), "https"},
		{"dev-fas off loopback", []string{"--dev-fas", "--addr", "0.0.0.0:0"}, "loopback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--db", filepath.Join(dir, "p.db"), "--addr", "127.0.0.1:0", "--metrics-addr", ""}, tc.args...)
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // should it start, stop at once
			err := cmdServe(ctx, args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("serve %v = %v, want an error about %q", tc.args, err, tc.want)
			}
		})
	}
	// The secret never is a flag.
	if err := cmdServe(context.Background(), []string{"--oidc-client-secret", "x"}, io.Discard); err == nil {
		t.Fatal("--oidc-client-secret accepted")
	}
}

// TestServeDevFAS: guichetd serve --dev-fas warns, serves the provider
// under /dev-fas beside the API, with an issuer on its own address.
func TestServeDevFAS(t *testing.T) {
	addrs, logs, _ := startServe(t, "--db", filepath.Join(t.TempDir(), "p.db"), "--addr", "127.0.0.1:0", "--metrics-addr", "", "--dev-fas")
	addr := addrs["guichetd listening"]
	warned := false
	for _, l := range logs.logLines(t) {
		if l["level"] == "WARN" && strings.HasPrefix(l["msg"].(string), "NOT FOR PRODUCTION") && l["issuer"] == "http://"+addr+"/dev-fas" {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no NOT FOR PRODUCTION warning at start-up: %v", logs.logLines(t))
	}
	code, body := get(t, "http://"+addr+"/dev-fas/.well-known/openid-configuration")
	var d struct{ Issuer string }
	json.Unmarshal([]byte(body), &d)
	if code != 200 || d.Issuer != "http://"+addr+"/dev-fas" {
		t.Fatalf("discovery: %d %s", code, body)
	}
	if code, _ := get(t, "http://"+addr+"/v1/healthz"); code != http.StatusOK {
		t.Fatalf("API behind the dev FAS: %d", code)
	}
}

// TestServeWithoutDevFAS: without the flag nothing answers under /dev-fas.
func TestServeWithoutDevFAS(t *testing.T) {
	addrs, logs, _ := startServe(t, "--db", filepath.Join(t.TempDir(), "p.db"), "--addr", "127.0.0.1:0", "--metrics-addr", "")
	if code, _ := get(t, "http://"+addrs["guichetd listening"]+"/dev-fas/.well-known/openid-configuration"); code == 200 {
		t.Fatal("dev FAS served without --dev-fas")
	}
	for _, l := range logs.logLines(t) {
		if strings.Contains(l["msg"].(string), "NOT FOR PRODUCTION") {
			t.Fatalf("warning without --dev-fas: %v", l)
		}
	}
}

// TestDevFASIdentityFilesThroughTheAPI: a login at the development FAS
// mounted and configured as serve does gives an identity whose assertion,
// signed with the form's key, the portal's API intake accepts: the record
// holds the certified national number.
func TestDevFASIdentityFilesThroughTheAPI(t *testing.T) {
	hs := httptest.NewUnstartedServer(nil)
	ident, err := newIdentification(identificationFlags{devFAS: true}, hs.Listener.Addr(), false)
	if err != nil {
		t.Fatal(err)
	}
	var opts portal.Options
	var formOpts citizen.Options
	ident.configure(&opts, &formOpts)
	srv, err := portal.Open(filepath.Join(t.TempDir(), "p.db"), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs.Config.Handler = ident.Mount(srv.Handler())
	hs.Start()
	defer hs.Close()

	person := devfas.People[1]
	ctx := context.Background()
	authURL, pending, err := ident.RP.Begin(ctx, "nl")
	if err != nil {
		t.Fatal(err)
	}
	cb, err := devfas.Login(authURL, person, "itsme", false)
	if err != nil {
		t.Fatal(err)
	}
	if got := cb.Scheme + "://" + cb.Host + cb.Path; got != hs.URL+citizenCallbackPath {
		t.Fatalf("callback %s, want %s", got, hs.URL+citizenCallbackPath)
	}
	who, err := ident.RP.Finish(ctx, pending, cb.Query())
	if err != nil {
		t.Fatal(err)
	}
	if who.NationalNumber != person.NationalNumber || who.Method != fas.MethodItsme {
		t.Fatalf("identity %+v", who)
	}
	if formOpts.Identifier != ident.RP {
		t.Fatal("the form does not get the relying party")
	}
	assertion := portal.SignAssertion(formOpts.AssertionKey, who.Assertion(time.Now(), time.Hour))
	body := fmt.Sprintf(`{"fact_type":"graffiti","language":"nl",
		"facts":{"started_at":%q,"ended_at":%q,"place":{"street":"Rue Haute","number":"1","postal_code":"1340","municipality":"Ottignies-Louvain-la-Neuve"},"description":"Tags op de gevel."},
		"details":{"surface":"gevel"},
		"complainant":{"identification":{"method":%q,"assertion":%q},"first_name":%q,"last_name":%q,"birth_date":%q,
		"address":{"street":"Kerkstraat","number":"2","postal_code":"1000","municipality":"Brussel","country":"BE"},"email":"jan@example.be"},
		"confirmation":"email"}`, time.Now().Add(-3*time.Hour).Format(time.RFC3339), time.Now().Add(-2*time.Hour).Format(time.RFC3339), who.ComplaintMethod(), assertion,
		who.FirstName, who.LastName, who.BirthDate)
	resp, err := http.Post(hs.URL+"/v1/complaints", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("intake: %s %s", resp.Status, out)
	}
	var rc complaint.IntakeReceipt
	json.Unmarshal(out, &rc)
	tok, _, err := srv.AddOfficer(rc.Zone.Code, "Agent")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", hs.URL+"/v1/zones/"+rc.Zone.Code+"/complaints/"+rc.Reference, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	g, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Body.Close()
	var rec complaint.Record
	json.NewDecoder(g.Body).Decode(&rec)
	if rec.Complainant.Identification.NationalNumber != person.NationalNumber || rec.Verification.Method != complaint.MethodToken {
		t.Fatalf("record identification %+v, verification %+v", rec.Complainant.Identification, rec.Verification)
	}
}

// TestServeDevFASFormLogin: in guichetd serve --dev-fas, the citizen form's
// identification goes to the development FAS and back, and the form knows
// the certified person afterwards.
func TestServeDevFASFormLogin(t *testing.T) {
	addrs, _, _ := startServe(t, "--db", filepath.Join(t.TempDir(), "p.db"), "--addr", "127.0.0.1:0", "--metrics-addr", "", "--dev-fas")
	base := "http://" + addrs["guichetd listening"]
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", base+"/en/eligibility", strings.NewReader(url.Values{"in_belgium": {"yes"}, "author_known": {"no"}, "violence": {"no"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/en/identification" {
		t.Fatalf("eligibility: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	resp, err = browser.Get(base + "/en/identify/fas")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	authURL := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(authURL, base+"/dev-fas/authorize?") {
		t.Fatalf("identify: %s to %q", resp.Status, authURL)
	}
	person := devfas.People[0]
	cb, err := devfas.Login(authURL, person, "eid", false)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = browser.Get(cb.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// The FAS certified names and birth date: the form skips "about you"
	// and asks on whose behalf the complaint is filed.
	if next := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || next != "/en/behalf" {
		t.Fatalf("callback: %s to %q", resp.Status, next)
	}
}

// TestOIDCFlagsReachTheRelyingParty: the production flags, pointed at a
// development provider on a loopback address (an http issuer is accepted
// there), configure the login: secret from the file, callback, scopes,
// the claim of the national number and the acr values' methods.
func TestOIDCFlagsReachTheRelyingParty(t *testing.T) {
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	defer hs.Close()
	callback := hs.URL + "/auth/callback"
	dev, err := devfas.New(devfas.Options{Issuer: hs.URL + "/idp",
		Clients: []devfas.Client{{ID: "guichet-prod", Secret: "from-the-file", RedirectURIs: []string{callback}}}})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle(dev.Path()+"/", dev.Handler())
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("from-the-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	login := func(t *testing.T, extra ...string) (fas.Identity, url.Values, error) {
		t.Helper()
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		var f identificationFlags
		f.register(fs)
		args := append([]string{"--oidc-issuer", dev.Issuer(), "--oidc-client-id", "guichet-prod",
			"--oidc-client-secret-file", secret, "--oidc-redirect-url", callback}, extra...)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		ident, err := newIdentification(f, hs.Listener.Addr(), false)
		if err != nil {
			t.Fatal(err)
		}
		if ident.Dev != nil {
			t.Fatal("a development provider without --dev-fas")
		}
		authURL, pending, err := ident.RP.Begin(context.Background(), "fr")
		if err != nil {
			t.Fatal(err)
		}
		cb, err := devfas.Login(authURL, devfas.People[2], "eid", false)
		if err != nil {
			t.Fatal(err)
		}
		au, _ := url.Parse(authURL)
		who, err := ident.RP.Finish(context.Background(), pending, cb.Query())
		return who, au.Query(), err
	}
	who, q, err := login(t)
	if err != nil || who.NationalNumber != devfas.People[2].NationalNumber || who.Method != fas.MethodEID || q.Get("scope") != "openid profile" {
		t.Fatalf("defaults: %+v %v, scope %q", who, err, q.Get("scope"))
	}
	who, q, err = login(t, "--oidc-scopes", "profile egovnrn", "--oidc-acr-methods", "urn:other=itsme, eid=token")
	if err != nil || who.Method != fas.MethodToken || q.Get("scope") != "openid profile egovnrn" {
		t.Fatalf("scopes and acr: %+v %v, scope %q", who, err, q.Get("scope"))
	}
	if _, _, err := login(t, "--oidc-acr-methods", "urn:other=itsme"); !errors.Is(err, fas.ErrIdentity) {
		t.Fatalf("an acr left out of --oidc-acr-methods: %v", err)
	}
	if _, _, err := login(t, "--oidc-national-number-claim", "egovNRN"); !errors.Is(err, fas.ErrIdentity) {
		t.Fatalf("a national number claim the provider does not send: %v", err)
	}
}

func TestParseACRMethods(t *testing.T) {
	got, err := parseACRMethods(" urn:be:eid = eid ,urn:be:token=token,itsme=itsme ")
	if err != nil || len(got) != 3 || got["urn:be:eid"] != fas.MethodEID || got["urn:be:token"] != fas.MethodToken || got["itsme"] != fas.MethodItsme {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"urn:x=password", "urn:x", "=eid", "a=eid,a=token"} {
		if _, err := parseACRMethods(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := parseACRMethods(""); got != nil || err != nil {
		t.Errorf("empty: %v %v", got, err)
	}
}
