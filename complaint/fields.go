package complaint

// The fields of a complaint as the officer reads and copies them into ISLP:
// the workstation's detail view lists them, and `guichet copy REF FIELD`
// finds one by key. Values are the raw data, formatted but NOT sanitized:
// they come from a citizen, so whoever puts them on a terminal or the
// clipboard passes them through package textsafe first.

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // officers read times in Brussels time, on any machine

	"guichet/i18n"
)

// FieldValue is one displayable field of a complaint.
type FieldValue struct {
	// Key is stable across languages and versions: the JSON path of the
	// field ("facts.description", "details.colour",
	// "complainant.identification.national_number"), or for derived fields
	// a name of their own ("verification.checks", "details.items[0].quantity").
	Key string
	// Group is the stable key of the group: facts, place, details,
	// complainant, identification, record.
	Group string
	// GroupLabel and Label are in the requested language.
	GroupLabel string
	Label      string
	// Value is formatted for reading (dates ISO-like in Brussels time,
	// amounts with two decimals, identifiers in their printed form,
	// yes/no and methods translated); empty when the complaint has none.
	Value string
}

// Groups of fields, in display order.
const (
	GroupFacts          = "facts"
	GroupPlace          = "place"
	GroupDetails        = "details"
	GroupComplainant    = "complainant"
	GroupIdentification = "identification"
	GroupRecord         = "record"
)

// DisplayFields lists every field of a complaint in the order ISLP asks for
// them: facts (type, start, end, description), place, details (each catalog
// field with its label, then each stolen item's parts), complainant,
// identification (method, numbers, the checks the portal made), and last
// the record's own fields (reference, zone, status…). Labels are in lang
// (English when lang is not supported). A tombstone (nil record) has none.
func DisplayFields(r *Record, lang string) []FieldValue {
	return displayFields(r, lang, catalog)
}

// DisplayField finds one field by key, as `guichet copy REF FIELD` needs.
func DisplayField(r *Record, lang, key string) (FieldValue, bool) {
	for _, f := range DisplayFields(r, lang) {
		if f.Key == key {
			return f, true
		}
	}
	return FieldValue{}, false
}

// brussels is where officers read times; loaded from the embedded tzdata.
var brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// displayTime is ISO-like with the offset: "2026-11-20 18:00 +01:00".
func displayTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(brussels).Format("2006-01-02 15:04 -07:00")
}

type fieldList struct {
	lang   string
	fields []FieldValue
}

func (l *fieldList) add(group, key, label, value string) {
	l.fields = append(l.fields, FieldValue{
		Key: key, Group: group, GroupLabel: i18n.For(l.lang).Message("group." + group),
		Label: label, Value: value,
	})
}

// std adds a field whose label is the message "label."+key.
func (l *fieldList) std(group, key, value string) {
	l.add(group, key, i18n.For(l.lang).Message("label."+key), value)
}

func displayFields(r *Record, lang string, cat []FactType) []FieldValue {
	if r == nil {
		return nil
	}
	if !i18n.Supported(lang) {
		lang = "en"
	}
	l := &fieldList{lang: lang}
	s := &r.Submission

	ft, known := lookupFactType(cat, s.FactType)
	factType := s.FactType
	if known {
		factType = ft.Label(lang)
	}
	l.std(GroupFacts, "fact_type", factType)
	l.std(GroupFacts, "facts.started_at", displayTime(s.Facts.StartedAt))
	l.std(GroupFacts, "facts.ended_at", displayTime(s.Facts.EndedAt))
	l.std(GroupFacts, "facts.description", s.Facts.Description)

	p := s.Facts.Place
	l.std(GroupPlace, "facts.place.street", p.Street)
	l.std(GroupPlace, "facts.place.number", p.Number)
	l.std(GroupPlace, "facts.place.postal_code", p.PostalCode)
	l.std(GroupPlace, "facts.place.municipality", p.Municipality)

	l.details(s.Details, ft, known)

	c := s.Complainant
	l.std(GroupComplainant, "complainant.last_name", c.LastName)
	l.std(GroupComplainant, "complainant.first_name", c.FirstName)
	l.std(GroupComplainant, "complainant.birth_date", c.BirthDate)
	nn := c.Identification.NationalNumber
	if n, err := ParseNationalNumber(nn); err == nil {
		nn = n.String()
	}
	l.std(GroupComplainant, "complainant.identification.national_number", nn)
	a := c.Address
	l.std(GroupComplainant, "complainant.address.street", a.Street)
	l.std(GroupComplainant, "complainant.address.number", a.Number)
	l.std(GroupComplainant, "complainant.address.box", a.Box)
	l.std(GroupComplainant, "complainant.address.postal_code", a.PostalCode)
	l.std(GroupComplainant, "complainant.address.municipality", a.Municipality)
	l.std(GroupComplainant, "complainant.address.country", a.Country)
	l.std(GroupComplainant, "complainant.email", c.Email)
	l.std(GroupComplainant, "complainant.phone", c.Phone)
	l.std(GroupComplainant, "confirmation", l.translated("channel.", s.Confirmation))

	id := c.Identification
	l.std(GroupIdentification, "complainant.identification.method", l.translated("method.", id.Method))
	if id.Method == MethodThreeNumbers || id.IDCardNumber != "" || id.SISCardNumber != "" {
		l.std(GroupIdentification, "complainant.identification.id_card_number", FormatIDCardNumber(id.IDCardNumber))
		l.std(GroupIdentification, "complainant.identification.sis_card_number", id.SISCardNumber)
	}
	checks := make([]string, len(r.Verification.Checks))
	for i, k := range r.Verification.Checks {
		checks[i] = l.translated("check.", k)
	}
	l.std(GroupIdentification, "verification.checks", strings.Join(checks, "\n"))
	l.std(GroupIdentification, "verification.verified_at", displayTime(r.Verification.VerifiedAt))

	l.std(GroupRecord, "reference", r.Reference)
	zone := r.Zone.Code
	if r.Zone.Name != "" {
		zone = strings.TrimSpace(zone + " " + r.Zone.Name)
	}
	l.std(GroupRecord, "zone", zone)
	l.std(GroupRecord, "received_at", displayTime(r.ReceivedAt))
	l.std(GroupRecord, "status", l.translated("status.", string(r.Status)))
	claimedBy := ""
	if r.ClaimedBy != nil {
		claimedBy = r.ClaimedBy.Name
	}
	l.std(GroupRecord, "claimed_by", claimedBy)
	l.std(GroupRecord, "pv_number", r.PVNumber)
	l.std(GroupRecord, "reason", r.Reason)
	l.std(GroupRecord, "forwarded_to", r.ForwardedTo)
	return l.fields
}

// translated is the message prefix+key, or key itself when there is none
// (a value newer than this build).
func (l *fieldList) translated(prefix, key string) string {
	if key == "" {
		return ""
	}
	if s, ok := i18n.For(l.lang).Code(prefix + key); ok {
		return s
	}
	return key
}

// details lists each catalog field of the fact type, then any member the
// catalog does not know (a record validated by a newer catalog), raw.
func (l *fieldList) details(raw json.RawMessage, ft FactType, known bool) {
	var members []member
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
		members, _ = objectMembers(t)
	}
	values := make(map[string]json.RawMessage, len(members))
	for _, m := range members {
		values[m.key] = m.value
	}
	if known {
		for _, f := range ft.Fields {
			key := "details." + f.Key
			v := values[f.Key]
			delete(values, f.Key)
			if f.Kind != KindItems {
				l.add(GroupDetails, key, f.Label(l.lang), l.detailValue(f, v))
				continue
			}
			l.items(key, f, v)
		}
	}
	for _, m := range members {
		if v, ok := values[m.key]; ok {
			delete(values, m.key)
			l.add(GroupDetails, "details."+m.key, m.key, rawText(v))
		}
	}
}

// items adds a readable summary of a list ("2 × Parfum @ 89,00 EUR =
// 178,00 EUR" per line, then the total) and each item's parts, so that each
// can be copied on its own.
func (l *fieldList) items(key string, f DetailField, raw json.RawMessage) {
	var elems []json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '[' {
		elems, _ = arrayElements(t)
	}
	type part struct{ key, label, value string }
	var lines []string
	var parts []part
	var total int64
	totalKnown := len(elems) > 0
	for i, e := range elems {
		var members []member
		if len(e) > 0 && e[0] == '{' {
			members, _ = objectMembers(e)
		}
		values := make(map[string]json.RawMessage, len(members))
		for _, m := range members {
			values[m.key] = m.value
		}
		desc, qty, unit := rawText(values["description"]), int64(1), int64(-1)
		if d, ok := parseDecimal(string(values["quantity"])); ok && !d.huge && !d.neg && d.decimals == 0 {
			qty = d.hundredths / 100
		}
		if d, ok := parseDecimal(string(values["value_eur"])); ok && !d.huge && !d.neg && d.decimals <= 2 && len(values["value_eur"]) > 0 {
			unit = d.hundredths
		}
		line := strconv.FormatInt(qty, 10) + " × " + desc
		if unit >= 0 {
			line += " @ " + l.amount(unit) + " EUR = " + l.amount(unit*qty) + " EUR"
			total += unit * qty
		} else {
			totalKnown = false
		}
		lines = append(lines, line)
		prefix := key + "[" + strconv.Itoa(i) + "]"
		itemLabel := f.Label(l.lang) + " " + strconv.Itoa(i+1) + " — "
		for _, sub := range f.Item {
			parts = append(parts, part{prefix + "." + sub.Key, itemLabel + sub.Label(l.lang), l.detailValue(sub, values[sub.Key])})
		}
	}
	if totalKnown {
		lines = append(lines, i18n.For(l.lang).Complaint.Labels.ItemsTotal+": "+l.amount(total)+" EUR")
	}
	l.add(GroupDetails, key, f.Label(l.lang), strings.Join(lines, "\n"))
	for _, p := range parts {
		l.add(GroupDetails, p.key, p.label, p.value)
	}
}

// detailValue formats one stored detail value for reading.
func (l *fieldList) detailValue(f DetailField, raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	switch f.Kind {
	case KindBool:
		switch string(raw) {
		case "true":
			return i18n.For(l.lang).Complaint.Values.Yes
		case "false":
			return i18n.For(l.lang).Complaint.Values.No
		}
	case KindMoney, KindNumber:
		if d, ok := parseDecimal(string(raw)); ok && !d.huge && d.decimals <= 2 {
			s := l.amount(d.hundredths)
			if f.Kind == KindNumber {
				s = strings.TrimSuffix(strings.TrimSuffix(s, "0"), "0")
				s = strings.TrimRight(s, ".,")
			}
			if d.neg {
				s = "-" + s
			}
			return s
		}
	case KindEnterpriseNumber:
		return FormatEnterpriseNumber(rawText(raw))
	}
	return rawText(raw)
}

// amount formats hundredths with two decimals, the decimal separator of
// lang: "1234,50" in fr, nl and de, "1234.50" in en. No thousands
// separator, so the value pastes into an amount field as it is.
func (l *fieldList) amount(hundredths int64) string {
	sep := ","
	if l.lang == "en" {
		sep = "."
	}
	cents := strconv.FormatInt(100+hundredths%100, 10)[1:]
	return strconv.FormatInt(hundredths/100, 10) + sep + cents
}

// rawText is a JSON string's text, or the JSON text of anything else.
func rawText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return string(raw)
}
