package complaint

import (
	"slices"
	"sync"

	"guichet/i18n"
)

// The fact-type catalog is data: each entry says which details a type of
// facts carries and, when goods are stolen or damaged, the fields of one
// good of its goods list, with their kind, whether they are required and
// their bounds; its labels, in every language, are messages of package
// i18n (Complaint.FactTypes, by the entry's path). Validation (validate.go)
// and the officer's display (fields.go) read it; neither knows any fact
// type by name. Adding a phase-2 type means adding one entry to buildCatalog
// below and its labels to the i18n language files, nothing else
// (TestCatalogPhase2EntryIsData shows it).

// FieldKind is the type of one detail field.
type FieldKind string

const (
	// KindText is a string; MaxLen bounds it in characters, Multiline allows
	// newlines and tabs.
	KindText FieldKind = "text"
	// KindMoney is an amount in euros: a JSON number ≥ 0, at most 2
	// decimals, at most Max.
	KindMoney FieldKind = "money"
	// KindInteger is a whole JSON number between Min and Max.
	KindInteger FieldKind = "integer"
	// KindNumber is a JSON number between Min and Max with at most 2
	// decimals (an area in m²).
	KindNumber FieldKind = "number"
	// KindBool is true or false.
	KindBool FieldKind = "bool"
	// KindEnterpriseNumber is a Belgian enterprise number (KBO/BCE),
	// stored as its 10 canonical digits.
	KindEnterpriseNumber FieldKind = "enterprise_number"
	// KindItems is a list of objects whose fields are Item; MinItems and
	// MaxItems bound its length.
	KindItems FieldKind = "items"
)

// DetailField is one field of a fact type's details. The JSON form is what
// GET /v1/catalog serves to the citizen's form.
type DetailField struct {
	Key       string            `json:"key"`
	Kind      FieldKind         `json:"kind"`
	Required  bool              `json:"required"`
	Labels    map[string]string `json:"labels"`
	MaxLen    int               `json:"max_len,omitempty"`   // text: characters
	Multiline bool              `json:"multiline,omitempty"` // text
	Min       float64           `json:"min,omitempty"`       // integer, number
	Max       float64           `json:"max,omitempty"`       // money, integer, number
	MinItems  int               `json:"min_items,omitempty"` // items
	MaxItems  int               `json:"max_items,omitempty"` // items
	Item      []DetailField     `json:"item,omitempty"`      // items: the fields of one element
	// ItemLabels name one element of an items list ("Vélo", "Article"):
	// the officer's display numbers them, the form offers to add another.
	ItemLabels map[string]string `json:"item_labels,omitempty"`
	// Quantity marks the integer field of an item that says how many of
	// it there are: the item's money fields count that many times in the
	// list's total.
	Quantity bool `json:"quantity,omitempty"`
}

// FactType is one catalog entry.
type FactType struct {
	Key    string            `json:"key"`
	Labels map[string]string `json:"labels"`
	Fields []DetailField     `json:"fields"`
	// Goods, when the facts concern goods stolen or damaged, describes
	// the submission's goods list: a KindItems field (key "goods") whose
	// Item fields are those of one good. nil when there are none.
	Goods *DetailField `json:"goods,omitempty"`
	// TimeUnknownAllowed lets the complainant give whole days when they
	// do not know the times of the facts (a bicycle found gone in the
	// morning); without it the times are asked.
	TimeUnknownAllowed bool `json:"time_unknown_allowed,omitempty"`
	// legacyGoods says where records filed before the goods list existed
	// kept their goods (see LegacyGoods): legacyGoodsInDetails when the
	// one good's fields were members of details, else the key of the
	// details member that held the list. Empty for newer types.
	legacyGoods string
}

// legacyGoodsInDetails is the legacyGoods of a type whose one good's
// fields were members of details.
const legacyGoodsInDetails = "."

// Label is the label in lang, English when lang is not one of i18n.Languages().
func (f FactType) Label(lang string) string { return label(f.Labels, lang) }

// Label is the label in lang, English when lang is not one of i18n.Languages().
func (d DetailField) Label(lang string) string { return label(d.Labels, lang) }

// Field finds a detail field by key.
func (f FactType) Field(key string) (DetailField, bool) {
	for _, d := range f.Fields {
		if d.Key == key {
			return d, true
		}
	}
	return DetailField{}, false
}

func label(labels map[string]string, lang string) string {
	if s, ok := labels[lang]; ok {
		return s
	}
	return labels["en"]
}

// Bounds shared by the catalog entries. MaxMoneyEUR is far above any
// plausible private loss handled online (a complaint above it goes to a
// police station anyway) and keeps amounts exactly representable in cents.
const (
	MaxMoneyEUR  = 1_000_000
	maxShortText = 100
	maxLineText  = 200
	maxLongText  = 2000
	maxItems     = 100
	// Bicycles and damaged objects of one event: a family's bicycles
	// from one shed, the cars of one street.
	maxBicycles       = 20
	maxDamagedObjects = 20
	maxItemQuantity   = 10_000
	maxAreaM2         = 100_000
)

// labels is the label of a catalog entry in every language, from the
// i18n catalogs' Complaint.FactTypes: path is the fact type's key, then
// the field keys ("shoplifting.goods.quantity"); a goods list's one element
// is its path and "[]" ("bicycle_theft.goods[]").
func labels(path string) map[string]string {
	m := map[string]string{}
	for _, lang := range i18n.Languages() {
		m[lang] = i18n.For(lang).Complaint.FactTypes[path]
	}
	return m
}

func textField(key string, required bool, maxLen int, labels map[string]string) DetailField {
	return DetailField{Key: key, Kind: KindText, Required: required, MaxLen: maxLen, Labels: labels}
}

func longTextField(key string, required bool, labels map[string]string) DetailField {
	return DetailField{Key: key, Kind: KindText, Required: required, MaxLen: maxLongText, Multiline: true, Labels: labels}
}

func moneyField(key string, required bool, labels map[string]string) DetailField {
	return DetailField{Key: key, Kind: KindMoney, Required: required, Max: MaxMoneyEUR, Labels: labels}
}

func boolField(key string, labels map[string]string) DetailField {
	return DetailField{Key: key, Kind: KindBool, Labels: labels}
}

// goods describes a goods list of at most max elements with the fields of
// one good; path is the list's label path (its element's is path+"[]").
func goods(max int, path string, item ...DetailField) *DetailField {
	return &DetailField{Key: GoodsKey, Kind: KindItems, Required: true, MinItems: 1, MaxItems: max,
		Labels: labels(path), ItemLabels: labels(path + "[]"), Item: item}
}

// GoodsKey is the JSON name of a submission's goods list and the key of
// every FactType.Goods.
const GoodsKey = "goods"

// catalog is the phase-1 catalog, in the order the citizen's form lists
// it: built at its first use, not at the program's start (its labels
// resolve every language's messages; a `guichet list` never needs them).
var catalog = sync.OnceValue(buildCatalog)

func buildCatalog() []FactType {
	return []FactType{
		{
			Key:                "bicycle_theft",
			Labels:             labels("bicycle_theft"),
			TimeUnknownAllowed: true,
			Fields:             []DetailField{},
			Goods: goods(maxBicycles, "bicycle_theft.goods",
				textField("brand", true, maxShortText, labels("bicycle_theft.goods.brand")),
				textField("model", true, maxShortText, labels("bicycle_theft.goods.model")),
				textField("colour", true, maxShortText, labels("bicycle_theft.goods.colour")),
				textField("frame_number", false, maxShortText, labels("bicycle_theft.goods.frame_number")),
				moneyField("value_eur", false, labels("bicycle_theft.goods.value_eur")),
				boolField("electric", labels("bicycle_theft.goods.electric")),
			),
			legacyGoods: legacyGoodsInDetails,
		},
		{
			// The shop's staff or camera saw the theft: its time is known.
			Key:    "shoplifting",
			Labels: labels("shoplifting"),
			Fields: []DetailField{
				textField("shop_name", true, maxLineText, labels("shoplifting.shop_name")),
				{Key: "enterprise_number", Kind: KindEnterpriseNumber,
					Labels: labels("shoplifting.enterprise_number")},
				longTextField("suspect_description", false, labels("shoplifting.suspect_description")),
				boolField("camera_footage", labels("shoplifting.camera_footage")),
			},
			Goods: goods(maxItems, "shoplifting.goods",
				textField("description", true, maxLineText, labels("shoplifting.goods.description")),
				DetailField{Key: "quantity", Kind: KindInteger, Required: true, Min: 1, Max: maxItemQuantity, Quantity: true,
					Labels: labels("shoplifting.goods.quantity")},
				moneyField("value_eur", true, labels("shoplifting.goods.value_eur")),
			),
			legacyGoods: "items",
		},
		{
			Key:                "graffiti",
			Labels:             labels("graffiti"),
			TimeUnknownAllowed: true,
			Fields: []DetailField{
				textField("surface", true, maxLineText, labels("graffiti.surface")),
				textField("text_or_tag", false, 500, labels("graffiti.text_or_tag")),
				{Key: "area_m2", Kind: KindNumber, Min: 0, Max: maxAreaM2,
					Labels: labels("graffiti.area_m2")},
				boolField("owner_is_complainant", labels("graffiti.owner_is_complainant")),
			},
		},
		{
			Key:                "damage_private_property",
			Labels:             labels("damage_private_property"),
			TimeUnknownAllowed: true,
			Fields: []DetailField{
				boolField("suspect_known", labels("damage_private_property.suspect_known")),
			},
			Goods: goods(maxDamagedObjects, "damage_private_property.goods",
				textField("object", true, maxLineText, labels("damage_private_property.goods.object")),
				longTextField("damage_description", true, labels("damage_private_property.goods.damage_description")),
				moneyField("estimated_cost_eur", false, labels("damage_private_property.goods.estimated_cost_eur")),
			),
			legacyGoods: legacyGoodsInDetails,
		},
	}
}

// Catalog returns the fact types in the form's order. The result is a deep
// copy: changing it changes nothing in the package.
func Catalog() []FactType { return cloneCatalog(catalog()) }

// LookupFactType finds a fact type by key.
func LookupFactType(key string) (FactType, bool) {
	f, ok := lookupFactType(catalog(), key)
	if !ok {
		return FactType{}, false
	}
	return cloneFactType(f), true
}

// FactTypeLabel is the label in lang of the fact type key (English when
// lang is not one of i18n.Languages()): what a listing asks for every row.
// It reads the one language's message (an entry's labels are the messages
// of its key, see labels) and neither builds the catalog, which resolves
// every language, nor copies the entry as LookupFactType does. A key is a
// plain key; the messages' other keys (a detail's "type.field") are not
// fact types (TestFactTypeLabelIsTheCatalogs).
func FactTypeLabel(key, lang string) (string, bool) {
	if !plainKey(key) {
		return "", false
	}
	if !slices.Contains(i18n.Languages(), lang) {
		lang = "en"
	}
	l, ok := i18n.For(lang).Complaint.FactTypes[key]
	return l, ok
}

func lookupFactType(cat []FactType, key string) (FactType, bool) {
	for _, f := range cat {
		if f.Key == key {
			return f, true
		}
	}
	return FactType{}, false
}

func cloneCatalog(cat []FactType) []FactType {
	out := make([]FactType, len(cat))
	for i, f := range cat {
		out[i] = cloneFactType(f)
	}
	return out
}

func cloneFactType(f FactType) FactType {
	f.Labels = cloneLabels(f.Labels)
	f.Fields = cloneFields(f.Fields)
	if f.Goods != nil {
		g := cloneFields([]DetailField{*f.Goods})[0]
		f.Goods = &g
	}
	return f
}

func cloneFields(fs []DetailField) []DetailField {
	if fs == nil {
		return nil
	}
	out := make([]DetailField, len(fs))
	for i, d := range fs {
		d.Labels = cloneLabels(d.Labels)
		if d.ItemLabels != nil {
			d.ItemLabels = cloneLabels(d.ItemLabels)
		}
		d.Item = cloneFields(d.Item)
		out[i] = d
	}
	return out
}

func cloneLabels(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
