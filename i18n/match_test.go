package i18n

import (
	"slices"
	"testing"
)

func TestLanguages(t *testing.T) {
	got := Languages()
	if i := slices.Index(got, "eo"); i >= 0 { // the fake language of eo_test.go
		got = slices.Delete(got, i, i+1)
	}
	if want := []string{"fr", "nl", "de", "en", "es"}; !slices.Equal(got, want) {
		t.Errorf("Languages() = %v, want %v", got, want)
	}
	officer := slices.DeleteFunc(OfficerLanguages(), func(l string) bool { return l == "eo" })
	if want := []string{"fr", "nl", "de", "en"}; !slices.Equal(officer, want) {
		t.Errorf("OfficerLanguages() = %v, want %v", officer, want)
	}
}

func TestFromLocale(t *testing.T) {
	tests := []struct{ locale, want string }{
		{"nl_BE.UTF-8", "nl"}, {"de_DE", "de"}, {"fr_BE", "fr"}, {"fr", "fr"},
		{"de_DE@euro", "de"}, {"en_GB.UTF-8", "en"}, {"NL_be", "nl"}, {"de-AT", "de"},
		{"es_ES.UTF-8", "es"}, {"es_MX", "es"}, {"de_BE.UTF-8", "de"}, {"fr_CA", "fr"},
		{"C", ""}, {"POSIX", ""}, {"C.UTF-8", ""}, {"", ""}, {"frisian", ""},
		{"pt_PT", ""}, {"it_IT.UTF-8", ""}, {"ja_JP", ""},
	}
	for _, tt := range tests {
		if got := FromLocale(tt.locale); got != tt.want {
			t.Errorf("FromLocale(%q) = %q, want %q", tt.locale, got, tt.want)
		}
	}
}

func TestLocaleFromEnv(t *testing.T) {
	tests := []struct {
		env        map[string]string
		name, want string
	}{
		{map[string]string{"LANG": "nl_BE.UTF-8"}, "LANG", "nl"},
		{map[string]string{"LANG": "nl_BE.UTF-8", "LC_MESSAGES": "de_DE"}, "LC_MESSAGES", "de"},
		{map[string]string{"LANG": "nl_BE", "LC_MESSAGES": "de_DE", "LC_ALL": "fr_BE"}, "LC_ALL", "fr"},
		{map[string]string{"LC_ALL": "C", "LANG": "fr_BE"}, "LC_ALL", ""}, // LC_ALL decides, as in setlocale(3)
		{map[string]string{"LANG": "es_ES.UTF-8"}, "LANG", "es"},
		{nil, "", ""},
	}
	for _, tt := range tests {
		name, got := LocaleFromEnv(func(k string) string { return tt.env[k] })
		if name != tt.name || got != tt.want {
			t.Errorf("%v: %s %q, want %s %q", tt.env, name, got, tt.name, tt.want)
		}
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	tests := []struct{ header, want string }{
		{"nl-BE,nl;q=0.9,en;q=0.5", "nl"},
		{"de-AT", "de"},
		{"en-US,en;q=0.9", "en"},
		{"es-ES,es;q=0.9", "es"},
		{"pt-BR,es;q=0.5", "es"},
		{"ja,fr;q=0.2", "fr"},
		{"FR", "fr"},
		{"it", ""},
		{"", ""},
		{"*", ""},
		{"x;;;", ""},
	}
	for _, tt := range tests {
		if got := FromAcceptLanguage(tt.header); got != tt.want {
			t.Errorf("FromAcceptLanguage(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestPick(t *testing.T) {
	tests := []struct {
		cands []string
		want  string
	}{
		{[]string{"", "nl-BE,nl;q=0.9"}, "nl"},
		{[]string{"de", "fr-BE"}, "de"},
		{[]string{"it", "es"}, "es"},
		{[]string{"it"}, "en"},
		{nil, "en"},
	}
	for _, tt := range tests {
		if got := Pick(tt.cands...); got != tt.want {
			t.Errorf("Pick(%q) = %q, want %q", tt.cands, got, tt.want)
		}
	}
}
