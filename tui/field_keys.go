package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"

	"guichet/complaint"
	"guichet/i18n"
)

// Each field of the detail has the same copy key for every complaint and
// every fact type: the national number is always n, the birth date always
// b. The letters are none of the program's bindings, in the queue or the
// detail (o sorts the queue; it copies nothing), so a key never means one
// thing here and another there. The fields of the fact type's details and
// goods take 1…9 in the order shown. A field whose key the officer rebound to
// something else, or a field without one, is copied with j/k and y.
var stableFieldKeys = []struct{ key, field string }{
	{"W", "fact_type"},
	{"E", "facts.started_at"},
	{"F", "facts.ended_at"},
	{"M", "facts.description"},
	{"S", "facts.place.street"},
	{"U", "facts.place.number"},
	{"z", "facts.place.postal_code"},
	{"m", "facts.place.municipality"},
	{"a", "complainant.last_name"},
	{"p", "complainant.first_name"},
	{"b", "complainant.birth_date"},
	{"n", keyNationalNumber},
	{"N", keyNationalNumberDigits},
	{"w", "complainant.address.street"},
	{"A", "complainant.address.number"},
	{"B", "complainant.address.box"},
	{"Z", "complainant.address.postal_code"},
	{"H", "complainant.address.municipality"},
	{"C", keyCountry},
	{"K", keyCountryCode},
	{"e", "complainant.email"},
	{"t", "complainant.phone"},
	{"Q", keyLanguage},
	{"i", "complainant.identification.id_card_number"},
	{"I", "complainant.identification.sis_card_number"},
	{"R", "reference"},
	{"J", "zone"},
	{"V", "received_at"},
	{"X", "pv_number"},
}

// boundKeys are the keys of every binding of the program, but the answers
// of a yes/no question (y, o, j, n: only there do they mean yes or no).
func boundKeys(k *KeyMap) map[string]bool {
	used := map[string]bool{}
	for _, b := range k.Bindings() {
		if b == &k.Yes || b == &k.No {
			continue
		}
		for _, s := range b.Keys() {
			used[s] = true
		}
	}
	return used
}

// fieldKeysFor gives each field its copy key (" " for none).
func fieldKeysFor(k *KeyMap, fs []field) []string {
	used := boundKeys(k)
	byField := map[string]string{}
	for _, s := range stableFieldKeys {
		if !used[s.key] {
			byField[s.field] = s.key
		}
	}
	out := make([]string, len(fs))
	digit := 0
	for i, f := range fs {
		out[i] = " "
		if s, ok := byField[f.Key]; ok {
			out[i] = s
			continue
		}
		if detailOrGood(f.Key) && digit < 9 {
			digit++
			out[i] = string(rune('0' + digit))
		}
	}
	return out
}

// detailOrGood reports whether key is a field of the fact type's details
// or of its goods list, which take 1…9 in the order shown.
func detailOrGood(key string) bool {
	return strings.HasPrefix(key, "details.") || key == complaint.GoodsKey || strings.HasPrefix(key, complaint.GoodsKey+"[")
}

// FieldKeysHelp lists the detail's copy keys with the field of each, in
// lang, for the `?` help of the detail.
func (k *KeyMap) FieldKeysHelp(lang string) []key.Binding {
	used := boundKeys(k)
	var out []key.Binding
	out = append(out, key.NewBinding(key.WithKeys("1"), key.WithHelp("1…9", i18n.For(lang).TUI.FieldKeys.Details)))
	for _, s := range stableFieldKeys {
		if used[s.key] {
			continue
		}
		out = append(out, key.NewBinding(key.WithKeys(s.key), key.WithHelp(s.key, fieldKeyLabel(lang, s.field))))
	}
	return out
}

func fieldKeyLabel(lang, field string) string {
	switch field {
	case keyNationalNumberDigits:
		return i18n.For(lang).TUI.Fields.Nndigits
	case keyCountryCode:
		return i18n.For(lang).TUI.Fields.Countrycode
	case keyLanguage:
		return i18n.For(lang).TUI.Fields.Language
	}
	return i18n.For(lang).Message("label." + field)
}

// DetailHelpWithFields is the detail's help with its copy keys, in two
// columns.
func (k *KeyMap) DetailHelpWithFields(lang string) help.KeyMap {
	h := k.DetailHelp().(helpKeys)
	fk := k.FieldKeysHelp(lang)
	half := (len(fk) + 1) / 2
	h.full = append(h.full, fk[:half], fk[half:])
	return h
}
