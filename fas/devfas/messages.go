package devfas

import (
	"strings"

	"guichet/i18n"
)

// The page texts are package i18n's FAS.Dev group.

// texts is the pages' texts in lang.
func texts(lang string) i18n.DevFAS { return i18n.For(lang).FAS.Dev }

// pickLanguage is the first language of ui_locales (space-separated BCP 47
// tags, OpenID Connect Core §3.1.2.1) that guichet speaks, else English.
func pickLanguage(uiLocales string) string {
	return i18n.Pick(strings.Join(strings.Fields(uiLocales), ","))
}

// methodLabel is how the page names a method (one of Methods).
func methodLabel(t i18n.DevFAS, method string) string {
	switch method {
	case "eid":
		return t.MethodEID
	case "token":
		return t.MethodToken
	case "itsme":
		return t.MethodItsme
	}
	return method
}
