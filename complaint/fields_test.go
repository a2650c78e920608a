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
		"details.brand", "details.model", "details.colour", "details.frame_number", "details.value_eur", "details.electric",
		"complainant.last_name", "complainant.first_name", "complainant.birth_date",
		"complainant.identification.national_number",
		"complainant.address.street", "complainant.address.number", "complainant.address.box",
		"complainant.address.postal_code", "complainant.address.municipality", "complainant.address.country",
		"complainant.email", "complainant.phone", "confirmation",
		"complainant.identification.method", "complainant.identification.id_card_number",
		"complainant.identification.sis_card_number", "verification.checks", "verification.verified_at",
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
		{"details.colour", GroupDetails, "Couleur", "bleu"},
		{"details.value_eur", GroupDetails, "Valeur (EUR)", "450,00"},
		{"details.electric", GroupDetails, "Vélo électrique", ""},
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
	if got := m["details.estimated_cost_eur"].Value; got != "250.00" {
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
	if got := m["details.items"].Value; got != wantSummary {
		t.Errorf("items =\n%s\nwant\n%s", got, wantSummary)
	}
	for _, tc := range []struct{ key, label, value string }{
		{"details.items[0].description", "Articles volés 1 — Description", "Bouteille de whisky"},
		{"details.items[0].quantity", "Articles volés 1 — Quantité", "2"},
		{"details.items[1].value_eur", "Articles volés 2 — Prix unitaire (EUR)", "19,99"},
		{"details.enterprise_number", "Numéro d'entreprise (BCE)", "0403.170.701"},
		{"details.suspect_description", "Signalement du suspect", "Homme, environ 30 ans,\nveste rouge."},
		{"details.camera_footage", "Images de caméra disponibles", "Oui"},
	} {
		if got := m[tc.key]; got.Label != tc.label || got.Value != tc.value || got.Group != GroupDetails {
			t.Errorf("%s = %+v, want label %q value %q", tc.key, got, tc.label, tc.value)
		}
	}
	// The item parts follow the summary, before the complainant.
	idx := map[string]int{}
	for i, f := range fields {
		idx[f.Key] = i
	}
	if !(idx["details.items"] < idx["details.items[0].description"] && idx["details.items[1].value_eur"] < idx["details.suspect_description"]) {
		t.Errorf("items parts out of order: %v", idx)
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
	r.Details = []byte(`{"brand":"\u001b]52;c;x\u0007","model":"M","colour":"c"}`)
	m := fieldMap(DisplayFields(r, "en"))
	if got := m["facts.description"].Value; got != r.Facts.Description {
		t.Errorf("description = %q", got)
	}
	if got := m["details.brand"].Value; got != "\x1b]52;c;x\x07" {
		t.Errorf("brand = %q", got)
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
	if _, ok := m["details.shop_name"]; !ok || m["details.items"].Value != "" {
		t.Errorf("broken details: %+v", m["details.items"])
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
