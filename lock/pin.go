package lock

import (
	"fmt"
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

// Error is a user-facing problem with a PIN; its Code keys Messages.
type Error struct{ Code string }

// Error is the English message.
func (e *Error) Error() string { return Message("en", e.Code) }

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
	s := e.Path + ": " + Message(lang, e.Code)
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
		return Message(lang, e.Code)
	case *FileError:
		return e.Localized(lang)
	}
	return err.Error()
}

// Messages holds every user-facing text of the package, by key then
// language. {n} is a number, {time} a clock time.
var Messages = map[string]map[string]string{
	"pin.not_digits": {
		"fr": "Le code PIN ne contient que des chiffres.",
		"nl": "De pincode bestaat alleen uit cijfers.",
		"de": "Die PIN besteht nur aus Ziffern.",
		"en": "The PIN is digits only."},
	"pin.too_short": {
		"fr": "Le code PIN compte au moins 6 chiffres.",
		"nl": "De pincode telt minstens 6 cijfers.",
		"de": "Die PIN hat mindestens 6 Ziffern.",
		"en": "The PIN has at least 6 digits."},
	"pin.too_long": {
		"fr": "Le code PIN compte au plus 32 chiffres.",
		"nl": "De pincode telt hoogstens 32 cijfers.",
		"de": "Die PIN hat höchstens 32 Ziffern.",
		"en": "The PIN has at most 32 digits."},
	"pin.trivial": {
		"fr": "Ce code PIN est trop simple (chiffre répété, suite ou motif) : choisissez-en un autre.",
		"nl": "Deze pincode is te eenvoudig (herhaald cijfer, reeks of patroon): kies een andere.",
		"de": "Diese PIN ist zu einfach (wiederholte Ziffer, Folge oder Muster): wählen Sie eine andere.",
		"en": "This PIN is too easy (repeated digit, run or pattern): choose another one."},
	"pin.wrong": {
		"fr": "Code PIN incorrect.",
		"nl": "Onjuiste pincode.",
		"de": "Falsche PIN.",
		"en": "Wrong PIN."},
	"pin.remaining": {
		"fr": "Encore {n} essai(s) avant le blocage.",
		"nl": "Nog {n} poging(en) voor de blokkering.",
		"de": "Noch {n} Versuch(e) bis zur Sperre.",
		"en": "{n} attempt(s) left before the lockout."},
	"pin.locked_out": {
		"fr": "Trop de codes PIN erronés : verrouillé jusqu'à {time}.",
		"nl": "Te veel foute pincodes: vergrendeld tot {time}.",
		"de": "Zu viele falsche PINs: gesperrt bis {time}.",
		"en": "Too many wrong PINs: locked until {time}."},
	"pin.not_set": {
		"fr": "Aucun code PIN n'est encore défini.",
		"nl": "Er is nog geen pincode ingesteld.",
		"de": "Es ist noch keine PIN festgelegt.",
		"en": "No PIN has been set yet."},
	"pin.already_set": {
		"fr": "Un code PIN est déjà défini.",
		"nl": "Er is al een pincode ingesteld.",
		"de": "Es ist bereits eine PIN festgelegt.",
		"en": "A PIN is already set."},
	"pin.mismatch": {
		"fr": "Les deux codes PIN diffèrent.",
		"nl": "De twee pincodes verschillen.",
		"de": "Die beiden PINs stimmen nicht überein.",
		"en": "The two PINs differ."},
	"prompt.set": {
		"fr": "Choisissez un code PIN pour verrouiller la session (6 chiffres au moins) :",
		"nl": "Kies een pincode om de sessie te vergrendelen (minstens 6 cijfers):",
		"de": "Wählen Sie eine PIN zum Sperren der Sitzung (mindestens 6 Ziffern):",
		"en": "Choose a PIN to lock the session (at least 6 digits):"},
	"prompt.confirm": {
		"fr": "Confirmez le code PIN :",
		"nl": "Bevestig de pincode:",
		"de": "PIN bestätigen:",
		"en": "Confirm the PIN:"},
	"prompt.unlock": {
		"fr": "Session verrouillée. Code PIN :",
		"nl": "Sessie vergrendeld. Pincode:",
		"de": "Sitzung gesperrt. PIN:",
		"en": "Session locked. PIN:"},
	"demo.pin": {
		"fr": "Démo : le code PIN de verrouillage est {pin}.",
		"nl": "Demo: de vergrendelingspincode is {pin}.",
		"de": "Demo: die Sperr-PIN ist {pin}.",
		"en": "Demo: the lock PIN is {pin}."},
	ErrCodeFileRead: {
		"fr": "impossible de lire le fichier du code PIN",
		"nl": "kan het pincodebestand niet lezen",
		"de": "die PIN-Datei kann nicht gelesen werden",
		"en": "cannot read the PIN file"},
	ErrCodeFileWrite: {
		"fr": "impossible d'écrire le fichier du code PIN",
		"nl": "kan het pincodebestand niet schrijven",
		"de": "die PIN-Datei kann nicht geschrieben werden",
		"en": "cannot write the PIN file"},
	ErrCodeFilePerms: {
		"fr": "le fichier du code PIN est accessible à d'autres utilisateurs : refusé ; faites chmod 600 sur ce fichier",
		"nl": "het pincodebestand is toegankelijk voor andere gebruikers: geweigerd; voer chmod 600 uit op dit bestand",
		"de": "die PIN-Datei ist für andere Benutzer zugänglich: abgelehnt; führen Sie chmod 600 für diese Datei aus",
		"en": "the PIN file is open to other users: refused; run chmod 600 on it"},
	ErrCodeDirPerms: {
		"fr": "d'autres utilisateurs peuvent écrire dans le dossier du code PIN : refusé ; faites chmod 700 sur ce dossier",
		"nl": "andere gebruikers kunnen schrijven in de map van de pincode: geweigerd; voer chmod 700 uit op deze map",
		"de": "andere Benutzer können in den Ordner der PIN schreiben: abgelehnt; führen Sie chmod 700 für diesen Ordner aus",
		"en": "other users can write in the PIN's directory: refused; run chmod 700 on it"},
	ErrCodeFileCorrupt: {
		"fr": "le fichier du code PIN est endommagé",
		"nl": "het pincodebestand is beschadigd",
		"de": "die PIN-Datei ist beschädigt",
		"en": "the PIN file is damaged"},
}

// Languages every message exists in.
var Languages = []string{"fr", "nl", "de", "en"}

// Message is the text of key in lang, English when lang is not one of
// Languages, the key itself when unknown.
func Message(lang, key string) string {
	m, ok := Messages[key]
	if !ok {
		return key
	}
	if s, ok := m[lang]; ok {
		return s
	}
	return m["en"]
}

// RemainingMessage is "n attempt(s) left…" in lang.
func RemainingMessage(lang string, n int) string {
	return replace(Message(lang, "pin.remaining"), "{n}", fmt.Sprint(n))
}

// LockedOutMessage is "locked until 10:42" in lang (24-hour clock, local
// time of until).
func LockedOutMessage(lang string, until time.Time) string {
	return replace(Message(lang, "pin.locked_out"), "{time}", until.Format("15:04"))
}

// DemoMessage is the first-screen notice of the demo, with DemoPIN.
func DemoMessage(lang string) string {
	return replace(Message(lang, "demo.pin"), "{pin}", DemoPIN)
}

func replace(s, old, new string) string { return strings.ReplaceAll(s, old, new) }
