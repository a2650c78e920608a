package i18n

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// messages lists every message of a catalog by path.
func messages(c *Catalog) map[string]leaf {
	m := map[string]leaf{}
	walk(reflect.ValueOf(c).Elem(), "", "", func(f leaf) { m[f.path] = f })
	return m
}

func raw(code string) *entry {
	mu.Lock()
	defer mu.Unlock()
	return entries[code]
}

// TestCatalogsComplete names every empty message with its language:
// citizen-facing groups must be complete in every language, officer groups
// in the languages registered as officer languages. English is the
// reference: a map key English has must exist in the others.
func TestCatalogsComplete(t *testing.T) {
	en := messages(raw("en").raw())
	for _, lang := range Languages() {
		e := raw(lang)
		got := messages(e.raw())
		var missing []string
		for path, ref := range en {
			if ref.optional || (ref.audience != "citizen" && !e.Officer) {
				continue
			}
			if f, ok := got[path]; !ok || f.v.String() == "" {
				missing = append(missing, path)
			}
		}
		slices.Sort(missing)
		for _, p := range missing {
			t.Errorf("%s: %s is empty", lang, p)
		}
		for path := range got {
			if _, ok := en[path]; !ok {
				t.Errorf("%s: %s is not in English, the reference", lang, path)
			}
		}
	}
}

// TestFallbackNeverEmpty: whatever a language lacks, For fills from
// English, so no message the workstation shows is ever empty — in Spanish
// (whose officer groups are English) as in the others.
func TestFallbackNeverEmpty(t *testing.T) {
	if len(OfficerLanguages()) == len(Languages()) {
		t.Fatal("every language is an officer language: the fallback is not exercised")
	}
	for _, lang := range Languages() {
		for path, f := range messages(For(lang)) {
			if f.v.String() == "" && !f.optional {
				t.Errorf("%s: %s is empty after the English fallback", lang, path)
			}
		}
	}
}

// TestSpanishOfficerFallsBackToEnglish: an officer message Spanish leaves
// empty reads as English; a citizen message is Spanish.
func TestSpanishOfficerFallsBackToEnglish(t *testing.T) {
	es, en := For("es"), For("en")
	if es.Portal.Officer.NotFound == "" || es.Complaint.Errors.Required == en.Complaint.Errors.Required {
		t.Errorf("es: not found %q, required %q", es.Portal.Officer.NotFound, es.Complaint.Errors.Required)
	}
	if For("xx") != en {
		t.Error("an unknown language is not English")
	}
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*[\d.]*[a-zA-Z%]`)

// TestFormatVerbs: each language's form of a message with arguments has
// exactly the verbs of the English one (go vet cannot see through a
// message table; this test does it for every message).
func TestFormatVerbs(t *testing.T) {
	en := messages(raw("en").raw())
	for _, lang := range Languages() {
		for path, f := range messages(raw(lang).raw()) {
			ref, ok := en[path]
			if !ok || f.v.String() == "" {
				continue
			}
			want, got := verbs(ref.v.String()), verbs(f.v.String())
			if !slices.Equal(want, got) {
				t.Errorf("%s: %s has verbs %v, English %v", lang, path, got, want)
			}
			if isFmt := f.v.Type() == reflect.TypeFor[Fmt](); !isFmt && len(want) > 0 && !strings.Contains(ref.v.String(), "%%") {
				t.Errorf("%s: %s has verbs %v but is not an Fmt", lang, path, want)
			}
		}
	}
}

func verbs(s string) []string {
	v := verb.FindAllString(s, -1)
	slices.Sort(v)
	return v
}

// TestCodesUnique: a code tag names one message.
func TestCodesUnique(t *testing.T) {
	seen := map[string]string{}
	walk(reflect.ValueOf(raw("en").raw()).Elem(), "", "", func(f leaf) {
		if f.code == "" {
			return
		}
		if p, dup := seen[f.code]; dup {
			t.Errorf("code %q names %s and %s", f.code, p, f.path)
		}
		seen[f.code] = f.path
	})
	if len(seen) == 0 {
		t.Fatal("no code tags")
	}
	c := For("fr")
	if s, ok := c.Code("required"); !ok || s != c.Complaint.Errors.Required {
		t.Errorf("Code(required) = %q, %v", s, ok)
	}
	if s := c.Message("no_such_code"); s != "no_such_code" {
		t.Errorf("Message(no_such_code) = %q", s)
	}
}
