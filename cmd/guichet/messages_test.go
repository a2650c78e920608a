package main

import (
	"strings"
	"testing"
)

func TestResolveLang(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"", nil, "en"},
		{"nl", map[string]string{"GUICHET_LANG": "de"}, "nl"},
		{"", map[string]string{"GUICHET_LANG": "de", "LANG": "fr_BE.UTF-8"}, "de"},
		{"", map[string]string{"LANG": "fr_BE.UTF-8"}, "fr"},
		{"", map[string]string{"LC_ALL": "nl_BE", "LANG": "fr_BE.UTF-8"}, "nl"},
		{"", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"", map[string]string{"LC_ALL": "C", "LANG": "fr_BE.UTF-8"}, "en"}, // LC_ALL decides, as in setlocale(3)
		{"", map[string]string{"LANG": "es_ES.UTF-8"}, "es"},
		{"xx", map[string]string{"LANG": "french"}, "en"},
		{"DE", nil, "de"},
	}
	for _, tt := range tests {
		got := resolveLang(tt.flag, func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("resolveLang(%q, %v) = %s, want %s", tt.flag, tt.env, got, tt.want)
		}
	}
}

func TestConfigNeverShowsToken(t *testing.T) {
	c := Config{Server: "https://p.example.be", Token: "s3cr3t-token"}
	for _, s := range []string{c.String(), c.GoString()} {
		if strings.Contains(s, "s3cr3t") {
			t.Fatalf("token printed: %s", s)
		}
	}
}

func TestEscapeUnsafeJSON(t *testing.T) {
	in := []byte("\"a\u202Eb\u0085c\x7fd\u200Be\U000E0001f é 😀\"")
	want := `"a\u202eb\u0085c\u007fd\u200be\udb40\udc01f é 😀"`
	if got := string(escapeUnsafeJSON(in)); got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}
