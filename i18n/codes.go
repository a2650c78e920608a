package i18n

import (
	"reflect"
	"strconv"
)

// Some messages are chosen by a stable code that travels between
// packages or over the wire (complaint.FieldError codes, conflict codes,
// statuses, field paths). The struct tag `code:"…"` of such a field is
// the one table from code to message; codes are unique in a Catalog
// (TestCodesUnique).

// Code is the message whose code tag is code, and whether there is one.
func (c *Catalog) Code(code string) (string, bool) {
	s, ok := c.codes()[code]
	return s, ok
}

// Message is the message whose code tag is code, or code itself when
// there is none (a code newer than this build).
func (c *Catalog) Message(code string) string {
	if s, ok := c.Code(code); ok {
		return s
	}
	return code
}

// codeIndex maps every code tag of c to its message.
func codeIndex(c *Catalog) map[string]string {
	m := map[string]string{}
	walk(reflect.ValueOf(c).Elem(), "", "", func(f leaf) {
		if f.code != "" {
			m[f.code] = f.v.String()
		}
	})
	return m
}

// leaf is one message of a Catalog, as walk sees it.
type leaf struct {
	path     string // "Complaint.Errors.Required"
	code     string // its code tag, if any
	audience string // "citizen" or "officer"
	optional bool
	v        reflect.Value
}

// walk calls fn for every message (string field, map entry) under v.
func walk(v reflect.Value, path, audience string, fn func(leaf)) {
	t := v.Type()
	switch v.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			a := audience
			if tag := sf.Tag.Get("audience"); tag != "" {
				a = tag
			}
			p := sf.Name
			if path != "" {
				p = path + "." + sf.Name
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.String {
				fn(leaf{path: p, code: sf.Tag.Get("code"), audience: a, optional: sf.Tag.Get("i18n") == "optional", v: fv})
				continue
			}
			walk(fv, p, a, fn)
		}
	case reflect.Array, reflect.Slice:
		for i := range v.Len() {
			p := path + "[" + strconv.Itoa(i) + "]"
			if v.Index(i).Kind() == reflect.String {
				fn(leaf{path: p, audience: audience, v: v.Index(i)})
				continue
			}
			walk(v.Index(i), p, audience, fn)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			fn(leaf{path: path + "[" + it.Key().String() + "]", audience: audience, v: it.Value()})
		}
	}
}
