package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"guichet/clip"
	"guichet/config"
	"guichet/i18n"
)

// Config is the resolved setting of one run of guichet, by package config's
// precedence: command-line flags, then the environment (GUICHET_SERVER,
// GUICHET_TOKEN, GUICHET_DB, GUICHET_LANG, GUICHET_ZONE, ...), then the
// configuration file, then the locale (for the language) and defaults.
// The token is a secret: String and Redacted never show it.
type Config struct {
	Server   string // portal base URL; empty: not configured
	Token    string // officer bearer token; never printed
	DB       string // cache file; empty: the default per portal and zone
	Lang     string // one of i18n.Languages()
	Insecure bool   // allow plain http:// to a non-loopback host
	Demo     bool   // --demo: embedded seeded portal
	Zone     string // zone code from the configuration, if given: finds the cache offline

	// RetentionDays is the default of `guichet purge --days`.
	RetentionDays int

	// ClearAfter is how long a copied field stays on the clipboard.
	ClearAfter time.Duration

	// Settings is the whole resolved configuration (theme, sync interval,
	// idle lock, key bindings, origins) for the TUI and `guichet config`.
	Settings config.Config

	// Env reads the environment (os.Getenv, or a map in tests).
	Env func(string) string
	// Stdout and Stderr are where the command writes.
	Stdout, Stderr io.Writer
	// Terminal receives OSC 52 clipboard sequences (normally /dev/tty).
	Terminal io.Writer
	// Clipboard is the system clipboard; nil means atotto/clipboard.
	Clipboard clip.System
	// Signals, when set, makes a context that ends at SIGINT, SIGTERM or
	// SIGHUP (signal.NotifyContext). runConfig applies it to every command
	// but those that only read the cache (readingCommands), and to those
	// too once they must rebuild a damaged cache (app.catchSignals).
	Signals func(context.Context) (context.Context, context.CancelFunc)
}

// String describes the configuration for diagnostics without the token.
func (c Config) String() string {
	tok := "unset"
	if c.Token != "" {
		tok = "set"
	}
	return fmt.Sprintf("server=%q token=%s db=%q lang=%s insecure=%t demo=%t", c.Server, tok, c.DB, c.Lang, c.Insecure, c.Demo)
}

// GoString keeps %#v from printing the token too.
func (c Config) GoString() string { return "Config{" + c.String() + "}" }

// resolveLang picks the first usable language among the flag, GUICHET_LANG
// and the POSIX locale (the first non-empty of LC_ALL, LC_MESSAGES, LANG:
// "fr_BE.UTF-8" → fr); English otherwise.
func resolveLang(flagValue string, env func(string) string) string {
	for _, cand := range []string{flagValue, env("GUICHET_LANG")} {
		if l := i18n.FromLocale(strings.TrimSpace(cand)); l != "" {
			return l
		}
	}
	if _, l := i18n.LocaleFromEnv(env); l != "" {
		return l
	}
	return "en"
}
