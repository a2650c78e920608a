package tui

import (
	"strconv"
	"strings"
	"time"

	"guichet/complaint"
)

// Filter is the parsed `/` filter: `type:bicycle_theft status:new age:<2d`
// and free words (full-text search, accent-insensitive in the store).
type Filter struct {
	Type     string             // fact type key (the last type: wins)
	Statuses []complaint.Status // on top of the tab
	Newer    time.Duration      // age:<2d → received less than 2 days ago
	Older    time.Duration      // age:>7d → received more than 7 days ago
	Words    []string           // free words, for full-text search
}

// Empty reports whether the filter selects everything.
func (f Filter) Empty() bool {
	return f.Type == "" && len(f.Statuses) == 0 && f.Newer == 0 && f.Older == 0 && len(f.Words) == 0
}

// Search is the free words joined for the store's full-text search.
func (f Filter) Search() string { return strings.Join(f.Words, " ") }

// FilterError says which term of a filter is not understood; the message
// key is translated by the caller.
type FilterError struct {
	Term string
	Key  string // i18n key
}

func (e *FilterError) Error() string { return e.Key + ": " + e.Term }

// ParseFilter reads the filter syntax. A fact type may be given by key or by
// (a prefix of) its label in any language; a status by key or by its word
// in lang. Unknown terms are errors, so a typo is shown, never guessed at.
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
		switch strings.ToLower(name) {
		case "type", "t":
			key, ok := matchFactType(val)
			if !ok {
				return f, &FilterError{Term: term, Key: "filter.badtype"}
			}
			f.Type = key
		case "status", "s":
			st, ok := matchStatus(val, lang)
			if !ok {
				return f, &FilterError{Term: term, Key: "filter.badstatus"}
			}
			f.Statuses = append(f.Statuses, st)
		case "age", "a":
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
		default:
			// "12:30" or a URL-ish word: treat as words, not as an error.
			f.Words = append(f.Words, term)
		}
	}
	return f, nil
}

func matchFactType(v string) (string, bool) {
	v = complaint.NormalizePlaceName(v)
	var found []string
	for _, ft := range complaint.Catalog() {
		if complaint.NormalizePlaceName(ft.Key) == v {
			return ft.Key, true
		}
		for _, lbl := range ft.Labels {
			if strings.HasPrefix(complaint.NormalizePlaceName(lbl), v) {
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

func matchStatus(v, lang string) (complaint.Status, bool) {
	v = strings.ToLower(v)
	for _, st := range complaint.Statuses {
		if string(st) == v || strings.EqualFold(tr(lang, "status."+string(st)), v) {
			return st, true
		}
	}
	return "", false
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
