package portal

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"time"

	"guichet/complaint"
)

// Seed files count realistic, varied complaints about places of zone —
// all four fact types, real municipalities and postal codes of the zone,
// valid identifiers, accented names, some long descriptions — through the
// same validation and storage path as POST /v1/complaints. The same seed
// gives the same complaints (references are random). Concurrent commits
// share transactions, so seeding hundreds takes a fraction of a second.
func (s *Server) Seed(ctx context.Context, zone string, count int, seed int64) ([]string, error) {
	rt := s.Router()
	if _, ok := rt.Zone(zone); !ok {
		return nil, fmt.Errorf("unknown zone %q", zone)
	}
	places := rt.Municipalities(zone)
	if len(places) == 0 {
		return nil, fmt.Errorf("zone %s has no municipality", zone)
	}
	homes := rt.Municipalities("")
	g := &generator{r: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)), now: s.now(), places: places, homes: homes}
	refs := make([]string, 0, count)
	const chunk = 500
	for start := 0; start < count; start += chunk {
		if err := ctx.Err(); err != nil {
			return refs, err
		}
		n := min(chunk, count-start)
		// Generation is sequential (same seed, same complaints); validation
		// runs on every core; commits are grouped by the writer.
		bodies := make([][]byte, n)
		langs := make([]string, n)
		for i := range bodies {
			sub := g.submission()
			b, err := json.Marshal(sub)
			if err != nil {
				return refs, err
			}
			bodies[i], langs[i] = b, sub.Language
		}
		prepared := make([]preparedIntake, n)
		problems := make([]complaint.FieldErrors, n)
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < n; i += workers {
					prepared[i], problems[i] = s.prepareIntake(bodies[i], langs[i])
				}
			}()
		}
		wg.Wait()
		dones := make([]chan writeResult, 0, n)
		for i, p := range prepared {
			if len(problems[i]) > 0 {
				return refs, fmt.Errorf("seed generated an invalid complaint: %v", problems[i].Codes())
			}
			done := make(chan writeResult, 1)
			if !s.submit(writeOp{fn: func(tx *sql.Tx) (any, error) { return s.commitIntake(tx, p, "", nil) }, done: done}) {
				return refs, errClosed
			}
			dones = append(dones, done)
		}
		for _, d := range dones {
			r := <-d
			if r.err != nil {
				return refs, r.err
			}
			rc, err := decodeReceipt(r.val.(storedResponse))
			if err != nil {
				return refs, err
			}
			refs = append(refs, rc.Reference)
		}
	}
	return refs, nil
}

// generator makes plausible complaints.
type generator struct {
	r      *rand.Rand
	now    time.Time
	places []complaint.Municipality
	homes  []complaint.Municipality
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

var (
	seedFirstNames = []string{"Marc", "Sophie", "Jérôme", "Anaïs", "Léa", "François", "Zoë", "Noël", "Hélène", "Björn",
		"Inès", "Maëlle", "Jan", "Pieter", "Els", "Joëlle", "Ömer", "Fatima", "Ahmed", "Jürgen", "Agnès", "Céline", "Wout", "Thérèse"}
	seedLastNames = []string{"Dubois", "Peeters", "Janssens", "Lefèvre", "Maes", "De Smet", "Müller", "Van den Bossche",
		"Dupont", "Lambert", "Çelik", "N'Diaye", "Vandenbroucke", "Goossens", "Léonard", "Schröder", "D'Hondt", "El Amrani", "Willems", "Mertens"}
	seedStreets = []string{"Rue Haute", "Avenue des Combattants", "Boulevard du Régent", "Grand-Place", "Chaussée de Namur",
		"Rue de la Station", "Stationsstraat", "Kerkstraat", "Place de l'Université", "Rue du Château", "Dorfstraße", "Avenue Léopold III", "Rue des Wallons"}
	seedBrands    = []string{"Gazelle", "Batavus", "Cube", "Trek", "Decathlon B'Twin", "Oxford", "Riese & Müller", "Cowboy", "Thompson"}
	seedColours   = []string{"bleu", "noir", "rouge", "blanc", "vert bouteille", "grijs", "geel", "bordeaux"}
	seedShops     = []string{"Delhaize", "Colruyt", "Carrefour Market", "Aldi", "Lidl", "Kruidvat", "Fnac", "Librairie Agora", "Hema", "Boulangerie Léonard"}
	seedItems     = []string{"Bouteille de vin", "Rasoirs Gillette", "Écouteurs sans fil", "Chocolat Côte d'Or", "Parfum", "Fromage de Herve", "Câble USB-C", "Bière trappiste"}
	seedObjects   = []string{"Voiture", "Boîte aux lettres", "Clôture", "Porte de garage", "Rétroviseur", "Vitrine", "Haie", "Trottinette"}
	seedSentences = []string{
		"Les faits ont été constatés le matin en sortant de la maison.",
		"Un voisin a vu deux personnes s'éloigner rapidement vers la gare.",
		"De fiets stond vastgemaakt aan het fietsrek, het slot werd doorgeknipt.",
		"Ich habe sofort die Versicherung informiert.",
		"The damage was noticed when I came back from work.",
		"Il n'y a pas de caméra dans la rue, mais le commerce d'en face en a peut-être une.",
		"Les dégâts sont visibles depuis la rue : traces de pied-de-biche sur le cadre.",
		"Er werd niets anders meegenomen.",
		"C'est la deuxième fois ce mois-ci ; la première fois je n'ai pas porté plainte.",
	}
	seedLanguages = []string{"fr", "fr", "fr", "nl", "nl", "de", "en"}
)

func (g *generator) description(long bool) string {
	n := 1 + g.r.IntN(3)
	if long {
		n = 20 + g.r.IntN(25)
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.pick(seedSentences)
	}
	text := strings.Join(parts, " ")
	if len([]rune(text)) > complaint.MaxDescriptionLen {
		text = string([]rune(text)[:complaint.MaxDescriptionLen])
	}
	return strings.TrimSpace(text)
}

func (g *generator) money(max int) float64 {
	return float64(g.r.IntN(max*100)+100) / 100
}

// placeIn returns a real postal code and municipality name.
func (g *generator) placeIn(list []complaint.Municipality) (postal, name string) {
	m := list[g.r.IntN(len(list))]
	if len(m.PostalCodes) == 0 {
		return "", m.Name
	}
	return m.PostalCodes[g.r.IntN(len(m.PostalCodes))], m.Name
}

// nationalNumber makes a valid national register number for a birth date.
func (g *generator) nationalNumber(birth time.Time) string {
	body := int64(birth.Year()%100)*10_000_000 + int64(birth.Month())*100_000 + int64(birth.Day())*1000 + int64(1+g.r.IntN(997))
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

func (g *generator) details(factType string) json.RawMessage {
	var d map[string]any
	switch factType {
	case "bicycle_theft":
		d = map[string]any{"brand": g.pick(seedBrands), "model": fmt.Sprintf("Modèle %d", 100+g.r.IntN(900)),
			"colour": g.pick(seedColours), "frame_number": fmt.Sprintf("WBK%08d", g.r.IntN(100_000_000)),
			"value_eur": g.money(3000), "electric": g.r.IntN(3) == 0}
	case "shoplifting":
		items := make([]map[string]any, 1+g.r.IntN(4))
		for i := range items {
			items[i] = map[string]any{"description": g.pick(seedItems), "quantity": 1 + g.r.IntN(6), "value_eur": g.money(80)}
		}
		d = map[string]any{"shop_name": g.pick(seedShops), "items": items, "camera_footage": g.r.IntN(2) == 0}
		if g.r.IntN(2) == 0 {
			d["enterprise_number"] = g.enterpriseNumber()
		}
		if g.r.IntN(3) == 0 {
			d["suspect_description"] = "Homme d'environ 30 ans, veste à capuche grise, sac à dos."
		}
	case "graffiti":
		d = map[string]any{"surface": "Façade " + g.pick([]string{"avant", "latérale", "du garage"}),
			"text_or_tag": g.pick([]string{"TAG « ZÉRO »", "KRK 1340", "peinture rouge illisible"}),
			"area_m2":     float64(g.r.IntN(2000)+10) / 100, "owner_is_complainant": g.r.IntN(4) != 0}
	default:
		d = map[string]any{"object": g.pick(seedObjects), "damage_description": g.description(false),
			"estimated_cost_eur": g.money(5000), "suspect_known": g.r.IntN(5) == 0}
	}
	b, _ := json.Marshal(d)
	return b
}

// submission makes one complaint.
func (g *generator) submission() *complaint.Submission {
	factTypes := []string{"bicycle_theft", "shoplifting", "graffiti", "damage_private_property"}
	factType := g.pick(factTypes)
	ended := g.now.Add(-time.Duration(1+g.r.IntN(30*24)) * time.Hour)
	started := ended.Add(-time.Duration(g.r.IntN(14*60)) * time.Minute)
	loc := time.FixedZone("CET", 3600)
	birth := time.Date(1940+g.r.IntN(66), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	postal, muni := g.placeIn(g.places)
	homePostal, homeMuni := g.placeIn(g.homes)
	first, last := g.pick(seedFirstNames), g.pick(seedLastNames)
	channel := complaint.ChannelEmail
	if g.r.IntN(5) == 0 {
		channel = complaint.ChannelPost
	}
	email := strings.ToLower(strings.NewReplacer(" ", "", "'", "", "é", "e", "è", "e", "ë", "e", "ï", "i", "ö", "o", "ü", "u", "ç", "c", "ô", "o", "Ö", "o", "Ç", "c").Replace(first+"."+last)) +
		fmt.Sprintf("%d@example.be", g.r.IntN(1000))
	return &complaint.Submission{
		FactType: factType,
		Language: g.pick(seedLanguages),
		Facts: complaint.Facts{
			StartedAt: started.In(loc).Truncate(time.Minute),
			EndedAt:   ended.In(loc).Truncate(time.Minute),
			Place: complaint.Place{Street: g.pick(seedStreets), Number: fmt.Sprint(1 + g.r.IntN(250)),
				PostalCode: postal, Municipality: muni},
			Description: g.description(g.r.IntN(8) == 0),
		},
		Details: g.details(factType),
		Complainant: complaint.Complainant{
			Identification: complaint.Identification{Method: complaint.MethodThreeNumbers,
				NationalNumber: g.nationalNumber(birth), IDCardNumber: g.idCardNumber(),
				SISCardNumber: fmt.Sprintf("%010d", g.r.Int64N(10_000_000_000))},
			FirstName: first, LastName: last, BirthDate: birth.Format(time.DateOnly),
			Address: complaint.Address{Street: g.pick(seedStreets), Number: fmt.Sprint(1 + g.r.IntN(120)),
				PostalCode: homePostal, Municipality: homeMuni, Country: "BE"},
			Email: email,
			Phone: fmt.Sprintf("+3247%07d", g.r.IntN(10_000_000)),
		},
		Confirmation: channel,
	}
}
