package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
		"--oidc-client-secret-file", secret, "--oidc-redirect-url", "https://guichet.example.be/identify/callback"}
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
			args := append([]string{"--db", filepath.Join(dir, "p.db"), "--addr", "127.0.0.1:0"}, tc.args...)
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // should it start, stop at once
			err := serve(ctx, args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("serve %v = %v, want an error about %q", tc.args, err, tc.want)
			}
		})
	}
	// The secret never is a flag.
	if err := serve(context.Background(), []string{"--oidc-client-secret", "x"}, io.Discard); err == nil {
		t.Fatal("--oidc-client-secret accepted")
	}
}

// lockedText collects lines written by one goroutine, read by another.
type lockedText struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedText) add(s string) {
	l.mu.Lock()
	l.b.WriteString(s)
	l.mu.Unlock()
}

func (l *lockedText) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs serve in the background and returns its address and the
// lines it wrote to stderr so far (read them after it has stopped).
func startServe(t *testing.T, args ...string) (addr string, stderr *lockedText) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, args, pw); pw.Close() }()
	stderr = &lockedText{}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			stderr.add(line + "\n")
			var l struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "guichetd listening" {
				listening <- l.Addr
			}
		}
		io.Copy(io.Discard, pr)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	select {
	case addr = <-listening:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, stderr)
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not start:\n%s", stderr)
	}
	return addr, stderr
}

// TestServeDevFAS: guichetd serve --dev-fas warns, serves the provider
// under /dev-fas beside the API, with an issuer on its own address.
func TestServeDevFAS(t *testing.T) {
	addr, stderr := startServe(t, "--db", filepath.Join(t.TempDir(), "p.db"), "--addr", "127.0.0.1:0", "--dev-fas")
	// Said plainly for the person at the terminal, and in the JSON log.
	if !strings.Contains(stderr.String(), "guichetd: WARNING: NOT FOR PRODUCTION") ||
		!strings.Contains(stderr.String(), `"level":"WARN","msg":"NOT FOR PRODUCTION`) {
		t.Errorf("no warning at start-up:\n%s", stderr)
	}
	resp, err := http.Get("http://" + addr + "/dev-fas/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var d struct{ Issuer string }
	json.NewDecoder(resp.Body).Decode(&d)
	resp.Body.Close()
	if resp.StatusCode != 200 || d.Issuer != "http://"+addr+"/dev-fas" {
		t.Fatalf("discovery: %s %+v", resp.Status, d)
	}
	resp, err = http.Get("http://" + addr + "/v1/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("API behind the dev FAS: %s", resp.Status)
	}
}

// TestServeWithoutDevFAS: without the flag nothing answers under /dev-fas.
func TestServeWithoutDevFAS(t *testing.T) {
	addr, stderr := startServe(t, "--db", filepath.Join(t.TempDir(), "p.db"), "--addr", "127.0.0.1:0")
	resp, err := http.Get("http://" + addr + "/dev-fas/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == 200 || strings.Contains(stderr.String(), "NOT FOR PRODUCTION") {
		t.Fatalf("dev FAS without --dev-fas: %s\n%s", resp.Status, stderr)
	}
}

// TestDevFASIdentityFilesThroughTheAPI: a login at the development FAS
// mounted like serve mounts it gives an identity whose assertion, signed
// with the form's key, the portal's API intake accepts: the record holds
// the certified national number.
func TestDevFASIdentityFilesThroughTheAPI(t *testing.T) {
	hs := httptest.NewUnstartedServer(nil)
	ident, err := newIdentification(identificationFlags{devFAS: true}, hs.Listener.Addr(), false)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := portal.Open(filepath.Join(t.TempDir(), "p.db"), portal.Options{FormAssertionKey: ident.FormPublicKey()})
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
	assertion := portal.SignAssertion(ident.FormKey, who.Assertion(time.Now(), time.Hour))
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
