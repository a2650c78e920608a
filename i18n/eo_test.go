package i18n

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Adding a language is adding one file: this test file registers
// Esperanto the way fr.go registers French, and nothing else in the
// package or its callers changes. Its messages are English marked "[eo]"
// (a real language file is a literal; the mechanism is the same).
func init() {
	register(Language{Code: "eo", Name: "Esperanto", Rank: 99, Officer: true}, eo)
}

func eo() *Catalog {
	c := new(Catalog)
	*c = *enCatalog()
	mark(reflect.ValueOf(c).Elem())
	return c
}

func mark(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" && v.CanSet() {
			v.SetString("[eo] " + s)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && v.Type().Field(i).Name != "Formats" {
				mark(v.Field(i))
			}
		}
	case reflect.Map:
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), reflect.ValueOf("[eo] "+it.Value().String()))
		}
		v.Set(m)
	}
}

func TestAddLanguageIsOneFile(t *testing.T) {
	if !slices.Contains(Languages(), "eo") || !slices.Contains(OfficerLanguages(), "eo") || !Supported("eo") {
		t.Fatalf("eo not listed: %v", Languages())
	}
	if got := FromLocale("eo.UTF-8"); got != "eo" {
		t.Errorf("locale eo.UTF-8 = %q", got)
	}
	if got := FromAcceptLanguage("eo,en;q=0.5"); got != "eo" {
		t.Errorf("Accept-Language eo = %q", got)
	}
	c := For("eo")
	if !strings.HasPrefix(c.Complaint.Errors.Required, "[eo] ") || !strings.HasPrefix(c.Message("required"), "[eo] ") {
		t.Errorf("eo message = %q", c.Complaint.Errors.Required)
	}
	// Complete: TestCatalogsComplete walks eo like the others; check
	// here that it did see it.
	if len(messages(raw("eo").raw())) != len(messages(raw("en").raw())) {
		t.Error("eo has not every message")
	}
}
