package citizen

import (
	"net/http"
	"strings"

	"guichet/i18n"
)

// The form's languages are package i18n's (fr, nl, de, en, es): a language
// added there is offered here, in the language switch and from
// Accept-Language.

func knownLanguage(lang string) bool { return lang != "" && i18n.Supported(lang) }

// pickLanguage is the best of the form's languages for the browser's
// Accept-Language, English when none fits confidently (a visitor who reads
// none of them most likely reads English; the switch is on every page).
func pickLanguage(r *http.Request) string {
	if l := i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return "en"
}

// pageLanguage is the language of the page asked: the path's first part
// when it is one of the form's languages, else the browser's choice.
func pageLanguage(r *http.Request) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if knownLanguage(first) {
		return first
	}
	return pickLanguage(r)
}
