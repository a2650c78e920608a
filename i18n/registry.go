package i18n

import (
	"reflect"
	"slices"
	"sync"

	"golang.org/x/text/language"
)

// Language describes one registered language. A language file registers
// itself from its init function: adding a language is adding one file.
type Language struct {
	// Code is the BCP 47 base language ("fr"), the value stored in
	// complaints, configuration files and the API.
	Code string
	// Name is the language's own name ("français").
	Name string
	// Rank orders Languages(): the Belgian official languages first.
	Rank int
	// Officer says the officer-facing groups are complete. When false,
	// each empty officer message falls back to English.
	Officer bool
}

type entry struct {
	Language
	// build makes the language file's catalog as written, a new one at
	// each call, only when it is needed: a process reads one or two
	// languages of five, and the catalogs' maps (FactTypes) were built,
	// and their static data written to, by every start.
	build func() *Catalog

	// Made at their first use (tag, raw), with a sync.Once each rather
	// than sync.OnceValue closures, which registering five languages
	// allocated at every start.
	tagOnce, rawOnce sync.Once
	tagV             language.Tag
	rawV             *Catalog

	once     sync.Once
	resolved *Catalog
}

// tag is Code parsed by x/text, at the first plural or language match
// that needs it: parsing the five codes at init touched x/text's tables
// in every start of guichet, which mostly needs neither.
func (e *entry) tag() language.Tag {
	e.tagOnce.Do(func() { e.tagV = language.MustParse(e.Code) })
	return e.tagV
}

// raw is build's catalog made once, left as written: English's fills the
// messages another language lacks (For).
func (e *entry) raw() *Catalog {
	e.rawOnce.Do(func() { e.rawV = e.build() })
	return e.rawV
}

var (
	mu       sync.Mutex
	entries  = map[string]*entry{}
	ordered  []*entry // by Rank
	matcher  language.Matcher
	tagsByIx []string // matcher index → code
)

// fallback is the language whose messages stand in for missing ones.
const fallback = "en"

// register adds a language: catalog makes its messages (called once, at
// the language's first use). Called from each language file's init; a
// language registered twice is a programming error.
func register(l Language, catalog func() *Catalog) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := entries[l.Code]; dup {
		panic("i18n: language " + l.Code + " registered twice")
	}
	e := &entry{Language: l, build: catalog}
	entries[l.Code] = e
	ordered = append(ordered, e)
	slices.SortStableFunc(ordered, func(a, b *entry) int { return a.Rank - b.Rank })
	matcher = nil
}

// Languages are the codes of every registered language, in rank order
// (fr, nl, de, en, es): the languages a complaint, a citizen message and
// a catalog label exist in.
func Languages() []string {
	mu.Lock()
	defer mu.Unlock()
	out := make([]string, len(ordered))
	for i, e := range ordered {
		out[i] = e.Code
	}
	return out
}

// OfficerLanguages are the languages whose officer-facing messages are
// complete (fr, nl, de, en). The workstation also accepts the others,
// falling back to English per message.
func OfficerLanguages() []string {
	mu.Lock()
	defer mu.Unlock()
	var out []string
	for _, e := range ordered {
		if e.Officer {
			out = append(out, e.Code)
		}
	}
	return out
}

// Supported reports whether code is a registered language.
func Supported(code string) bool {
	mu.Lock()
	defer mu.Unlock()
	_, ok := entries[code]
	return ok
}

// Name is the language's own name, "" for an unknown code.
func Name(code string) string {
	mu.Lock()
	defer mu.Unlock()
	if e, ok := entries[code]; ok {
		return e.Name
	}
	return ""
}

// For is the catalog of code, English for an unknown code. Empty messages
// of a language are filled from English, message by message. The result
// is shared: callers read it and never change it.
func For(code string) *Catalog {
	mu.Lock()
	e, ok := entries[code]
	if !ok {
		e = entries[fallback]
	}
	en := entries[fallback]
	mu.Unlock()
	e.once.Do(func() {
		// A catalog of its own, completed in place: the language file's
		// raw catalog and a copy of it wrote 14 kB twice at every start.
		c := e.build()
		if e != en {
			fillFrom(reflect.ValueOf(c).Elem(), reflect.ValueOf(en.raw()).Elem())
		}
		c.tag = e.tag
		c.code = e.Code
		c.codes = lazyCodeIndex(c)
		e.resolved = c
	})
	return e.resolved
}

// fillFrom copies every empty message of dst from src (same type).
func fillFrom(dst, src reflect.Value) {
	switch dst.Kind() {
	case reflect.String:
		if dst.String() == "" {
			dst.SetString(src.String())
		}
	case reflect.Struct:
		for i := range dst.NumField() {
			if dst.Type().Field(i).IsExported() {
				fillFrom(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Array:
		for i := range dst.Len() {
			fillFrom(dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		if src.Len() == 0 {
			return
		}
		m := reflect.MakeMapWithSize(dst.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), it.Value())
		}
		for it := dst.MapRange(); it.Next(); {
			if it.Value().String() != "" {
				m.SetMapIndex(it.Key(), it.Value())
			}
		}
		dst.Set(m)
	}
}
