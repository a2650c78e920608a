package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/textsafe"
)

// Field groups of the detail screen, in display and ISLP order.
const (
	groupFacts          = "facts"
	groupPlace          = "place"
	groupDetails        = "details"
	groupComplainant    = "complainant"
	groupIdentification = "identification"
)

var fieldGroups = []string{groupFacts, groupPlace, groupDetails, groupComplainant, groupIdentification}

// field is one copyable field of a complaint. Value is raw (untrusted):
// it is sanitized when rendered and when copied.
type field struct {
	Key       string
	Group     string
	Label     string
	Value     string
	Multiline bool
}

// complaintFields lists the fields of r in the order ISLP asks for them.
func complaintFields(r complaint.Record, lang string, loc *time.Location) []field {
	t := func(k string) string { return tr(lang, "field."+k) }
	var fs []field
	add := func(group, key, label, value string) {
		if strings.TrimSpace(value) == "" {
			return
		}
		fs = append(fs, field{Key: key, Group: group, Label: label, Value: value})
	}
	when := func(tm interface{ IsZero() bool }, s string) string {
		if tm.IsZero() {
			return ""
		}
		return s
	}
	f := r.Facts
	add(groupFacts, "reference", t("reference"), r.Reference)
	add(groupFacts, "fact_type", t("fact_type"), factTypeLabel(lang, r.FactType))
	add(groupFacts, "received_at", t("received_at"), when(r.ReceivedAt, r.ReceivedAt.In(loc).Format("02/01/2006 15:04")))
	add(groupFacts, "started_at", t("started_at"), when(f.StartedAt, f.StartedAt.In(loc).Format("02/01/2006 15:04")))
	add(groupFacts, "ended_at", t("ended_at"), when(f.EndedAt, f.EndedAt.In(loc).Format("02/01/2006 15:04")))
	if f.Description != "" {
		fs = append(fs, field{Key: "description", Group: groupFacts, Label: t("description"), Value: f.Description, Multiline: true})
	}
	add(groupPlace, "place.street", t("street"), strings.TrimSpace(f.Place.Street+" "+f.Place.Number))
	add(groupPlace, "place.postal_code", t("postal_code"), f.Place.PostalCode)
	add(groupPlace, "place.municipality", t("municipality"), f.Place.Municipality)

	fs = append(fs, detailFields(r, lang)...)

	c := r.Complainant
	add(groupComplainant, "last_name", t("last_name"), c.LastName)
	add(groupComplainant, "first_name", t("first_name"), c.FirstName)
	add(groupComplainant, "birth_date", t("birth_date"), c.BirthDate)
	if nn := c.Identification.NationalNumber; nn != "" {
		if p, err := complaint.ParseNationalNumber(nn); err == nil {
			nn = p.String()
		}
		add(groupComplainant, "national_number", t("national_number"), nn)
	}
	a := c.Address
	street := strings.TrimSpace(a.Street + " " + a.Number)
	if a.Box != "" {
		street += " " + t("box") + " " + a.Box
	}
	add(groupComplainant, "address.street", t("address_street"), street)
	add(groupComplainant, "address.postal_code", t("postal_code"), a.PostalCode)
	add(groupComplainant, "address.municipality", t("municipality"), a.Municipality)
	add(groupComplainant, "address.country", t("country"), a.Country)
	add(groupComplainant, "email", t("email"), c.Email)
	add(groupComplainant, "phone", t("phone"), c.Phone)

	method := r.Verification.Method
	if method == "" {
		method = c.Identification.Method
	}
	add(groupIdentification, "method", t("method"), tr(lang, "method."+safeKey(method)))
	if id := c.Identification.IDCardNumber; id != "" {
		add(groupIdentification, "id_card_number", t("id_card_number"), complaint.FormatIDCardNumber(id))
	}
	add(groupIdentification, "sis_card_number", t("sis_card_number"), c.Identification.SISCardNumber)
	if len(r.Verification.Checks) > 0 {
		var checks []string
		for _, ck := range r.Verification.Checks {
			checks = append(checks, "✓ "+tr(lang, "check."+safeKey(ck)))
		}
		add(groupIdentification, "checks", t("checks"), strings.Join(checks, ", "))
	}
	return fs
}

// safeKey keeps an i18n lookup key from untrusted data printable: tr
// returns the key itself when it is unknown, so it must be safe to show.
func safeKey(s string) string { return textsafe.Line(s) }

// detailFields reads the fact type's details in catalog order.
func detailFields(r complaint.Record, lang string) []field {
	if len(r.Details) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r.Details, &m); err != nil {
		return []field{{Key: "details", Group: groupDetails, Label: tr(lang, "field.details"), Value: string(r.Details)}}
	}
	ft, ok := complaint.LookupFactType(r.FactType)
	var out []field
	if !ok {
		return out
	}
	for _, d := range ft.Fields {
		raw, ok := m[d.Key]
		if !ok || string(raw) == "null" {
			continue
		}
		out = append(out, field{Key: "details." + d.Key, Group: groupDetails, Label: d.Label(lang),
			Value: detailValue(d, raw, lang), Multiline: d.Multiline})
	}
	return out
}

func detailValue(d complaint.DetailField, raw json.RawMessage, lang string) string {
	switch d.Kind {
	case complaint.KindText, complaint.KindEnterpriseNumber:
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if d.Kind == complaint.KindEnterpriseNumber {
				return complaint.FormatEnterpriseNumber(s)
			}
			return s
		}
	case complaint.KindMoney:
		var f float64
		if json.Unmarshal(raw, &f) == nil {
			return strconv.FormatFloat(f, 'f', 2, 64) + " EUR"
		}
	case complaint.KindBool:
		var b bool
		if json.Unmarshal(raw, &b) == nil {
			if b {
				return tr(lang, "yes")
			}
			return tr(lang, "no")
		}
	case complaint.KindItems:
		var items []map[string]json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			var lines []string
			for _, it := range items {
				var parts []string
				for _, sub := range d.Item {
					if v, ok := it[sub.Key]; ok {
						parts = append(parts, sub.Label(lang)+": "+detailValue(sub, v, lang))
					}
				}
				lines = append(lines, "- "+strings.Join(parts, ", "))
			}
			return strings.Join(lines, "\n")
		}
	}
	return string(bytes.TrimSpace(raw))
}

// wholeComplaint is every field as one block in ISLP order, sanitized.
func wholeComplaint(fs []field, lang string) string {
	var b strings.Builder
	group := ""
	for _, f := range fs {
		if f.Group != group {
			if group != "" {
				b.WriteByte('\n')
			}
			group = f.Group
			fmt.Fprintf(&b, "== %s ==\n", tr(lang, "group."+group))
		}
		v := textsafe.Block(f.Value)
		if strings.Contains(v, "\n") {
			fmt.Fprintf(&b, "%s:\n%s\n", f.Label, v)
		} else {
			fmt.Fprintf(&b, "%s: %s\n", f.Label, v)
		}
	}
	return b.String()
}
