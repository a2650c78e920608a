package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"

	"guichet/citizen"
	"guichet/fas"
	"guichet/fas/devfas"
	"guichet/portal"
)

// citizenCallbackPath is where the citizen's form receives the answer of
// the federal authentication service (package citizen serves it).
const citizenCallbackPath = "/auth/callback"

// devFASPath is where --dev-fas mounts the development provider.
const devFASPath = "/dev-fas"

// identificationFlags are serve's flags for identifying citizens at the
// federal authentication service.
type identificationFlags struct {
	devFAS           bool
	issuer           string
	clientID         string
	clientSecretFile string
	redirectURL      string
	// What the FAS's tokens say, where it differs from the defaults of
	// package fas.
	scopes              string
	nationalNumberClaim string
	acrMethods          string
}

func (f *identificationFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.devFAS, "dev-fas", false, "serve a development FAS under "+devFASPath+" and identify citizens there (NOT FOR PRODUCTION; loopback addresses only)")
	fs.StringVar(&f.issuer, "oidc-issuer", "", "OpenID Connect issuer `URL` of the federal authentication service")
	fs.StringVar(&f.clientID, "oidc-client-id", "", "the portal's client `id` at the FAS")
	fs.StringVar(&f.clientSecretFile, "oidc-client-secret-file", "", "`FILE` holding the client secret (not readable by others: chmod 600)")
	fs.StringVar(&f.redirectURL, "oidc-redirect-url", "", "the callback `URL` registered at the FAS (https://HOST"+citizenCallbackPath+")")
	fs.StringVar(&f.scopes, "oidc-scopes", "", "`scopes` asked for besides openid, space-separated (default: profile)")
	fs.StringVar(&f.nationalNumberClaim, "oidc-national-number-claim", "", "the ID token `claim` holding the national register number (default: "+fas.DefaultNationalNumberClaim+")")
	fs.StringVar(&f.acrMethods, "oidc-acr-methods", "", "the FAS's acr `values` and the methods they mean, as ACR=eid,ACR=token,ACR=itsme (default: eid, token and itsme mean themselves)")
}

// parseACRMethods reads --oidc-acr-methods; "" is nil (package fas's
// default).
func parseACRMethods(s string) (map[string]fas.Method, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	out := map[string]fas.Method{}
	for _, item := range strings.Split(s, ",") {
		acr, method, ok := strings.Cut(item, "=")
		acr, m := strings.TrimSpace(acr), fas.Method(strings.TrimSpace(method))
		if !ok || acr == "" || (m != fas.MethodEID && m != fas.MethodToken && m != fas.MethodItsme) {
			return nil, fmt.Errorf("--oidc-acr-methods: %q is not ACR=eid, ACR=token or ACR=itsme", strings.TrimSpace(item))
		}
		if _, dup := out[acr]; dup {
			return nil, fmt.Errorf("--oidc-acr-methods: %q given twice", acr)
		}
		out[acr] = m
	}
	return out, nil
}

// check refuses incomplete or contradictory flags before anything starts.
func (f *identificationFlags) check() error {
	oidc := f.issuer != "" || f.clientID != "" || f.clientSecretFile != "" || f.redirectURL != "" ||
		f.scopes != "" || f.nationalNumberClaim != "" || f.acrMethods != ""
	switch {
	case f.devFAS && oidc:
		return errors.New("--dev-fas is for development: it excludes the --oidc-* flags")
	case oidc && (f.issuer == "" || f.clientID == "" || f.clientSecretFile == "" || f.redirectURL == ""):
		return errors.New("--oidc-issuer, --oidc-client-id, --oidc-client-secret-file and --oidc-redirect-url go together")
	}
	return nil
}

// identification is what serve needs to identify citizens through the
// FAS: the relying party, the key with which the form states the identity
// to the portal's intake, and the development provider when there is one.
type identification struct {
	RP *fas.RelyingParty
	// FormKey signs the portal assertions of OIDC identities; its public
	// half goes to portal.Options.FormAssertionKey. Made anew by each
	// process: an assertion lives an hour at most and is checked in the
	// process that signed it.
	FormKey ed25519.PrivateKey
	// Dev is the development provider (--dev-fas), nil otherwise.
	Dev *devfas.Provider
}

// readClientSecret reads the client secret from a file that others cannot
// read (the secret is never a flag: flags show in ps and shell history).
func readClientSecret(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("--oidc-client-secret-file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o007 != 0 {
		return "", fmt.Errorf("--oidc-client-secret-file %s is accessible to every user (mode %04o): chmod o-rwx %s", path, perm, path)
	}
	b := make([]byte, 4097)
	n, _ := f.Read(b)
	if n > 4096 {
		return "", fmt.Errorf("--oidc-client-secret-file %s: more than 4096 bytes", path)
	}
	secret := strings.TrimSpace(string(b[:n]))
	if secret == "" || strings.ContainsAny(secret, "\r\n") {
		return "", fmt.Errorf("--oidc-client-secret-file %s must hold the secret on one line", path)
	}
	return secret, nil
}

// newIdentification sets identification up for a guichetd listening on
// addr, or returns nil when no flag asks for it. For --dev-fas it refuses a
// listener that is not a loopback one.
func newIdentification(f identificationFlags, addr net.Addr, tls bool) (*identification, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if !f.devFAS && f.issuer == "" {
		return nil, nil
	}
	_, formKey, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	id := &identification{FormKey: formKey}
	cfg := fas.Config{Issuer: f.issuer, ClientID: f.clientID, RedirectURL: f.redirectURL,
		Scopes: strings.Fields(f.scopes), NationalNumberClaim: f.nationalNumberClaim}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = nil // package fas's default
	}
	if cfg.ACRMethods, err = parseACRMethods(f.acrMethods); err != nil {
		return nil, err
	}
	if f.devFAS {
		if err := devfas.CheckListener(addr); err != nil {
			return nil, fmt.Errorf("--dev-fas: %w", err)
		}
		scheme := "http"
		if tls {
			scheme = "https"
		}
		base := scheme + "://" + addr.String()
		// The form may be opened as 127.0.0.1, [::1] or localhost: each
		// name is its own callback (the session cookie follows the name).
		callbacks := []string{base + citizenCallbackPath}
		if tcp, ok := addr.(*net.TCPAddr); ok {
			callbacks = append(callbacks, fmt.Sprintf("%s://localhost:%d%s", scheme, tcp.Port, citizenCallbackPath))
		}
		secret := make([]byte, 32)
		rand.Read(secret)
		cfg = fas.Config{Issuer: base + devFASPath, ClientID: "guichet-dev", ClientSecret: base64.RawURLEncoding.EncodeToString(secret),
			RedirectURL: callbacks[0], OtherRedirectURLs: callbacks[1:]}
		id.Dev, err = devfas.New(devfas.Options{Issuer: cfg.Issuer,
			Clients: []devfas.Client{{ID: cfg.ClientID, Secret: cfg.ClientSecret, RedirectURIs: callbacks}}})
		if err != nil {
			return nil, err
		}
	} else {
		cfg.ClientSecret, err = readClientSecret(f.clientSecretFile)
		if err != nil {
			return nil, err
		}
	}
	id.RP, err = fas.New(cfg)
	if err != nil {
		return nil, err
	}
	return id, nil
}

// Mount serves the development provider (if any) in front of next.
func (id *identification) Mount(next http.Handler) http.Handler {
	if id == nil || id.Dev == nil {
		return next
	}
	mux := http.NewServeMux()
	mux.Handle(id.Dev.Path()+"/", id.Dev.Handler())
	mux.Handle("/", next)
	return mux
}

// configure hands the form the relying party and the key that signs its
// assertions, and the portal the public half of that key. Without
// identification the form offers the three numbers only.
func (id *identification) configure(p *portal.Options, f *citizen.Options) {
	if id == nil {
		return
	}
	p.FormAssertionKey = id.FormKey.Public().(ed25519.PublicKey)
	f.Identifier, f.AssertionKey = id.RP, id.FormKey
}

// issuer is the FAS's issuer URL, "" without identification (for the log).
func (id *identification) issuer() string {
	if id == nil {
		return ""
	}
	return id.RP.Issuer()
}
