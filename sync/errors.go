package sync

import (
	"errors"
	"fmt"
	"net/http"

	"guichet/complaint"
)

// ErrAuth says the portal refused the token: it was revoked, or it belongs
// to another zone than this cache. Syncing stops; nothing queued is lost.
var ErrAuth = errors.New("token revoked or for another zone")

// authMessages is ErrAuth in the officer's language.
var authMessages = map[string]string{
	"fr": "jeton révoqué ou d'une autre zone",
	"nl": "token ingetrokken of van een andere zone",
	"de": "Token widerrufen oder für eine andere Zone",
	"en": "token revoked or for another zone",
}

// AuthMessage returns the message of ErrAuth in lang (fr, nl, de, en;
// anything else gives English).
func AuthMessage(lang string) string {
	if m, ok := authMessages[lang]; ok {
		return m
	}
	return authMessages["en"]
}

// ErrZoneMismatch says the token belongs to another zone or officer than the
// one this cache was made for. It wraps ErrAuth.
var ErrZoneMismatch = fmt.Errorf("%w: this cache belongs to another zone", ErrAuth)

// StatusError is a non-2xx answer of the portal.
type StatusError struct {
	Op     string // what was asked, e.g. "GET feed"
	Status int
	API    complaint.APIError // the decoded error body, when there was one
}

func (e *StatusError) Error() string {
	msg := e.API.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		return fmt.Sprintf("%v (%s: %d %s)", ErrAuth, e.Op, e.Status, msg)
	}
	return fmt.Sprintf("%s: %d %s", e.Op, e.Status, msg)
}

// Unwrap makes errors.Is(err, ErrAuth) true for 401 and 403.
func (e *StatusError) Unwrap() error {
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		return ErrAuth
	}
	return nil
}

// transient reports whether a later retry of the same request may succeed:
// 5xx, 408 and 429. Network errors are transient too (see retryable).
func (e *StatusError) transient() bool {
	return e.Status >= 500 || e.Status == http.StatusRequestTimeout || e.Status == http.StatusTooManyRequests
}

// Retryable reports whether err is worth a retry after a backoff: anything
// but a refused token and a cancelled context.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, ErrAuth) {
		return false
	}
	return true
}
