package complaint

// The fact-type catalog is data: each entry says which details a type of
// facts carries and, when goods are stolen or damaged, the fields of one
// good of its goods list, with their kind, whether they are required, their
// bounds and their labels in fr, nl, de and en. Validation (validate.go) and the officer's
// display (fields.go) read it; neither knows any fact type by name. Adding a
// phase-2 type means adding one entry, labels included, to the catalog
// variable below and nothing else (TestCatalogPhase2EntryIsData shows it).

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
	// legacyGoods says where records filed before the goods list existed
	// kept their goods (see LegacyGoods): legacyGoodsInDetails when the
	// one good's fields were members of details, else the key of the
	// details member that held the list. Empty for newer types.
	legacyGoods string
}

// legacyGoodsInDetails is the legacyGoods of a type whose one good's
// fields were members of details.
const legacyGoodsInDetails = "."

// Label is the label in lang, English when lang is not one of Languages.
func (f FactType) Label(lang string) string { return label(f.Labels, lang) }

// Label is the label in lang, English when lang is not one of Languages.
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

// l builds a label map; the argument order is fr, nl, de, en.
func l(fr, nl, de, en string) map[string]string {
	return map[string]string{"fr": fr, "nl": nl, "de": de, "en": en}
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

// goods describes a goods list of at most max elements, each named
// itemLabels, with the fields of one good.
func goods(max int, labels, itemLabels map[string]string, item ...DetailField) *DetailField {
	return &DetailField{Key: GoodsKey, Kind: KindItems, Required: true, MinItems: 1, MaxItems: max,
		Labels: labels, ItemLabels: itemLabels, Item: item}
}

// GoodsKey is the JSON name of a submission's goods list and the key of
// every FactType.Goods.
const GoodsKey = "goods"

// catalog is the phase-1 catalog, in the order the citizen's form lists it.
var catalog = []FactType{
	{
		Key:    "bicycle_theft",
		Labels: l("Vol de vélo", "Fietsdiefstal", "Fahrraddiebstahl", "Bicycle theft"),
		Fields: []DetailField{},
		Goods: goods(maxBicycles,
			l("Vélos volés", "Gestolen fietsen", "Gestohlene Fahrräder", "Stolen bicycles"),
			l("Vélo", "Fiets", "Fahrrad", "Bicycle"),
			textField("brand", true, maxShortText, l("Marque", "Merk", "Marke", "Brand")),
			textField("model", true, maxShortText, l("Modèle", "Model", "Modell", "Model")),
			textField("colour", true, maxShortText, l("Couleur", "Kleur", "Farbe", "Colour")),
			textField("frame_number", false, maxShortText, l("Numéro de cadre", "Framenummer", "Rahmennummer", "Frame number")),
			moneyField("value_eur", false, l("Valeur (EUR)", "Waarde (EUR)", "Wert (EUR)", "Value (EUR)")),
			boolField("electric", l("Vélo électrique", "Elektrische fiets", "Elektrofahrrad", "Electric bicycle")),
		),
		legacyGoods: legacyGoodsInDetails,
	},
	{
		Key:    "shoplifting",
		Labels: l("Vol à l'étalage", "Winkeldiefstal", "Ladendiebstahl", "Shoplifting"),
		Fields: []DetailField{
			textField("shop_name", true, maxLineText, l("Nom du magasin", "Naam van de winkel", "Name des Geschäfts", "Shop name")),
			{Key: "enterprise_number", Kind: KindEnterpriseNumber,
				Labels: l("Numéro d'entreprise (BCE)", "Ondernemingsnummer (KBO)", "Unternehmensnummer (ZDU)", "Enterprise number (CBE)")},
			longTextField("suspect_description", false, l("Signalement du suspect", "Signalement van de verdachte", "Täterbeschreibung", "Suspect description")),
			boolField("camera_footage", l("Images de caméra disponibles", "Camerabeelden beschikbaar", "Kameraaufnahmen vorhanden", "Camera footage available")),
		},
		Goods: goods(maxItems,
			l("Articles volés", "Gestolen artikelen", "Gestohlene Waren", "Stolen items"),
			l("Article", "Artikel", "Artikel", "Item"),
			textField("description", true, maxLineText, l("Description", "Omschrijving", "Beschreibung", "Description")),
			DetailField{Key: "quantity", Kind: KindInteger, Required: true, Min: 1, Max: maxItemQuantity, Quantity: true,
				Labels: l("Quantité", "Aantal", "Menge", "Quantity")},
			moneyField("value_eur", true, l("Prix unitaire (EUR)", "Eenheidsprijs (EUR)", "Stückpreis (EUR)", "Unit price (EUR)")),
		),
		legacyGoods: "items",
	},
	{
		Key:    "graffiti",
		Labels: l("Graffiti", "Graffiti", "Graffiti", "Graffiti"),
		Fields: []DetailField{
			textField("surface", true, maxLineText, l("Surface taguée", "Beklad oppervlak", "Besprühte Fläche", "Tagged surface")),
			textField("text_or_tag", false, 500, l("Texte ou tag", "Tekst of tag", "Text oder Tag", "Text or tag")),
			{Key: "area_m2", Kind: KindNumber, Min: 0, Max: maxAreaM2,
				Labels: l("Superficie (m²)", "Oppervlakte (m²)", "Fläche (m²)", "Area (m²)")},
			boolField("owner_is_complainant", l("Le plaignant est le propriétaire", "De klager is de eigenaar", "Der Anzeigeerstatter ist der Eigentümer", "The complainant is the owner")),
		},
	},
	{
		Key:    "damage_private_property",
		Labels: l("Dégradation de propriété privée", "Beschadiging van private eigendom", "Beschädigung von Privateigentum", "Damage to private property"),
		Fields: []DetailField{
			boolField("suspect_known", l("Auteur connu", "Dader bekend", "Täter bekannt", "Suspect known")),
		},
		Goods: goods(maxDamagedObjects,
			l("Objets endommagés", "Beschadigde voorwerpen", "Beschädigte Gegenstände", "Damaged objects"),
			l("Objet", "Voorwerp", "Gegenstand", "Object"),
			textField("object", true, maxLineText, l("Objet endommagé", "Beschadigd voorwerp", "Beschädigter Gegenstand", "Damaged object")),
			longTextField("damage_description", true, l("Description des dégâts", "Omschrijving van de schade", "Beschreibung des Schadens", "Description of the damage")),
			moneyField("estimated_cost_eur", false, l("Coût estimé (EUR)", "Geschatte kosten (EUR)", "Geschätzte Kosten (EUR)", "Estimated cost (EUR)")),
		),
		legacyGoods: legacyGoodsInDetails,
	},
}

// Catalog returns the fact types in the form's order. The result is a deep
// copy: changing it changes nothing in the package.
func Catalog() []FactType { return cloneCatalog(catalog) }

// LookupFactType finds a fact type by key.
func LookupFactType(key string) (FactType, bool) {
	f, ok := lookupFactType(catalog, key)
	if !ok {
		return FactType{}, false
	}
	return cloneFactType(f), true
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
