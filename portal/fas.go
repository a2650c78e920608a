package portal

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// Assertion is what the federal authentication service (FAS) certifies
// about a citizen who logged in with eID or an authentication token. On the
// wire it is base64url(JSON payload) "." base64url(Ed25519 signature of the
// payload bytes).
type Assertion struct {
	NationalNumber string `json:"national_number"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	Method         string `json:"method"` // eid or token
	IssuedAt       int64  `json:"iat"`    // Unix seconds
	ExpiresAt      int64  `json:"exp"`    // Unix seconds
}

// Assertion limits.
const (
	maxAssertionLen      = 4096
	maxAssertionLifetime = time.Hour
	assertionClockSkew   = 2 * time.Minute
)

// Reasons an assertion is refused (message keys, see portalMessages).
var (
	ErrAssertionMalformed = errors.New("assertion_malformed")
	ErrAssertionSignature = errors.New("assertion_signature")
	ErrAssertionExpired   = errors.New("assertion_expired")
	ErrAssertionNoKey     = errors.New("assertion_no_key")
)

// SignAssertion makes a signed assertion (for dev-assert, demos and tests).
func SignAssertion(key ed25519.PrivateKey, a Assertion) string {
	payload, _ := json.Marshal(a)
	sig := ed25519.Sign(key, payload)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// VerifyAssertion checks the signature with pub and the validity window at
// now. It does not compare the identity with the complaint (the caller does).
func VerifyAssertion(pub ed25519.PublicKey, token string, now time.Time) (Assertion, error) {
	var a Assertion
	if len(pub) != ed25519.PublicKeySize {
		return a, ErrAssertionNoKey
	}
	if len(token) > maxAssertionLen {
		return a, ErrAssertionMalformed
	}
	p64, s64, ok := strings.Cut(token, ".")
	if !ok {
		return a, ErrAssertionMalformed
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	sig, err2 := base64.RawURLEncoding.DecodeString(s64)
	if err1 != nil || err2 != nil || len(sig) != ed25519.SignatureSize {
		return a, ErrAssertionMalformed
	}
	if !ed25519.Verify(pub, payload, sig) {
		return a, ErrAssertionSignature
	}
	if err := json.Unmarshal(payload, &a); err != nil {
		return a, ErrAssertionMalformed
	}
	iat, exp := time.Unix(a.IssuedAt, 0), time.Unix(a.ExpiresAt, 0)
	switch {
	case a.IssuedAt == 0 || a.ExpiresAt == 0 || !exp.After(iat) || exp.Sub(iat) > maxAssertionLifetime:
		return a, ErrAssertionMalformed
	case iat.After(now.Add(assertionClockSkew)) || !now.Before(exp):
		return a, ErrAssertionExpired
	}
	return a, nil
}

// verifyAssertion verifies with the FAS's key, then with the form's: a
// signature that fails with the first may be the second's. Without either
// key it is ErrAssertionNoKey.
func (s *Server) verifyAssertion(token string, now time.Time) (Assertion, error) {
	a, err := VerifyAssertion(s.opts.FASPublicKey, token, now)
	if len(s.opts.FormAssertionKey) == 0 || !(errors.Is(err, ErrAssertionSignature) || errors.Is(err, ErrAssertionNoKey)) {
		return a, err
	}
	return VerifyAssertion(s.opts.FormAssertionKey, token, now)
}

// Key files hold one line of standard base64: the 32-byte public key, or
// the 32-byte seed of the private key.

// ReadFASPublicKey reads a public key file written by WriteFASDevKey.
func ReadFASPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := readKeyFile(path, ed25519.PublicKeySize)
	if err != nil {
		return nil, err
	}
	return ed25519.PublicKey(b), nil
}

// ReadFASPrivateKey reads a private key (seed) file written by WriteFASDevKey.
func ReadFASPrivateKey(path string) (ed25519.PrivateKey, error) {
	b, err := readKeyFile(path, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	return ed25519.NewKeyFromSeed(b), nil
}

func readKeyFile(path string, size int) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(b) != size {
		return nil, fmt.Errorf("%s: not a base64 Ed25519 key of %d bytes", path, size)
	}
	return b, nil
}

// WriteFASDevKey makes a development key pair: prefix+".key" (private,
// 0600) and prefix+".pub". Not for production.
func WriteFASDevKey(prefix string) (pub ed25519.PublicKey, err error) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	// os.WriteFile keeps the mode of a file that exists: make sure of 0600.
	if err := os.WriteFile(prefix+".key", nil, 0o600); err != nil {
		return nil, err
	}
	if err := os.Chmod(prefix+".key", 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(prefix+".key", []byte(base64.StdEncoding.EncodeToString(priv.Seed())+"\n"), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(prefix+".pub", []byte(base64.StdEncoding.EncodeToString(pub)+"\n"), 0o644); err != nil {
		return nil, err
	}
	return pub, nil
}
