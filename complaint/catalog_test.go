package complaint

import (
	"encoding/json"
	"guichet/i18n"
	"reflect"
	"strings"
	"testing"
)

func TestCatalogPhase1(t *testing.T) {
	want := map[string][]string{
		"bicycle_theft":           nil,
		"shoplifting":             {"shop_name", "enterprise_number", "suspect_description", "camera_footage"},
		"graffiti":                {"surface", "text_or_tag", "area_m2", "owner_is_complainant"},
		"damage_private_property": {"suspect_known"},
	}
	// The goods of one event, several in one complaint; graffiti is on
	// a surface, not goods.
	wantGoods := map[string][]string{
		"bicycle_theft":           {"brand", "model", "colour", "frame_number", "value_eur", "electric"},
		"shoplifting":             {"description", "quantity", "value_eur"},
		"damage_private_property": {"object", "damage_description", "estimated_cost_eur"},
	}
	required := map[string]bool{
		"bicycle_theft.goods.brand": true, "bicycle_theft.goods.model": true, "bicycle_theft.goods.colour": true,
		"shoplifting.shop_name": true, "shoplifting.goods.description": true, "shoplifting.goods.quantity": true,
		"shoplifting.goods.value_eur":          true,
		"graffiti.surface":                     true,
		"damage_private_property.goods.object": true, "damage_private_property.goods.damage_description": true,
	}
	cat := Catalog()
	if len(cat) != len(want) {
		t.Fatalf("%d fact types, want %d", len(cat), len(want))
	}
	for _, ft := range cat {
		var keys []string
		for _, f := range ft.Fields {
			keys = append(keys, f.Key)
			if f.Required != required[ft.Key+"."+f.Key] {
				t.Errorf("%s.%s required = %v", ft.Key, f.Key, f.Required)
			}
		}
		if !reflect.DeepEqual(keys, want[ft.Key]) {
			t.Errorf("%s fields = %v, want %v", ft.Key, keys, want[ft.Key])
		}
		if ft.Goods == nil {
			if wantGoods[ft.Key] != nil {
				t.Errorf("%s has no goods list", ft.Key)
			}
			continue
		}
		if ft.Goods.Key != GoodsKey || ft.Goods.Kind != KindItems || !ft.Goods.Required || ft.Goods.MinItems != 1 || ft.Goods.MaxItems < 2 {
			t.Errorf("%s goods = %+v: want a required list of several", ft.Key, *ft.Goods)
		}
		keys = nil
		for _, f := range ft.Goods.Item {
			keys = append(keys, f.Key)
			if f.Required != required[ft.Key+".goods."+f.Key] {
				t.Errorf("%s.goods.%s required = %v", ft.Key, f.Key, f.Required)
			}
		}
		if !reflect.DeepEqual(keys, wantGoods[ft.Key]) {
			t.Errorf("%s goods fields = %v, want %v", ft.Key, keys, wantGoods[ft.Key])
		}
	}
	if f, _ := mustLookup(t, "shoplifting").Field("enterprise_number"); f.Kind != KindEnterpriseNumber {
		t.Errorf("enterprise_number kind = %s", f.Kind)
	}
}

func mustLookup(t *testing.T, key string) FactType {
	t.Helper()
	ft, ok := LookupFactType(key)
	if !ok {
		t.Fatalf("LookupFactType(%q) not found", key)
	}
	return ft
}

// TestCatalogIsWellFormed holds every entry, present and future, to what
// validation relies on: unique plain keys, bounds on every text and number,
// item fields only under items.
func TestCatalogIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, ft := range catalog() {
		if !plainKey(ft.Key) || seen[ft.Key] {
			t.Errorf("fact type key %q is not a unique plain key", ft.Key)
		}
		seen[ft.Key] = true
		checkFields(t, ft.Key, ft.Fields, false)
		if ft.Goods != nil {
			if ft.Goods.Key != GoodsKey {
				t.Errorf("%s: goods list keyed %q", ft.Key, ft.Goods.Key)
			}
			checkLanguages(t, ft.Key+" goods item labels", ft.Goods.ItemLabels)
			checkFields(t, ft.Key, []DetailField{*ft.Goods}, false)
		}
	}
}

func checkFields(t *testing.T, where string, fields []DetailField, inItem bool) {
	t.Helper()
	keys := map[string]bool{}
	for _, f := range fields {
		at := where + "." + f.Key
		if !plainKey(f.Key) || keys[f.Key] {
			t.Errorf("%s: key is not a unique plain key", at)
		}
		keys[f.Key] = true
		switch f.Kind {
		case KindText:
			if f.MaxLen <= 0 {
				t.Errorf("%s: text without MaxLen", at)
			}
		case KindMoney, KindInteger, KindNumber:
			if f.Max <= 0 || f.Min < 0 || f.Min > f.Max {
				t.Errorf("%s: bounds [%v, %v]", at, f.Min, f.Max)
			}
			if f.Quantity && (f.Kind != KindInteger || !inItem) {
				t.Errorf("%s: a quantity is an integer of an item", at)
			}
		case KindBool, KindEnterpriseNumber:
		case KindItems:
			if inItem || f.MaxItems <= 0 || f.MinItems > f.MaxItems || len(f.Item) == 0 {
				t.Errorf("%s: items badly bounded or nested", at)
			}
			checkFields(t, at, f.Item, true)
			continue
		default:
			t.Errorf("%s: unknown kind %q", at, f.Kind)
		}
		if len(f.Item) != 0 {
			t.Errorf("%s: item fields on a %s field", at, f.Kind)
		}
	}
}

func TestCatalogIsACopy(t *testing.T) {
	cat := Catalog()
	const shop = 1 // shoplifting: details and goods
	cat[shop].Labels["fr"] = "changed"
	cat[shop].Fields[0].Labels["fr"] = "changed"
	cat[shop].Fields[0].Required = false
	cat[shop].Goods.ItemLabels["fr"] = "changed"
	cat[shop].Goods.Item[0].Required = false
	ft, _ := LookupFactType(cat[shop].Key)
	ft.Fields[0].Labels["en"] = "changed"
	ft.Goods.Labels["en"] = "changed"
	again := Catalog()
	if again[shop].Labels["fr"] == "changed" || again[shop].Fields[0].Labels["fr"] == "changed" ||
		!again[shop].Fields[0].Required || again[shop].Fields[0].Labels["en"] == "changed" ||
		again[shop].Goods.ItemLabels["fr"] == "changed" || !again[shop].Goods.Item[0].Required ||
		again[shop].Goods.Labels["en"] == "changed" {
		t.Error("changing a returned catalog changed the package's catalog")
	}
	if _, ok := LookupFactType("burglary"); ok {
		t.Error("unknown fact type found")
	}
}

func TestCatalogJSON(t *testing.T) {
	// GET /v1/catalog serves this form; the citizen's form depends on it.
	b, err := json.Marshal(Catalog())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"key":"bicycle_theft"`, `"kind":"money"`, `"required":true`, `"max_items":100`, `"item":[`, `"goods":{"key":"goods"`, `"item_labels":{`, `"quantity":true`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("catalog JSON lacks %s", want)
		}
	}
}

// l builds a test entry's labels; the argument order is fr, nl, de, en, es.
func l(fr, nl, de, en, es string) map[string]string {
	return map[string]string{"fr": fr, "nl": nl, "de": de, "en": en, "es": es}
}

// phoneTheft is a phase-2 fact type: one entry with its translations.
var phoneTheft = FactType{
	Key:    "phone_theft",
	Labels: l("Vol de téléphone", "Gsm-diefstal", "Handydiebstahl", "Phone theft", "Robo de teléfono"),
	Fields: []DetailField{
		textField("make", true, maxShortText, l("Marque", "Merk", "Marke", "Make", "Marca")),
		textField("imei", false, 20, l("IMEI", "IMEI", "IMEI", "IMEI", "IMEI")),
		moneyField("value_eur", false, l("Valeur (EUR)", "Waarde (EUR)", "Wert (EUR)", "Value (EUR)", "Valor (EUR)")),
		boolField("blocked", l("Bloqué chez l'opérateur", "Geblokkeerd bij de operator", "Beim Anbieter gesperrt", "Blocked with the operator", "Bloqueado con el operador")),
	},
}

// TestCatalogPhase2EntryIsData adds a fact type as data only — no code —
// and shows validation and the officer's display take it as it is.
func TestCatalogPhase2EntryIsData(t *testing.T) {
	extended := append(Catalog(), phoneTheft)
	checkFields(t, phoneTheft.Key, phoneTheft.Fields, false)
	for _, lang := range i18n.Languages() {
		if phoneTheft.Label(lang) == "" {
			t.Errorf("phase-2 label missing in %s", lang)
		}
	}

	submission := func(details string) *Submission {
		s, errs := Decode(complaintBody(t, "graffiti"), "fr")
		if len(errs) != 0 {
			t.Fatal(errs.Codes())
		}
		s.FactType = "phone_theft"
		s.Details = json.RawMessage(details)
		return s
	}

	s := submission(`{"make": " Fairphone ", "value_eur": 499.5, "blocked": true}`)
	if _, errs := validate(s, extended, DefaultRouter(), testNow); len(errs) != 0 {
		t.Fatalf("phase-2 complaint refused: %v", errs.Codes())
	}
	if got := string(s.Details); got != `{"make":"Fairphone","value_eur":499.5,"blocked":true}` {
		t.Errorf("normalised details = %s", got)
	}

	_, errs := validate(submission(`{"imei": "x", "colour": "noir", "value_eur": -1}`), extended, DefaultRouter(), testNow)
	want := map[string]string{"details.colour": ErrUnknownField, "details.make": ErrRequired, "details.value_eur": ErrNegative}
	if !reflect.DeepEqual(errs.Codes(), want) {
		t.Errorf("problems = %v, want %v", errs.Codes(), want)
	}

	// The package's own catalog does not know it.
	if _, errs := Validate(submission(`{"make": "x"}`), DefaultRouter(), testNow); errs.Codes()["fact_type"] != ErrUnknownFactType {
		t.Errorf("phase-2 type accepted by the phase-1 catalog: %v", errs.Codes())
	}

	// The officer's display shows its labels.
	r := &Record{Submission: *s}
	fields := displayFields(r, "nl", extended)
	byKey := map[string]FieldValue{}
	for _, f := range fields {
		byKey[f.Key] = f
	}
	if got := byKey["fact_type"].Value; got != "Gsm-diefstal" {
		t.Errorf("fact type shown as %q", got)
	}
	if got := byKey["details.blocked"]; got.Label != "Geblokkeerd bij de operator" || got.Value != "Ja" {
		t.Errorf("details.blocked = %+v", got)
	}
	if got := byKey["details.value_eur"].Value; got != "499,50" {
		t.Errorf("details.value_eur = %q", got)
	}
}

// TestFactTypeLabelIsTheCatalogs: FactTypeLabel, which reads the messages
// without building the catalog, says what the catalog's entry says in
// every language (and in an unknown one), and knows no other fact type.
func TestFactTypeLabelIsTheCatalogs(t *testing.T) {
	langs := append(i18n.Languages(), "xx", "")
	keys := map[string]bool{}
	for _, ft := range Catalog() {
		keys[ft.Key] = true
		for _, lang := range langs {
			got, ok := FactTypeLabel(ft.Key, lang)
			if want := ft.Label(lang); !ok || got != want {
				t.Errorf("FactTypeLabel(%q, %q) = %q, %v; the catalog says %q", ft.Key, lang, got, ok, want)
			}
		}
	}
	for _, lang := range langs {
		for key := range i18n.For(lang).Complaint.FactTypes {
			if _, ok := FactTypeLabel(key, lang); ok != keys[key] {
				t.Errorf("FactTypeLabel(%q, %q) found %v; a fact type of the catalog: %v", key, lang, ok, keys[key])
			}
		}
		if _, ok := FactTypeLabel("no_such_type", lang); ok {
			t.Errorf("FactTypeLabel(no_such_type, %q) found a label", lang)
		}
	}
}
