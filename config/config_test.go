package config

import (
	"bytes"
	"errors"
	"flag"
	"guichet/i18n"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// envMap is an environment for Load.
func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeConfig makes $dir/guichet/config with body and returns dir (to use
// as XDG_CONFIG_HOME).
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "guichet"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "guichet", "config"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDefaultsWithoutFile(t *testing.T) {
	c, err := Load(envMap(map[string]string{"XDG_CONFIG_HOME": t.TempDir()}), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Found {
		t.Error("Found for a missing file")
	}
	want := map[string]any{
		"lang": "en", "theme": "default", "sync": 30 * time.Second, "clip": 30 * time.Second,
		"idle": 15 * time.Minute, "retention": 30, "accessible": false,
	}
	got := map[string]any{
		"lang": c.Lang, "theme": c.Theme, "sync": c.SyncInterval, "clip": c.ClipboardClear,
		"idle": c.IdleLock, "retention": c.RetentionDays, "accessible": c.Accessible,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults = %v, want %v", got, want)
	}
	for _, k := range keyNames {
		if o := c.Origin(k); o.Source != SourceDefault {
			t.Errorf("%s from %v, want default", k, o.Source)
		}
	}
}

func TestPrecedence(t *testing.T) {
	file := "server = https://file.example\nzone = 1111\nlang = de\ntheme = high-contrast\n" +
		"sync_interval = 1m\nclipboard_clear = 10s\nidle_lock = 20m\naccessible = no\nretention_days = 10\n"
	tests := []struct {
		name   string
		env    map[string]string
		flags  map[string]string
		key    string
		get    func(Config) any
		want   any
		source Source
		line   int
		by     string
	}{
		{"file beats default", nil, nil, "sync_interval", func(c Config) any { return c.SyncInterval }, time.Minute, SourceFile, 5, ""},
		{"env beats file", map[string]string{"GUICHET_SYNC_INTERVAL": "2m"}, nil, "sync_interval", func(c Config) any { return c.SyncInterval }, 2 * time.Minute, SourceEnv, 0, "GUICHET_SYNC_INTERVAL"},
		{"flag beats env", map[string]string{"GUICHET_SYNC_INTERVAL": "2m"}, map[string]string{"sync_interval": "3m"}, "sync_interval", func(c Config) any { return c.SyncInterval }, 3 * time.Minute, SourceFlag, 0, "--sync_interval"},
		{"server env", map[string]string{"GUICHET_SERVER": "https://env.example/"}, nil, "server", func(c Config) any { return c.Server }, "https://env.example", SourceEnv, 0, "GUICHET_SERVER"},
		{"server flag", map[string]string{"GUICHET_SERVER": "https://env.example"}, map[string]string{"server": "https://flag.example"}, "server", func(c Config) any { return c.Server }, "https://flag.example", SourceFlag, 0, "--server"},
		{"zone file", nil, nil, "zone", func(c Config) any { return c.Zone }, "1111", SourceFile, 2, ""},
		{"lang GUICHET_LANG beats file", map[string]string{"GUICHET_LANG": "nl"}, nil, "lang", func(c Config) any { return c.Lang }, "nl", SourceEnv, 0, "GUICHET_LANG"},
		{"lang file beats LANG", map[string]string{"LANG": "fr_BE.UTF-8"}, nil, "lang", func(c Config) any { return c.Lang }, "de", SourceFile, 3, ""},
		{"lang flag beats all", map[string]string{"GUICHET_LANG": "nl"}, map[string]string{"lang": "fr"}, "lang", func(c Config) any { return c.Lang }, "fr", SourceFlag, 0, "--lang"},
		{"NO_COLOR beats file", map[string]string{"NO_COLOR": "1"}, nil, "theme", func(c Config) any { return c.Theme }, "no-colour", SourceEnv, 0, "NO_COLOR"},
		{"GUICHET_THEME beats NO_COLOR", map[string]string{"NO_COLOR": "1", "GUICHET_THEME": "default"}, nil, "theme", func(c Config) any { return c.Theme }, "default", SourceEnv, 0, "GUICHET_THEME"},
		{"theme flag", map[string]string{"NO_COLOR": "1"}, map[string]string{"theme": "no-color"}, "theme", func(c Config) any { return c.Theme }, "no-colour", SourceFlag, 0, "--theme"},
		{"ACCESSIBLE=1 beats file", map[string]string{"ACCESSIBLE": "1"}, nil, "accessible", func(c Config) any { return c.Accessible }, true, SourceEnv, 0, "ACCESSIBLE"},
		{"GUICHET_ACCESSIBLE beats ACCESSIBLE", map[string]string{"ACCESSIBLE": "1", "GUICHET_ACCESSIBLE": "0"}, nil, "accessible", func(c Config) any { return c.Accessible }, false, SourceEnv, 0, "GUICHET_ACCESSIBLE"},
		{"accessible flag", map[string]string{"ACCESSIBLE": "0"}, map[string]string{"accessible": "true"}, "accessible", func(c Config) any { return c.Accessible }, true, SourceFlag, 0, "--accessible"},
		{"token env", map[string]string{"GUICHET_TOKEN": "tok-env"}, nil, "token", func(c Config) any { return c.Token }, "tok-env", SourceEnv, 0, "GUICHET_TOKEN"},
		{"token flag beats env", map[string]string{"GUICHET_TOKEN": "tok-env"}, map[string]string{"token": "tok-flag"}, "token", func(c Config) any { return c.Token }, "tok-flag", SourceFlag, 0, "--token"},
		{"db env", map[string]string{"GUICHET_DB": "/tmp/x.db"}, nil, "db", func(c Config) any { return c.DB }, "/tmp/x.db", SourceEnv, 0, "GUICHET_DB"},
		{"idle file", nil, nil, "idle_lock", func(c Config) any { return c.IdleLock }, 20 * time.Minute, SourceFile, 7, ""},
		{"retention flag", nil, map[string]string{"retention_days": "7"}, "retention_days", func(c Config) any { return c.RetentionDays }, 7, SourceFlag, 0, "--retention_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"XDG_CONFIG_HOME": writeConfig(t, file)}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := Load(envMap(env), tt.flags)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.get(c); got != tt.want {
				t.Errorf("value = %v, want %v", got, tt.want)
			}
			o := c.Origin(tt.key)
			if o.Source != tt.source || o.Line != tt.line || o.Name != tt.by {
				t.Errorf("origin = %+v, want %v line %d %q", o, tt.source, tt.line, tt.by)
			}
		})
	}
}

// TestCopyFormat: copy_format.date and copy_format.amount from the file,
// the environment overriding the file, defaults iso and plain.
func TestCopyFormat(t *testing.T) {
	c, err := Load(envMap(nil), nil)
	if err != nil || c.CopyFormat != (CopyFormat{Date: CopyISO, Amount: CopyPlain}) {
		t.Fatalf("defaults: %+v, %v", c.CopyFormat, err)
	}
	dir := writeConfig(t, "copy_format.date = Display\ncopy_format.amount = display\n")
	c, err = Load(envMap(map[string]string{"XDG_CONFIG_HOME": dir}), nil)
	if err != nil || c.CopyFormat != (CopyFormat{Date: CopyDisplay, Amount: CopyDisplay}) {
		t.Fatalf("file: %+v, %v", c.CopyFormat, err)
	}
	if o := c.Origin("copy_format.date"); o.Source != SourceFile || o.Line != 1 {
		t.Fatalf("origin %+v", o)
	}
	c, err = Load(envMap(map[string]string{"XDG_CONFIG_HOME": dir, "GUICHET_COPY_FORMAT_DATE": "iso"}), nil)
	if err != nil || c.CopyFormat.Date != CopyISO || c.Origin("copy_format.date").Name != "GUICHET_COPY_FORMAT_DATE" {
		t.Fatalf("env: %+v, %v, %+v", c.CopyFormat, err, c.Origin("copy_format.date"))
	}
}

func TestLangFromLocaleVariables(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
		by   string
	}{
		{"LANG only", map[string]string{"LANG": "nl_BE.UTF-8"}, "nl", "LANG"},
		{"LC_MESSAGES beats LANG", map[string]string{"LANG": "nl_BE.UTF-8", "LC_MESSAGES": "de_DE"}, "de", "LC_MESSAGES"},
		{"LC_ALL beats both", map[string]string{"LANG": "nl_BE", "LC_MESSAGES": "de_DE", "LC_ALL": "fr_BE"}, "fr", "LC_ALL"},
		{"Spanish locale", map[string]string{"LANG": "es_ES.UTF-8"}, "es", "LANG"},
		{"unsupported locale gives English by default", map[string]string{"LANG": "it_IT.UTF-8"}, "en", ""},
		{"C locale", map[string]string{"LC_ALL": "C", "LANG": "fr_BE"}, "en", ""},
		{"nothing", nil, "en", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := Load(envMap(env), nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.Lang != tt.want || c.Origin("lang").Name != tt.by {
				t.Errorf("lang = %q from %+v, want %q from %q", c.Lang, c.Origin("lang"), tt.want, tt.by)
			}
		})
	}
}

func TestBadFileLines(t *testing.T) {
	tests := []struct {
		name string
		body string
		line int
		key  string
		code string
	}{
		{"unknown key", "zone = 5275\ncolour = red\n", 2, "colour", ErrUnknownKey},
		{"no equals", "# c\n\nserver https://x.example\n", 3, "", ErrNoEquals},
		{"section", "[main]\n", 1, "", ErrSection},
		{"duplicate", "zone = 5275\nzone = 5276\n", 2, "zone", ErrDuplicateKey},
		{"empty value", "zone =\n", 1, "zone", ErrEmptyValue},
		{"bad server scheme", "server = ftp://x.example\n", 1, "server", ErrBadServer},
		{"server with credentials", "server = https://u:p@x.example\n", 1, "server", ErrBadServer},
		{"plain http to another host", "server = http://x.example\n", 1, "server", ErrInsecureServer},
		{"bad zone", "zone = 52a5\n", 1, "zone", ErrBadZone},
		{"bad lang", "lang = it\n", 1, "lang", ErrBadLang},
		{"bad theme", "theme = pink\n", 1, "theme", ErrBadTheme},
		{"bad date copy format", "copy_format.date = plain\n", 1, "copy_format.date", ErrBadCopyFormat},
		{"bad amount copy format", "copy_format.amount = iso\n", 1, "copy_format.amount", ErrBadCopyFormat},
		{"unknown copy format field", "copy_format.colour = display\n", 1, "copy_format.colour", ErrUnknownKey},
		{"bad duration", "sync_interval = 10 minutes\n", 1, "sync_interval", ErrBadDuration},
		{"sync too short", "sync_interval = 9s\n", 1, "sync_interval", ErrTooShort},
		{"clipboard too short", "clipboard_clear = 4s\n", 1, "clipboard_clear", ErrTooShort},
		{"idle over CJIS", "idle_lock = 31m\n", 1, "idle_lock", ErrTooLong},
		{"idle zero", "idle_lock = 0s\n", 1, "idle_lock", ErrTooShort},
		{"bad bool", "accessible = maybe\n", 1, "accessible", ErrBadBool},
		{"bad int", "retention_days = 3.5\n", 1, "retention_days", ErrBadInt},
		{"retention out of range", "retention_days = 0\n", 1, "retention_days", ErrOutOfRange},
		{"token in file", "token = s3cret\n", 1, "token", ErrTokenInFile},
		{"bad key list", "key.claim = c,,C\n", 1, "key.claim", ErrBadKeyList},
		{"control characters", "zone = 5275\x1b[2J\n", 1, "", ErrBadText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeConfig(t, tt.body)
			_, err := Load(envMap(map[string]string{"XDG_CONFIG_HOME": dir}), nil)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Origin.Line != tt.line || e.Key != tt.key || e.Code != tt.code || e.Path != filepath.Join(dir, "guichet", "config") {
				t.Errorf("error = %+v, want line %d key %q code %q", e, tt.line, tt.key, tt.code)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, e.Path+":"+itoa(tt.line)+": ") {
				t.Errorf("message %q does not start with path:line", msg)
			}
			if strings.Contains(msg, "s3cret") || strings.Contains(msg, "\x1b") {
				t.Errorf("message %q leaks the token or an escape", msg)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestAllProblemsReported(t *testing.T) {
	dir := writeConfig(t, "zone = x\nlang = it\nidle_lock = 1h\n")
	c, err := Load(envMap(map[string]string{"XDG_CONFIG_HOME": dir, "GUICHET_LANG": "fr"}), nil)
	var es Errors
	// The file's bad lang is reported even though GUICHET_LANG overrides it.
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("err = %v, want 3 problems", err)
	}
	for i, want := range []int{1, 2, 3} {
		if es[i].Origin.Line != want {
			t.Errorf("problem %d on line %d, want %d", i, es[i].Origin.Line, want)
		}
	}
	if c.Lang != "fr" {
		t.Errorf("best-effort Lang = %q, want fr", c.Lang)
	}
	fr := Localized(c.Lang, err)
	if !strings.Contains(fr, "code de zone non valide") || !strings.Contains(fr, "au plus 30m") {
		t.Errorf("French messages = %q", fr)
	}
}

func TestBadEnvAndFlag(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		flags map[string]string
		where string
		code  string
	}{
		{"GUICHET_LANG", map[string]string{"GUICHET_LANG": "xx"}, nil, "GUICHET_LANG: lang: ", ErrBadLang},
		{"ACCESSIBLE", map[string]string{"ACCESSIBLE": "please"}, nil, "ACCESSIBLE: accessible: ", ErrBadBool},
		{"idle flag", nil, map[string]string{"idle_lock": "1h"}, "--idle_lock: idle_lock: ", ErrTooLong},
		{"unknown flag", nil, map[string]string{"colour": "x"}, "--colour: colour: ", ErrUnknownKey},
		{"http env allowed by insecure only", map[string]string{"GUICHET_SERVER": "http://portal.example"}, nil, "GUICHET_SERVER: server: ", ErrInsecureServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			_, err := Load(envMap(env), tt.flags)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			if !strings.HasPrefix(err.Error(), tt.where) {
				t.Errorf("message %q, want prefix %q", err.Error(), tt.where)
			}
		})
	}
}

func TestServerLoopbackAndInsecure(t *testing.T) {
	for _, tt := range []struct {
		server, insecure string
		ok               bool
	}{
		{"http://127.0.0.1:8080", "", true},
		{"http://localhost:8080/", "", true},
		{"http://[::1]:9000", "", true},
		{"http://portal.example", "", false},
		{"http://portal.example", "true", true},
		{"https://portal.example/base", "", true},
	} {
		flags := map[string]string{"server": tt.server}
		if tt.insecure != "" {
			flags["insecure"] = tt.insecure
		}
		_, err := Load(envMap(map[string]string{"XDG_CONFIG_HOME": t.TempDir()}), flags)
		if (err == nil) != tt.ok {
			t.Errorf("server %s insecure=%q: err = %v, want ok=%v", tt.server, tt.insecure, err, tt.ok)
		}
	}
}

func TestConfigFlagAndEnvChooseFile(t *testing.T) {
	other := filepath.Join(t.TempDir(), "other.conf")
	if err := os.WriteFile(other, []byte("zone = 9999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	xdg := writeConfig(t, "zone = 1111\n")
	c, err := Load(envMap(map[string]string{"XDG_CONFIG_HOME": xdg, "GUICHET_CONFIG": other}), nil)
	if err != nil || c.Zone != "9999" || c.Path != other {
		t.Errorf("GUICHET_CONFIG: zone %q path %q err %v", c.Zone, c.Path, err)
	}
	c, err = Load(envMap(map[string]string{"XDG_CONFIG_HOME": "/nonexistent"}), map[string]string{"config": other})
	if err != nil || c.Zone != "9999" {
		t.Errorf("--config: zone %q err %v", c.Zone, err)
	}
	if _, err := Load(envMap(map[string]string{"XDG_CONFIG_HOME": xdg}), map[string]string{"config": other + ".missing"}); err == nil {
		t.Error("--config naming a missing file: no error")
	}
	c, err = Load(envMap(map[string]string{"HOME": filepath.Dir(xdg) + "/nohome"}), nil)
	if err != nil || c.Path != filepath.Join(filepath.Dir(xdg), "nohome", ".config", "guichet", "config") {
		t.Errorf("HOME fallback: path %q err %v", c.Path, err)
	}
}

func TestTokenFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "token")
	if err := os.WriteFile(good, []byte("tok-123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "open-token")
	if err := os.WriteFile(open, []byte("tok-456\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o640); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".config", "guichet"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".config", "guichet", "token"), []byte("tok-home"), 0o400); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		token string
		code  string
	}{
		{"0600 file", "token_file = " + good + "\n", nil, "tok-123", ""},
		{"tilde", "token_file = ~/.config/guichet/token\n", nil, "tok-home", ""},
		{"group readable refused", "token_file = " + open + "\n", nil, "", ErrTokenFilePerms},
		{"empty", "token_file = " + empty + "\n", nil, "", ErrTokenFileEmpty},
		{"missing", "token_file = " + filepath.Join(dir, "nope") + "\n", nil, "", ErrTokenFileRead},
		{"env token wins, file not read", "token_file = " + open + "\n", map[string]string{"GUICHET_TOKEN": "tok-env"}, "tok-env", ""},
		{"GUICHET_TOKEN_FILE", "", map[string]string{"GUICHET_TOKEN_FILE": good}, "tok-123", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"XDG_CONFIG_HOME": writeConfig(t, tt.file), "HOME": home}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := Load(envMap(env), nil)
			if tt.code == "" {
				if err != nil || c.Token != tt.token {
					t.Fatalf("token %q err %v, want %q", c.Token, err, tt.token)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code {
				t.Fatalf("err = %v, want %s", err, tt.code)
			}
			if c.Token != "" {
				t.Error("token set despite the error")
			}
			if tt.code == ErrTokenFilePerms && (!strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), "tok-456")) {
				t.Errorf("message %q: want the fix, never the token", err.Error())
			}
		})
	}
}

func TestKeys(t *testing.T) {
	known := []string{"claim", "release", "handle", "pgdown", "filter"}
	tests := []struct {
		name  string
		body  string
		keys  map[string][]string
		codes []string
		lines []int
	}{
		{"rebinding", "key.claim = c, C\nkey.handle = h\nkey.pgdown = pgdown,space\nkey.filter = comma\n",
			map[string][]string{"claim": {"c", "C"}, "handle": {"h"}, "pgdown": {"pgdown", " "}, "filter": {","}}, nil, nil},
		{"ctrl keys", "key.release = ctrl+r,shift+tab\n", map[string][]string{"release": {"ctrl+r", "shift+tab"}}, nil, nil},
		{"unknown action", "key.claim = c\nkey.fly = f\n", nil, []string{ErrUnknownAction}, []int{2}},
		{"duplicate across actions", "key.claim = c\nkey.handle = h\nkey.release = x,c\nkey.filter = h\n", nil,
			[]string{ErrKeyConflict, ErrKeyConflict}, []int{3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(envMap(map[string]string{"XDG_CONFIG_HOME": writeConfig(t, tt.body)}), nil)
			if err != nil {
				t.Fatal(err)
			}
			err = c.ValidateKeys(known)
			if tt.codes == nil {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(c.Keys, tt.keys) {
					t.Errorf("keys = %q, want %q", c.Keys, tt.keys)
				}
				return
			}
			var es Errors
			var e *Error
			switch {
			case errors.As(err, &es):
			case errors.As(err, &e):
				es = Errors{e}
			default:
				t.Fatalf("err = %v", err)
			}
			if len(es) != len(tt.codes) {
				t.Fatalf("%d problems (%v), want %d", len(es), err, len(tt.codes))
			}
			for i := range es {
				if es[i].Code != tt.codes[i] || es[i].Origin.Line != tt.lines[i] {
					t.Errorf("problem %d = %v, want %s on line %d", i, es[i], tt.codes[i], tt.lines[i])
				}
			}
		})
	}
}

func TestKeyConflictMessage(t *testing.T) {
	c, err := Load(envMap(map[string]string{"XDG_CONFIG_HOME": writeConfig(t, "key.claim = c\nkey.handle = c\n")}), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := c.ValidateKeys([]string{"claim", "handle"}).Error()
	if !strings.HasSuffix(got, `:2: key.handle: the key "c" is already bound to key.claim (line 1)`) {
		t.Errorf("message = %q", got)
	}
}

func TestPrintGolden(t *testing.T) {
	dir := writeConfig(t, "# officer workstation\nserver = https://portal.example\nzone = 5275\nidle_lock = 10m\nkey.claim = c,C\nkey.pgdown = pgdown,space\n")
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("super-secret-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		env  map[string]string
	}{
		{"en", map[string]string{"GUICHET_TOKEN": "super-secret-token", "NO_COLOR": "1", "LANG": "en_GB.UTF-8"}},
		{"fr", map[string]string{"GUICHET_TOKEN_FILE": tokenFile, "LANG": "fr_BE.UTF-8", "GUICHET_SYNC_INTERVAL": "45s"}},
		{"nl-notoken", map[string]string{"LC_ALL": "nl_BE.UTF-8"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"XDG_CONFIG_HOME": dir}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := Load(envMap(env), map[string]string{"accessible": "true"})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := c.Print(&b); err != nil {
				t.Fatal(err)
			}
			out := strings.ReplaceAll(b.String(), dir, "$XDG_CONFIG_HOME")
			out = strings.ReplaceAll(out, tokenFile, "$TOKEN_FILE")
			if strings.Contains(out, "super-secret-token") {
				t.Fatalf("Print shows the token:\n%s", out)
			}
			if s := c.String() + c.GoString(); strings.Contains(s, "super-secret-token") {
				t.Fatalf("String/GoString show the token: %s", s)
			}
			golden := filepath.Join("testdata", "print-"+tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("Print =\n%s\nwant\n%s", out, want)
			}
		})
	}
}

// TestEveryErrorCodeHasAMessage: every error code used has a message in
// package i18n (whose own test checks every language has it).
func TestEveryErrorCodeHasAMessage(t *testing.T) {
	for _, code := range []string{ErrFileRead, ErrFileTooLarge, ErrBadText, ErrSection, ErrNoEquals, ErrUnknownKey,
		ErrDuplicateKey, ErrEmptyValue, ErrBadServer, ErrInsecureServer, ErrBadZone, ErrBadLang, ErrBadTheme, ErrBadCopyFormat,
		ErrBadDuration, ErrTooShort, ErrTooLong, ErrBadBool, ErrBadInt, ErrOutOfRange, ErrTooMany, ErrBadTemplate, ErrTokenInFile,
		ErrTokenFileRead, ErrTokenFilePerms, ErrTokenFileEmpty, ErrBadKeyList, ErrUnknownAction, ErrKeyConflict} {
		if _, ok := i18n.For("en").Code("config." + code); !ok {
			t.Errorf("code %q has no message", code)
		}
	}
	for _, s := range []Source{SourceDefault, SourceFile, SourceEnv, SourceFlag} {
		if _, ok := i18n.For("en").Code("config.source." + s.String()); !ok {
			t.Errorf("source %q has no name", s)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{15 * time.Minute: "15m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 45 * time.Second: "45s", 90 * time.Second: "1m30s"} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestReasonTemplates(t *testing.T) {
	dir := t.TempDir()
	load := func(line string) (Config, error) {
		t.Helper()
		path := filepath.Join(dir, "config")
		if err := os.WriteFile(path, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return Load(func(string) string { return "" }, map[string]string{"config": path})
	}
	c, err := load("reason_templates = hors compétence | doublon |  faits non pénaux ")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.ReasonTemplates, "/"); got != "hors compétence/doublon/faits non pénaux" {
		t.Fatalf("templates %q", got)
	}
	if _, err := load("reason_templates = " + strings.Repeat("a|", MaxReasonTemplates+1)); err == nil {
		t.Fatal("too many templates accepted")
	}
	if _, err := load("reason_templates = ok | " + strings.Repeat("x", MaxReasonTemplateLen+1)); err == nil {
		t.Fatal("an over-long template accepted")
	}
}
