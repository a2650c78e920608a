package citizen

import (
	"fmt"

	"guichet/i18n"
)

// text is the form's message of key in lang: the Citizen group of package
// i18n, by its code "citizen." + key. A key without a message shows as
// ⟦key⟧, which the page tests look for.
func text(lang, key string) string {
	if s, ok := i18n.For(lang).Code("citizen." + key); ok {
		return s
	}
	return "⟦" + key + "⟧"
}

// textf is text formatted with args.
func textf(lang, key string, args ...any) string {
	return fmt.Sprintf(text(lang, key), args...)
}
