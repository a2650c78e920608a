package complaint

import (
	"sort"
	"strings"
	"sync"
)

// ZoneMatch is one zone a search found, with what matched when it was not
// the zone's own code or name ("1050 Ixelles", "Anvers → Antwerpen").
type ZoneMatch struct {
	Zone Zone
	Via  string
}

// Match ranks, best first.
const (
	rankCode = iota
	rankPostal
	rankExact
	rankPrefix
	rankContains
	rankNone
)

// otherNames are the usual names of Belgian municipalities in the other
// national languages and in English, by the normalized name the zone
// table uses. The table gives bilingual names for Brussels only; an
// officer in Liège types "Anvers", one in Leuven types "Luik". Built with
// the zone search's index, not at every start.
var otherNames = sync.OnceValue(func() map[string][]string {
	return map[string][]string{
		"antwerpen":   {"Anvers", "Antwerp"},
		"gent":        {"Gand", "Ghent"},
		"leuven":      {"Louvain", "Löwen"},
		"liege":       {"Luik", "Lüttich"},
		"bruxelles":   {"Brussels", "Brüssel"},
		"brussel":     {"Brussels", "Brüssel"},
		"mechelen":    {"Malines", "Mecheln"},
		"brugge":      {"Bruges"},
		"kortrijk":    {"Courtrai"},
		"oostende":    {"Ostende", "Ostend"},
		"namur":       {"Namen"},
		"mons":        {"Bergen"},
		"tournai":     {"Doornik"},
		"nivelles":    {"Nijvel"},
		"aalst":       {"Alost"},
		"ieper":       {"Ypres"},
		"tongeren":    {"Tongres"},
		"stniklaas":   {"Saint-Nicolas"},
		"dendermonde": {"Termonde"},
		"oudenaarde":  {"Audenarde"},
		"ronse":       {"Renaix"},
		"huy":         {"Hoei"},
		"waremme":     {"Borgworm"},
		"wavre":       {"Waver"},
		"jodoigne":    {"Geldenaken"},
		"tienen":      {"Tirlemont"},
		"halle":       {"Hal"},
		"vilvoorde":   {"Vilvorde"},
		"arlon":       {"Aarlen"},
		"bastogne":    {"Bastenaken"},
		"soignies":    {"Zinnik"},
		"ath":         {"Aat"},
		"lessines":    {"Lessen"},
		"enghien":     {"Edingen"},
		"mouscron":    {"Moeskroen"},
		"comines":     {"Komen"},
	}
})

// zoneSearchName is one name a zone can be found by.
type zoneSearchName struct {
	norm string // NormalizePlaceName
	show string // what the officer sees as the reason of the match
}

// zoneSearchIndex is, per zone (index in Router.zones), every name and
// postal code it can be found by.
type zoneSearchIndex struct {
	names   [][]zoneSearchName
	postals []map[string]string // postal code → municipality name
}

func (r *Router) searchIndex() *zoneSearchIndex {
	r.searchOnce.Do(func() {
		ix := &zoneSearchIndex{names: make([][]zoneSearchName, len(r.zones)), postals: make([]map[string]string, len(r.zones))}
		for zi, z := range r.zones {
			ix.names[zi] = append(ix.names[zi], zoneSearchName{norm: NormalizePlaceName(z.Name)})
			for _, part := range strings.Split(z.Name, "/") {
				for _, p := range strings.Split(part, " - ") {
					ix.names[zi] = append(ix.names[zi], zoneSearchName{norm: NormalizePlaceName(p)})
				}
			}
			ix.postals[zi] = map[string]string{}
			for _, mi := range r.zoneMunis[zi] {
				m := r.munis[mi]
				for _, part := range strings.Split(m.Name, "/") {
					part = strings.TrimSpace(part)
					n := NormalizePlaceName(part)
					ix.names[zi] = append(ix.names[zi], zoneSearchName{norm: n, show: part})
					for _, other := range otherNames()[n] {
						ix.names[zi] = append(ix.names[zi], zoneSearchName{norm: NormalizePlaceName(other), show: other + " → " + part})
					}
				}
				for _, loc := range m.Localities {
					ix.names[zi] = append(ix.names[zi], zoneSearchName{norm: NormalizePlaceName(loc), show: loc})
				}
				for _, pc := range m.PostalCodes {
					if _, ok := ix.postals[zi][pc]; !ok {
						ix.postals[zi][pc] = m.Name
					}
				}
			}
		}
		r.search = ix
	})
	return r.search
}

// SearchZones finds the zones a search names: by code, by name, by any
// municipality or locality in the zone, by any postal code in it, and by
// the usual names of a municipality in the other languages (Anvers and
// Antwerp find Antwerpen, Luik finds Liège). Best matches first: code,
// postal code, exact name, name prefix, name contains; then by code. An
// empty search finds nothing.
func (r *Router) SearchZones(q string) []ZoneMatch {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil
	}
	nq := NormalizePlaceName(q)
	digits := isDigits(q, len(q))
	ix := r.searchIndex()
	type hit struct {
		zi, rank int
		via      string
	}
	var hits []hit
	for zi, z := range r.zones {
		best, via := rankNone, ""
		note := func(rank int, why string) {
			if rank < best {
				best, via = rank, why
			}
		}
		switch {
		case strings.EqualFold(z.Code, q):
			note(rankCode, "")
		case strings.HasPrefix(strings.ToLower(z.Code), strings.ToLower(q)):
			note(rankPrefix, "")
		}
		if digits {
			if muni, ok := ix.postals[zi][q]; ok {
				note(rankPostal, q+" "+muni)
			} else if len(q) >= 2 {
				for pc, muni := range ix.postals[zi] {
					if strings.HasPrefix(pc, q) {
						note(rankPrefix, pc+" "+muni)
					}
				}
			}
		}
		if nq != "" {
			for _, n := range ix.names[zi] {
				switch {
				case n.norm == nq:
					note(rankExact, n.show)
				case strings.HasPrefix(n.norm, nq):
					note(rankPrefix, n.show)
				case len(nq) >= 3 && strings.Contains(n.norm, nq):
					note(rankContains, n.show)
				}
			}
		}
		if best < rankNone {
			hits = append(hits, hit{zi, best, via})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].rank < hits[j].rank })
	out := make([]ZoneMatch, len(hits))
	for i, h := range hits {
		out[i] = ZoneMatch{Zone: r.zones[h.zi], Via: h.via}
	}
	return out
}
