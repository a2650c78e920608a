package fas

import "fmt"

// Reason says why a login failed, in terms the form can explain.
type Reason string

// Reasons of a failed login.
const (
	// ReasonCancelled: the citizen cancelled at the FAS (or refused).
	ReasonCancelled Reason = "cancelled"
	// ReasonExpired: the login took too long, the FAS's code or the ID
	// token expired.
	ReasonExpired Reason = "expired"
	// ReasonWrongState: the answer does not belong to this session's
	// login (another tab, a replayed or forged link).
	ReasonWrongState Reason = "wrong_state"
	// ReasonWrongNonce: the ID token was issued for another login.
	ReasonWrongNonce Reason = "wrong_nonce"
	// ReasonRefused: the FAS refused to exchange the code (already used,
	// wrong PKCE verifier, wrong client).
	ReasonRefused Reason = "refused"
	// ReasonInvalidToken: the ID token failed verification (signature,
	// issuer, audience, malformed).
	ReasonInvalidToken Reason = "invalid_token"
	// ReasonIdentity: the token lacks a usable identity (no or invalid
	// national number, no names, unknown method, birth date that
	// contradicts the number).
	ReasonIdentity Reason = "identity"
	// ReasonUnavailable: the FAS could not be reached or answered with an
	// error of its own.
	ReasonUnavailable Reason = "unavailable"
)

// Error is a failed login: Reason for the citizen, Err for the log.
type Error struct {
	Reason Reason
	Err    error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return "fas: " + string(e.Reason)
	}
	return fmt.Sprintf("fas: %s: %v", e.Reason, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches any *Error of the same Reason, so errors.Is(err, ErrExpired)
// works whatever the detail.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == e.Reason
}

// Sentinels for errors.Is.
var (
	ErrCancelled    = &Error{Reason: ReasonCancelled}
	ErrExpired      = &Error{Reason: ReasonExpired}
	ErrWrongState   = &Error{Reason: ReasonWrongState}
	ErrWrongNonce   = &Error{Reason: ReasonWrongNonce}
	ErrRefused      = &Error{Reason: ReasonRefused}
	ErrInvalidToken = &Error{Reason: ReasonInvalidToken}
	ErrIdentity     = &Error{Reason: ReasonIdentity}
	ErrUnavailable  = &Error{Reason: ReasonUnavailable}
)

func fail(r Reason, format string, args ...any) *Error {
	return &Error{Reason: r, Err: fmt.Errorf(format, args...)}
}
