package main

import (
	"regexp"
	"sort"
	"strings"
	"testing"
)

var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*[a-zA-Z%]`)

// TestMessagesComplete fails when a message lacks a language or when the
// translations do not take the same arguments in the same order.
func TestMessagesComplete(t *testing.T) {
	for key, m := range messages {
		for _, lang := range languages {
			s, ok := m[lang]
			if !ok || strings.TrimSpace(s) == "" {
				t.Errorf("message %q has no %s text", key, lang)
				continue
			}
			if got, want := verb.FindAllString(s, -1), verb.FindAllString(m["en"], -1); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("message %q in %s takes %v, English takes %v", key, lang, got, want)
			}
		}
		if len(m) != len(languages) {
			t.Errorf("message %q has %d languages, want %d", key, len(m), len(languages))
		}
	}
}

// TestMessageKeysUsed fails when the code asks for a key the table lacks.
func TestMessageKeysUsed(t *testing.T) {
	used := map[string]bool{}
	re := regexp.MustCompile(`(?:\.t|\.say|\.warn|\.fail|msg\(lang,|msg\(a\.cfg\.Lang,)\(?"([a-z_0-9]+)"[,)]`)
	for _, src := range sourceFiles(t) {
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			used[m[1]] = true
		}
	}
	var missing []string
	for k := range used {
		if _, ok := messages[k]; !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("keys used but not in the table: %v", missing)
	}
	if len(used) < 20 {
		t.Fatalf("found only %d used keys: the scan is broken", len(used))
	}
}

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
