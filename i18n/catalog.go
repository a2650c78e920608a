package i18n

import (
	"sync"

	"golang.org/x/text/language"
)

// Catalog is every message of every package in one language. Each
// language file (fr.go, nl.go, de.go, en.go, es.go) is one Catalog
// literal. Fields are grouped by the package that shows them; a group's
// audience tag says who reads it:
//
//   - citizen: complete in every language (TestCatalogsComplete);
//   - officer: complete in the languages registered with Officer set
//     (fr, nl, de, en); elsewhere an empty message falls back to English.
//
// A group without a tag has its parent's audience.
type Catalog struct {
	Formats   Formats   `audience:"citizen"`
	Complaint Complaint `audience:"citizen"`
	Portal    Portal    `audience:"citizen"`
	// FAS is identification at the federal authentication service
	// (packages fas and fas/devfas).
	FAS FAS `audience:"citizen"`
	// Citizen is reserved for the citizen's web form (package citizen).
	Citizen Citizen `audience:"citizen"`
	Config  Config  `audience:"officer"`
	Lock    Lock    `audience:"officer"`
	Sync    Sync    `audience:"officer"`
	CLI     CLI     `audience:"officer"`
	// Clipboard names the clipboard routes, for the TUI and the CLI.
	Clipboard Clipboard `audience:"officer"`
	TUI       TUI       `audience:"officer"`

	tag  func() language.Tag // parsed at first use (see entry.tag)
	code string
	// codes maps each code tag to its message (see Code), built at the
	// first lookup by code: walking the whole catalog costs about 1 ms a
	// language, which a process that never asks by code (most runs of
	// guichet, and every init that reads typed fields) need not pay.
	codes func() map[string]string
}

// Lang is the catalog's language code ("fr").
func (c *Catalog) Lang() string { return c.code }

// Tag is the catalog's language tag.
func (c *Catalog) Tag() language.Tag { return c.tag() }

// lazyCodeIndex is the code index of c, built once at its first use.
func lazyCodeIndex(c *Catalog) func() map[string]string {
	return sync.OnceValue(func() map[string]string { return codeIndex(c) })
}
