package complaint

import (
	"guichet/i18n"
	"reflect"
	"strings"
	"testing"
	"time"
)

// validRecord is a stored record of factType: the DESIGN.md example as the
// portal keeps it after validation.
func validRecord(t *testing.T, factType string) *Record {
	t.Helper()
	s, zone, errs := DecodeValidate(complaintBody(t, factType), "fr", DefaultRouter(), testNow)
	if len(errs) != 0 {
		t.Fatalf("refused: %v", errs.Codes())
	}
	return &Record{
		Submission: *s,
		Reference:  "GU-2026-000123",
		Zone:       zone,
		Status:     StatusClaimed,
		Version:    3,
		ReceivedAt: time.Date(2026, 11, 21, 9, 12, 0, 0, time.UTC),
		ClaimedBy:  &Officer{ID: "o1", Name: "Inspecteur Dupont"},
		Verification: Verification{
			Method:     MethodThreeNumbers,
			Checks:     []string{CheckNationalNumber, CheckIDCard, CheckSISCard, CheckBirthDate},
			VerifiedAt: time.Date(2026, 11, 21, 9, 12, 0, 0, time.UTC),
		},
	}
}

func fieldMap(fields []FieldValue) map[string]FieldValue {
	m := make(map[string]FieldValue, len(fields))
	for _, f := range fields {
		m[f.Key] = f
	}
	return m
}

func TestDisplayFieldsOrderAndValues(t *testing.T) {
	r := validRecord(t, "bicycle_theft")
	fields := DisplayFields(r, "fr")
	var keys []string
	for _, f := range fields {
		keys = append(keys, f.Key)
	}
	wantKeys := []string{
		"fact_type", "facts.started_at", "facts.ended_at", "facts.description",
		"facts.place.street", "facts.place.number", "facts.place.postal_code", "facts.place.municipality",
		"goods", "goods[0].brand", "goods[0].model", "goods[0].colour", "goods[0].frame_number", "goods[0].value_eur", "goods[0].electric",
		"complainant.last_name", "complainant.first_name", "complainant.birth_date",
		"complainant.identification.national_number",
		"complainant.address.street", "complainant.address.number", "complainant.address.box",
		"complainant.address.postal_code", "complainant.address.municipality", "complainant.address.country",
		"complainant.email", "complainant.phone", "confirmation",
		"complainant.identification.method", "complainant.identification.id_card_number",
		"complainant.identification.sis_card_number", "verification.checks", "verification.verified_at",
		"on_behalf_of.kind", "witnesses", "insurance.company", "insurance.policy_number",
		"reference", "zone", "received_at", "status", "claimed_by", "pv_number", "reason", "forwarded_to",
	}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("keys =\n%v\nwant\n%v", keys, wantKeys)
	}

	m := fieldMap(fields)
	for _, tc := range []struct{ key, group, label, value string }{
		{"fact_type", GroupFacts, "Type de faits", "Vol de vélo"},
		{"facts.started_at", GroupFacts, "Début des faits", "2026-11-20 18:00 +01:00"},
		{"facts.ended_at", GroupFacts, "Fin des faits", "2026-11-21 07:30 +01:00"},
		{"facts.description", GroupFacts, "Description des faits", "Vélo attaché devant la gare, cadenas coupé."},
		{"facts.place.postal_code", GroupPlace, "Code postal", "1340"},
		{"goods", GroupGoods, "Vélos volés", "Gazelle, Esprit, bleu, GZ123456789: 450,00 EUR"},
		{"goods[0].colour", GroupGoods, "Vélo 1 — Couleur", "bleu"},
		{"goods[0].value_eur", GroupGoods, "Vélo 1 — Valeur (EUR)", "450,00"},
		{"goods[0].electric", GroupGoods, "Vélo 1 — Vélo électrique", ""},
		{"on_behalf_of.kind", GroupBehalf, "Plainte déposée pour", "Le plaignant lui-même"},
		{"witnesses", GroupWitnesses, "Témoins", ""},
		{"complainant.identification.national_number", GroupComplainant, "Numéro de registre national", "85.07.30-033.28"},
		{"complainant.birth_date", GroupComplainant, "Date de naissance", "1985-07-30"},
		{"confirmation", GroupComplainant, "Confirmation par", "E-mail"},
		{"complainant.identification.method", GroupIdentification, "Méthode d'identification", "Trois numéros (carte d'identité, carte SIS, registre national)"},
		{"complainant.identification.id_card_number", GroupIdentification, "Numéro de carte d'identité", "591-1917064-58"},
		{"verification.checks", GroupIdentification, "Vérifications effectuées", strings.Join([]string{
			"Numéro de registre national : chiffres de contrôle corrects",
			"Carte d'identité : chiffres de contrôle corrects",
			"Carte SIS : format correct (sans chiffre de contrôle)",
			"Date de naissance conforme au registre national"}, "\n")},
		{"received_at", GroupRecord, "Reçue le", "2026-11-21 10:12 +01:00"},
		{"zone", GroupRecord, "Zone de police", "5275 " + r.Zone.Name},
		{"status", GroupRecord, "Statut", "Prise en charge"},
		{"claimed_by", GroupRecord, "Prise en charge par", "Inspecteur Dupont"},
	} {
		got := m[tc.key]
		if got.Group != tc.group || got.Label != tc.label || got.Value != tc.value {
			t.Errorf("%s = %+v\nwant group %q label %q value %q", tc.key, got, tc.group, tc.label, tc.value)
		}
	}
	if m["facts.place.postal_code"].GroupLabel != "Lieu des faits" {
		t.Errorf("group label = %q", m["facts.place.postal_code"].GroupLabel)
	}
}

func TestDisplayFieldsAmountsPerLanguage(t *testing.T) {
	r := validRecord(t, "graffiti")
	for _, tc := range []struct{ lang, area, owner string }{
		{"fr", "12,5", "Oui"}, {"nl", "12,5", "Ja"}, {"de", "12,5", "Ja"}, {"en", "12.5", "Yes"}, {"xx", "12.5", "Yes"},
	} {
		m := fieldMap(DisplayFields(r, tc.lang))
		if got := m["details.area_m2"].Value; got != tc.area {
			t.Errorf("%s: area = %q, want %q", tc.lang, got, tc.area)
		}
		if got := m["details.owner_is_complainant"].Value; got != tc.owner {
			t.Errorf("%s: owner = %q, want %q", tc.lang, got, tc.owner)
		}
	}
	m := fieldMap(DisplayFields(validRecord(t, "damage_private_property"), "en"))
	if got := m["goods[0].estimated_cost_eur"].Value; got != "250.00" {
		t.Errorf("estimated cost = %q", got)
	}
	if got := m["details.suspect_known"].Value; got != "No" {
		t.Errorf("suspect known = %q", got)
	}
}

func TestDisplayFieldsItems(t *testing.T) {
	fields := DisplayFields(validRecord(t, "shoplifting"), "fr")
	m := fieldMap(fields)
	wantSummary := "2 × Bouteille de whisky @ 34,90 EUR = 69,80 EUR\n1 × Rasoir @ 19,99 EUR = 19,99 EUR\nTotal: 89,79 EUR"
	if got := m["goods"].Value; got != wantSummary {
		t.Errorf("goods =\n%s\nwant\n%s", got, wantSummary)
	}
	for _, tc := range []struct{ key, group, label, value string }{
		{"goods[0].description", GroupGoods, "Article 1 — Description", "Bouteille de whisky"},
		{"goods[0].quantity", GroupGoods, "Article 1 — Quantité", "2"},
		{"goods[1].value_eur", GroupGoods, "Article 2 — Prix unitaire (EUR)", "19,99"},
		{"details.enterprise_number", GroupDetails, "Numéro d'entreprise (BCE)", "0403.170.701"},
		{"details.suspect_description", GroupDetails, "Signalement du suspect", "Homme, environ 30 ans,\nveste rouge."},
		{"details.camera_footage", GroupDetails, "Images de caméra disponibles", "Oui"},
	} {
		if got := m[tc.key]; got.Label != tc.label || got.Value != tc.value || got.Group != tc.group {
			t.Errorf("%s = %+v, want group %q label %q value %q", tc.key, got, tc.group, tc.label, tc.value)
		}
	}
	// The goods follow the details, each good's parts its summary, all
	// before the complainant.
	idx := map[string]int{}
	for i, f := range fields {
		idx[f.Key] = i
	}
	if !(idx["details.camera_footage"] < idx["goods"] && idx["goods"] < idx["goods[0].description"] &&
		idx["goods[1].value_eur"] < idx["complainant.last_name"]) {
		t.Errorf("goods parts out of order: %v", idx)
	}
}

// TestDisplayFieldsLabelsInEveryLanguage: every field of every fact type
// has a real label and group label in each language, and the keys do not
// depend on the language.
func TestDisplayFieldsLabelsInEveryLanguage(t *testing.T) {
	for _, ft := range Catalog() {
		r := validRecord(t, ft.Key)
		r.PVNumber, r.Reason, r.ForwardedTo = "NI.55.L5.012345/2026", "x", "5415"
		var firstKeys []string
		for _, lang := range i18n.Languages() {
			var keys []string
			seen := map[string]bool{}
			for _, f := range DisplayFields(r, lang) {
				keys = append(keys, f.Key)
				if seen[f.Key] {
					t.Errorf("%s %s: key %s twice", ft.Key, lang, f.Key)
				}
				seen[f.Key] = true
				if f.Label == "" || strings.HasPrefix(f.Label, "label.") || f.GroupLabel == "" || strings.HasPrefix(f.GroupLabel, "group.") {
					t.Errorf("%s %s: %s has label %q, group label %q", ft.Key, lang, f.Key, f.Label, f.GroupLabel)
				}
				if strings.HasPrefix(f.Value, "check.") || strings.HasPrefix(f.Value, "status.") || strings.HasPrefix(f.Value, "method.") {
					t.Errorf("%s %s: %s value %q not translated", ft.Key, lang, f.Key, f.Value)
				}
			}
			if firstKeys == nil {
				firstKeys = keys
			} else if !reflect.DeepEqual(keys, firstKeys) {
				t.Errorf("%s: keys in %s differ from %s", ft.Key, lang, i18n.Languages()[0])
			}
		}
	}
}

func TestDisplayFieldsValuesAreRaw(t *testing.T) {
	// Sanitizing is the display layer's job: what the citizen wrote comes
	// back unchanged, escape sequences included.
	r := validRecord(t, "bicycle_theft")
	r.Facts.Description = "a\x1b[31mb\u202ec"
	r.Goods = []byte(`[{"brand":"\u001b]52;c;x\u0007","model":"M","colour":"c"}]`)
	r.Witnesses = []Witness{{LastName: "\x1b[2J"}}
	m := fieldMap(DisplayFields(r, "en"))
	if got := m["facts.description"].Value; got != r.Facts.Description {
		t.Errorf("description = %q", got)
	}
	if got := m["goods[0].brand"].Value; got != "\x1b]52;c;x\x07" {
		t.Errorf("brand = %q", got)
	}
	if got := m["witnesses[0].last_name"].Value; got != "\x1b[2J" {
		t.Errorf("witness = %q", got)
	}
}

func TestDisplayFieldsUnknownAndBrokenData(t *testing.T) {
	if DisplayFields(nil, "fr") != nil {
		t.Error("fields for a tombstone")
	}
	// A fact type this build does not know (a newer portal): shown raw.
	r := validRecord(t, "graffiti")
	r.FactType = "phone_theft"
	r.Details = []byte(`{"make":"Fairphone","value_eur":499.5,"blocked":true}`)
	r.Verification.Checks = append(r.Verification.Checks, "new_check")
	r.Status = "archived"
	m := fieldMap(DisplayFields(r, "fr"))
	for key, want := range map[string]string{
		"fact_type": "phone_theft", "details.make": "Fairphone", "details.value_eur": "499.5",
		"details.blocked": "true", "status": "archived",
	} {
		if got := m[key].Value; got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if !strings.HasSuffix(m["verification.checks"].Value, "\nnew_check") {
		t.Errorf("checks = %q", m["verification.checks"].Value)
	}
	// Broken details (not an object) do not break the list.
	r = validRecord(t, "shoplifting")
	r.Details = []byte(`[1,2`)
	m = fieldMap(DisplayFields(r, "fr"))
	if _, ok := m["details.shop_name"]; !ok || m["goods"].Value == "" {
		t.Errorf("broken details: %+v", m["goods"])
	}
	// Broken goods (not a list) neither.
	r = validRecord(t, "shoplifting")
	r.Goods = []byte(`{"description":"x"}`)
	m = fieldMap(DisplayFields(r, "fr"))
	if _, ok := m["details.shop_name"]; !ok || m["goods"].Value != "" {
		t.Errorf("broken goods: %+v", m["goods"])
	}
}

func TestDisplayField(t *testing.T) {
	r := validRecord(t, "bicycle_theft")
	f, ok := DisplayField(r, "nl", "complainant.identification.national_number")
	if !ok || f.Value != "85.07.30-033.28" || f.Label != "Rijksregisternummer" {
		t.Errorf("DisplayField = %+v, %v", f, ok)
	}
	if _, ok := DisplayField(r, "nl", "details.nope"); ok {
		t.Error("unknown key found")
	}
}

// TestDisplayFieldsParties: on whose behalf, witnesses and insurance are
// shown in their groups, in ISLP order, with labels in every language.
func TestDisplayFieldsParties(t *testing.T) {
	person := validRecord(t, "bicycle_theft")
	person.OnBehalfOf = Behalf{Kind: BehalfPerson, Person: &Person{LastName: "Dubois", FirstName: "Léa", BirthDate: "2012-06-01",
		NationalNumber: "12060112373", Address: Address{Street: "Rue Haute", Number: "12", PostalCode: "1000", Municipality: "Bruxelles", Country: "BE"},
		Consent: true}}
	person.Witnesses = []Witness{
		{LastName: "Martin", FirstName: "Claire", BirthDate: "1990-01-02", Phone: "0470123456",
			Address: Address{Street: "Rue Neuve", Number: "3", PostalCode: "1000", Municipality: "Bruxelles", Country: "BE"}},
		{LastName: "Lambert"},
	}
	person.Insurance = Insurance{Company: "Ethias", PolicyNumber: "45.123.789"}
	company := validRecord(t, "shoplifting")
	company.OnBehalfOf = Behalf{Kind: BehalfCompany, Company: &Company{EnterpriseNumber: "0403170701", Name: "Delhaize Le Lion", Role: "gérant"}}

	for _, tc := range []struct {
		name string
		r    *Record
		lang string
		want []struct{ key, group, label, value string }
	}{
		{"person fr", person, "fr", []struct{ key, group, label, value string }{
			{"on_behalf_of.kind", GroupBehalf, "Plainte déposée pour", "Une autre personne, avec son accord"},
			{"on_behalf_of.person.last_name", GroupBehalf, "Nom de la victime", "Dubois"},
			{"on_behalf_of.person.national_number", GroupBehalf, "Numéro de registre national de la victime", "12.06.01-123.73"},
			{"on_behalf_of.person.address.street", GroupBehalf, "Rue", "Rue Haute"},
			{"on_behalf_of.person.consent", GroupBehalf, "Accord de la victime", "Oui"},
			{"witnesses", GroupWitnesses, "Témoins", "Martin Claire, 1990-01-02, 0470123456, Rue Neuve 3, 1000 Bruxelles, BE\nLambert"},
			{"witnesses[0].phone", GroupWitnesses, "Témoin 1 — Téléphone", "0470123456"},
			{"witnesses[0].address.postal_code", GroupWitnesses, "Témoin 1 — Code postal", "1000"},
			{"witnesses[1].last_name", GroupWitnesses, "Témoin 2 — Nom", "Lambert"},
			{"insurance.company", GroupInsurance, "Compagnie d'assurance", "Ethias"},
			{"insurance.policy_number", GroupInsurance, "Numéro de police", "45.123.789"},
		}},
		{"person nl", person, "nl", []struct{ key, group, label, value string }{
			{"on_behalf_of.kind", GroupBehalf, "Klacht ingediend voor", "Een andere persoon, met haar toestemming"},
			{"witnesses[1].last_name", GroupWitnesses, "Getuige 2 — Naam", "Lambert"},
			{"insurance.policy_number", GroupInsurance, "Polisnummer", "45.123.789"},
		}},
		{"company de", company, "de", []struct{ key, group, label, value string }{
			{"on_behalf_of.kind", GroupBehalf, "Anzeige erstattet für", "Ein Unternehmen, vertreten durch den Anzeigeerstatter"},
			{"on_behalf_of.company.name", GroupBehalf, "Unternehmen", "Delhaize Le Lion"},
			{"on_behalf_of.company.enterprise_number", GroupBehalf, "Unternehmensnummer (ZDU)", "0403.170.701"},
			{"on_behalf_of.company.role", GroupBehalf, "Funktion des Anzeigeerstatters", "gérant"},
		}},
		{"company en", company, "en", []struct{ key, group, label, value string }{
			{"on_behalf_of.company.enterprise_number", GroupBehalf, "Enterprise number (CBE)", "0403.170.701"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := DisplayFields(tc.r, tc.lang)
			m := fieldMap(fields)
			for _, w := range tc.want {
				if got := m[w.key]; got.Group != w.group || got.Label != w.label || got.Value != w.value {
					t.Errorf("%s = %+v\nwant group %q label %q value %q", w.key, got, w.group, w.label, w.value)
				}
			}
			// ISLP order: the declarant and their identification, then
			// the victim represented, the witnesses, the insurance, the
			// record.
			idx := map[string]int{}
			for i, f := range fields {
				idx[f.Group] = max(idx[f.Group], i)
				if _, ok := idx["first."+f.Group]; !ok {
					idx["first."+f.Group] = i
				}
			}
			order := []string{GroupGoods, GroupComplainant, GroupIdentification, GroupBehalf, GroupWitnesses, GroupInsurance, GroupRecord}
			for i := 1; i < len(order); i++ {
				if idx[order[i-1]] >= idx["first."+order[i]] {
					t.Errorf("group %s not before %s", order[i-1], order[i])
				}
			}
		})
	}
	// The person's fields are only there for a person, the company's for a company.
	m := fieldMap(DisplayFields(company, "fr"))
	if _, ok := m["on_behalf_of.person.last_name"]; ok {
		t.Error("person fields shown for a company")
	}
	if _, ok := fieldMap(DisplayFields(person, "fr"))["on_behalf_of.company.name"]; ok {
		t.Error("company fields shown for a person")
	}
}
