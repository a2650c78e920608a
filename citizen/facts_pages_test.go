package citizen

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/portal"
)

// TestTimeUnknownOnlyWhereTheCatalogAllows: "I do not know the times" is
// on the when page of the types whose catalog entry allows it and of no
// other; a type that does not allow it (shoplifting) asks the times even
// when the box is posted, and choosing such a type after giving whole days
// asks the times again.
func TestTimeUnknownOnlyWhereTheCatalogAllows(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	allowedSome, refusedSome := false, false
	for _, ft := range complaint.Catalog() {
		b := ts.browser()
		b.answers("fr", "fact-type")
		b.post("/fr/fact-type", url.Values{"fact_type": {ft.Key}}).at("/fr/when", 200)
		if got := strings.Contains(b.body, `name="time_unknown"`); got != ft.TimeUnknownAllowed {
			t.Errorf("%s: box on the when page = %v, catalog allows = %v", ft.Key, got, ft.TimeUnknownAllowed)
		}
		allowedSome = allowedSome || ft.TimeUnknownAllowed
		refusedSome = refusedSome || !ft.TimeUnknownAllowed
	}
	if !allowedSome || !refusedSome {
		t.Fatalf("the catalog should have types with and without TimeUnknownAllowed (with %v, without %v)", allowedSome, refusedSome)
	}

	start, end := factDays()
	days := merge(dateValues("start", start, false), dateValues("end", end, false), url.Values{"time_unknown": {"yes"}})

	b := ts.browser()
	b.answers("fr", "fact-type")
	b.post("/fr/fact-type", url.Values{"fact_type": {"shoplifting"}}).at("/fr/when", 200)
	b.post("/fr/when", days).at("/fr/when", 422)
	b.contains(html.EscapeString(text("fr", "time_required")))
	if strings.Contains(b.body, html.EscapeString(text("fr", "time_invalid"))) {
		t.Error("the message offers a box that is not on the page")
	}

	// Whole days for a bicycle, then the type changed from the recap to
	// shoplifting: the when page is asked again.
	b = ts.browser()
	b.answers("fr", "when")
	b.post("/fr/when", days).at("/fr/where", 200)
	b.answersFrom("fr", "where", "")
	b.post("/fr/fact-type", url.Values{"fact_type": {"shoplifting"}, "change": {"1"}}).at("/fr/when", 200)
	if strings.Contains(b.body, `name="time_unknown"`) {
		t.Error("the when page of shoplifting offers the box")
	}
}
