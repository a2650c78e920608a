package citizen

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/portal"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keyboard drives a tab with the keyboard only: Tab to move, Enter and
// Space to press, the arrow keys inside a group of radios, and typing. It
// reads the page (which element has the focus, the receipt's reference)
// but never clicks or sets a value.
type keyboard struct {
	t   *testing.T
	ctx context.Context
}

func (k keyboard) keys(s string) {
	k.t.Helper()
	if err := chromedp.Do(k.ctx, chromedp.KeyEvent(s)); err != nil {
		k.t.Fatalf("keys %q: %v", s, err)
	}
}

// tabTo presses Tab until the focused element matches the CSS selector.
func (k keyboard) tabTo(sel string) {
	k.t.Helper()
	for i := 0; i < 80; i++ {
		ok, err := chromedp.Run(k.ctx, chromedp.Evaluate[bool](`document.activeElement !== null && document.activeElement.matches(`+jsString(sel)+`)`))
		if err != nil {
			k.t.Fatal(err)
		}
		if ok {
			return
		}
		k.keys(kb.Tab)
	}
	loc, _ := chromedp.Run(k.ctx, chromedp.Location())
	k.t.Fatalf("%s: Tab never reached %s", loc, sel)
}

// press presses a key that leads to another page and waits for it.
func (k keyboard) press(key string) {
	k.t.Helper()
	if _, err := chromedp.RunResponse(k.ctx, chromedp.KeyEvent(key)); err != nil {
		k.t.Fatalf("press %q: %v", key, err)
	}
}

// typeInto tabs to a text box and types.
func (k keyboard) typeInto(id, s string) {
	k.t.Helper()
	k.tabTo("#" + id)
	k.keys(s)
}

// next tabs to the page's main button and presses Enter.
func (k keyboard) next(path string) {
	k.t.Helper()
	k.tabTo("main form > button.button")
	k.press(kb.Enter)
	k.at(path)
}

func (k keyboard) at(path string) {
	k.t.Helper()
	tabAt(k.t, k.ctx, path, "")
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// TestKeyboardOnlyBicycleTheft files a bicycle theft with the keyboard
// alone, from the skip link to the receipt, and finds it in the zone's
// feed.
func TestKeyboardOnlyBicycleTheft(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	ts := newTestSite(t, Options{}, portal.Options{})
	token := ts.officer("5275")
	k := keyboard{t: t, ctx: newTab(t)}
	if _, err := chromedp.RunResponse(k.ctx, chromedp.Navigate(ts.http.URL+"/fr/")); err != nil {
		t.Fatal(err)
	}
	start, end := factDays()

	// The skip link is the first stop and leads to the content.
	k.keys(kb.Tab)
	focused, _ := chromedp.Run(k.ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	if focused != "skip" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}
	k.tabTo("a.button.start")
	k.press(kb.Enter)
	k.at("/fr/eligibility")

	// Radios: Tab into the group, the arrows choose, Space confirms.
	k.tabTo("#in_belgium")
	k.keys(" ")
	k.tabTo("#author_known")
	k.keys(kb.ArrowDown) // "Non"
	k.tabTo("#violence")
	k.keys(kb.ArrowDown) // "Non"
	k.next("/fr/three-numbers")

	k.typeInto("complainant-identification-national_number", "85.07.30-033.28")
	k.typeInto("complainant-identification-id_card_number", marc.IDCard)
	k.typeInto("complainant-identification-sis_card_number", marc.SIS)
	k.next("/fr/about-you")

	k.typeInto("complainant-first_name", marc.First)
	k.typeInto("complainant-last_name", marc.Last)
	k.typeInto("complainant-birth_date-day", "30")
	k.typeInto("complainant-birth_date-month", "7")
	k.typeInto("complainant-birth_date-year", "1985")
	k.next("/fr/behalf")

	k.tabTo("#on_behalf_of-kind") // for myself
	k.keys(" ")
	k.next("/fr/fact-type")

	k.tabTo("#fact_type") // bicycle theft is the first type
	k.keys(" ")
	k.next("/fr/when")

	for prefix, at := range map[string]time.Time{"facts-started_at": start, "facts-ended_at": end} {
		k.typeInto(prefix+"-day", itoa(at.Day()))
		k.typeInto(prefix+"-month", itoa(int(at.Month())))
		k.typeInto(prefix+"-year", itoa(at.Year()))
		k.typeInto(prefix+"-time", at.Format("15:04"))
	}
	k.next("/fr/where")

	k.typeInto("facts-place-postal_code", "1340")
	k.next("/fr/street")
	k.typeInto("facts-place-street", "Avenue des Combattants")
	k.typeInto("facts-place-number", "35")
	k.next("/fr/details")

	k.typeInto("goods-0-brand", "Gazelle")
	k.typeInto("goods-0-model", "Esprit")
	k.typeInto("goods-0-colour", "bleu")
	k.typeInto("goods-0-value_eur", "450")
	k.tabTo("#goods-0-electric")
	k.keys(kb.ArrowDown) // "Non"
	k.next("/fr/description")

	k.typeInto("facts-description", "Vélo attaché devant la gare, cadenas coupé.")
	k.next("/fr/witnesses")
	k.next("/fr/insurance")
	k.next("/fr/contact")

	k.tabTo("#confirmation")
	k.keys(" ") // e-mail
	k.typeInto("complainant-email", "marc.dubois@example.be")
	k.next("/fr/check")

	// The last button is pressed with Space.
	k.tabTo("main form > button.button")
	k.press(" ")
	k.at("/fr/receipt")
	ref, err := chromedp.Run(k.ctx, chromedp.Text(chromedp.CSS(".reference")))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range ts.feedRefs("5275", token) {
		found = found || r == strings.TrimSpace(ref)
	}
	if !found {
		t.Errorf("reference %q not in zone 5275's feed", ref)
	}
}
