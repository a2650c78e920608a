package citizen

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/fas"
	"guichet/i18n"
	"guichet/portal"
)

// Draft is a complaint being written: the answers exactly as the citizen
// typed them (so a page shows them back unchanged), kept on the server in
// the session. Submission turns it into what POST /v1/complaints takes.
type Draft struct {
	// Eligibility answers, "yes" or "no".
	InBelgium, AuthorKnown, Violence string

	// Identification.
	Method                                      string // complaint.MethodThreeNumbers, MethodEID, MethodToken
	NationalNumber, IDCardNumber, SISCardNumber string
	// Identity is what the federal authentication service certified
	// (eid/token); its names and birth date are not asked again.
	Identity *fas.Identity

	FirstName, LastName string
	BirthDate           dateInput

	// On whose behalf: complaint.BehalfSelf, BehalfPerson or
	// BehalfCompany, with the person or the company as typed.
	BehalfKind string
	Victim     victimInput
	Company    complaint.Company

	// Witnesses are the rows filled in; WitnessRows the rows shown.
	Witnesses   []witnessInput
	WitnessRows int

	Insurance complaint.Insurance

	FactType    string
	Start, End  dateTimeInput
	TimeUnknown bool // only the days are known: the whole days are given

	PostalCode, Municipality, Street, Number string

	// Details holds the catalog's detail inputs by input name
	// ("brand", "items.0.quantity"); ItemRows the rows shown per items
	// field.
	Details  map[string]string
	ItemRows map[string]int

	Description string

	Channel, Email, Phone string
	Address               complaint.Address

	// IdemKey is the Idempotency-Key of this draft's filing: a second
	// submit of the same draft files nothing new.
	IdemKey string

	// Framed is a draft started in a zone website's frame: the FAS is not
	// offered there (its pages refuse to be framed, and a login at top
	// level would not find the frame's partitioned session cookie).
	Framed bool

	// pendingID is an identification under way at the provider.
	pendingID *fas.Pending
	// assertionAt is when the assertion of Identity was signed.
	assertionAt time.Time

	// done records the pages answered, by step name.
	done map[string]bool
}

// dateInput is a date as typed in three boxes (GOV.UK date input).
type dateInput struct{ Day, Month, Year string }

// dateTimeInput is a date and a time of day ("18:30").
type dateTimeInput struct {
	dateInput
	Time string
}

func newDraft() *Draft {
	return &Draft{Details: map[string]string{}, ItemRows: map[string]int{}, done: map[string]bool{},
		IdemKey: "form-" + randomToken()}
}

// brussels is the time zone of dates typed in the form, loaded at its
// first use (complaint.Brussels), not at every start of the workstation,
// which links this package for its demo.
func brussels() *time.Location { return complaint.Brussels() }

// date reads the three boxes; ok is false when they do not make a real
// date. Empty boxes give the zero value and ok false.
func (d dateInput) date() (y, m, day int, ok bool) {
	y, e1 := strconv.Atoi(strings.TrimSpace(d.Year))
	m, e2 := strconv.Atoi(strings.TrimSpace(d.Month))
	day, e3 := strconv.Atoi(strings.TrimSpace(d.Day))
	if e1 != nil || e2 != nil || e3 != nil || y < 1000 || y > 9999 || m < 1 || m > 12 || day < 1 || day > 31 {
		return 0, 0, 0, false
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return 0, 0, 0, false
	}
	return y, m, day, true
}

func (d dateInput) empty() bool {
	return strings.TrimSpace(d.Day+d.Month+d.Year) == ""
}

// iso is YYYY-MM-DD, or the boxes joined when they are not a real date
// (so that validation reports it as not a date rather than missing).
func (d dateInput) iso() string {
	if d.empty() {
		return ""
	}
	y, m, day, ok := d.date()
	if !ok {
		return strings.TrimSpace(d.Year) + "-" + strings.TrimSpace(d.Month) + "-" + strings.TrimSpace(d.Day)
	}
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func dateInputOf(iso string) dateInput {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return dateInput{}
	}
	return dateInput{Day: strconv.Itoa(t.Day()), Month: strconv.Itoa(int(t.Month())), Year: strconv.Itoa(t.Year())}
}

// clock reads "18:30", "18h30", "18.30" or "18"; ok false otherwise.
func clock(s string) (h, m int, ok bool) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" {
		return 0, 0, false
	}
	hs, ms, found := strings.Cut(strings.NewReplacer("h", ":", ".", ":").Replace(s), ":")
	h, err := strconv.Atoi(hs)
	if err != nil || h < 0 || h > 23 {
		return 0, 0, false
	}
	if found && ms != "" {
		m, err = strconv.Atoi(ms)
		if err != nil || m < 0 || m > 59 || len(ms) != 2 {
			return 0, 0, false
		}
	}
	return h, m, true
}

// instant is the moment typed, in Brussels time. endOfDay gives the last
// minute of the day when the time is unknown. ok is false when the date or
// the time cannot be read.
func (d dateTimeInput) instant(timeUnknown, endOfDay bool) (time.Time, bool) {
	y, mo, day, ok := d.date()
	if !ok {
		return time.Time{}, false
	}
	h, mi := 0, 0
	if timeUnknown {
		if endOfDay {
			h, mi = 23, 59
		}
	} else if h, mi, ok = clock(d.Time); !ok {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), day, h, mi, 0, 0, brussels()), true
}

// submissionLanguage is the language the complaint is filed in: the
// form's, when the complaint package knows it, else English.
func submissionLanguage(lang string) string {
	if i18n.Supported(lang) {
		return lang
	}
	return "en"
}

// Submission builds what POST /v1/complaints takes from the answers given
// so far, in lang. Unanswered fields stay empty (validation says they are
// required); answers the form could not read (a date, a number) are left
// out and reported by the page that asks them. An identity certified by
// the FAS becomes an assertion signed with key, the key the portal trusts
// for the form.
func (d *Draft) Submission(lang string, key ed25519.PrivateKey, now time.Time) *complaint.Submission {
	s := &complaint.Submission{
		FactType:     d.FactType,
		Language:     submissionLanguage(lang),
		Confirmation: d.Channel,
	}
	if t, ok := d.Start.instant(d.TimeUnknown, false); ok {
		s.Facts.StartedAt = t
	}
	if t, ok := d.End.instant(d.TimeUnknown, true); ok {
		if d.TimeUnknown && t.After(now) && t.Add(-24*time.Hour).Before(now) {
			// "Today, time unknown" ends now, not tonight.
			t = now.In(brussels()).Truncate(time.Minute)
		}
		s.Facts.EndedAt = t
	}
	s.Facts.Place = complaint.Place{Street: d.Street, Number: d.Number, PostalCode: d.PostalCode, Municipality: d.Municipality}
	s.Facts.Description = d.Description
	if ft, ok := complaint.LookupFactType(d.FactType); ok {
		s.Details, _ = detailsJSON(ft, d.Details)
		s.Goods, _ = goodsJSON(ft, d.Details)
	}
	switch d.BehalfKind {
	case complaint.BehalfSelf:
		s.OnBehalfOf = complaint.Behalf{Kind: d.BehalfKind}
	case complaint.BehalfPerson:
		v := d.Victim
		s.OnBehalfOf = complaint.Behalf{Kind: d.BehalfKind, Person: &complaint.Person{LastName: v.LastName, FirstName: v.FirstName,
			BirthDate: v.BirthDate.iso(), NationalNumber: v.NationalNumber, Consent: v.Consent}}
	case complaint.BehalfCompany:
		company := d.Company
		s.OnBehalfOf = complaint.Behalf{Kind: d.BehalfKind, Company: &company}
	}
	for _, w := range d.Witnesses {
		s.Witnesses = append(s.Witnesses, complaint.Witness{LastName: w.LastName, FirstName: w.FirstName,
			BirthDate: witnessDate(w.BirthDate), Phone: w.Phone})
	}
	s.Insurance = d.Insurance
	c := &s.Complainant
	c.FirstName, c.LastName = d.FirstName, d.LastName
	c.BirthDate = d.BirthDate.iso()
	c.Email, c.Phone = d.Email, d.Phone
	if d.Channel == complaint.ChannelPost || addressGiven(d.Address) {
		c.Address = d.Address
	}
	switch {
	case d.Identity != nil:
		a := ""
		if key != nil {
			// Signed for a fixed time (renewed when it nears its end), so
			// that filing again after a lost answer sends the same body
			// under the same idempotency key.
			if now.Sub(d.assertionAt) > assertionTTL-10*time.Minute || d.assertionAt.After(now) {
				d.assertionAt = now
			}
			a = portal.SignAssertion(key, d.Identity.Assertion(d.assertionAt, assertionTTL))
		}
		c.Identification = complaint.Identification{Method: d.Identity.ComplaintMethod(), Assertion: a}
	case d.Method == complaint.MethodThreeNumbers:
		c.Identification = complaint.Identification{Method: d.Method,
			NationalNumber: d.NationalNumber, IDCardNumber: d.IDCardNumber, SISCardNumber: d.SISCardNumber}
	}
	return s
}

func addressGiven(a complaint.Address) bool {
	return strings.TrimSpace(a.Street+a.Number+a.Box+a.PostalCode+a.Municipality) != ""
}

// detailsJSON encodes the detail inputs as the catalog's JSON object. An
// input that cannot be read as its kind (a number that is not one) is
// left out and listed in bad, by input name.
func detailsJSON(ft complaint.FactType, in map[string]string) (json.RawMessage, []string) {
	var bad []string
	obj := encodeFields(ft.Fields, "", in, &bad)
	if obj == nil {
		obj = []byte("{}")
	}
	return obj, bad
}

// goodsJSON is the goods list of the answers (keys "goods.0.brand"), nil
// when the fact type has none or no row was filled in.
func goodsJSON(ft complaint.FactType, in map[string]string) (json.RawMessage, []string) {
	if ft.Goods == nil {
		return nil, nil
	}
	var bad []string
	return encodeValue(*ft.Goods, ft.Goods.Key, in, &bad), bad
}

func encodeFields(fields []complaint.DetailField, prefix string, in map[string]string, bad *[]string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for _, f := range fields {
		name := prefix + f.Key
		v := encodeValue(f, name, in, bad)
		if v == nil {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(f.Key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func encodeValue(f complaint.DetailField, name string, in map[string]string, bad *[]string) []byte {
	if f.Kind == complaint.KindItems {
		rows := itemRowNames(name, in)
		if len(rows) == 0 {
			return nil
		}
		var b bytes.Buffer
		b.WriteByte('[')
		for i, row := range rows {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(encodeFields(f.Item, row+".", in, bad))
		}
		b.WriteByte(']')
		return b.Bytes()
	}
	raw := in[name]
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	switch f.Kind {
	case complaint.KindBool:
		switch raw {
		case "yes":
			return []byte("true")
		case "no":
			return []byte("false")
		}
		*bad = append(*bad, name)
		return nil
	case complaint.KindMoney, complaint.KindInteger, complaint.KindNumber:
		lit, ok := numberLiteral(raw)
		if !ok {
			*bad = append(*bad, name)
			return nil
		}
		return []byte(lit)
	}
	out, _ := json.Marshal(raw)
	return out
}

// itemRowNames lists the input prefixes of the rows of an items field that
// hold something ("items.0", "items.2"), in order. Empty rows are left out:
// a row added and left blank is not an item.
func itemRowNames(name string, in map[string]string) []string {
	max := -1
	for k := range in {
		rest, ok := strings.CutPrefix(k, name+".")
		if !ok {
			continue
		}
		idx, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(idx); err == nil && i > max && i < 1000 {
			max = i
		}
	}
	var rows []string
	for i := 0; i <= max; i++ {
		row := name + "." + strconv.Itoa(i)
		for k, v := range in {
			if strings.HasPrefix(k, row+".") && strings.TrimSpace(v) != "" {
				rows = append(rows, row)
				break
			}
		}
	}
	return rows
}

// numberLiteral reads an amount as people type it in Belgium ("450",
// "450,50", "1 234,5", "1.234,50", "€ 12") and gives a JSON number without
// exponent; ok false when it is not a number.
func numberLiteral(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "€"), "€"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "'", "").Replace(s)
	if strings.Contains(s, ",") {
		// A comma is the decimal separator; dots before it group thousands.
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	}
	if s == "" || strings.ContainsAny(s, "eE+") {
		return "", false
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return "", false
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	s = strings.TrimSuffix(s, ".")
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	s = intPart
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s, true
}
