package lock

import (
	"fmt"
	"guichet/i18n"
	"strings"
	"time"
)

// CheckPIN enforces the PIN rules: MinPINLength to MaxPINLength ASCII
// digits, not trivial (one digit repeated, an ascending or descending run
// with wrap-around such as 123456, 654321 or 890123, or a pattern of up to
// three digits repeated such as 121212 or 123123).
func CheckPIN(pin string) error {
	for _, r := range pin {
		if r < '0' || r > '9' {
			return ErrPINNotDigits
		}
	}
	if len(pin) < MinPINLength {
		return ErrPINTooShort
	}
	if len(pin) > MaxPINLength {
		return ErrPINTooLong
	}
	if isRun(pin, 1) || isRun(pin, -1) {
		return ErrPINTrivial
	}
	for period := 1; period <= 3; period++ {
		if isRepeated(pin, period) {
			return ErrPINTrivial
		}
	}
	return nil
}

// isRun reports whether each digit is the previous one plus step (mod 10).
func isRun(pin string, step int) bool {
	for i := 1; i < len(pin); i++ {
		if (int(pin[i]-'0')-int(pin[i-1]-'0')-step+20)%10 != 0 {
			return false
		}
	}
	return true
}

// isRepeated reports whether pin is its first period digits over and over.
func isRepeated(pin string, period int) bool {
	for i := period; i < len(pin); i++ {
		if pin[i] != pin[i-period] {
			return false
		}
	}
	return true
}

// Error is a user-facing problem with a PIN; its Code keys its message
// (package i18n, Lock).
type Error struct{ Code string }

// Error is the English message.
func (e *Error) Error() string { return message("en", e.Code) }

// Errors of Set, Change and Verify. Compare with errors.Is.
var (
	ErrPINNotDigits = &Error{"pin.not_digits"}
	ErrPINTooShort  = &Error{"pin.too_short"}
	ErrPINTooLong   = &Error{"pin.too_long"}
	ErrPINTrivial   = &Error{"pin.trivial"}
	ErrWrongPIN     = &Error{"pin.wrong"}
	ErrLockedOut    = &Error{"pin.locked_out"}
	ErrNotSet       = &Error{"pin.not_set"}
	ErrAlreadySet   = &Error{"pin.already_set"}
)

// Codes of FileError.
const (
	ErrCodeFileRead    = "file.read"
	ErrCodeFileWrite   = "file.write"
	ErrCodeFilePerms   = "file.perms"
	ErrCodeFileCorrupt = "file.corrupt"
	ErrCodeDirPerms    = "file.dir_perms"
)

// FileError is a problem with the PIN file.
type FileError struct {
	Path string
	Code string
	Err  error
}

func (e *FileError) Error() string { return e.Localized("en") }

// Unwrap gives the cause.
func (e *FileError) Unwrap() error { return e.Err }

// Localized is the message in lang.
func (e *FileError) Localized(lang string) string {
	s := e.Path + ": " + message(lang, e.Code)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Localized gives any error of this package in lang (others as they are).
func Localized(lang string, err error) string {
	switch e := err.(type) {
	case nil:
		return ""
	case *Error:
		return message(lang, e.Code)
	case *FileError:
		return e.Localized(lang)
	}
	return err.Error()
}

// message is the text of code in lang (package i18n, Lock), English
// when lang has none.
func message(lang, code string) string { return i18n.For(lang).Message("lock." + code) }

// RemainingMessage is "n attempt(s) left…" in lang.
func RemainingMessage(lang string, n int) string {
	return replace(i18n.For(lang).Lock.PINRemaining, "{n}", fmt.Sprint(n))
}

// LockedOutMessage is "locked until 10:42" in lang (24-hour clock, local
// time of until).
func LockedOutMessage(lang string, until time.Time) string {
	return replace(i18n.For(lang).Lock.PINLockedOut, "{time}", until.Format("15:04"))
}

// DemoMessage is the first-screen notice of the demo, with DemoPIN.
func DemoMessage(lang string) string {
	return replace(i18n.For(lang).Lock.DemoPIN, "{pin}", DemoPIN)
}

func replace(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
