package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"guichet/i18n"
	"guichet/textsafe"
)

// Source says where a configuration value came from.
type Source int

// Sources, weakest first.
const (
	SourceDefault Source = iota
	SourceFile
	SourceEnv
	SourceFlag
)

func (s Source) String() string {
	switch s {
	case SourceFile:
		return "file"
	case SourceEnv:
		return "env"
	case SourceFlag:
		return "flag"
	}
	return "default"
}

// Origin is where one value came from: the source, plus the file line, the
// environment variable or the flag that gave it.
type Origin struct {
	Source Source
	Line   int    // SourceFile: line in Config.Path
	Name   string // SourceEnv: variable (e.g. "NO_COLOR"); SourceFlag: "--lang"
}

// Default values and bounds.
const (
	DefaultLang           = "en"
	DefaultTheme          = "default"
	DefaultSyncInterval   = 30 * time.Second
	MinSyncInterval       = 10 * time.Second
	MaxSyncInterval       = 24 * time.Hour
	DefaultClipboardClear = 30 * time.Second
	MinClipboardClear     = 5 * time.Second
	MaxClipboardClear     = 10 * time.Minute
	DefaultIdleLock       = 15 * time.Minute
	MinIdleLock           = time.Second // short idle times are safer, and tests need them
	MaxIdleLock           = 30 * time.Minute
	DefaultRetentionDays  = 30
	MinRetentionDays      = 1
	MaxRetentionDays      = 365
	// MaxFileBytes bounds the configuration file; a real one is a few lines.
	MaxFileBytes = 64 << 10
	// MaxTokenFileBytes bounds a token file.
	MaxTokenFileBytes = 4 << 10
)

// How a copied date or amount is written (CopyFormat).
const (
	CopyISO     = "iso"     // dates: 2026-11-21 15:14 +01:00, 2026-11-21
	CopyPlain   = "plain"   // amounts: 1234,50 (no currency sign, no thousands separator)
	CopyDisplay = "display" // as the detail shows it in the officer's language
)

// CopyFormat says how the workstation copies the values it shows in the
// officer's conventions. The detail view marks a field whose copy differs
// from what it shows.
type CopyFormat struct {
	Date   string // CopyISO (default) or CopyDisplay
	Amount string // CopyPlain (default) or CopyDisplay
}

// Themes the workstation draws with (the tui package holds their colours).
var Themes = []string{"default", "high-contrast", "no-colour"}

// Config is the effective configuration of one run.
type Config struct {
	Server         string        // portal base URL; empty: not configured
	Zone           string        // police zone code, e.g. 5275 or prov-carma
	Lang           string        // fr, nl, de or en
	Theme          string        // default, high-contrast or no-colour
	SyncInterval   time.Duration // between two background syncs
	ClipboardClear time.Duration // a copied field is cleared after this
	IdleLock       time.Duration // the screen locks after this without a key
	Accessible     bool          // screen-reader mode
	RetentionDays  int           // handled complaints leave the cache after this
	CopyFormat     CopyFormat    // copy_format.date, copy_format.amount
	DB             string        // cache file; empty: guichet's default
	TokenFile      string        // where Token was read from, if from a file
	// Token is the officer's bearer token. A secret: Print, String and
	// GoString never show it.
	Token string
	// ReasonTemplates are the reasons the workstation offers when rejecting,
	// forwarding or taking over a complaint (nil: its default list in the
	// officer's language). In the file: reason_templates = a | b | c.
	ReasonTemplates []string
	// Keys maps an action name (e.g. "claim") to the keys bound to it, for
	// the actions the file rebinds. Check them with ValidateKeys.
	Keys map[string][]string

	// Path is the configuration file consulted (it may not exist); Found
	// says whether it did.
	Path  string
	Found bool

	// Origins says where each value came from, by key name ("server",
	// "token", "key.claim", …).
	Origins map[string]Origin
}

// Origin is where the value of key came from (SourceDefault when unknown).
func (c Config) Origin(key string) Origin { return c.Origins[key] }

// String describes the configuration without the token.
func (c Config) String() string {
	var b strings.Builder
	c.print(&b, "en")
	return b.String()
}

// GoString keeps %#v from printing the token.
func (c Config) GoString() string { return "config.Config{" + c.String() + "}" }

// keyNames lists the settings in the order Print shows them.
var keyNames = []string{
	"server", "zone", "lang", "theme", "sync_interval", "clipboard_clear",
	"copy_format.date", "copy_format.amount", "idle_lock", "accessible", "retention_days", "reason_templates", "db", "token_file", "token",
}

// Bounds of reason_templates.
const (
	MaxReasonTemplates   = 12
	MaxReasonTemplateLen = 200
)

// Keys that are accepted as flags only, never from the file or environment.
const (
	flagConfig   = "config"   // another configuration file
	flagInsecure = "insecure" // allow http:// to a host other than this machine
)

// Defaults is the configuration before any file, environment or flag.
func Defaults() Config {
	return Config{
		Lang: DefaultLang, Theme: DefaultTheme, SyncInterval: DefaultSyncInterval,
		ClipboardClear: DefaultClipboardClear, IdleLock: DefaultIdleLock,
		RetentionDays: DefaultRetentionDays, CopyFormat: CopyFormat{Date: CopyISO, Amount: CopyPlain},
		Keys:    map[string][]string{},
		Origins: map[string]Origin{},
	}
}

// Dir is the directory of guichet's configuration (and of the session-lock
// PIN file): $XDG_CONFIG_HOME/guichet, else $HOME/.config/guichet. It is
// empty when neither variable is set.
func Dir(env func(string) string) string {
	if x := env("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "guichet")
	}
	if h := env("HOME"); h != "" {
		return filepath.Join(h, ".config", "guichet")
	}
	return ""
}

// Load resolves the configuration: defaults, then the file, then the
// environment (read through env, normally os.Getenv), then flags. flags
// holds only the flags the user set, by key name ("server", "lang",
// "idle_lock", …, plus "config" for another file and "insecure" = "true"
// to allow http:// to another host).
//
// On error the returned Config is still the best effort (in particular its
// Lang), so the error can be shown in the officer's language. The error is
// an *Error or an Errors listing every problem found.
func Load(env func(string) string, flags map[string]string) (Config, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	c := Defaults()
	var errs Errors
	add := func(e *Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}

	for k := range flags {
		if !isFlagKey(k) {
			add(&Error{Origin: Origin{Source: SourceFlag, Name: "--" + k}, Key: k, Code: ErrUnknownKey})
		}
	}

	// The file.
	c.Path = Dir(env)
	if c.Path != "" {
		c.Path = filepath.Join(c.Path, "config")
	}
	explicit := Origin{}
	if p := env("GUICHET_CONFIG"); p != "" {
		c.Path, explicit = p, Origin{Source: SourceEnv, Name: "GUICHET_CONFIG"}
	}
	if p, ok := flags[flagConfig]; ok {
		c.Path, explicit = p, Origin{Source: SourceFlag, Name: "--config"}
	}
	var fileVals map[string]fileValue
	if c.Path != "" {
		var ferrs Errors
		fileVals, c.Found, ferrs = readFile(c.Path)
		errs = append(errs, ferrs...)
		if !c.Found && len(ferrs) == 0 && explicit.Source != SourceDefault {
			// A file named on purpose must exist; only the default may be absent.
			add(&Error{Origin: explicit, Path: c.Path, Code: ErrFileRead, Err: fs.ErrNotExist})
		}
	}

	// Collect the raw value of each key at its strongest source.
	type raw struct {
		value  string
		origin Origin
	}
	pick := map[string]raw{}
	for k, fv := range fileVals {
		pick[k] = raw{fv.value, Origin{Source: SourceFile, Line: fv.line}}
	}
	envName := func(k string) string { return "GUICHET_" + strings.ToUpper(strings.ReplaceAll(k, ".", "_")) }
	for _, k := range keyNames {
		if k == "lang" || k == "theme" {
			continue // their own order, below
		}
		if v := env(envName(k)); v != "" {
			pick[k] = raw{v, Origin{Source: SourceEnv, Name: envName(k)}}
		}
	}
	if _, set := pick["accessible"]; !set || pick["accessible"].origin.Source < SourceEnv {
		if v := env("ACCESSIBLE"); v != "" {
			pick["accessible"] = raw{v, Origin{Source: SourceEnv, Name: "ACCESSIBLE"}}
		}
	}
	// Language: GUICHET_LANG > file > locale.
	if v := env("GUICHET_LANG"); v != "" {
		pick["lang"] = raw{v, Origin{Source: SourceEnv, Name: "GUICHET_LANG"}}
	} else if _, inFile := pick["lang"]; !inFile {
		if name, l := i18n.LocaleFromEnv(env); l != "" {
			pick["lang"] = raw{l, Origin{Source: SourceEnv, Name: name}}
		}
	}
	// Theme: GUICHET_THEME > NO_COLOR > file.
	if v := env("GUICHET_THEME"); v != "" {
		pick["theme"] = raw{v, Origin{Source: SourceEnv, Name: "GUICHET_THEME"}}
	} else if env("NO_COLOR") != "" {
		pick["theme"] = raw{"no-colour", Origin{Source: SourceEnv, Name: "NO_COLOR"}}
	}
	for k, v := range flags {
		if k == flagConfig || k == flagInsecure || !isFlagKey(k) {
			continue
		}
		pick[k] = raw{v, Origin{Source: SourceFlag, Name: "--" + k}}
	}

	// Every line of the file is checked, even one that the environment or
	// a flag overrides today: it would bite the day they are gone.
	scratch := Defaults()
	scratch.Path = c.Path
	for k, fv := range fileVals {
		add(scratch.set(k, fv.value, Origin{Source: SourceFile, Line: fv.line}))
	}
	apply := func(k string, r raw) {
		e := c.set(k, r.value, r.origin)
		if r.origin.Source != SourceFile { // file problems are reported above
			add(e)
		}
	}
	// Language first: it is needed to report the rest well.
	if r, ok := pick["lang"]; ok {
		apply("lang", r)
	}
	keys := make([]string, 0, len(pick))
	for k := range pick {
		if k != "lang" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		apply(k, pick[k])
	}

	// The server: plain http only to this machine unless --insecure.
	if c.Server != "" && strings.HasPrefix(strings.ToLower(c.Server), "http://") && flags[flagInsecure] != "true" {
		if u, err := url.Parse(c.Server); err == nil && !isLoopback(u.Hostname()) {
			add(&Error{Origin: c.Origins["server"], Path: c.pathFor("server"), Key: "server", Value: c.Server, Code: ErrInsecureServer})
		}
	}

	// The token: flag > env > token_file.
	if c.Token == "" && c.TokenFile != "" {
		tok, e := readTokenFile(expandHome(c.TokenFile, env))
		if e != nil {
			e.Origin, e.Path, e.Key, e.Value = c.Origins["token_file"], c.pathFor("token_file"), "token_file", c.TokenFile
			add(e)
		} else {
			c.Token = tok
			o := c.Origins["token_file"]
			c.Origins["token"] = Origin{Source: o.Source, Line: o.Line, Name: "token_file"}
		}
	}

	if len(errs) == 0 {
		return c, nil
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Origin.Line < errs[j].Origin.Line })
	if len(errs) == 1 {
		return c, errs[0]
	}
	return c, errs
}

func (c *Config) pathFor(key string) string {
	if c.Origins[key].Source == SourceFile {
		return c.Path
	}
	return ""
}

func isFlagKey(k string) bool {
	if k == flagConfig || k == flagInsecure {
		return true
	}
	for _, n := range keyNames {
		if n == k {
			return true
		}
	}
	return false
}

var zoneRE = sync.OnceValue(func() *regexp.Regexp { // compiled at first use, not at every start
	return regexp.MustCompile(`^([0-9]{4}|prov-[a-z0-9][a-z0-9-]{0,40})$`)
})

// set checks and stores one value; it returns the problem, if any.
func (c *Config) set(key, value string, o Origin) *Error {
	bad := func(code string) *Error {
		e := &Error{Origin: o, Key: key, Value: value, Code: code}
		if o.Source == SourceFile {
			e.Path = c.Path
		}
		return e
	}
	if value == "" {
		return bad(ErrEmptyValue)
	}
	if strings.HasPrefix(key, "key.") {
		keys, code := parseKeyList(value)
		if code != "" {
			return bad(code)
		}
		c.Keys[strings.TrimPrefix(key, "key.")] = keys
		c.Origins[key] = o
		return nil
	}
	switch key {
	case "server":
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return bad(ErrBadServer)
		}
		c.Server = strings.TrimRight(value, "/")
	case "zone":
		if !zoneRE().MatchString(value) {
			return bad(ErrBadZone)
		}
		c.Zone = value
	case "lang":
		l := strings.ToLower(value)
		if !i18n.Supported(l) {
			return bad(ErrBadLang)
		}
		c.Lang = l
	case "theme":
		t := strings.ToLower(value)
		if t == "no-color" || t == "nocolour" || t == "nocolor" || t == "none" {
			t = "no-colour"
		}
		if !contains(Themes, t) {
			return bad(ErrBadTheme)
		}
		c.Theme = t
	case "sync_interval", "clipboard_clear", "idle_lock":
		d, err := time.ParseDuration(value)
		if err != nil {
			return bad(ErrBadDuration)
		}
		lo, hi := durationBounds(key)
		if d < lo {
			return bad(ErrTooShort)
		}
		if d > hi {
			return bad(ErrTooLong)
		}
		switch key {
		case "sync_interval":
			c.SyncInterval = d
		case "clipboard_clear":
			c.ClipboardClear = d
		case "idle_lock":
			c.IdleLock = d
		}
	case "copy_format.date", "copy_format.amount":
		f := strings.ToLower(value)
		switch {
		case key == "copy_format.date" && (f == CopyISO || f == CopyDisplay):
			c.CopyFormat.Date = f
		case key == "copy_format.amount" && (f == CopyPlain || f == CopyDisplay):
			c.CopyFormat.Amount = f
		default:
			return bad(ErrBadCopyFormat)
		}
	case "accessible":
		b, ok := parseBool(value)
		if !ok {
			return bad(ErrBadBool)
		}
		c.Accessible = b
	case "retention_days":
		n, err := strconv.Atoi(value)
		if err != nil {
			return bad(ErrBadInt)
		}
		if n < MinRetentionDays || n > MaxRetentionDays {
			return bad(ErrOutOfRange)
		}
		c.RetentionDays = n
	case "reason_templates":
		var list []string
		for _, t := range strings.Split(value, "|") {
			if t = strings.TrimSpace(t); t != "" {
				list = append(list, t)
			}
		}
		if len(list) > MaxReasonTemplates {
			return bad(ErrTooMany)
		}
		for _, t := range list {
			if len([]rune(t)) > MaxReasonTemplateLen || textsafe.Line(t) != t {
				return bad(ErrBadTemplate)
			}
		}
		c.ReasonTemplates = list
	case "db":
		c.DB = value
	case "token_file":
		c.TokenFile = value
	case "token":
		if o.Source == SourceFile {
			return bad(ErrTokenInFile)
		}
		c.Token = value
	default:
		return bad(ErrUnknownKey)
	}
	c.Origins[key] = o
	return nil
}

// durationBounds gives the allowed range of a duration key.
func durationBounds(key string) (lo, hi time.Duration) {
	switch key {
	case "sync_interval":
		return MinSyncInterval, MaxSyncInterval
	case "clipboard_clear":
		return MinClipboardClear, MaxClipboardClear
	case "idle_lock":
		return MinIdleLock, MaxIdleLock
	}
	return 0, 0
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true, true
	case "0", "false", "no", "off":
		return false, true
	}
	return false, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// expandHome turns a leading "~/" into the home directory.
func expandHome(p string, env func(string) string) string {
	if strings.HasPrefix(p, "~/") {
		if h := env("HOME"); h != "" {
			return filepath.Join(h, p[2:])
		}
	}
	return p
}

// readTokenFile reads a token from a file only its owner may read.
func readTokenFile(path string) (string, *Error) {
	f, err := os.Open(path)
	if err != nil {
		return "", &Error{Code: ErrTokenFileRead, Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", &Error{Code: ErrTokenFileRead, Err: err}
	}
	if !st.Mode().IsRegular() {
		return "", &Error{Code: ErrTokenFileRead, Err: errors.New("not a regular file")}
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", &Error{Code: ErrTokenFilePerms, Err: fmt.Errorf("mode %04o", st.Mode().Perm())}
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxTokenFileBytes+1))
	if err != nil {
		return "", &Error{Code: ErrTokenFileRead, Err: err}
	}
	if len(b) > MaxTokenFileBytes {
		return "", &Error{Code: ErrTokenFileRead, Err: errors.New("file too large for a token")}
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" || strings.ContainsAny(tok, " \t\r\n") {
		return "", &Error{Code: ErrTokenFileEmpty}
	}
	return tok, nil
}
