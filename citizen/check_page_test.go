package citizen

import (
	"html"
	"strings"
	"testing"

	"guichet/portal"
)

// TestRecapShowsUnansweredRowsAndFrenchTypography: an optional answer left
// out (witnesses, insurance) says so on the recap instead of an empty
// cell, in every language; French puts a no-break space before its colons
// and question marks (a "?" alone on the next line of a narrow column was
// seen on the screenshots).
func TestRecapShowsUnansweredRowsAndFrenchTypography(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	for _, lang := range []string{"fr", "nl", "de", "en", "es"} {
		b := ts.browser()
		b.answers(lang, "")
		b.get("/"+lang+"/check").at("/"+lang+"/check", 200)
		for _, key := range []string{"witnesses_list", "insurance_title"} {
			row := html.EscapeString(text(lang, key)) + `</dt><dd class="summary-value">` + html.EscapeString(text(lang, "recap_not_given")) + `<br>`
			b.contains(row)
		}
		if lang == "fr" {
			b.contains("Au plus tôt\u00a0: ", "Marque\u00a0: Gazelle", "Que s&#39;est-il passé\u00a0?")
			if strings.Contains(b.body, " ?") || strings.Contains(b.body, "Au plus tôt: ") {
				t.Error("a French question mark or colon after a breaking space")
			}
		}
	}
}
