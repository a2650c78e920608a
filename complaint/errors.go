package complaint

import (
	"errors"
	"sort"

	"guichet/i18n"
)

// FieldError is one problem with one field of a submission or an action.
// Path uses the JSON names ("facts.place", "details.items[0].value_eur").
type FieldError struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// FieldErrors collects every problem at once, in the order found.
type FieldErrors []FieldError

// Add records a problem with its message in lang.
func (e *FieldErrors) Add(lang, path, code string) {
	*e = append(*e, FieldError{Path: path, Code: code, Message: i18n.For(lang).Message(code)})
}

// Has reports whether path has a problem.
func (e FieldErrors) Has(path string) bool {
	for _, f := range e {
		if f.Path == path {
			return true
		}
	}
	return false
}

// Map is the wire form, path → message; the first problem of a path wins.
func (e FieldErrors) Map() map[string]string {
	if len(e) == 0 {
		return nil
	}
	m := make(map[string]string, len(e))
	for _, f := range e {
		if _, ok := m[f.Path]; !ok {
			m[f.Path] = f.Message
		}
	}
	return m
}

// Codes is path → code, for tests and logs.
func (e FieldErrors) Codes() map[string]string {
	m := make(map[string]string, len(e))
	for _, f := range e {
		if _, ok := m[f.Path]; !ok {
			m[f.Path] = f.Code
		}
	}
	return m
}

// Paths lists the paths with problems, sorted.
func (e FieldErrors) Paths() []string {
	var p []string
	for k := range e.Codes() {
		p = append(p, k)
	}
	sort.Strings(p)
	return p
}

func (e FieldErrors) Error() string {
	if len(e) == 0 {
		return "no error"
	}
	s := e[0].Path + ": " + e[0].Code
	if len(e) > 1 {
		s += " (and more)"
	}
	return s
}

// CodedError is an error carrying a message key, as returned by the
// identifier parsers and the router.
type CodedError struct {
	Code string
}

func (e *CodedError) Error() string { return i18n.For("en").Message(e.Code) }

// codeOf returns the message key of err, or fallback.
func codeOf(err error, fallback string) string {
	var c *CodedError
	if errors.As(err, &c) {
		return c.Code
	}
	return fallback
}

// Message keys (reason codes). Every key has a message in fr, nl, de and en
// in messages.go; a test fails if one is missing.
const (
	ErrRequired      = "required"
	ErrTooLong       = "too_long"
	ErrInvalidText   = "invalid_text" // invalid UTF-8 or NUL
	ErrUnknownField  = "unknown_field"
	ErrWrongType     = "wrong_type"
	ErrUnknownAction = "unknown_action"
	ErrInvalidPV     = "invalid_pv_number"
	ErrPVYearFuture  = "pv_year_future" // a PV number's year after the current year

	// Identifiers.
	ErrIDLength   = "invalid_length"
	ErrIDChecksum = "invalid_checksum"
	ErrIDFormat   = "invalid_format"
	ErrIDDate     = "invalid_date"

	// Routing of the place of the facts.
	ErrUnknownPostalCode    = "unknown_postal_code"
	ErrAmbiguousPlace       = "ambiguous_place"
	ErrMunicipalityMismatch = "municipality_mismatch"
)
