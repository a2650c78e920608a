package portal

import (
	"guichet/complaint"
	"guichet/i18n"
)

// Codes of the portal's own field errors; their messages are in package
// i18n (Portal.Errors and Portal.Officer, by code tag).
const (
	msgAssertionMalformed = "assertion_malformed"
	msgAssertionSignature = "assertion_signature"
	msgAssertionExpired   = "assertion_expired"
	msgAssertionNoKey     = "assertion_no_key"
	msgAssertionMismatch  = "assertion_identity_mismatch"
	msgAssertionMethod    = "assertion_method_mismatch"
	msgUnknownZone        = "unknown_zone"
)

// addField adds a field error with a portal message.
func addField(errs *complaint.FieldErrors, lang, path, code string) {
	*errs = append(*errs, complaint.FieldError{Path: path, Code: code, Message: i18n.For(lang).Message(code)})
}
