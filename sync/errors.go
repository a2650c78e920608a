package sync

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/i18n"
)

// ErrAuth says the portal refused the token: it was revoked, or it belongs
// to another zone than this cache. Syncing stops; nothing queued is lost.
var ErrAuth = errors.New("token revoked or for another zone")

// AuthMessage returns the message of ErrAuth in lang (English for a
// language without it).
func AuthMessage(lang string) string { return i18n.For(lang).Sync.Errors.Auth }

// AuthReason says why the portal refused the token of err (an ErrAuth) in
// lang: AuthMessage, or for the limit on refused authentications what to
// do and when the portal takes a new attempt.
func AuthReason(err error, lang string) string {
	if !errors.Is(err, ErrAuthLimited) {
		return AuthMessage(lang)
	}
	return i18n.For(lang).Sync.Errors.AuthLimited.F(retryMinutes(err))
}

// ErrZoneMismatch says the token belongs to another zone or officer than the
// one this cache was made for. It wraps ErrAuth.
var ErrZoneMismatch = fmt.Errorf("%w: this cache belongs to another zone", ErrAuth)

// ErrAuthLimited says the portal refused the token and, after too many
// refused authentications from this address, now answers 429 instead of
// 401. It wraps ErrAuth: retrying cannot help, a new token can.
var ErrAuthLimited = fmt.Errorf("%w: too many refused authentications from this address", ErrAuth)

// StatusError is a non-2xx answer of the portal.
type StatusError struct {
	Op     string // what was asked, e.g. "GET feed"
	Status int
	API    complaint.APIError // the decoded error body, when there was one
	// RetryAfter is the answer's Retry-After (429, 503), 0 when none.
	RetryAfter time.Duration
	// AuthLimited marks a 429 of the portal's limit on refused
	// authentications: it carries WWW-Authenticate, or it came after the
	// token was refused (401/403) by the same engine.
	AuthLimited bool
}

func (e *StatusError) Error() string {
	msg := e.API.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if e.AuthLimited {
		return fmt.Sprintf("%v (%s: %d %s, retry after %s)", ErrAuthLimited, e.Op, e.Status, msg, e.RetryAfter)
	}
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		return fmt.Sprintf("%v (%s: %d %s)", ErrAuth, e.Op, e.Status, msg)
	}
	return fmt.Sprintf("%s: %d %s", e.Op, e.Status, msg)
}

// Unwrap makes errors.Is(err, ErrAuth) true for 401 and 403, and
// errors.Is(err, ErrAuthLimited) for the limit on refused authentications.
func (e *StatusError) Unwrap() error {
	if e.AuthLimited {
		return ErrAuthLimited
	}
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		return ErrAuth
	}
	return nil
}

// transient reports whether a later retry of the same request may succeed:
// 5xx, 408 and 429 (not the 429 of refused authentications: the token is
// the problem). Network errors are transient too (see retryable).
func (e *StatusError) transient() bool {
	if e.AuthLimited {
		return false
	}
	return e.Status >= 500 || e.Status == http.StatusRequestTimeout || e.Status == http.StatusTooManyRequests
}

// maxRetryAfter bounds how long a Retry-After can hold the next round.
const maxRetryAfter = time.Hour

// parseRetryAfter reads a Retry-After header: delay-seconds or an
// HTTP-date (RFC 9110 10.2.3); 0 when absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		d = time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, maxRetryAfter))
}

// retryWait is how long Run waits after a failed round: the backoff, or
// longer when the portal said when to come back (Retry-After).
func retryWait(err error, bo *backoff) time.Duration {
	wait := bo.next()
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > wait {
		wait = se.RetryAfter
	}
	return wait
}

// Retryable reports whether err is worth a retry after a backoff: anything
// but a refused token and a cancelled context.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, ErrAuth) {
		return false
	}
	return true
}
