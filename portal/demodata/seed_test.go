package demodata

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"guichet/complaint"
	"guichet/portal"
)

func TestRegionOfPostalCode(t *testing.T) {
	tests := []struct {
		code string
		want region
		ok   bool
	}{
		{"1000", regionBrussels, true},
		{"1210", regionBrussels, true},
		{"1340", regionWallonia, true},
		{"1410", regionWallonia, true},
		{"1500", regionFlanders, true},
		{"3790", regionFlanders, true}, // Voeren, Flemish facilities municipality
		{"4000", regionWallonia, true},
		{"4700", regionGermanSpeaking, true}, // Eupen
		{"4791", regionGermanSpeaking, true}, // Burg-Reuland
		{"4800", regionWallonia, true},       // Verviers
		{"4960", regionWallonia, true},       // Malmedy: French-speaking, next to the East Cantons
		{"7780", regionWallonia, true},       // Comines-Warneton
		{"8000", regionFlanders, true},       // Brugge
		{"9000", regionFlanders, true},       // Gent
		{"999", 0, false},
		{"12345", 0, false},
		{"abcd", 0, false},
	}
	for _, tc := range tests {
		got, ok := regionOfPostalCode(tc.code)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("regionOfPostalCode(%q) = %v, %v; want %v, %v", tc.code, got, ok, tc.want, tc.ok)
		}
	}
}

// TestRegionOfPostalCodeAgreesWithNIS checks the postal code ranges against
// the province of every municipality of the embedded zone table, so a
// postal code outside the ranges (or a range drawn wrong) shows up here.
func TestRegionOfPostalCodeAgreesWithNIS(t *testing.T) {
	munis := complaint.DefaultRouter().Municipalities("")
	if len(munis) < 500 {
		t.Fatalf("only %d municipalities", len(munis))
	}
	for _, m := range munis {
		for _, pc := range m.PostalCodes {
			byPostal, ok := regionOfPostalCode(pc)
			if !ok {
				t.Errorf("%s (%s): postal code %s has no region", m.Name, m.NIS, pc)
				continue
			}
			if byNIS := regionOfNIS(m.NIS); byPostal != byNIS {
				t.Errorf("%s (%s): postal code %s says %v, NIS says %v", m.Name, m.NIS, pc, byPostal, byNIS)
			}
		}
	}
}

// seedLang returns the index of a complaint language code.
func seedLang(t *testing.T, code string) int {
	t.Helper()
	i := slices.Index(langCodes[:], code)
	if i < 0 {
		t.Fatalf("language %q", code)
	}
	return i
}

// splitSentences cuts a description into sentences known to be in allowed,
// paragraph by paragraph; it fails when some text is none of them.
func splitSentences(description string, allowed []string) ([]string, bool) {
	var out []string
	for _, para := range strings.Split(description, "\n\n") {
		rest := para
		for rest != "" {
			found := ""
			for _, s := range allowed {
				if strings.HasPrefix(rest, s) && (len(rest) == len(s) || rest[len(s)] == ' ') && len(s) > len(found) {
					found = s
				}
			}
			if found == "" {
				return out, false
			}
			out = append(out, found)
			rest = strings.TrimPrefix(rest[len(found):], " ")
		}
	}
	return out, true
}

// TestSeedIsRealistic seeds four zones, one per region, and reads the
// complaints back through the officers' feed: streets of the region, the
// region's language most of the time, descriptions told with the sentences
// of the fact type in the complaint's language (the times of the facts in
// them, the yes/no detail told the right way), details in that language and
// consistent with the story.
func TestSeedIsRealistic(t *testing.T) {
	const n = 400
	zones := []struct {
		zone   string
		region region
		langs  []int // the region's own languages
	}{
		{"5275", regionWallonia, []int{langFR}},         // Ottignies-Louvain-la-Neuve
		{"5415", regionFlanders, []int{langNL}},         // Gent
		{"5291", regionGermanSpeaking, []int{langDE}},   // Eifel
		{"5339", regionBrussels, []int{langFR, langNL}}, // Bruxelles/Ixelles
	}
	srv := openPortal(t)
	loc := time.FixedZone("CET", 3600)
	for _, z := range zones {
		t.Run(z.zone, func(t *testing.T) {
			if _, err := Seed(context.Background(), srv, z.zone, n, 2026); err != nil {
				t.Fatal(err)
			}
			page := zoneFeed(t, srv, z.zone)
			if len(page.Items) != n {
				t.Fatalf("feed: %d items", len(page.Items))
			}
			var regional, long, post, homeInRegion, severalGoods int
			var parties partyCounts
			langSeen := map[int]int{}
			typeSeen := map[string]int{}
			for _, it := range page.Items {
				rec := it.Record
				lang := seedLang(t, rec.Language)
				langSeen[lang]++
				typeSeen[rec.FactType]++
				if slices.Contains(z.langs, lang) {
					regional++
				}
				if rec.Confirmation == complaint.ChannelPost {
					post++
				}
				where := rec.Reference + " (" + rec.FactType + ", " + rec.Language + ")"

				// Place: the zone's region, a street of its language.
				if reg, ok := regionOfPostalCode(rec.Facts.Place.PostalCode); !ok || reg != z.region {
					t.Errorf("%s: postal code %s is not in %v", where, rec.Facts.Place.PostalCode, z.region)
				}
				if !streetOf(z.region, lang, rec.Facts.Place.Street) {
					t.Errorf("%s: street %q is not a %v street in %s", where, rec.Facts.Place.Street, z.region, rec.Language)
				}
				home := rec.Complainant.Address
				homeRegion, ok := regionOfPostalCode(home.PostalCode)
				if !ok {
					t.Errorf("%s: home postal code %q", where, home.PostalCode)
				} else if !streetOf(homeRegion, lang, home.Street) {
					t.Errorf("%s: home street %q is not a %v street", where, home.Street, homeRegion)
				}
				if homeRegion == z.region {
					homeInRegion++
				}

				// Details and description.
				var d map[string]any
				if err := json.Unmarshal(rec.Details, &d); err != nil {
					t.Fatalf("%s: details %s: %v", where, rec.Details, err)
				}
				// The goods: the first is the one the story tells of.
				var goods []map[string]any
				if rec.FactType == "graffiti" {
					if len(rec.Goods) != 0 {
						t.Errorf("%s: goods %s", where, rec.Goods)
					}
				} else if err := json.Unmarshal(rec.Goods, &goods); err != nil || len(goods) == 0 {
					t.Fatalf("%s: goods %s: %v", where, rec.Goods, err)
				}
				switch rec.FactType {
				case "shoplifting":
					items := make([]any, len(goods))
					for i, g := range goods {
						items[i] = g
					}
					d["items"] = items
				case "bicycle_theft", "damage_private_property":
					for k, v := range goods[0] {
						d[k] = v
					}
				}
				if len(goods) > 1 && rec.FactType == "bicycle_theft" {
					severalGoods++
					for _, other := range goods[1:] {
						checkBicycle(t, where, lang, other)
					}
				}
				parties.count(t, where, rec)
				started, ended := rec.Facts.StartedAt.In(loc), rec.Facts.EndedAt.In(loc)
				fill := []string{"{start}", clock(lang, started), "{end}", clock(lang, ended)}
				story := seedNarratives()[rec.FactType][lang]
				openers := story.openers
				var flag bool
				switch rec.FactType {
				case "bicycle_theft":
					fill = append(fill, "{brand}", d["brand"].(string))
					flag = d["electric"].(bool)
					checkBicycle(t, where, lang, d)
				case "shoplifting":
					fill = append(fill, "{shop}", d["shop_name"].(string))
					if h := started.Hour(); h < 9 || h >= 19 || ended.Sub(started) > time.Hour {
						t.Errorf("%s: shop theft from %s to %s", where, started, ended)
					}
					flag = d["camera_footage"].(bool)
					checkShoplifting(t, where, lang, d)
				case "graffiti":
					fill = append(fill, "{area}", decimal(lang, d["area_m2"].(float64)))
					flag = d["owner_is_complainant"].(bool)
					if !slices.ContainsFunc(seedSurfaces, func(s inLangs) bool { return s[lang] == d["surface"] }) {
						t.Errorf("%s: surface %q", where, d["surface"])
					}
				case "damage_private_property":
					flag = d["suspect_known"].(bool)
					i := slices.IndexFunc(seedDamagedObjects, func(o damagedObject) bool { return o.name[lang] == d["object"] })
					if i < 0 {
						t.Errorf("%s: object %q", where, d["object"])
						continue
					}
					obj := seedDamagedObjects[i]
					openers = []string{obj.opener[lang]}
					if d["damage_description"] != obj.damage[lang] {
						t.Errorf("%s: damage %q for %q", where, d["damage_description"], d["object"])
					}
					if c, ok := d["estimated_cost_eur"].(float64); ok && (c < float64(obj.minEUR)-10 || c > float64(obj.maxEUR)+9) {
						t.Errorf("%s: cost %v for %q", where, c, d["object"])
					}
				default:
					t.Fatalf("%s: unknown fact type", where)
				}
				replacer := strings.NewReplacer(fill...)
				var core []string
				for _, s := range story.core {
					core = append(core, replacer.Replace(s))
				}
				flagSentence := story.flag[0]
				if flag {
					flagSentence = story.flag[1]
				}
				var allowedOpeners, allowedRest []string
				for _, s := range openers {
					allowedOpeners = append(allowedOpeners, replacer.Replace(s))
				}
				for _, s := range append(slices.Concat(story.core, story.body), flagSentence) {
					allowedRest = append(allowedRest, replacer.Replace(s))
				}
				desc := rec.Facts.Description
				sentences, ok := splitSentences(desc, append(slices.Clone(allowedOpeners), allowedRest...))
				if !ok || len(sentences) == 0 {
					t.Errorf("%s: description not told with its sentences (after %q): %q", where, sentences, desc)
					continue
				}
				if !slices.Contains(allowedOpeners, sentences[0]) {
					t.Errorf("%s: description opens with %q", where, sentences[0])
				}
				if len(sentences) <= len(core) || !slices.Equal(sentences[1:1+len(core)], core) {
					t.Errorf("%s: the core of the story %q is not told after the opener: %q", where, core, desc)
				}
				for i, s := range sentences[1:] {
					if !slices.Contains(allowedRest, s) {
						t.Errorf("%s: sentence %q out of place", where, s)
					}
					if s == sentences[i] {
						t.Errorf("%s: %q twice in a row", where, s)
					}
				}
				if c := utf8.RuneCountInString(desc); c > complaint.MaxDescriptionLen {
					t.Errorf("%s: description of %d characters", where, c)
				} else if c > 1000 {
					long++
				}
			}

			share := float64(regional) / n
			t.Logf("zone %s: languages %v (fr nl de en), regional %.2f, long %d, by post %d, home in region %d",
				z.zone, langSeen, share, long, post, homeInRegion)
			if share < 0.75 || share > 0.95 {
				t.Errorf("%.2f of complaints in the region's language", share)
			}
			if regional == n {
				t.Errorf("no complaint in another language")
			}
			if len(typeSeen) != 4 {
				t.Errorf("fact types %v", typeSeen)
			}
			if long < n/16 || long > n/5 {
				t.Errorf("%d long descriptions of %d", long, n)
			}
			if post < n/10 || post > n*3/10 {
				t.Errorf("%d complaints by post of %d", post, n)
			}
			if homeInRegion < n*6/10 {
				t.Errorf("only %d complainants of %d live in the region of the facts", homeInRegion, n)
			}
			t.Logf("zone %s: several bicycles %d, for a company %d of %d shop thefts, for a person %d, with witnesses %d, insured %d",
				z.zone, severalGoods, parties.company, typeSeen["shoplifting"], parties.person, parties.witnessed, parties.insured)
			if severalGoods == 0 || parties.company < typeSeen["shoplifting"]/2 || parties.person == 0 ||
				parties.witnessed < n/10 || parties.witnessed > n*3/10 || parties.insured < n/10 {
				t.Errorf("the seed shows too few of the parts of a record (see the counts above)")
			}
		})
	}
}

// streetOf reports whether street is one of reg's streets for a complaint
// in lang: in Brussels the name in French or Dutch as the complaint is
// written (either for German or English).
func streetOf(reg region, lang int, street string) bool {
	switch reg {
	case regionBrussels:
		return slices.ContainsFunc(streetsBrussels, func(p [2]string) bool {
			return lang != langNL && p[0] == street || lang != langFR && p[1] == street
		})
	case regionFlanders:
		return slices.Contains(streetsNL, street)
	case regionGermanSpeaking:
		return slices.Contains(streetsDE, street)
	}
	return slices.Contains(streetsFR, street)
}

func checkBicycle(t *testing.T, where string, lang int, d map[string]any) {
	t.Helper()
	i := slices.IndexFunc(seedBicycles, func(b bicycle) bool { return b.brand == d["brand"] && b.model == d["model"] })
	if i < 0 {
		t.Errorf("%s: bicycle %v %v", where, d["brand"], d["model"])
		return
	}
	bike := seedBicycles[i]
	if d["electric"] != bike.electric {
		t.Errorf("%s: %s %s electric=%v", where, bike.brand, bike.model, d["electric"])
	}
	if !slices.ContainsFunc(seedColours, func(c inLangs) bool { return c[lang] == d["colour"] }) {
		t.Errorf("%s: colour %q", where, d["colour"])
	}
	if v, ok := d["value_eur"].(float64); ok {
		lo, hi := 150.0, 3500.0
		if bike.electric {
			lo, hi = 1500, 7000
		}
		if v < lo || v > hi {
			t.Errorf("%s: %s %s worth %v", where, bike.brand, bike.model, v)
		}
	}
}

func checkShoplifting(t *testing.T, where string, lang int, d map[string]any) {
	t.Helper()
	i := slices.IndexFunc(seedShops, func(s shop) bool { return s.name == d["shop_name"] })
	if i < 0 {
		t.Errorf("%s: shop %q", where, d["shop_name"])
		return
	}
	kind := seedShops[i].kind
	items, _ := d["items"].([]any)
	if len(items) == 0 {
		t.Errorf("%s: no items", where)
	}
	for _, raw := range items {
		item := raw.(map[string]any)
		j := slices.IndexFunc(seedShopItems, func(it shopItem) bool { return it.name[lang] == item["description"] })
		if j < 0 {
			t.Errorf("%s: item %q", where, item["description"])
			continue
		}
		if seedShopItems[j].kinds&kind == 0 {
			t.Errorf("%s: %q stolen from %s", where, item["description"], d["shop_name"])
		}
	}
	if s, ok := d["suspect_description"].(string); ok && !slices.Contains(seedSuspects[lang], s) {
		t.Errorf("%s: suspect %q", where, s)
	}
}

// TestSeedGeneratorDeterministic: the same seed and clock give the same
// complaints, another seed others.
func TestSeedGeneratorDeterministic(t *testing.T) {
	rt := complaint.DefaultRouter()
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	gen := func(seed int64) []byte {
		g := newGenerator(seed, "5275", now, rt.Municipalities("5275"), rt.Municipalities(""))
		var buf bytes.Buffer
		for range 50 {
			b, err := json.Marshal(g.submission())
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
		}
		return buf.Bytes()
	}
	a, b, c := gen(7), gen(7), gen(8)
	if !bytes.Equal(a, b) {
		t.Error("same seed, different complaints")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds, same complaints")
	}
}

// BenchmarkSeedGenerator measures making one complaint, without validation
// or storage (BenchmarkSeed measures the whole seeding path).
func BenchmarkSeedGenerator(b *testing.B) {
	rt := complaint.DefaultRouter()
	g := newGenerator(1, "5339", time.Now(), rt.Municipalities("5339"), rt.Municipalities(""))
	for b.Loop() {
		if g.submission() == nil {
			b.Fatal("no submission")
		}
	}
}

func TestSeed(t *testing.T) {
	srv := openPortal(t)
	refs, err := Seed(context.Background(), srv, "5275", 300, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 300 {
		t.Fatalf("got %d refs", len(refs))
	}
	seen := map[string]bool{}
	for _, r := range refs {
		if seen[r] {
			t.Fatalf("duplicate ref %s", r)
		}
		seen[r] = true
	}
	if page := zoneFeed(t, srv, "5275"); len(page.Items) != 300 {
		t.Fatalf("the zone's feed has %d complaints, want 300", len(page.Items))
	}
}

// BenchmarkSeed measures the seeding path (generation, validation, group commit).
func BenchmarkSeed(b *testing.B) {
	s, err := portal.Open(filepath.Join(b.TempDir(), "p.db"), portal.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	if _, err := Seed(context.Background(), s, "5275", b.N, 1); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "complaints/s")
}

// partyCounts counts the complaints of a seed with each part a record may
// have, and checks each is consistent with the rest of the complaint.
type partyCounts struct{ company, person, witnessed, insured int }

func (c *partyCounts) count(t *testing.T, where string, rec *complaint.Record) {
	t.Helper()
	switch b := rec.OnBehalfOf; b.Kind {
	case complaint.BehalfCompany:
		c.company++
		var d struct {
			ShopName         string `json:"shop_name"`
			EnterpriseNumber string `json:"enterprise_number"`
		}
		json.Unmarshal(rec.Details, &d)
		if rec.FactType != "shoplifting" || b.Company.Name != d.ShopName ||
			d.EnterpriseNumber != "" && b.Company.EnterpriseNumber != d.EnterpriseNumber {
			t.Errorf("%s: filed for %+v, details %s", where, b.Company, rec.Details)
		}
	case complaint.BehalfPerson:
		c.person++
		if b.Person.LastName != rec.Complainant.LastName || !b.Person.Consent {
			t.Errorf("%s: filed for %+v", where, b.Person)
		}
	case "":
	default:
		t.Errorf("%s: on behalf of %q", where, b.Kind)
	}
	if len(rec.Witnesses) > 0 {
		c.witnessed++
	}
	if rec.Insurance.Company != "" {
		c.insured++
	}
}
