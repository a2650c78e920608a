package tui

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"guichet/complaint"
	"guichet/store/storetest"
)

// partiesRecord is a bicycle theft with every part a record may have: two
// bicycles, filed for the complainant's daughter with her consent, two
// witnesses, an insurer.
func partiesRecord() complaint.Record {
	r := storetest.Records(1, 5)[0]
	r.FactType = "bicycle_theft"
	r.Details = json.RawMessage(`{}`)
	r.Goods = json.RawMessage(`[{"brand":"Gazelle","model":"Esprit","colour":"bleu","frame_number":"GZ123456789","value_eur":450},` +
		`{"brand":"Cube","model":"Kid 160","colour":"rouge","value_eur":329.9,"electric":false}]`)
	r.OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfPerson, Person: &complaint.Person{
		LastName: r.Complainant.LastName, FirstName: "Léa", BirthDate: "2012-06-01", NationalNumber: "12060112373", Consent: true}}
	r.Witnesses = []complaint.Witness{
		{LastName: "Kowalczyk", FirstName: "Agnieszka", Phone: "+32470654321",
			Address: complaint.Address{Street: "Rue de la Gare", Number: "2", PostalCode: "1340", Municipality: "Ottignies", Country: "BE"}},
		{LastName: "Lambert", BirthDate: "1979-03-04"},
	}
	r.Insurance = complaint.Insurance{Company: "Ethias", PolicyNumber: "45.123.789"}
	return r
}

// selectField moves the detail's selection to the field of key.
func selectField(t *testing.T, h *harness, key string) {
	t.Helper()
	h.keys("g")
	for i := 0; i < 200; i++ {
		d := h.app.Top().(*detailModel)
		if d.fields[d.sel].Key == key {
			return
		}
		h.keys("j")
	}
	t.Fatalf("no field %s in the detail", key)
}

// TestDetailPartiesGoldens: the detail shows the goods, the victim
// represented, the witnesses and the insurer in each officer language, at
// 80x24 and 160x45.
func TestDetailPartiesGoldens(t *testing.T) {
	for _, lang := range allLangs {
		for _, sz := range [][2]int{{80, 24}, {160, 45}} {
			h := newHarness(t, []complaint.Record{partiesRecord()}, lang, sz[0], sz[1])
			h.keys("5<enter>")
			frames := map[string]string{}
			selectField(t, h, "goods")
			frames["goods"] = h.view()
			selectField(t, h, "on_behalf_of.kind")
			frames["behalf"] = h.view()
			selectField(t, h, "insurance.policy_number")
			frames["witnesses"] = h.view()
			for name, frame := range frames {
				t.Run(fmt.Sprintf("%s_%s_%dx%d", name, lang, sz[0], sz[1]), func(t *testing.T) {
					checkFrame(t, name, frame, sz[0], sz[1])
					golden.RequireEqual(t, []byte(frame))
				})
			}
		}
	}
}

// TestCopyPartiesAndGoods: copying one witness's phone, the victim's
// national number, the second bicycle's frame... puts exactly that value on
// the clipboard; copying the whole complaint gives the new groups in ISLP
// order with their values.
func TestCopyPartiesAndGoods(t *testing.T) {
	h := newHarness(t, []complaint.Record{partiesRecord()}, "fr", 120, 40)
	h.keys("5<enter>")
	for _, tc := range []struct{ key, want string }{
		{"goods[1].brand", "Cube"},
		{"goods[1].value_eur", "329,90"},
		{"on_behalf_of.person.first_name", "Léa"},
		{"on_behalf_of.person.national_number", "12.06.01-123.73"},
		{"on_behalf_of.person.consent", "Oui"},
		{"witnesses[0].phone", "+32470654321"},
		{"witnesses[1].birth_date", "1979-03-04"},
		{"insurance.policy_number", "45.123.789"},
	} {
		selectField(t, h, tc.key)
		h.keys("y")
		if got := h.clip.last(); got != tc.want {
			t.Errorf("copy %s = %q, want %q", tc.key, got, tc.want)
		}
	}
	h.keys("Y")
	whole := h.clip.last()
	var at []int
	for _, want := range []string{
		"== Biens ==", "Vélo 2 — Marque: Cube",
		"== Plaignant ==", "== Identification ==",
		"== Victime représentée ==", "Plainte déposée pour: Une autre personne, avec son accord", "Prénom de la victime: Léa",
		"== Témoins ==", "Témoin 1 — Nom: Kowalczyk", "Témoin 2 — Date de naissance: 1979-03-04",
		"== Assurance ==", "Compagnie d'assurance: Ethias", "Numéro de police: 45.123.789",
		"== Dossier ==",
	} {
		i := strings.Index(whole, want)
		if i < 0 {
			t.Errorf("copy all lacks %q:\n%s", want, whole)
			continue
		}
		at = append(at, i)
	}
	for i := 1; i < len(at); i++ {
		if at[i] < at[i-1] {
			t.Errorf("copy all out of ISLP order:\n%s", whole)
			break
		}
	}
}
