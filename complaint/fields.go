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
	"sync"
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
	GroupGoods          = "goods"
	GroupComplainant    = "complainant"
	GroupIdentification = "identification"
	GroupBehalf         = "behalf"
	GroupWitnesses      = "witnesses"
	GroupInsurance      = "insurance"
	GroupRecord         = "record"
)

// DisplayFields lists every field of a complaint in the order ISLP asks for
// them: facts (type, start, end, description), place, details (each catalog
// field with its label), goods (a summary line per good and the total, then
// each good's parts), complainant, identification (method, numbers, the
// checks the portal made), on whose behalf (the person or the company),
// witnesses (a line each, then each one's parts), insurance, and last the
// record's own fields (reference, zone, status…). A record filed before the
// goods list existed shows its goods as a list too (LegacyGoods). Labels are in lang
// (English when lang is not supported). A tombstone (nil record) has none.
func DisplayFields(r *Record, lang string) []FieldValue {
	return displayFields(r, lang, catalog())
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

// Brussels is where officers read times (UTC if it cannot be loaded);
// loaded from the embedded tzdata at its first use, once per process, not
// at every start of every program: the workstation, the store and the
// portal share it.
var Brussels = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return time.UTC
	}
	return loc
})

// displayTime is ISO-like with the offset: "2026-11-20 18:00 +01:00".
func displayTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Brussels()).Format("2006-01-02 15:04 -07:00")
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

	details, goods := legacyGoods(s, cat)
	l.details(details, ft, known)
	if known && ft.Goods != nil {
		l.items(GroupGoods, GoodsKey, *ft.Goods, goods)
	} else if len(GoodsList(goods)) > 0 {
		// A type this build does not know, or that lost its goods: as
		// it is, so that nothing the citizen gave is hidden.
		l.add(GroupGoods, GoodsKey, i18n.For(lang).Complaint.Groups.Goods, rawText(goods))
	}

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

	l.behalf(s.OnBehalfOf)
	l.witnesses(s.Witnesses)
	l.std(GroupInsurance, "insurance.company", s.Insurance.Company)
	l.std(GroupInsurance, "insurance.policy_number", s.Insurance.PolicyNumber)

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
			l.items(GroupDetails, key, f, v)
		}
	}
	for _, m := range members {
		if v, ok := values[m.key]; ok {
			delete(values, m.key)
			l.add(GroupDetails, "details."+m.key, m.key, rawText(v))
		}
	}
}

// items adds a readable summary of a list, one line per element, then the
// total of its amounts when there are several and every one has an amount,
// and then each element's
// parts, so that each can be copied on its own. An element's line is its
// quantity (the field marked Quantity), its one-line texts and its amount:
// "2 × Parfum @ 89,00 EUR = 178,00 EUR" with a quantity, "Gazelle, Esprit,
// bleu: 450,00 EUR" without.
func (l *fieldList) items(group, key string, f DetailField, raw json.RawMessage) {
	elems := GoodsList(raw)
	type part struct{ key, label, value string }
	var lines []string
	var parts []part
	var total int64
	totalKnown := len(elems) > 0
	hasMoney := false
	for _, sub := range f.Item {
		hasMoney = hasMoney || sub.Kind == KindMoney
	}
	name := f.ItemLabels
	if name == nil {
		name = f.Labels
	}
	for i, e := range elems {
		var members []member
		if len(e) > 0 && e[0] == '{' {
			members, _ = objectMembers(e)
		}
		values := make(map[string]json.RawMessage, len(members))
		for _, m := range members {
			values[m.key] = m.value
		}
		qty, hasQty := int64(1), false
		unit, unitKnown := int64(0), false
		var texts []string
		for _, sub := range f.Item {
			v := bytes.TrimSpace(values[sub.Key])
			if len(v) == 0 || string(v) == "null" {
				continue
			}
			switch sub.Kind {
			case KindInteger:
				if d, ok := parseDecimal(string(v)); sub.Quantity && ok && !d.huge && !d.neg && d.decimals == 0 {
					qty, hasQty = d.hundredths/100, true
				}
			case KindMoney:
				if d, ok := parseDecimal(string(v)); ok && !d.huge && !d.neg && d.decimals <= 2 {
					unit += d.hundredths
					unitKnown = true
				}
			case KindText, KindEnterpriseNumber:
				if !sub.Multiline {
					texts = append(texts, l.detailValue(sub, v))
				}
			}
		}
		line := strings.Join(texts, ", ")
		if hasQty {
			line = strconv.FormatInt(qty, 10) + " × " + line
		}
		switch {
		case unitKnown && hasQty:
			line += " @ " + l.amount(unit) + " EUR = " + l.amount(unit*qty) + " EUR"
			total += unit * qty
		case unitKnown:
			line += ": " + l.amount(unit) + " EUR"
			total += unit
		default:
			totalKnown = false
		}
		lines = append(lines, line)
		prefix := key + "[" + strconv.Itoa(i) + "]"
		itemLabel := label(name, l.lang) + " " + strconv.Itoa(i+1) + " — "
		for _, sub := range f.Item {
			parts = append(parts, part{prefix + "." + sub.Key, itemLabel + sub.Label(l.lang), l.detailValue(sub, values[sub.Key])})
		}
	}
	if totalKnown && hasMoney && len(elems) > 1 {
		lines = append(lines, i18n.For(l.lang).Complaint.Labels.ItemsTotal+": "+l.amount(total)+" EUR")
	}
	l.add(group, key, f.Label(l.lang), strings.Join(lines, "\n"))
	for _, p := range parts {
		l.add(group, p.key, p.label, p.value)
	}
}

// behalf adds on whose behalf the complaint was filed and, for another
// person or a company, who that is. A record without the answer was filed
// by the victim themself.
func (l *fieldList) behalf(b Behalf) {
	kind := b.Kind
	if kind == "" {
		kind = BehalfSelf
	}
	const base = "on_behalf_of."
	m := i18n.For(l.lang).Complaint.Parties
	l.std(GroupBehalf, base+"kind", l.translated("behalf.", kind))
	if p := b.Person; p != nil {
		at := base + "person."
		nn := p.NationalNumber
		if n, err := ParseNationalNumber(nn); err == nil {
			nn = n.String()
		}
		l.add(GroupBehalf, at+"last_name", m.PersonLastName, p.LastName)
		l.add(GroupBehalf, at+"first_name", m.PersonFirstName, p.FirstName)
		l.add(GroupBehalf, at+"birth_date", m.PersonBirthDate, p.BirthDate)
		l.add(GroupBehalf, at+"national_number", m.PersonNationalNumber, nn)
		l.address(GroupBehalf, at+"address.", "", p.Address)
		l.add(GroupBehalf, at+"email", m.PersonEmail, p.Email)
		l.add(GroupBehalf, at+"phone", m.PersonPhone, p.Phone)
		l.add(GroupBehalf, at+"consent", m.PersonConsent, l.yesNo(p.Consent))
	}
	if c := b.Company; c != nil {
		at := base + "company."
		l.add(GroupBehalf, at+"name", m.CompanyName, c.Name)
		l.add(GroupBehalf, at+"enterprise_number", m.CompanyEnterpriseNumber, FormatEnterpriseNumber(c.EnterpriseNumber))
		l.add(GroupBehalf, at+"role", m.CompanyRole, c.Role)
	}
}

// witnesses adds one line per witness, then each witness's parts.
func (l *fieldList) witnesses(ws []Witness) {
	lines := make([]string, len(ws))
	for i, w := range ws {
		a := w.Address
		lines[i] = joinNonEmpty(", ",
			joinNonEmpty(" ", w.LastName, w.FirstName),
			w.BirthDate,
			w.Phone,
			joinNonEmpty(" ", a.Street, a.Number, a.Box),
			joinNonEmpty(" ", a.PostalCode, a.Municipality),
			a.Country)
	}
	l.std(GroupWitnesses, "witnesses", strings.Join(lines, "\n"))
	m := i18n.For(l.lang).Complaint.Parties
	for i, w := range ws {
		at := "witnesses[" + strconv.Itoa(i) + "]."
		who := m.Witness.F(i+1) + " — "
		l.add(GroupWitnesses, at+"last_name", who+m.WitnessLastName, w.LastName)
		l.add(GroupWitnesses, at+"first_name", who+m.WitnessFirstName, w.FirstName)
		l.add(GroupWitnesses, at+"birth_date", who+m.WitnessBirthDate, w.BirthDate)
		l.add(GroupWitnesses, at+"phone", who+m.WitnessPhone, w.Phone)
		l.address(GroupWitnesses, at+"address.", who, w.Address)
	}
}

// address adds the parts of an address under keyPrefix, labels prefixed.
func (l *fieldList) address(group, keyPrefix, labelPrefix string, a Address) {
	m := i18n.For(l.lang).Complaint.Parties
	for _, p := range []struct{ key, label, value string }{
		{"street", m.AddressStreet, a.Street}, {"number", m.AddressNumber, a.Number}, {"box", m.AddressBox, a.Box},
		{"postal_code", m.AddressPostalCode, a.PostalCode}, {"municipality", m.AddressMunicipality, a.Municipality},
		{"country", m.AddressCountry, a.Country},
	} {
		l.add(group, keyPrefix+p.key, labelPrefix+p.label, p.value)
	}
}

func (l *fieldList) yesNo(b bool) string {
	if b {
		return i18n.For(l.lang).Complaint.Values.Yes
	}
	return i18n.For(l.lang).Complaint.Values.No
}

// joinNonEmpty joins the non-blank parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
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
