package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// LocaleVariables are the POSIX variables that decide the message
// language, strongest first: the first non-empty one decides, as in
// setlocale(3).
var LocaleVariables = []string{"LC_ALL", "LC_MESSAGES", "LANG"}

// LocaleFromEnv is the POSIX locale variable that decides the message
// language (the first non-empty of LC_ALL, LC_MESSAGES, LANG), its name
// and the language it names ("" when it names none of Languages, or "C").
func LocaleFromEnv(env func(string) string) (name, code string) {
	for _, n := range LocaleVariables {
		if v := env(n); v != "" {
			return n, FromLocale(v)
		}
	}
	return "", ""
}

// FromLocale maps a POSIX locale ("nl_BE.UTF-8", "de_DE@euro", "fr",
// "de-AT") to one of Languages, or "" when it names another language,
// "C" or "POSIX".
func FromLocale(locale string) string {
	l := locale
	if i := strings.IndexAny(l, ".@"); i >= 0 {
		l = l[:i]
	}
	l = strings.ReplaceAll(l, "_", "-")
	switch strings.ToUpper(l) {
	case "", "C", "POSIX":
		return ""
	}
	// A language's own code ("fr", GUICHET_LANG=nl): no need to build the
	// matcher of x/text at every start.
	mu.Lock()
	for _, e := range ordered {
		if strings.EqualFold(e.Code, l) {
			mu.Unlock()
			return e.Code
		}
	}
	mu.Unlock()
	tag, err := language.Parse(l)
	if err != nil {
		return ""
	}
	return match(tag)
}

// FromAcceptLanguage is the best of Languages for an HTTP Accept-Language
// header ("nl-BE,nl;q=0.9,en;q=0.5"), or "" when none fits.
func FromAcceptLanguage(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return ""
	}
	return match(tags...)
}

// Pick is the language of the first candidate that names one of
// Languages, each candidate being a language code or an Accept-Language
// header; English when none does.
func Pick(candidates ...string) string {
	for _, c := range candidates {
		if l := FromAcceptLanguage(c); l != "" {
			return l
		}
	}
	return fallback
}

// match runs x/text's matcher (CLDR language distances) over the
// registered languages and keeps only a confident match: "nl-BE" is nl,
// "de-AT" de, but "pt" is not Spanish.
func match(tags ...language.Tag) string {
	mu.Lock()
	if matcher == nil {
		supported := make([]language.Tag, len(ordered))
		tagsByIx = make([]string, len(ordered))
		for i, e := range ordered {
			supported[i] = e.tag()
			tagsByIx[i] = e.Code
		}
		matcher = language.NewMatcher(supported)
	}
	m, codes := matcher, tagsByIx
	mu.Unlock()
	_, i, conf := m.Match(tags...)
	if conf < language.High {
		return ""
	}
	return codes[i]
}
