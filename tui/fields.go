package tui

import (
	"fmt"
	"strings"

	"guichet/complaint"
	"guichet/textsafe"
)

// field is one copyable field of a complaint. Value is raw (untrusted):
// it is sanitized when rendered and when copied.
type field struct {
	Key        string // stable key, the same `guichet copy REF FIELD` takes
	Group      string
	GroupLabel string
	Label      string
	Value      string
	Multiline  bool
}

// complaintFields lists the non-empty fields of r in the order ISLP asks
// for them (complaint.DisplayFields, shared with the command line).
func complaintFields(r complaint.Record, lang string) []field {
	var fs []field
	for _, f := range complaint.DisplayFields(&r, lang) {
		if strings.TrimSpace(f.Value) == "" {
			continue
		}
		fs = append(fs, field{Key: f.Key, Group: f.Group, GroupLabel: f.GroupLabel, Label: f.Label,
			Value: f.Value, Multiline: f.Key == "facts.description" || strings.ContainsAny(f.Value, "\n\r")})
	}
	return fs
}

// wholeComplaint is every field as one block in ISLP order, sanitized.
func wholeComplaint(fs []field) string {
	var b strings.Builder
	group := ""
	for _, f := range fs {
		if f.Group != group {
			if group != "" {
				b.WriteByte('\n')
			}
			group = f.Group
			fmt.Fprintf(&b, "== %s ==\n", textsafe.Line(f.GroupLabel))
		}
		label := textsafe.Line(f.Label)
		if f.Multiline {
			fmt.Fprintf(&b, "%s:\n%s\n", label, textsafe.Block(f.Value))
		} else {
			fmt.Fprintf(&b, "%s: %s\n", label, textsafe.Line(f.Value))
		}
	}
	return b.String()
}
