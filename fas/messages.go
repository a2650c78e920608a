package fas

import "guichet/i18n"

// Message is the citizen's explanation of the failure in lang (any of
// i18n.Languages; others get English), from package i18n's FAS.Errors. It
// never contains the technical detail.
func (e *Error) Message(lang string) string {
	m := i18n.For(lang).FAS.Errors
	switch e.Reason {
	case ReasonCancelled:
		return m.Cancelled
	case ReasonExpired:
		return m.Expired
	case ReasonWrongState, ReasonWrongNonce:
		return m.WrongState
	case ReasonRefused:
		return m.Refused
	case ReasonInvalidToken:
		return m.InvalidToken
	case ReasonIdentity:
		return m.Identity
	}
	return m.Unavailable
}
