package citizen

import (
	"net/url"
	"testing"

	"guichet/portal"
)

// TestSeveralGoodsThroughTheForm: the details page adds a second bicycle
// (no JavaScript: a submit button), refuses a second bicycle without a
// brand on its own field, and files both in one complaint's goods.
func TestSeveralGoodsThroughTheForm(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	token := ts.officer("5275")
	b := ts.browser()
	b.fileUpTo("fr", "details")
	p := "/fr/"
	b.post(p+"details", merge(bicycleDetails(), url.Values{"add": {"goods"}})).at(p+"details", 200).
		contains(`id="goods-1-brand"`, "Vélo 2", `value="Gazelle"`)
	second := url.Values{"d.goods.1.model": {"Kid 160"}, "d.goods.1.colour": {"rouge"}}
	b.post(p+"details", merge(bicycleDetails(), second)).at(p+"details", 422).contains(`href="#goods-1-brand"`)
	second.Set("d.goods.1.brand", "Cube")
	b.post(p+"details", merge(bicycleDetails(), second)).at(p+"description", 200)
	ref := b.fileFrom("fr", "description")
	rec := ts.record("5275", token, ref)
	const want = `[{"brand":"Gazelle","model":"Esprit","colour":"bleu","frame_number":"GZ123456789","value_eur":450,"electric":false},` +
		`{"brand":"Cube","model":"Kid 160","colour":"rouge"}]`
	if string(rec.Goods) != want {
		t.Errorf("goods filed:\n%s\nwant\n%s", rec.Goods, want)
	}
}
