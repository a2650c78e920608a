// Package storetest makes realistic complaint records for tests and
// benchmarks of the workstation packages (store, sync, tui): accented names
// in the four national languages, all four phase-1 fact types with their
// details and goods (some with several), some filed for another person or a
// company, with witnesses or an insurer, places in zone 5275 (Ottignies-Louvain-la-Neuve), every status.
// The same n and seed always give the same records.
package storetest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"guichet/complaint"
)

// Zone is the zone the records belong to.
var Zone = complaint.Zone{Code: "5275", Name: "Ottignies-Louvain-la-Neuve"}

// Officers are the officers that hold or handled the records.
var Officers = []complaint.Officer{
	{ID: "off-1", Name: "Inspecteur Dupont"},
	{ID: "off-2", Name: "Inspectrice Van den Bossche"},
	{ID: "off-3", Name: "Hoofdinspecteur Müller"},
}

var (
	firstNames = []string{"Gérard", "Hélène", "François", "Zoë", "Jürgen", "Ösel", "Noémie", "Loïc",
		"Marc", "Anaïs", "Bart", "Inès", "Jérôme", "Søren", "Renée", "Çağla", "Émile", "Ludwig",
		"Saskia", "Maëlle", "Joris", "Élodie", "Thijs", "Björn", "Aurélie", "Kevin", "Amélie", "Dirk"}
	lastNames = []string{"Dubois", "Lefèvre", "Van den Bossche", "Müller", "Peeters", "Janssens",
		"Dupont", "Lambert", "Martin", "De Smet", "Goossens", "Fontaine", "Hermans", "Bêché",
		"D'Hondt", "Mertens", "Wouters", "Claes", "Schröder", "Noël", "Brasseur", "Renard",
		"Leclercq", "Vandenberghe", "Gérard", "Lemaître", "Öztürk", "Nuñez"}
	// places in zone 5275: postal code, locality (the municipality is one).
	places = []struct{ postal, locality string }{
		{"1340", "Ottignies"}, {"1341", "Céroux-Mousty"}, {"1342", "Limelette"}, {"1348", "Louvain-la-Neuve"},
	}
	streets = []string{"Avenue des Combattants", "Rue de la Station", "Place de l'Université",
		"Grand-Rue", "Rue du Blanc Ry", "Boulevard de Wallonie", "Rue des Deux Ponts",
		"Avenue Reine Astrid", "Place des Wallons", "Rue de Franquenies", "Cours d'Orval",
		"Chaussée de la Croix", "Rue Haute", "Allée du Rond Point"}
	homeTowns = []struct{ postal, municipality string }{
		{"1000", "Bruxelles"}, {"1300", "Wavre"}, {"1340", "Ottignies-Louvain-la-Neuve"},
		{"5000", "Namur"}, {"3000", "Leuven"}, {"4000", "Liège"}, {"1348", "Ottignies-Louvain-la-Neuve"},
		{"9000", "Gent"}, {"4700", "Eupen"}, {"1410", "Waterloo"},
	}
	languages = []string{"fr", "fr", "fr", "nl", "de", "en"}
	brands    = []string{"Gazelle", "Batavus", "Trek", "Cube", "Btwin", "Specialized", "Riese & Müller", "Sparta"}
	colours   = []string{"bleu", "noir", "rouge", "blanc", "vert foncé", "gris métallisé"}
	shops     = []string{"Delhaize Louvain-la-Neuve", "Carrefour Market Ottignies", "Aldi Limelette",
		"Librairie Agora", "Pharmacie de la Gare", "Brico Wavre", "Fnac L'esplanade"}
	shopGoods = []string{"Bouteille de whisky", "Rasoirs électriques", "Écouteurs sans fil", "Parfum",
		"Chocolat Côte d'Or", "Bière Chimay", "Jeu vidéo", "Crème solaire"}
	surfaces = []string{"Façade de la maison", "Mur du jardin", "Porte de garage", "Abribus",
		"Volet métallique", "Clôture en bois"}
	objects = []string{"Rétroviseur de voiture", "Boîte aux lettres", "Portail", "Vitre de véranda",
		"Haie et clôture", "Pneus crevés"}
	descriptions = []string{
		"Vélo attaché devant la gare, cadenas coupé pendant la nuit.",
		"Deux personnes ont quitté le magasin sans payer, l'alarme a sonné.",
		"Tags découverts le matin sur la façade, peinture noire et rouge.",
		"Dégâts constatés au retour du week-end, aucun témoin.",
		"Fiets gestolen aan het station, slot doorgeknipt.",
		"Fahrrad vor dem Bahnhof gestohlen, Schloss aufgebrochen.",
		"Bike stolen from the courtyard of the résidence, lock cut.",
		"Een onbekende heeft de brievenbus vernield.",
	}
	factTypes = []string{"bicycle_theft", "shoplifting", "graffiti", "damage_private_property"}
)

// Base is the time the first record was received; later records follow
// every few minutes, so ReceivedAt grows with the index (with ties).
var Base = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

// Records returns n records of zone 5275 with references "5275-2026-000001"
// onwards, deterministic for a given seed. About 55% are new, 15% claimed,
// 15% handled, 10% rejected and 5% forwarded; versions and histories match.
func Records(n int, seed int64) []complaint.Record {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15))
	out := make([]complaint.Record, n)
	at := Base
	for i := range out {
		at = at.Add(time.Duration(rng.IntN(600)) * time.Second)
		out[i] = Record(rng, i+1, at)
	}
	return out
}

// Record makes one record numbered seq, received at at.
func Record(rng *rand.Rand, seq int, at time.Time) complaint.Record {
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	ft := factTypes[rng.IntN(len(factTypes))]
	pl := places[rng.IntN(len(places))]
	home := homeTowns[rng.IntN(len(homeTowns))]
	first, last := pick(firstNames), pick(lastNames)
	birthYear := 1940 + rng.IntN(60)
	birth := time.Date(birthYear, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	started := at.Add(-time.Duration(1+rng.IntN(72)) * time.Hour)
	var goods json.RawMessage
	r := complaint.Record{
		Submission: complaint.Submission{
			FactType: ft,
			Language: pick(languages),
			Facts: complaint.Facts{
				StartedAt: started,
				EndedAt:   started.Add(time.Duration(rng.IntN(12)) * time.Hour),
				Place: complaint.Place{Street: pick(streets), Number: fmt.Sprint(1 + rng.IntN(150)),
					PostalCode: pl.postal, Municipality: "Ottignies-Louvain-la-Neuve"},
				Description: pick(descriptions),
			},
			Details: details(rng, ft, &goods),
			Complainant: complaint.Complainant{
				Identification: complaint.Identification{Method: complaint.MethodThreeNumbers,
					NationalNumber: nationalNumber(birth, rng.IntN(998)+1),
					IDCardNumber:   mod97Digits(rng, 10),
					SISCardNumber:  fmt.Sprintf("%010d", rng.Int64N(1e10))},
				FirstName: first, LastName: last, BirthDate: birth.Format("2006-01-02"),
				Address: complaint.Address{Street: pick(streets), Number: fmt.Sprint(1 + rng.IntN(200)),
					PostalCode: home.postal, Municipality: home.municipality, Country: "BE"},
				Email: fmt.Sprintf("%s.%s%d@example.be", asciiLower(first), asciiLower(last), seq%100),
				Phone: fmt.Sprintf("+3247%07d", rng.IntN(1e7)),
			},
			Confirmation: complaint.ChannelEmail,
		},
		Reference:  fmt.Sprintf("5275-2026-%06d", seq),
		Zone:       Zone,
		Status:     complaint.StatusNew,
		Version:    1,
		ReceivedAt: at,
		UpdatedAt:  at,
		Verification: complaint.Verification{Method: complaint.MethodThreeNumbers,
			Checks: []string{complaint.CheckNationalNumber, complaint.CheckIDCard, complaint.CheckBirthDate}, VerifiedAt: at},
	}
	r.Goods = goods
	parties(&r, seq)
	if rng.IntN(5) == 0 {
		r.Confirmation = complaint.ChannelPost
	}
	roll := rng.IntN(100)
	if roll < 55 {
		return r
	}
	off := Officers[rng.IntN(len(Officers))]
	step := func(a complaint.Action) {
		next, err := complaint.Apply(r, a, off, r.UpdatedAt.Add(time.Duration(1+rng.IntN(120))*time.Minute))
		if err != nil {
			panic(fmt.Sprintf("storetest: %s on %s: %v", a.Type, r.Reference, err))
		}
		next.Version = r.Version + 1
		r = next
	}
	step(complaint.Action{Type: complaint.ActionClaim})
	switch {
	case roll < 70:
	case roll < 85:
		step(complaint.Action{Type: complaint.ActionHandle,
			PVNumber: fmt.Sprintf("NI.55.L5.%06d/2026", rng.IntN(1e6))})
	case roll < 95:
		step(complaint.Action{Type: complaint.ActionReject, Reason: "Faits non constitutifs d'infraction."})
	default:
		step(complaint.Action{Type: complaint.ActionForward, ToZone: "5267", Reason: "Lieu des faits à Genappe."})
	}
	return r
}

// details draws the details of factType and sets *goods to its goods list.
func details(rng *rand.Rand, factType string, goods *json.RawMessage) json.RawMessage {
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	d := map[string]any{}
	var list []any
	switch factType {
	case "bicycle_theft":
		list = append(list, map[string]any{"brand": pick(brands), "model": fmt.Sprintf("Model %d", 1+rng.IntN(20)),
			"colour": pick(colours), "frame_number": fmt.Sprintf("WBK%09d", rng.IntN(1e9)),
			"value_eur": 100 + rng.IntN(3000), "electric": rng.IntN(3) == 0})
	case "shoplifting":
		for range 1 + rng.IntN(3) {
			list = append(list, map[string]any{"description": pick(shopGoods), "quantity": 1 + rng.IntN(4),
				"value_eur": 2 + rng.IntN(80)})
		}
		d = map[string]any{"shop_name": pick(shops),
			"suspect_description": "Homme, environ 30 ans, veste à capuche grise.", "camera_footage": rng.IntN(2) == 0}
	case "graffiti":
		d = map[string]any{"surface": pick(surfaces), "text_or_tag": "ACAB 1348", "area_m2": 1 + rng.IntN(20),
			"owner_is_complainant": rng.IntN(4) != 0}
	default:
		list = append(list, map[string]any{"object": pick(objects), "damage_description": "Rayures profondes et éclats, réparation nécessaire.",
			"estimated_cost_eur": 50 + rng.IntN(2000)})
		d = map[string]any{"suspect_known": rng.IntN(5) == 0}
	}
	if list != nil {
		*goods = mustJSON(list)
	}
	return mustJSON(d)
}

func mustJSON(v any) json.RawMessage {
	js, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return js
}

var (
	insurers  = []string{"Ethias", "AG Insurance", "AXA Belgium", "KBC Verzekeringen", "Baloise Insurance"}
	witnesses = []string{"Kowalczyk", "Vermeulen", "Lejeune", "Hoffmann", "Ben Salah", "Maes", "Dumont"}
)

// parties adds, from a random stream of the record's own (the other draws
// stay as they were before these parts existed), a second bicycle, on
// whose behalf the complaint was filed, witnesses and an insurer, to some
// records.
func parties(r *complaint.Record, seq int) {
	rng := rand.New(rand.NewPCG(uint64(seq), 0x5bd1e995))
	p := func(n int) bool { return rng.IntN(100) < n }
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	switch {
	case r.FactType == "bicycle_theft" && p(20):
		var list []any
		json.Unmarshal(r.Goods, &list)
		list = append(list, map[string]any{"brand": pick(brands), "model": fmt.Sprintf("Model %d", 1+rng.IntN(20)),
			"colour": pick(colours), "electric": false})
		r.Goods = mustJSON(list)
	}
	switch {
	case r.FactType == "shoplifting" && p(50):
		var d struct {
			Shop string `json:"shop_name"`
		}
		json.Unmarshal(r.Details, &d)
		body := 200_000 + rng.IntN(19_000_000)
		r.OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfCompany, Company: &complaint.Company{
			EnterpriseNumber: fmt.Sprintf("%08d%02d", body, 97-body%97), Name: d.Shop, Role: "gérant"}}
	case r.FactType != "shoplifting" && p(12):
		birth := time.Date(2008+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		r.OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfPerson, Person: &complaint.Person{
			LastName: r.Complainant.LastName, FirstName: pick(firstNames), BirthDate: birth.Format("2006-01-02"),
			Address: r.Complainant.Address, Consent: true}}
	}
	if p(25) {
		for range 1 + rng.IntN(2) {
			r.Witnesses = append(r.Witnesses, complaint.Witness{LastName: pick(witnesses), FirstName: pick(firstNames),
				Phone: fmt.Sprintf("+3249%07d", rng.IntN(1e7))})
		}
	}
	if r.FactType != "shoplifting" && p(30) {
		r.Insurance = complaint.Insurance{Company: pick(insurers), PolicyNumber: fmt.Sprintf("%02d.%03d.%03d", rng.IntN(100), rng.IntN(1000), rng.IntN(1000))}
	}
}

// nationalNumber makes a valid Belgian national register number for a
// birth date before 2000: YYMMDD, a 3-digit sequence, 97 − (9 digits mod 97).
func nationalNumber(birth time.Time, seq int) string {
	base := fmt.Sprintf("%02d%02d%02d%03d", birth.Year()%100, int(birth.Month()), birth.Day(), seq)
	var n int64
	fmt.Sscan(base, &n)
	return fmt.Sprintf("%s%02d", base, 97-n%97)
}

// mod97Digits makes digits+2 digits whose last two are the mod-97 check of
// the first ones (the eID card number rule; 0 becomes 97).
func mod97Digits(rng *rand.Rand, digits int) string {
	var n int64
	s := ""
	for range digits {
		d := rng.IntN(10)
		s += fmt.Sprint(d)
		n = n*10 + int64(d)
	}
	c := n % 97
	if c == 0 {
		c = 97
	}
	return fmt.Sprintf("%s%02d", s, c)
}

// asciiLower keeps the ASCII letters of s in lower case, for e-mail addresses.
func asciiLower(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		}
	}
	return string(b)
}
