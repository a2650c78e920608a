package tui

import (
	"strconv"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/i18n"
)

// Filter is the parsed `/` filter: `type:vélo status:handled,rejected
// age:<2d du:2026-11-01 au:2026-11-15 par:dupont` and free words (full-text
// search, accent-insensitive in the store, which finds names, places,
// descriptions, the reference, the PV number, the national number with or
// without separators, the birth date, the phone).
type Filter struct {
	Type      string             // fact type key (the last type: wins)
	Statuses  []complaint.Status // any of these, on top of the tab
	Newer     time.Duration      // age:<2d → received less than 2 days ago
	Older     time.Duration      // age:>7d → received more than 7 days ago
	FactsFrom time.Time          // du:2026-11-01 → facts on or after that day
	FactsTo   time.Time          // au:2026-11-15 → facts on or before that day
	Holder    string             // par:dupont → held by an officer so named
	Words     []string           // free words, for full-text search
}

// Empty reports whether the filter selects everything.
func (f Filter) Empty() bool {
	return f.Type == "" && len(f.Statuses) == 0 && f.Newer == 0 && f.Older == 0 &&
		f.FactsFrom.IsZero() && f.FactsTo.IsZero() && f.Holder == "" && len(f.Words) == 0
}

// Search is the free words joined for the store's full-text search.
func (f Filter) Search() string { return strings.Join(f.Words, " ") }

// FilterError says which term of a filter is not understood; the message
// key is translated by the caller.
type FilterError struct {
	Term string
	Key  string // the code of its message ("filter.badtype")
}

func (e *FilterError) Error() string { return e.Key + ": " + e.Term }

// filterName is the filter term a name stands for ("" for none): the names
// in English, French, Dutch and German, so a term reads the same whatever
// the officer's language. A switch, not a map: nothing built at every
// start of guichet.
func filterName(name string) string {
	switch strings.ToLower(name) {
	case "type", "t", "typ", "soort", "art":
		return "type"
	case "status", "s", "statut", "etat", "état":
		return "status"
	case "age", "a", "âge", "leeftijd", "alter":
		return "age"
	case "du", "from", "van", "von", "depuis":
		return "from"
	case "au", "to", "tot", "bis", "jusque":
		return "to"
	case "par", "by", "door", "agent", "officer", "beamter":
		return "holder"
	}
	return ""
}

// maxFactsRange is the longest facts-date range a filter may ask.
const maxFactsRange = 366 * 24 * time.Hour

// ParseFilter reads the filter syntax. A fact type may be given by key, by
// (a prefix of) its label or of a word of it in any language, or by a usual
// word for it (bike, fiets, Fahrrad, étalage…); a status by key, by its word
// in lang, or as a comma-separated list ("done" for every closed status);
// dates as 2026-11-01, 01/11/2026 or 01.11.2026. Unknown terms are errors,
// so a typo is shown, never guessed at.
func ParseFilter(s, lang string) (Filter, error) {
	var f Filter
	for _, term := range strings.Fields(s) {
		name, val, ok := strings.Cut(term, ":")
		if !ok || val == "" {
			if ok { // "type:" while typing: not yet a term
				continue
			}
			f.Words = append(f.Words, term)
			continue
		}
		switch filterName(name) {
		case "type":
			key, ok := matchFactType(val)
			if !ok {
				return f, &FilterError{Term: term, Key: "filter.badtype"}
			}
			f.Type = key
		case "status":
			for _, part := range strings.Split(val, ",") {
				if part == "" {
					continue
				}
				sts, ok := matchStatus(part, lang)
				if !ok {
					return f, &FilterError{Term: term, Key: "filter.badstatus"}
				}
				f.Statuses = append(f.Statuses, sts...)
			}
		case "age":
			if len(val) < 2 || (val[0] != '<' && val[0] != '>') {
				return f, &FilterError{Term: term, Key: "filter.badage"}
			}
			d, ok := parseAge(val[1:])
			if !ok {
				return f, &FilterError{Term: term, Key: "filter.badage"}
			}
			if val[0] == '<' {
				f.Newer = d
			} else {
				f.Older = d
			}
		case "from", "to":
			d, ok := parseDay(val)
			if !ok {
				return f, &FilterError{Term: term, Key: "filter.baddate"}
			}
			if filterName(name) == "from" {
				f.FactsFrom = d
			} else {
				f.FactsTo = d
			}
		case "holder":
			f.Holder = val
		default:
			// "12:30" or a URL-ish word: treat as words, not as an error.
			f.Words = append(f.Words, term)
		}
	}
	if !f.FactsFrom.IsZero() && !f.FactsTo.IsZero() {
		if f.FactsTo.Before(f.FactsFrom) {
			return f, &FilterError{Term: f.FactsFrom.Format("2006-01-02") + " > " + f.FactsTo.Format("2006-01-02"), Key: "filter.badrange"}
		}
		if f.FactsTo.Sub(f.FactsFrom) >= maxFactsRange {
			return f, &FilterError{Term: f.FactsFrom.Format("2006-01-02") + " … " + f.FactsTo.Format("2006-01-02"), Key: "filter.longrange"}
		}
	}
	return f, nil
}

// factTypeWords are usual words for the fact types, in the four languages
// and English, beside the words of their labels. An array, not a map:
// static data, nothing built at every start of guichet.
var factTypeWords = [...]struct {
	key   string
	words []string
}{
	{"bicycle_theft", []string{"bike", "bicycle", "velo", "fiets", "fahrrad", "rad", "cycle"}},
	{"shoplifting", []string{"shop", "etalage", "magasin", "winkel", "laden", "ladendieb"}},
	{"graffiti", []string{"tag", "tags", "graff"}},
	{"damage_private_property", []string{"damage", "degradation", "degat", "degats", "vandalisme", "vandalism", "schade", "beschadiging", "sachbeschadigung", "beschadigung"}},
}

// usualWords are factTypeWords of fact type key.
func usualWords(key string) []string {
	for _, w := range factTypeWords {
		if w.key == key {
			return w.words
		}
	}
	return nil
}

// matchFactType finds the one fact type v names: its key, a prefix of its
// label or of a word of its label in any language, or a prefix of one of
// its usual words. Several types: none (the term is ambiguous).
func matchFactType(v string) (string, bool) {
	v = complaint.NormalizePlaceName(v)
	if v == "" {
		return "", false
	}
	var found []string
	for _, ft := range complaint.Catalog() {
		if complaint.NormalizePlaceName(ft.Key) == v {
			return ft.Key, true
		}
		words := usualWords(ft.Key)
		for _, lbl := range ft.Labels {
			n := complaint.NormalizePlaceName(lbl)
			words = append(words, n)
			words = append(words, strings.FieldsFunc(n, func(r rune) bool { return r == ' ' || r == '\'' || r == '-' || r == '’' })...)
		}
		for _, w := range words {
			if strings.HasPrefix(complaint.NormalizePlaceName(w), v) {
				found = append(found, ft.Key)
				break
			}
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return "", false
}

// matchStatus reads one status: its key, its word in lang or in any
// language, or "done" (every closed status, as in `guichet list`).
func matchStatus(v, lang string) ([]complaint.Status, bool) {
	v = strings.ToLower(v)
	if v == "done" || strings.EqualFold(i18n.For(lang).TUI.Tabs[3], v) {
		return complaint.FinalStatuses(), true
	}
	for _, st := range complaint.Statuses {
		if string(st) == v || strings.EqualFold(coded(lang, "status."+string(st)), v) {
			return []complaint.Status{st}, true
		}
	}
	for _, l := range i18n.Languages() {
		for _, st := range complaint.Statuses {
			if strings.EqualFold(coded(l, "status."+string(st)), v) {
				return []complaint.Status{st}, true
			}
		}
	}
	return nil, false
}

// parseDay reads a calendar day: 2026-11-01, 01/11/2026, 01.11.2026 (one
// digit for day and month allowed), as midnight UTC of that day.
func parseDay(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2/1/2006", "2.1.2006", "02/01/2006", "02.01.2006"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 2000 && t.Year() < 2100 {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseAge reads 30m, 12h, 2d, 3w.
func parseAge(s string) (time.Duration, bool) {
	if len(s) < 2 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 10000 {
		return 0, false
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	u, ok := unit[s[len(s)-1]]
	if !ok {
		return 0, false
	}
	return time.Duration(n) * u, true
}
