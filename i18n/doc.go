// Package i18n owns every message of every package of guichet, in every
// language, and the language rules around them: which languages exist,
// how a POSIX locale or an Accept-Language header picks one, plural forms
// (CLDR, via golang.org/x/text/feature/plural) and how dates and amounts
// are written.
//
// # Shape
//
// One type, Catalog, holds every message as a typed field, grouped by the
// package that shows it (Complaint, Portal, Citizen, …). Each language is
// one file — fr.go, nl.go, de.go, en.go, es.go — holding one Catalog
// literal, returned by a function (frCatalog) that For calls at the
// language's first use, and an init function that registers it. Callers
// look messages up by field:
//
//	m := i18n.For(lang)
//	m.Complaint.Errors.Required                 // a plain message
//	m.Complaint.History.PV.F(pv)                // an Fmt: a message with fmt verbs
//	m.N(p, n)                                   // p a Plural field, by CLDR rules
//	m.Message("required")                       // by a stable code (see below)
//	m.Date(t), m.DateTime(t), m.Amount(cents)   // the language's conventions
//
// The TUI reads its group through its Context (c.M().Queue.Title), the
// guichet command through a.m().
//
// For never fails: an unknown language gives English, and an empty
// message of a language gives the English one (see Audiences).
//
// # Audiences
//
// A group's `audience` tag says who reads it. "citizen" groups (Formats,
// Complaint, Portal except Portal.Officer, Citizen) must be complete in
// every language. "officer" groups must be complete in the languages
// registered with Officer: true (fr, nl, de, en); Spanish registers with
// Officer: false, so the workstation run with LANG=es_ES shows the
// Spanish officer messages that exist and English for the others.
// TestCatalogsComplete names each missing message with its language;
// TestFallbackNeverEmpty checks nothing is empty after the fallback.
//
// # Codes
//
// Messages chosen by a stable code that travels between packages or over
// the wire (complaint.FieldError codes, conflict codes, statuses, field
// paths) carry a `code:"…"` struct tag: the tags are the one table from
// code to message, read by Catalog.Code and Catalog.Message. Codes are
// unique (TestCodesUnique). Prefer a typed field whenever the caller
// knows which message it wants.
//
// # Adding a message
//
//  1. Add a field to the group of its owner in the owner's type file
//     (complaint.go, portal.go, config.go, lock.go, sync.go, cli.go, tui.go,
//     fas.go, …): a string, an Fmt when it has fmt
//     verbs, a Plural when it depends on a count; a `code` tag only if
//     callers choose it by a code.
//  2. Write its text in fr.go, nl.go, de.go and en.go (and es.go for a
//     citizen-facing group; optional for an officer group).
//  3. Use it: i18n.For(lang).Owner.Group.Field.
//
// go test ./i18n fails, naming the message and the language, if one
// language lacks it or if a translation's fmt verbs differ from the
// English ones (TestFormatVerbs).
//
// # Adding a language
//
// Add one file, say it.go: a function itCatalog returning a Catalog
// literal with every citizen-facing message (and the officer ones, with
// Officer: true, if the workstation is to speak it fully), and
//
//	func init() { register(Language{Code: "it", Name: "italiano", Rank: 6}, itCatalog) }
//
// Nothing else changes: the language is listed by Languages, matched from
// LANG=it_IT.UTF-8 and from Accept-Language, accepted in complaints, and
// checked by the completeness test. eo_test.go shows it with a fake
// language.
package i18n
