package citizen

import (
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

// formLanguages are the form's languages, in the order of the language
// switch: Belgium's three official languages, then English and Spanish.
var formLanguages = []struct{ Code, Name string }{
	{"fr", "Français"}, {"nl", "Nederlands"}, {"de", "Deutsch"}, {"en", "English"}, {"es", "Español"},
}

var langMatcher = func() language.Matcher {
	tags := make([]language.Tag, len(formLanguages))
	for i, l := range formLanguages {
		tags[i] = language.MustParse(l.Code)
	}
	return language.NewMatcher(tags)
}()

func knownLanguage(lang string) bool {
	for _, l := range formLanguages {
		if l.Code == lang {
			return true
		}
	}
	return false
}

// pickLanguage is the best of the form's languages for the browser's
// Accept-Language, English when none fits confidently (a visitor who reads
// none of the five most likely reads English; the switch is on every page).
func pickLanguage(r *http.Request) string {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, idx, conf := langMatcher.Match(tags...)
	if conf < language.High {
		return "en"
	}
	return formLanguages[idx].Code
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
