// Package demodata makes demo complaints a real person could have written
// — the four fact types, real places of a zone, valid identifiers, names,
// streets and descriptions in the language of the region — and files them
// through a portal's intake path. guichetd seed and guichet --demo use it,
// and so do tests and benchmarks that need a realistic queue.
package demodata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"guichet/complaint"
)

// Portal is what Seed needs of a portal (*portal.Server has it): its zone
// table, its clock, and the intake path of POST /v1/complaints for many
// complaints at once.
type Portal interface {
	Router() *complaint.Router
	Now() time.Time
	IntakeBatch(ctx context.Context, subs []*complaint.Submission) ([]string, error)
}

// Seed files count realistic, varied complaints about places of zone —
// all four fact types, real municipalities and postal codes of the zone,
// valid identifiers, accented names, some long descriptions — through the
// same validation and storage path as POST /v1/complaints. The same seed
// gives the same complaints (references are random). Concurrent commits
// share transactions, so seeding hundreds takes a fraction of a second.
//
// The region of the place of the facts decides the street names and, for
// most complaints, their language; descriptions and details are written
// in the complaint's language and fit its fact type (see generator).
func Seed(ctx context.Context, p Portal, zone string, count int, seed int64) ([]string, error) {
	rt := p.Router()
	if _, ok := rt.Zone(zone); !ok {
		return nil, fmt.Errorf("unknown zone %q", zone)
	}
	places := rt.Municipalities(zone)
	if len(places) == 0 {
		return nil, fmt.Errorf("zone %s has no municipality", zone)
	}
	g := newGenerator(seed, zone, p.Now(), places, rt.Municipalities(""))
	refs := make([]string, 0, count)
	const chunk = 500
	for start := 0; start < count; start += chunk {
		if err := ctx.Err(); err != nil {
			return refs, err
		}
		// Generation is sequential (same seed, same complaints);
		// IntakeBatch validates on every core and groups the commits.
		subs := make([]*complaint.Submission, min(chunk, count-start))
		for i := range subs {
			subs[i] = g.submission()
		}
		batch, err := p.IntakeBatch(ctx, subs)
		refs = append(refs, batch...)
		var problems complaint.FieldErrors
		if errors.As(err, &problems) {
			return refs, fmt.Errorf("seed generated an invalid complaint: %v", problems.Codes())
		}
		if err != nil {
			return refs, err
		}
	}
	return refs, nil
}

// The generator below writes complaints a real person could have written:
// the region of the place of the facts decides the street names and, most
// of the time, the language of the complaint; the description is told in
// that language and fits the fact type and its details (the bicycle's
// brand, the shop, the tagged area, the damaged object, the yes/no fields),
// with the times of the facts. Everything comes from one seeded source, so
// the same seed gives the same complaints.

// region is a part of Belgium by the language of its street names.
type region int

const (
	regionBrussels       region = iota // bilingual: each street has a French and a Dutch name
	regionWallonia                     // French
	regionFlanders                     // Dutch
	regionGermanSpeaking               // German: the nine municipalities of the East Cantons
)

func (r region) String() string {
	return [...]string{"Brussels", "Wallonia", "Flanders", "German-speaking"}[r]
}

// regionOfPostalCode places a Belgian postal code: 1000–1299 Brussels,
// 4700–4791 the German-speaking municipalities, 1300–1499 and 4000–7999
// Wallonia, 1500–3999 and 8000–9999 Flanders.
func regionOfPostalCode(code string) (region, bool) {
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 4 {
		return 0, false
	}
	switch {
	case n >= 1000 && n <= 1299:
		return regionBrussels, true
	case n >= 4700 && n <= 4791:
		return regionGermanSpeaking, true
	case n >= 1300 && n <= 1499, n >= 4000 && n <= 7999:
		return regionWallonia, true
	case n >= 1500 && n <= 3999, n >= 8000 && n <= 9999:
		return regionFlanders, true
	}
	return 0, false
}

// germanSpeakingNIS are the NIS codes of the German-speaking municipalities
// (Amel, Büllingen, Bütgenbach, Eupen, Kelmis, Lontzen, Raeren, Sankt Vith,
// Burg-Reuland). Built at the first seeding, not at every start of the
// programs that link the demo (guichet).
var germanSpeakingNIS = sync.OnceValue(func() map[string]bool {
	return map[string]bool{"63001": true, "63012": true, "63013": true, "63023": true,
		"63040": true, "63048": true, "63061": true, "63067": true, "63087": true}
})

// regionOfNIS places a municipality by its NIS code (province prefix), for
// the rare municipality without a postal code.
func regionOfNIS(nis string) region {
	switch {
	case strings.HasPrefix(nis, "21"):
		return regionBrussels
	case germanSpeakingNIS()[nis]:
		return regionGermanSpeaking
	case strings.HasPrefix(nis, "25"), strings.HasPrefix(nis, "5"), strings.HasPrefix(nis, "6"),
		strings.HasPrefix(nis, "8"), strings.HasPrefix(nis, "9"):
		return regionWallonia
	default:
		return regionFlanders
	}
}

// regionOf places a postal code of municipality m.
func regionOf(m complaint.Municipality, postal string) region {
	if r, ok := regionOfPostalCode(postal); ok {
		return r
	}
	return regionOfNIS(m.NIS)
}

// Languages of the texts, as indexes into a [4]string.
const (
	langFR = iota
	langNL
	langDE
	langEN
)

// langCodes are the complaint language codes of the indexes above.
var langCodes = [4]string{"fr", "nl", "de", "en"}

// inLangs is one text in French, Dutch, German and English.
type inLangs [4]string

// regionLanguages is, per region, how many complaints in 100 are written in
// French, Dutch, German and English: mostly the region's language, some by
// a neighbour from the other community, a tourist or an expat.
var regionLanguages = [4][4]int{
	regionBrussels:       {62, 23, 3, 12},
	regionWallonia:       {85, 6, 3, 6},
	regionFlanders:       {7, 85, 2, 6},
	regionGermanSpeaking: {10, 2, 85, 3},
}

// Street names per region. Brussels streets carry both official names;
// a complaint uses the one of its language.
var (
	streetsFR = []string{"Rue de la Station", "Chaussée de Bruxelles", "Avenue des Combattants", "Rue de l'Église",
		"Place communale", "Rue du Moulin", "Rue de Namur", "Avenue Albert Ier", "Rue des Écoles", "Grand-Rue",
		"Rue du Château", "Chaussée de Louvain", "Rue de la Gare", "Rue Émile Vandervelde", "Avenue Reine Astrid",
		"Rue des Wallons", "Place de l'Université", "Rue Saint-Roch", "Rue des Déportés", "Chemin du Bois"}
	streetsNL = []string{"Kerkstraat", "Stationsstraat", "Grote Markt", "Dorpsstraat", "Molenstraat", "Nieuwstraat",
		"Schoolstraat", "Kapelstraat", "Veldstraat", "Koning Albertlaan", "Leopoldlaan", "Brugsesteenweg",
		"Kortrijksesteenweg", "Hoogstraat", "Beekstraat", "Zuidstraat", "Lindenlaan", "Sint-Jansstraat",
		"Gemeenteplein", "Oude Heirweg"}
	streetsDE = []string{"Hauptstraße", "Kirchstraße", "Aachener Straße", "Bahnhofstraße", "Klosterstraße",
		"Neustraße", "Malmedyer Straße", "Schulstraße", "Marktplatz", "Mühlenweg", "Dorfstraße", "Rathausplatz",
		"Gospertstraße", "Vervierser Straße", "Am Kreuz", "Lindenallee", "Herbesthaler Straße", "Klötzerbahn"}
	streetsBrussels = [][2]string{{"Rue Haute", "Hoogstraat"}, {"Rue Neuve", "Nieuwstraat"},
		{"Chaussée d'Ixelles", "Elsensesteenweg"}, {"Boulevard Anspach", "Anspachlaan"}, {"Rue du Midi", "Zuidstraat"},
		{"Avenue Louise", "Louizalaan"}, {"Rue de Flandre", "Vlaamsesteenweg"}, {"Chaussée de Wavre", "Waversesteenweg"},
		{"Rue Antoine Dansaert", "Antoine Dansaertstraat"}, {"Place Flagey", "Flageyplein"}, {"Rue du Trône", "Troonstraat"},
		{"Boulevard Adolphe Max", "Adolphe Maxlaan"}, {"Rue de la Loi", "Wetstraat"}, {"Chaussée de Louvain", "Leuvensesteenweg"},
		{"Rue Blaes", "Blaesstraat"}, {"Avenue de la Couronne", "Kroonlaan"}, {"Rue Royale", "Koningsstraat"},
		{"Place du Luxembourg", "Luxemburgplein"}}
)

// Names by the language of the complaint; seedNamesAny are the names of
// Belgians of every community, drawn for one complainant in four.
var (
	seedFirstNames = inLangsList{
		langFR: {"Marc", "Sophie", "Jérôme", "Anaïs", "Léa", "François", "Hélène", "Céline", "Thérèse", "Agnès",
			"Joëlle", "Maëlle", "Noël", "Inès", "Benoît", "Chloé", "Étienne", "Gaëtan"},
		langNL: {"Jan", "Pieter", "Els", "Wout", "Sien", "Lotte", "Jef", "Mieke", "Brecht", "Ine", "Jozef", "Griet",
			"Seppe", "Anouk", "Joëlle", "Zoë"},
		langDE: {"Jürgen", "Björn", "Günther", "Jörg", "Käthe", "Mareike", "Lukas", "Anna", "Matthias", "Sabine",
			"Hubert", "Jérôme", "Marie-Thérèse"},
		langEN: {"Oliver", "Siobhán", "James", "Emily", "Seán", "Priya", "Zoë", "Aoife", "Matteo", "Zsófia", "João",
			"Małgorzata"},
	}
	seedLastNames = inLangsList{
		langFR: {"Dubois", "Lefèvre", "Dupont", "Lambert", "Léonard", "Gérard", "Delvaux", "Renard", "Lemaître",
			"Hubert", "Collard", "Piérard"},
		langNL: {"Peeters", "Janssens", "Maes", "De Smet", "Van den Bossche", "Vandenbroucke", "Goossens", "D'Hondt",
			"Willems", "Mertens", "Claes", "Van Damme", "De Backer"},
		langDE: {"Müller", "Schröder", "Krings", "Heinen", "Thönnissen", "Kreutz", "Mießen", "Jost", "Küpper", "Lentz"},
		langEN: {"Smith", "O'Brien", "Murphy", "Kowalski", "Rossi", "Fernández", "Kovács", "Sørensen", "Wiśniewska",
			"Papadopoulos"},
	}
	seedFirstNamesAny = []string{"Ömer", "Fatima", "Ahmed", "Yasmina", "Mehmet", "Aïcha", "Kevin", "Nadia", "Youssef",
		"Élodie", "Thomas", "Sarah"}
	seedLastNamesAny = []string{"Çelik", "N'Diaye", "El Amrani", "Yılmaz", "Benali", "Kabongo", "Nguyen", "Öztürk",
		"Lumumba", "Van der Straeten"}
)

// inLangsList is one list of texts per language.
type inLangsList [4][]string

// narrative is how complainants tell one fact type in one language: one of
// the openers first, then the core sentences (what makes it a complaint:
// the bicycle was gone, the theft was seen), then body sentences in any
// order (none contradicts another), and the sentence about the fact type's
// yes/no detail, [0] when it is false and [1] when it is true. Sentences may hold {start} and {end}
// (times of the facts) and the fact type's own placeholders.
type narrative struct {
	openers []string
	core    []string
	body    []string
	flag    [2]string
}

// bicycle is a real model with a plausible price range in euros.
type bicycle struct {
	brand, model string
	electric     bool
	minEUR       int
	maxEUR       int
	framePrefix  string
}

var seedBicycles = []bicycle{
	{"Gazelle", "Orange C7", false, 650, 1100, "GZ"},
	{"Gazelle", "Grenoble C5 HMB", true, 2300, 3200, "GZ"},
	{"Batavus", "Finez", false, 600, 950, "BA"},
	{"Batavus", "Altura E-go", true, 2000, 2800, "BA"},
	{"Cube", "Aim Pro", false, 450, 750, "CB"},
	{"Cube", "Kathmandu Hybrid", true, 2600, 3800, "CB"},
	{"Trek", "FX 2", false, 600, 900, "WTU"},
	{"Trek", "Émonda SL 5", false, 2400, 3500, "WTU"},
	{"Ridley", "Fenix", false, 1800, 3200, "RY"},
	{"B'Twin", "Elops 120", false, 150, 250, "DK"},
	{"Rockrider", "ST 100", false, 250, 350, "DK"},
	{"Giant", "Escape 3", false, 450, 650, "GT"},
	{"Specialized", "Sirrus 2.0", false, 600, 900, "WSBC"},
	{"Cowboy", "4", true, 2500, 3300, "CW"},
	{"Riese & Müller", "Charger4", true, 4800, 6500, "RM"},
}

var seedColours = []inLangs{
	{"noir", "zwart", "schwarz", "black"}, {"blanc", "wit", "weiß", "white"}, {"gris", "grijs", "grau", "grey"},
	{"bleu marine", "donkerblauw", "dunkelblau", "navy blue"}, {"rouge", "rood", "rot", "red"},
	{"vert bouteille", "flessengroen", "flaschengrün", "bottle green"}, {"bordeaux", "bordeaux", "bordeauxrot", "burgundy"},
	{"jaune", "geel", "gelb", "yellow"}, {"gris et orange", "grijs en oranje", "grau-orange", "grey and orange"},
}

// Kinds of shop, so a shop loses what it sells.
const (
	shopGrocery = 1 << iota
	shopDrugstore
	shopElectronics
	shopVariety
)

type shop struct {
	name string
	kind int
}

var seedShops = []shop{
	{"Delhaize", shopGrocery}, {"Colruyt", shopGrocery}, {"Carrefour Market", shopGrocery}, {"Aldi", shopGrocery},
	{"Lidl", shopGrocery}, {"Intermarché", shopGrocery}, {"Spar", shopGrocery}, {"OKay", shopGrocery},
	{"Kruidvat", shopDrugstore}, {"Di", shopDrugstore}, {"MediaMarkt", shopElectronics}, {"Fnac", shopElectronics},
	{"Vanden Borre", shopElectronics}, {"Krëfel", shopElectronics}, {"Hema", shopVariety}, {"Action", shopVariety},
}

// shopItem is an article with its unit price range in cents and the most
// a thief takes at once.
type shopItem struct {
	name         inLangs
	kinds        int
	minCt, maxCt int
	maxQuantity  int
}

var seedShopItems = []shopItem{
	{inLangs{"Bouteille de vin rouge", "Fles rode wijn", "Flasche Rotwein", "Bottle of red wine"}, shopGrocery, 599, 2499, 4},
	{inLangs{"Lames de rasoir Gillette Fusion", "Gillette Fusion-scheermesjes", "Gillette-Fusion-Rasierklingen", "Gillette Fusion razor blades"},
		shopGrocery | shopDrugstore | shopVariety, 1499, 3499, 6},
	{inLangs{"Écouteurs sans fil", "Draadloze oordopjes", "Kabellose Kopfhörer", "Wireless earbuds"}, shopElectronics, 2999, 17999, 2},
	{inLangs{"Tablette de chocolat Côte d'Or", "Reep Côte d'Or-chocolade", "Tafel Côte-d'Or-Schokolade", "Côte d'Or chocolate bar"},
		shopGrocery | shopVariety, 199, 499, 10},
	{inLangs{"Flacon de parfum", "Fles parfum", "Parfümflakon", "Bottle of perfume"}, shopDrugstore, 3999, 11999, 3},
	{inLangs{"Fromage de Herve", "Hervekaas", "Herver Käse", "Herve cheese"}, shopGrocery, 399, 899, 3},
	{inLangs{"Câble USB-C", "USB-C-kabel", "USB-C-Kabel", "USB-C cable"}, shopElectronics | shopVariety, 799, 2499, 4},
	{inLangs{"Pack de bière trappiste", "Pak trappistenbier", "Packung Trappistenbier", "Pack of Trappist beer"}, shopGrocery, 799, 1599, 3},
	{inLangs{"Crème solaire", "Zonnecrème", "Sonnencreme", "Sun cream"}, shopGrocery | shopDrugstore | shopVariety, 799, 1999, 4},
	{inLangs{"Piles AA (paquet de 8)", "AA-batterijen (pak van 8)", "AA-Batterien (8er-Pack)", "AA batteries (pack of 8)"},
		shopGrocery | shopDrugstore | shopElectronics | shopVariety, 599, 1399, 5},
	{inLangs{"Console de jeu portable", "Draagbare spelconsole", "Tragbare Spielkonsole", "Handheld games console"}, shopElectronics, 19999, 34999, 1},
}

var seedSuspects = inLangsList{
	langFR: {"Homme d'environ 30 ans, veste à capuche grise, sac à dos noir.",
		"Femme d'une quarantaine d'années, cheveux bruns attachés, manteau beige.",
		"Deux jeunes d'environ 18 ans, survêtements foncés, casquettes."},
	langNL: {"Man van ongeveer 30 jaar, grijze hoodie, zwarte rugzak.",
		"Vrouw van een jaar of veertig, bruin haar in een staart, beige jas.",
		"Twee jongeren van ongeveer 18, donkere trainingspakken, petten."},
	langDE: {"Mann, etwa 30 Jahre, graue Kapuzenjacke, schwarzer Rucksack.",
		"Frau um die vierzig, braune zusammengebundene Haare, beiger Mantel.",
		"Zwei Jugendliche, etwa 18 Jahre, dunkle Trainingsanzüge, Kappen."},
	langEN: {"Man of about 30, grey hoodie, black backpack.",
		"Woman in her forties, brown hair tied back, beige coat.",
		"Two youths of about 18, dark tracksuits, caps."},
}

var seedSurfaces = []inLangs{
	{"Façade avant", "Voorgevel", "Vorderfassade", "Front façade"},
	{"Mur du jardin", "Tuinmuur", "Gartenmauer", "Garden wall"},
	{"Porte de garage", "Garagepoort", "Garagentor", "Garage door"},
	{"Volet du magasin", "Rolluik van de winkel", "Rollladen des Geschäfts", "Shop shutter"},
	{"Mur latéral", "Zijgevel", "Seitenwand", "Side wall"},
	{"Abri de jardin", "Tuinhuis", "Gartenhaus", "Garden shed"},
}

// seedTags are tags as written on walls; seedIllegibleTag is for the tag
// nobody can read.
var (
	seedTags         = []string{"KRK", "ZÉRO", "BNX", "SOCK", "RAW 22", "MOZ", "« NO FUTUR »"}
	seedIllegibleTag = inLangs{"Tag illisible, peinture noire", "Onleesbare tag, zwarte verf",
		"Unleserlicher Tag, schwarze Farbe", "Illegible tag, black paint"}
)

// damagedObject is an object of damage_private_property: its name, how a
// complainant opens the story, the damage in a few words and the repair
// cost range in euros.
type damagedObject struct {
	name, opener, damage inLangs
	minEUR, maxEUR       int
}

var seedDamagedObjects = []damagedObject{
	{name: inLangs{"Rétroviseur de voiture", "Zijspiegel van de auto", "Außenspiegel des Autos", "Car wing mirror"},
		opener: inLangs{"Vers {end}, j'ai retrouvé le rétroviseur de ma voiture, garée dans la rue, arraché.",
			"Rond {end} vond ik de zijspiegel van mijn auto, die in de straat geparkeerd stond, afgerukt.",
			"Gegen {end} fand ich den Außenspiegel meines Autos, das auf der Straße geparkt war, abgerissen vor.",
			"At about {end} I found the wing mirror of my car, parked in the street, torn off."},
		damage: inLangs{"Rétroviseur gauche arraché, coque cassée, miroir brisé.",
			"Linkerzijspiegel afgerukt, behuizing gebroken, spiegelglas stuk.",
			"Linker Außenspiegel abgerissen, Gehäuse gebrochen, Spiegelglas zerbrochen.",
			"Left wing mirror torn off, housing broken, glass shattered."},
		minEUR: 80, maxEUR: 450},
	{name: inLangs{"Clôture de jardin", "Tuinafsluiting", "Gartenzaun", "Garden fence"},
		opener: inLangs{"Vers {end}, j'ai constaté que plusieurs panneaux de la clôture de mon jardin avaient été arrachés.",
			"Rond {end} stelde ik vast dat verschillende panelen van mijn tuinafsluiting waren losgetrokken.",
			"Gegen {end} stellte ich fest, dass mehrere Elemente meines Gartenzauns herausgerissen worden waren.",
			"At about {end} I found that several panels of my garden fence had been pulled out."},
		damage: inLangs{"Trois panneaux arrachés, deux poteaux pliés.", "Drie panelen losgetrokken, twee palen verbogen.",
			"Drei Elemente herausgerissen, zwei Pfosten verbogen.", "Three panels pulled out, two posts bent."},
		minEUR: 150, maxEUR: 1500},
	{name: inLangs{"Boîte aux lettres", "Brievenbus", "Briefkasten", "Letterbox"},
		opener: inLangs{"Vers {end}, j'ai découvert ma boîte aux lettres défoncée, la porte pliée.",
			"Rond {end} vond ik mijn brievenbus ingedeukt, met het deurtje verbogen.",
			"Gegen {end} fand ich meinen Briefkasten eingedrückt vor, die Klappe verbogen.",
			"At about {end} I found my letterbox smashed in, its door bent."},
		damage: inLangs{"Porte enfoncée, serrure arrachée, courrier trempé.", "Deurtje ingedeukt, slot uitgerukt, post doorweekt.",
			"Klappe eingedrückt, Schloss herausgerissen, Post durchnässt.", "Door dented, lock ripped out, post soaked."},
		minEUR: 40, maxEUR: 250},
	{name: inLangs{"Fenêtre", "Raam", "Fenster", "Window"},
		opener: inLangs{"Vers {end}, j'ai constaté qu'une fenêtre de ma maison avait été brisée par une pierre.",
			"Rond {end} stelde ik vast dat een raam van mijn huis met een steen was ingegooid.",
			"Gegen {end} stellte ich fest, dass ein Fenster meines Hauses mit einem Stein eingeworfen worden war.",
			"At about {end} I found that a window of my house had been broken with a stone."},
		damage: inLangs{"Double vitrage brisé, éclats de verre dans le salon.", "Dubbele beglazing gebroken, glasscherven in de woonkamer.",
			"Doppelverglasung zerbrochen, Glassplitter im Wohnzimmer.", "Double glazing broken, glass splinters in the living room."},
		minEUR: 200, maxEUR: 1200},
	{name: inLangs{"Porte de garage", "Garagepoort", "Garagentor", "Garage door"},
		opener: inLangs{"Vers {end}, j'ai vu que la porte de mon garage avait été enfoncée.",
			"Rond {end} zag ik dat mijn garagepoort was ingeduwd.",
			"Gegen {end} sah ich, dass mein Garagentor eingedrückt worden war.",
			"At about {end} I saw that my garage door had been forced in."},
		damage: inLangs{"Panneau enfoncé, rail tordu, la porte ne ferme plus.", "Paneel ingedeukt, rail verbogen, de poort sluit niet meer.",
			"Paneel eingedrückt, Schiene verbogen, das Tor schließt nicht mehr.", "Panel dented, rail bent, the door no longer closes."},
		minEUR: 300, maxEUR: 2500},
	{name: inLangs{"Carrosserie de voiture", "Carrosserie van de auto", "Autolack", "Car paintwork"},
		opener: inLangs{"Vers {end}, j'ai découvert que la carrosserie de ma voiture avait été rayée sur toute la longueur.",
			"Rond {end} ontdekte ik dat de carrosserie van mijn auto over de hele lengte was bekrast.",
			"Gegen {end} entdeckte ich, dass der Lack meines Autos auf der ganzen Länge zerkratzt worden war.",
			"At about {end} I discovered that my car had been scratched along its whole length."},
		damage: inLangs{"Rayure profonde sur les deux portières côté conducteur.", "Diepe kras over beide portieren aan de bestuurderskant.",
			"Tiefer Kratzer über beide Türen auf der Fahrerseite.", "Deep scratch across both doors on the driver's side."},
		minEUR: 300, maxEUR: 1800},
}

// seedNarratives tells each fact type in each language. The bicycle's
// flag is electric, the shop's camera_footage, the graffiti's
// owner_is_complainant, the damage's suspect_known; damage openers are the
// damaged object's. Built at the first seeding (a large literal: not at
// every start of guichet).
var seedNarratives = sync.OnceValue(func() map[string][4]narrative {
	return map[string][4]narrative{
		"bicycle_theft": {
			langFR: {openers: []string{
				"J'avais attaché mon vélo {brand} vers {start} au râtelier devant la gare.",
				"Vers {start}, j'ai cadenassé mon vélo {brand} à un poteau devant mon domicile.",
				"J'ai garé mon vélo {brand} vers {start} devant la bibliothèque, attaché à l'arceau."},
				core: []string{"À mon retour vers {end}, le vélo avait disparu."},
				body: []string{
					"L'antivol a été sectionné et abandonné sur le trottoir.",
					"Un passant m'a dit avoir vu un jeune homme partir avec un vélo qui ressemblait au mien.",
					"Le vélo est enregistré et gravé (numéro de cadre dans les détails).",
					"J'ai vérifié les sites de petites annonces, sans résultat pour l'instant.",
					"Je ne sais pas s'il y a des caméras dans la rue.",
					"J'ai besoin du numéro de procès-verbal pour mon assurance.",
					"Je m'en sers tous les jours pour aller travailler.",
					"Ma facture d'achat est disponible si nécessaire."},
				flag: [2]string{"C'est un vélo classique, sans assistance électrique.",
					"C'est un vélo électrique ; la batterie était fixée dessus."}},
			langNL: {openers: []string{
				"Ik had mijn fiets ({brand}) rond {start} vastgemaakt aan het fietsenrek aan het station.",
				"Rond {start} heb ik mijn fiets ({brand}) op slot gezet aan een paal voor mijn huis.",
				"Ik heb mijn fiets ({brand}) rond {start} aan de fietsbeugel voor de bibliotheek vastgemaakt."},
				core: []string{"Toen ik rond {end} terugkwam, was de fiets verdwenen."},
				body: []string{
					"Het slot werd doorgeknipt en op de stoep achtergelaten.",
					"Een voorbijganger zag een jongeman wegrijden op een fiets die op de mijne leek.",
					"De fiets is geregistreerd en gegraveerd (framenummer bij de details).",
					"Ik heb de zoekertjessites nagekeken, voorlopig zonder resultaat.",
					"Ik weet niet of er camera's in de straat hangen.",
					"Ik heb het pv-nummer nodig voor mijn verzekering.",
					"Ik gebruik de fiets elke dag om naar het werk te gaan.",
					"De aankoopfactuur kan ik bezorgen indien nodig."},
				flag: [2]string{"Het is een gewone fiets zonder elektrische ondersteuning.",
					"Het is een elektrische fiets; de batterij zat erop."}},
			langDE: {openers: []string{
				"Ich hatte mein Fahrrad der Marke {brand} gegen {start} am Fahrradständer vor dem Bahnhof angeschlossen.",
				"Gegen {start} habe ich mein Fahrrad der Marke {brand} an einem Pfosten vor meinem Haus abgeschlossen.",
				"Ich habe mein Fahrrad der Marke {brand} gegen {start} an den Bügel vor der Bibliothek angeschlossen."},
				core: []string{"Als ich gegen {end} zurückkam, war das Fahrrad verschwunden."},
				body: []string{
					"Das Schloss wurde durchtrennt und auf dem Bürgersteig liegen gelassen.",
					"Ein Passant hat einen jungen Mann gesehen, der mit einem ähnlichen Fahrrad weggefahren ist.",
					"Das Fahrrad ist registriert und graviert (Rahmennummer in den Angaben).",
					"Ich habe die Kleinanzeigen durchsucht, bisher ohne Ergebnis.",
					"Ich weiß nicht, ob es in der Straße Kameras gibt.",
					"Ich brauche die Protokollnummer für meine Versicherung.",
					"Ich fahre jeden Tag mit dem Fahrrad zur Arbeit.",
					"Die Kaufrechnung kann ich bei Bedarf vorlegen."},
				flag: [2]string{"Es ist ein normales Fahrrad ohne Elektroantrieb.",
					"Es ist ein Elektrofahrrad; der Akku war montiert."}},
			langEN: {openers: []string{
				"I locked my {brand} bike to the rack in front of the station at about {start}.",
				"At about {start} I locked my {brand} bike to a post in front of my house.",
				"I left my {brand} bike locked to the stand outside the library at about {start}."},
				core: []string{"When I came back at about {end}, it was gone."},
				body: []string{
					"The lock had been cut and left on the pavement.",
					"A passer-by saw a young man riding off on a bike that looked like mine.",
					"The bike is registered and engraved (frame number in the details).",
					"I have checked the second-hand websites, with no result so far.",
					"I do not know whether there are cameras in the street.",
					"I need the report number for my insurance.",
					"I use the bike every day to get to work.",
					"I can provide the purchase invoice if needed."},
				flag: [2]string{"It is an ordinary bike without electric assistance.",
					"It is an electric bike; the battery was attached."}},
		},
		"shoplifting": {
			langFR: {openers: []string{
				"Je suis responsable du magasin {shop}.",
				"Je travaille au service de sécurité du magasin {shop}.",
				"Je porte plainte au nom du magasin {shop}, où je travaille."},
				core: []string{"Vers {start}, une caissière a vu une personne glisser des articles dans son sac."},
				body: []string{
					"La personne n'a payé qu'une bouteille d'eau à la caisse.",
					"Elle a franchi les portiques antivol, qui ont sonné, et s'est dirigée vers le parking.",
					"Un collègue l'a interpellée à la sortie, mais elle s'est dégagée et a pris la fuite.",
					"Les articles volés n'ont pas été récupérés.",
					"C'est la troisième fois ce mois-ci que nous constatons ce genre de vol.",
					"La liste des articles et leurs prix figurent dans les détails.",
					"L'inventaire du soir a confirmé les articles manquants."},
				flag: [2]string{"La caméra de ce rayon était en panne ce jour-là.",
					"Les images de la caméra de surveillance sont conservées et peuvent être transmises à la police."}},
			langNL: {openers: []string{
				"Ik ben verantwoordelijke van de winkel {shop}.",
				"Ik werk bij de bewakingsdienst van de winkel {shop}.",
				"Ik dien klacht in namens de winkel {shop}, waar ik werk."},
				core: []string{"Rond {start} zag een kassierster iemand artikelen in een tas steken."},
				body: []string{
					"De verdachte betaalde aan de kassa enkel een flesje water.",
					"De verdachte liep door de antidiefstalpoortjes, die afgingen, en ging richting parking.",
					"Een collega hield de verdachte aan bij de uitgang, maar die rukte zich los en ging ervandoor.",
					"De gestolen artikelen werden niet teruggevonden.",
					"Het is al de derde keer deze maand dat we zo'n diefstal vaststellen.",
					"De lijst van de artikelen en hun prijzen staat bij de details.",
					"De inventaris 's avonds bevestigde de ontbrekende artikelen."},
				flag: [2]string{"De camera in die afdeling was die dag defect.",
					"De camerabeelden worden bewaard en kunnen aan de politie bezorgd worden."}},
			langDE: {openers: []string{
				"Ich bin für das Geschäft {shop} verantwortlich.",
				"Ich arbeite im Sicherheitsdienst des Geschäfts {shop}.",
				"Ich erstatte Anzeige im Namen des Geschäfts {shop}, in dem ich arbeite."},
				core: []string{"Gegen {start} sah eine Kassiererin, wie eine Person Waren in ihre Tasche steckte."},
				body: []string{
					"Die Person bezahlte an der Kasse nur eine Flasche Wasser.",
					"Sie ging durch die Diebstahlsicherung, die Alarm auslöste, und lief in Richtung Parkplatz.",
					"Ein Kollege hielt sie am Ausgang an, aber sie riss sich los und flüchtete.",
					"Die gestohlenen Waren wurden nicht wiedergefunden.",
					"Es ist schon das dritte Mal in diesem Monat, dass wir einen solchen Diebstahl feststellen.",
					"Die Liste der Waren und ihre Preise stehen in den Angaben.",
					"Die Inventur am Abend hat die fehlenden Waren bestätigt."},
				flag: [2]string{"Die Kamera in dieser Abteilung war an dem Tag defekt.",
					"Die Aufnahmen der Überwachungskamera sind gesichert und können der Polizei übergeben werden."}},
			langEN: {openers: []string{
				"I am the manager of the {shop} shop.",
				"I work as a security guard at the {shop} shop.",
				"I am filing this complaint on behalf of the {shop} shop, where I work."},
				core: []string{"At about {start} a cashier saw a person putting items into a bag."},
				body: []string{
					"The person only paid for a bottle of water at the till.",
					"They walked through the security gates, which went off, and headed for the car park.",
					"A colleague stopped them at the exit, but they pulled free and ran off.",
					"The stolen items were not recovered.",
					"This is the third time this month that we have had such a theft.",
					"The list of items and their prices is in the details.",
					"The evening stock count confirmed the missing items."},
				flag: [2]string{"The camera in that aisle was out of order that day.",
					"The CCTV footage has been kept and can be handed to the police."}},
		},
		"graffiti": {
			langFR: {openers: []string{
				"En passant vers {end}, j'ai découvert des graffitis sur le bâtiment.",
				"Vers {end}, j'ai constaté qu'un tag avait été peint.",
				"Vers {end}, un voisin m'a signalé des inscriptions fraîchement bombées."},
				body: []string{
					"Il s'agit d'un tag fait à la bombe de peinture.",
					"La surface taguée est d'environ {area} m².",
					"Le même tag apparaît sur plusieurs bâtiments du quartier.",
					"C'est la deuxième fois cette année que des graffitis apparaissent au même endroit.",
					"J'ai pris des photos avant le nettoyage.",
					"Le nettoyage coûtera plusieurs centaines d'euros.",
					"Personne dans la rue n'a rien remarqué.",
					"La peinture a aussi coulé sur le trottoir.",
					"L'assurance demande une copie de la plainte."},
				flag: [2]string{"Je ne suis pas propriétaire ; je signale les faits pour la copropriété.",
					"Je suis propriétaire du bâtiment."}},
			langNL: {openers: []string{
				"Toen ik rond {end} voorbijkwam, ontdekte ik graffiti op het gebouw.",
				"Rond {end} stelde ik vast dat er een tag was gespoten.",
				"Rond {end} meldde een buur mij dat er verse opschriften waren gespoten."},
				body: []string{
					"Het gaat om een tag met een spuitbus.",
					"Het beklad oppervlak is ongeveer {area} m².",
					"Dezelfde tag staat op verschillende gebouwen in de buurt.",
					"Het is al de tweede keer dit jaar dat er op dezelfde plek graffiti verschijnt.",
					"Ik heb foto's genomen voor het reinigen.",
					"De reiniging zal enkele honderden euro's kosten.",
					"Niemand in de straat heeft iets gemerkt.",
					"De verf is ook op het voetpad gelopen.",
					"De verzekering vraagt een kopie van de klacht."},
				flag: [2]string{"Ik ben niet de eigenaar; ik meld de feiten namens de mede-eigendom.",
					"Ik ben de eigenaar van het gebouw."}},
			langDE: {openers: []string{
				"Als ich gegen {end} vorbeikam, entdeckte ich Graffiti am Gebäude.",
				"Gegen {end} stellte ich fest, dass ein Tag gesprüht worden war.",
				"Gegen {end} hat mich ein Nachbar auf frisch gesprühte Schriftzüge aufmerksam gemacht."},
				body: []string{
					"Es handelt sich um einen mit der Sprühdose gesprühten Tag.",
					"Die besprühte Fläche beträgt etwa {area} m².",
					"Derselbe Tag ist an mehreren Gebäuden im Viertel zu sehen.",
					"Es ist schon das zweite Mal in diesem Jahr, dass an derselben Stelle Graffiti auftauchen.",
					"Ich habe vor der Reinigung Fotos gemacht.",
					"Die Reinigung wird mehrere hundert Euro kosten.",
					"Niemand in der Straße hat etwas bemerkt.",
					"Die Farbe ist auch auf den Bürgersteig gelaufen.",
					"Die Versicherung verlangt eine Kopie der Anzeige."},
				flag: [2]string{"Das Gebäude gehört mir nicht; ich melde den Vorfall für die Eigentümergemeinschaft.",
					"Das Gebäude gehört mir."}},
			langEN: {openers: []string{
				"When I walked past at about {end}, I found graffiti on the building.",
				"At about {end} I noticed that a tag had been sprayed.",
				"At about {end} a neighbour told me about freshly sprayed lettering."},
				body: []string{
					"It is a tag made with a spray can.",
					"The tagged area is about {area} m².",
					"The same tag appears on several buildings in the neighbourhood.",
					"This is the second time this year that graffiti has appeared in the same place.",
					"I took photos before it was cleaned.",
					"Cleaning will cost several hundred euros.",
					"Nobody in the street noticed anything.",
					"The paint also ran onto the pavement.",
					"The insurance company asks for a copy of the complaint."},
				flag: [2]string{"I do not own the building; I am reporting this for the co-owners.",
					"I own the building."}},
		},
		"damage_private_property": {
			langFR: {body: []string{
				"Vers {start}, tout était encore intact.",
				"Un voisin a entendu du bruit mais n'a rien vu.",
				"J'ai pris des photos des dégâts.",
				"J'ai demandé un devis de réparation.",
				"Mon assurance demande une copie de la plainte.",
				"Rien n'a été volé.",
				"Ce n'est pas la première fois que des dégradations ont lieu dans la rue.",
				"Des jeunes traînent souvent dans le quartier le soir."},
				flag: [2]string{"Je ne sais pas qui a fait cela.",
					"Je pense connaître l'auteur : un voisin avec qui j'ai un différend."}},
			langNL: {body: []string{
				"Rond {start} was alles nog intact.",
				"Een buur hoorde lawaai maar zag niets.",
				"Ik heb foto's van de schade genomen.",
				"Ik heb een offerte voor de herstelling gevraagd.",
				"Mijn verzekering vraagt een kopie van de klacht.",
				"Er werd niets gestolen.",
				"Het is niet de eerste keer dat er vernielingen zijn in de straat.",
				"'s Avonds hangen er vaak jongeren rond in de buurt."},
				flag: [2]string{"Ik weet niet wie dit gedaan heeft.",
					"Ik denk de dader te kennen: een buur met wie ik een geschil heb."}},
			langDE: {body: []string{
				"Gegen {start} war noch alles in Ordnung.",
				"Ein Nachbar hat Lärm gehört, aber nichts gesehen.",
				"Ich habe Fotos von den Schäden gemacht.",
				"Ich habe einen Kostenvoranschlag für die Reparatur angefordert.",
				"Meine Versicherung verlangt eine Kopie der Anzeige.",
				"Es wurde nichts gestohlen.",
				"Es ist nicht das erste Mal, dass es in der Straße Sachbeschädigungen gibt.",
				"Abends halten sich oft Jugendliche in der Gegend auf."},
				flag: [2]string{"Ich weiß nicht, wer das getan hat.",
					"Ich glaube, den Täter zu kennen: ein Nachbar, mit dem ich im Streit liege."}},
			langEN: {body: []string{
				"At about {start} everything was still intact.",
				"A neighbour heard noise but saw nothing.",
				"I took photos of the damage.",
				"I have asked for a repair quote.",
				"My insurance company asks for a copy of the complaint.",
				"Nothing was stolen.",
				"It is not the first time there has been vandalism in the street.",
				"Young people often hang around the area in the evening."},
				flag: [2]string{"I do not know who did this.",
					"I think I know who did it: a neighbour I am in a dispute with."}},
		},
	}
})

// seedFactTypes are the fact types seeded, in the catalog's order.
var seedFactTypes = []string{"bicycle_theft", "shoplifting", "graffiti", "damage_private_property"}

// generator makes plausible complaints.
type generator struct {
	r *rand.Rand
	// parties draws the goods beyond the first, the witnesses, the
	// insurance and on whose behalf: its own stream, so that adding them
	// left every other part of a seed's complaints as it was.
	parties *rand.Rand
	now     time.Time
	places  []complaint.Municipality
	homes   []complaint.Municipality
	// homesIn are the municipalities of Belgium by region, for a
	// complainant who lives in the region of the facts.
	homesIn [4][]complaint.Municipality
}

// newGenerator makes the generator of seed for zone: the zone is part of
// the random source, so two zones seeded with the same seed do not tell
// the same stories in the same order.
func newGenerator(seed int64, zone string, now time.Time, places, homes []complaint.Municipality) *generator {
	h := fnv.New64a()
	h.Write([]byte(zone))
	src := rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15^h.Sum64())
	g := &generator{r: rand.New(src), now: now, places: places, homes: homes,
		parties: rand.New(rand.NewPCG(uint64(seed)^0x5bd1e995, h.Sum64()))}
	for _, m := range homes {
		postal := ""
		if len(m.PostalCodes) > 0 {
			postal = m.PostalCodes[0]
		}
		reg := regionOf(m, postal)
		g.homesIn[reg] = append(g.homesIn[reg], m)
	}
	return g
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

// percent reports true p times in 100.
func (g *generator) percent(p int) bool { return g.r.IntN(100) < p }

// language draws the complaint's language for a place in reg.
func (g *generator) language(reg region) int {
	n := g.r.IntN(100)
	for lang, w := range regionLanguages[reg] {
		if n < w {
			return lang
		}
		n -= w
	}
	return langEN
}

// street names a street of reg; in Brussels the name in lang (French or
// Dutch; either for a complaint in German or English).
func (g *generator) street(reg region, lang int) string {
	switch reg {
	case regionBrussels:
		pair := streetsBrussels[g.r.IntN(len(streetsBrussels))]
		switch lang {
		case langFR:
			return pair[0]
		case langNL:
			return pair[1]
		}
		return pair[g.r.IntN(2)]
	case regionFlanders:
		return g.pick(streetsNL)
	case regionGermanSpeaking:
		return g.pick(streetsDE)
	}
	return g.pick(streetsFR)
}

// clock writes a time of day as people write it in lang.
func clock(lang int, t time.Time) string {
	h, m := t.Hour(), t.Minute()
	switch lang {
	case langFR:
		return fmt.Sprintf("%d h %02d", h, m)
	case langNL:
		return fmt.Sprintf("%d.%02d uur", h, m)
	case langDE:
		return fmt.Sprintf("%d:%02d Uhr", h, m)
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	return fmt.Sprintf("%d:%02d %s", h, m, suffix)
}

// decimal writes x with a decimal comma, except in English.
func decimal(lang int, x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if lang != langEN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// compose tells the facts: opener, core sentences, body sentences in random
// order and the sentence about the yes/no detail. A short one has up to two body
// sentences; a long one tells the whole story, then goes on in further
// paragraphs of the same sentences (never the same sentence twice in a row)
// up to a length between 1,000 and 3,800 characters. fill replaces the
// placeholders.
func (g *generator) compose(opener string, n narrative, flag bool, long bool, fill *strings.Replacer) string {
	flagSentence := n.flag[0]
	if flag {
		flagSentence = n.flag[1]
	}
	order := g.r.Perm(len(n.body))
	if !long {
		parts := append([]string{opener}, n.core...)
		for _, i := range order[:g.r.IntN(3)] {
			parts = append(parts, n.body[i])
		}
		if g.percent(70) {
			parts = append(parts, flagSentence)
		}
		return fill.Replace(strings.Join(parts, " "))
	}
	target := 1000 + g.r.IntN(2800) // < complaint.MaxDescriptionLen
	var b strings.Builder
	length := 0
	add := func(sep, sentence string) bool {
		s := fill.Replace(sentence)
		n := utf8.RuneCountInString(sep) + utf8.RuneCountInString(s)
		if length > 0 && length+n > target {
			return false
		}
		if length > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
		length += n
		return true
	}
	add("", opener)
	for _, s := range n.core {
		add(" ", s)
	}
	last := -1
	for _, i := range order {
		add(" ", n.body[i])
		last = i
	}
	add(" ", flagSentence)
	for {
		order = g.r.Perm(len(n.body))
		if order[0] == last {
			order[0], order[len(order)-1] = order[len(order)-1], order[0]
		}
		sep := "\n\n"
		for _, i := range order {
			if !add(sep, n.body[i]) {
				return b.String()
			}
			sep, last = " ", i
		}
	}
}

// price returns a price between minEUR and maxEUR euros, as shops price: whole
// tens less one euro (849, 2299) or a round figure.
func (g *generator) price(minEUR, maxEUR int) float64 {
	v := minEUR + g.r.IntN(maxEUR-minEUR+1)
	if g.percent(50) {
		return float64(v/10*10 + 9)
	}
	return float64(v / 10 * 10)
}

// cents returns an amount between minCt and maxCt cents, in euros.
func (g *generator) cents(minCt, maxCt int) float64 {
	return float64(minCt+g.r.IntN(maxCt-minCt+1)) / 100
}

// placeIn returns a municipality of list and one of its real postal codes.
func (g *generator) placeIn(list []complaint.Municipality) (m complaint.Municipality, postal string) {
	m = list[g.r.IntN(len(list))]
	if len(m.PostalCodes) == 0 {
		return m, ""
	}
	return m, m.PostalCodes[g.r.IntN(len(m.PostalCodes))]
}

// nationalNumber makes a valid national register number for a birth date.
func (g *generator) nationalNumber(birth time.Time) string {
	return nationalNumberFor(birth, 1+g.r.IntN(997))
}

// nationalNumberFor is the national register number of a birth date and a
// sequence number (1 to 997).
func nationalNumberFor(birth time.Time, seq int) string {
	body := int64(birth.Year()%100)*10_000_000 + int64(birth.Month())*100_000 + int64(birth.Day())*1000 + int64(seq)
	mod := body
	if birth.Year() >= 2000 {
		mod += 2_000_000_000
	}
	return fmt.Sprintf("%09d%02d", body, 97-mod%97)
}

func (g *generator) idCardNumber() string {
	first := int64(590_000_000_0) + g.r.Int64N(9_999_999_999-590_000_000_0)
	check := first % 97
	if check == 0 {
		check = 97
	}
	return fmt.Sprintf("%010d%02d", first, check)
}

func (g *generator) enterpriseNumber() string {
	first := int64(g.r.IntN(19_700_000)) + 200_000 // 8 digits starting with 0 or 1
	return fmt.Sprintf("%08d%02d", first, 97-first%97)
}

// story makes the description, the details and the goods of one complaint
// of factType told in lang, consistent with each other.
func (g *generator) story(factType string, lang int, started, ended time.Time) (string, json.RawMessage, json.RawMessage) {
	long := g.r.IntN(8) == 0
	n := seedNarratives()[factType][lang]
	repl := []string{"{start}", clock(lang, started), "{end}", clock(lang, ended)}
	d := map[string]any{}
	var goods []map[string]any
	var opener string
	var flag bool
	switch factType {
	case "bicycle_theft":
		bike := seedBicycles[g.r.IntN(len(seedBicycles))]
		flag = bike.electric
		first := map[string]any{"brand": bike.brand, "model": bike.model,
			"colour": seedColours[g.r.IntN(len(seedColours))][lang], "electric": bike.electric}
		if g.percent(80) {
			first["frame_number"] = fmt.Sprintf("%s%07d", bike.framePrefix, g.r.IntN(10_000_000))
		}
		if g.percent(85) {
			first["value_eur"] = g.price(bike.minEUR, bike.maxEUR)
		}
		goods = append(goods, first)
		// Sometimes the whole shed: a second bicycle, from the other
		// stream.
		if g.parties.IntN(100) < 15 {
			other := seedBicycles[g.parties.IntN(len(seedBicycles))]
			second := map[string]any{"brand": other.brand, "model": other.model,
				"colour": seedColours[g.parties.IntN(len(seedColours))][lang], "electric": other.electric}
			if g.parties.IntN(100) < 70 {
				second["value_eur"] = float64(other.minEUR + g.parties.IntN(other.maxEUR-other.minEUR+1))
			}
			goods = append(goods, second)
		}
		repl = append(repl, "{brand}", bike.brand)
	case "shoplifting":
		s := seedShops[g.r.IntN(len(seedShops))]
		var sold []shopItem
		for _, it := range seedShopItems {
			if it.kinds&s.kind != 0 {
				sold = append(sold, it)
			}
		}
		count := 1 + g.r.IntN(min(3, len(sold)))
		items := make([]map[string]any, count)
		for i, k := range g.r.Perm(len(sold))[:count] {
			it := sold[k]
			items[i] = map[string]any{"description": it.name[lang], "quantity": 1 + g.r.IntN(it.maxQuantity),
				"value_eur": g.cents(it.minCt, it.maxCt)}
		}
		flag = g.percent(60)
		goods = items
		d = map[string]any{"shop_name": s.name, "camera_footage": flag}
		if g.percent(50) {
			d["enterprise_number"] = g.enterpriseNumber()
		}
		if g.percent(35) {
			d["suspect_description"] = g.pick(seedSuspects[lang])
		}
		repl = append(repl, "{shop}", s.name)
	case "graffiti":
		area := float64(20+g.r.IntN(1180)) / 100
		flag = g.percent(75)
		d = map[string]any{"surface": seedSurfaces[g.r.IntN(len(seedSurfaces))][lang], "area_m2": area,
			"owner_is_complainant": flag}
		switch x := g.r.IntN(10); {
		case x < 6:
			d["text_or_tag"] = g.pick(seedTags)
		case x < 8:
			d["text_or_tag"] = seedIllegibleTag[lang]
		}
		repl = append(repl, "{area}", decimal(lang, area))
	default:
		obj := seedDamagedObjects[g.r.IntN(len(seedDamagedObjects))]
		opener = obj.opener[lang]
		flag = g.percent(20)
		d = map[string]any{"suspect_known": flag}
		damaged := map[string]any{"object": obj.name[lang], "damage_description": obj.damage[lang]}
		if g.percent(80) {
			damaged["estimated_cost_eur"] = g.price(obj.minEUR, obj.maxEUR)
		}
		goods = append(goods, damaged)
	}
	if opener == "" {
		opener = g.pick(n.openers)
	}
	text := g.compose(opener, n, flag, long, strings.NewReplacer(repl...))
	b, _ := json.Marshal(d)
	var gb json.RawMessage
	if goods != nil {
		gb, _ = json.Marshal(goods)
	}
	return text, b, gb
}

// seedInsurers are Belgian insurers of homes, cars and bicycles.
var seedInsurers = []string{"Ethias", "AG Insurance", "AXA Belgium", "KBC Verzekeringen", "Baloise Insurance",
	"P&V Assurances", "Belfius Insurance", "Allianz Benelux"}

// seedRoles are what a shop's representative is in it, per language.
var seedRoles = []inLangs{
	{"gérant", "zaakvoerder", "Geschäftsführer", "manager"},
	{"responsable du magasin", "winkelverantwoordelijke", "Filialleiter", "store manager"},
	{"agent de sécurité", "veiligheidsagent", "Sicherheitsmitarbeiter", "security guard"},
}

// drawParties draws, from the parties stream, on whose behalf the complaint
// is filed (a shop's complaints mostly for the company, a few others for a
// child or a parent with their consent), its witnesses and its insurer.
func (g *generator) drawParties(sub *complaint.Submission, lang int, enterprise string) {
	r := g.parties
	p := func(n int) bool { return r.IntN(100) < n }
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	c := &sub.Complainant
	switch {
	case sub.FactType == "shoplifting" && p(70):
		var d struct {
			ShopName string `json:"shop_name"`
		}
		json.Unmarshal(sub.Details, &d)
		if enterprise == "" {
			enterprise = g.enterpriseNumber()
		}
		sub.OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfCompany, Company: &complaint.Company{
			EnterpriseNumber: enterprise, Name: d.ShopName, Role: seedRoles[r.IntN(len(seedRoles))][lang]}}
	case sub.FactType != "shoplifting" && p(8):
		birth := time.Date(2008+r.IntN(10), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		person := &complaint.Person{LastName: c.LastName, FirstName: pick(seedFirstNames[lang]),
			BirthDate: birth.Format(time.DateOnly), Address: c.Address, Consent: true}
		if p(60) {
			person.NationalNumber = nationalNumberFor(birth, 1+r.IntN(997))
		}
		sub.OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfPerson, Person: person}
	}
	if p(20) {
		for range 1 + r.IntN(2) {
			w := complaint.Witness{LastName: pick(seedLastNames[lang]), FirstName: pick(seedFirstNames[lang]),
				Phone: fmt.Sprintf("+324%d%07d", 7+r.IntN(3), r.IntN(10_000_000))}
			if p(40) {
				w.Address = complaint.Address{Street: sub.Facts.Place.Street, Number: fmt.Sprint(1 + r.IntN(120)),
					PostalCode: sub.Facts.Place.PostalCode, Municipality: sub.Facts.Place.Municipality, Country: "BE"}
			}
			if p(30) {
				w.BirthDate = time.Date(1950+r.IntN(55), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			}
			sub.Witnesses = append(sub.Witnesses, w)
		}
	}
	if sub.FactType != "shoplifting" && p(35) {
		sub.Insurance = complaint.Insurance{Company: pick(seedInsurers)}
		if p(80) {
			sub.Insurance.PolicyNumber = fmt.Sprintf("%02d.%03d.%03d", r.IntN(100), r.IntN(1000), r.IntN(1000))
		}
	}
}

// emailFold spells an accented letter in ASCII for an e-mail address (""
// for another rune). A switch, not a map: nothing built at every start of
// guichet, which links the demo's data.
func emailFold(r rune) string {
	switch r {
	case 'à', 'á', 'â', 'ä', 'ã', 'å':
		return "a"
	case 'æ':
		return "ae"
	case 'ç', 'ć', 'č':
		return "c"
	case 'è', 'é', 'ê', 'ë':
		return "e"
	case 'ì', 'í', 'î', 'ï', 'ı':
		return "i"
	case 'ł':
		return "l"
	case 'ñ':
		return "n"
	case 'ò', 'ó', 'ô', 'ö', 'ø', 'ő':
		return "o"
	case 'ù', 'ú', 'û', 'ü':
		return "u"
	case 'ý', 'ÿ':
		return "y"
	case 'ß':
		return "ss"
	case 'ś', 'ş', 'š':
		return "s"
	case 'ğ':
		return "g"
	case 'ž':
		return "z"
	}
	return ""
}

// emailLocal makes the local part of an address from a name:
// "Zoë N'Diaye" → "zoe.ndiaye".
func emailLocal(first, last string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(first + "." + last) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteString(emailFold(r))
		}
	}
	return b.String()
}

// submission makes one complaint.
func (g *generator) submission() *complaint.Submission {
	factType := g.pick(seedFactTypes)
	ended := g.now.Add(-time.Duration(1+g.r.IntN(30*24)) * time.Hour)
	started := ended.Add(-time.Duration(g.r.IntN(14*60)) * time.Minute)
	loc := time.FixedZone("CET", 3600)
	started, ended = started.In(loc).Truncate(time.Minute), ended.In(loc).Truncate(time.Minute)
	if factType == "shoplifting" {
		// Shops are open: the theft happens between 9:00 and 19:00 and
		// takes minutes.
		started = time.Date(ended.Year(), ended.Month(), ended.Day(), 9, 0, 0, 0, loc).Add(time.Duration(g.r.IntN(10*60)) * time.Minute)
		ended = started.Add(time.Duration(5+g.r.IntN(40)) * time.Minute)
		if ended.After(g.now) {
			started, ended = started.AddDate(0, 0, -1), ended.AddDate(0, 0, -1)
		}
	}
	birth := time.Date(1940+g.r.IntN(66), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)

	place, postal := g.placeIn(g.places)
	reg := regionOf(place, postal)
	lang := g.language(reg)
	description, details, goods := g.story(factType, lang, started, ended)

	// Most people complain where they live; the home never decides the zone.
	var home complaint.Municipality
	var homePostal string
	switch x := g.r.IntN(10); {
	case x < 5:
		home, homePostal = g.placeIn([]complaint.Municipality{place})
	case x < 7 && len(g.homesIn[reg]) > 0:
		home, homePostal = g.placeIn(g.homesIn[reg])
	default:
		home, homePostal = g.placeIn(g.homes)
	}
	address := complaint.Address{Street: g.street(regionOf(home, homePostal), lang), Number: fmt.Sprint(1 + g.r.IntN(120)),
		PostalCode: homePostal, Municipality: home.Name, Country: "BE"}
	if g.percent(15) {
		address.Box = fmt.Sprint(1 + g.r.IntN(24))
	}

	first, last := g.pick(seedFirstNames[lang]), g.pick(seedLastNames[lang])
	if g.percent(25) {
		first = g.pick(seedFirstNamesAny)
	}
	if g.percent(25) {
		last = g.pick(seedLastNamesAny)
	}
	channel := complaint.ChannelEmail
	if g.r.IntN(5) == 0 {
		channel = complaint.ChannelPost
	}
	email := emailLocal(first, last) + fmt.Sprintf("%d@", g.r.IntN(1000)) + g.pick([]string{"example.be", "example.com", "example.net"})
	sub := &complaint.Submission{
		FactType: factType,
		Language: langCodes[lang],
		Facts: complaint.Facts{
			StartedAt: started,
			EndedAt:   ended,
			Place: complaint.Place{Street: g.street(reg, lang), Number: fmt.Sprint(1 + g.r.IntN(250)),
				PostalCode: postal, Municipality: place.Name},
			Description: description,
		},
		Details: details,
		Goods:   goods,
		Complainant: complaint.Complainant{
			Identification: complaint.Identification{Method: complaint.MethodThreeNumbers,
				NationalNumber: g.nationalNumber(birth), IDCardNumber: g.idCardNumber(),
				SISCardNumber: fmt.Sprintf("%010d", g.r.Int64N(10_000_000_000))},
			FirstName: first, LastName: last, BirthDate: birth.Format(time.DateOnly),
			Address: address,
			Email:   email,
			Phone:   fmt.Sprintf("+324%d%07d", 7+g.r.IntN(3), g.r.IntN(10_000_000)),
		},
		Confirmation: channel,
	}
	var shop struct {
		EnterpriseNumber string `json:"enterprise_number"`
	}
	json.Unmarshal(details, &shop)
	g.drawParties(sub, lang, shop.EnterpriseNumber)
	return sub
}
