package complaint

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// enterpriseNumber draws a valid KBO/BCE number: a first digit 0 or 1, a
// non-zero body of eight digits, 97 minus the body mod 97.
func enterpriseNumber(t *rapid.T) string {
	body := rapid.IntRange(1, 19_999_999).Draw(t, "body")
	return fmt.Sprintf("%08d%02d", body, 97-body%97)
}

// TestPropertyEnterpriseNumberChecksum: every number built by the mod-97
// rule is accepted in every written form and comes back as its 10 digits;
// changing any one digit, or swapping two different neighbours, is refused.
func TestPropertyEnterpriseNumberChecksum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := enterpriseNumber(t)
		forms := []string{d, FormatEnterpriseNumber(d), "BE" + d, "be " + FormatEnterpriseNumber(d),
			d[:4] + " " + d[4:7] + " " + d[7:], d[:4] + "-" + d[4:7] + "-" + d[7:]}
		if d[0] == '0' {
			forms = append(forms, d[1:]) // the legacy 9-digit form
		}
		for _, f := range forms {
			got, err := ParseEnterpriseNumber(f)
			if err != nil || got != d {
				t.Fatalf("ParseEnterpriseNumber(%q) = %q, %v; want %q", f, got, err, d)
			}
		}

		i := rapid.IntRange(0, 9).Draw(t, "position")
		b := []byte(d)
		b[i] = byte('0' + (int(b[i]-'0')+rapid.IntRange(1, 9).Draw(t, "delta"))%10)
		if got, err := ParseEnterpriseNumber(string(b)); err == nil {
			t.Fatalf("one digit changed, %s accepted as %s (from %s)", b, got, d)
		}

		j := rapid.IntRange(0, 8).Draw(t, "swap")
		b = []byte(d)
		if b[j] != b[j+1] {
			b[j], b[j+1] = b[j+1], b[j]
			if got, err := ParseEnterpriseNumber(string(b)); err == nil {
				t.Fatalf("neighbours swapped, %s accepted as %s (from %s)", b, got, d)
			}
		}
	})
}

// Generators of the record's parts; text draws are any valid UTF-8,
// control and bidi characters included, so that the round trip covers the
// characters the text rules refuse too.
func genText(t *rapid.T, label string) string {
	return rapid.StringN(0, 12, -1).Draw(t, label)
}

func genAddress(t *rapid.T, label string) Address {
	if !rapid.Bool().Draw(t, label) {
		return Address{}
	}
	return Address{Street: genText(t, label+".street"), Number: genText(t, label+".number"), Box: genText(t, label+".box"),
		PostalCode: genText(t, label+".postal_code"), Municipality: genText(t, label+".municipality"), Country: genText(t, label+".country")}
}

func genBehalf(t *rapid.T) Behalf {
	switch rapid.IntRange(0, 3).Draw(t, "behalf") {
	case 1:
		return Behalf{Kind: BehalfSelf}
	case 2:
		return Behalf{Kind: BehalfPerson, Person: &Person{
			LastName: genText(t, "p.last"), FirstName: genText(t, "p.first"), BirthDate: genText(t, "p.birth"),
			NationalNumber: genText(t, "p.nn"), Address: genAddress(t, "p.address"), Email: genText(t, "p.email"),
			Phone: genText(t, "p.phone"), Consent: rapid.Bool().Draw(t, "p.consent")}}
	case 3:
		return Behalf{Kind: BehalfCompany, Company: &Company{
			EnterpriseNumber: enterpriseNumber(t), Name: genText(t, "c.name"), Role: genText(t, "c.role")}}
	}
	return Behalf{}
}

func genWitnesses(t *rapid.T) []Witness {
	n := rapid.IntRange(0, MaxWitnesses).Draw(t, "witnesses")
	if n == 0 {
		return nil
	}
	ws := make([]Witness, n)
	for i := range ws {
		ws[i] = Witness{LastName: genText(t, "w.last"), FirstName: genText(t, "w.first"),
			BirthDate: genText(t, "w.birth"), Address: genAddress(t, "w.address"), Phone: genText(t, "w.phone")}
	}
	return ws
}

// genGoods draws a goods list as the portal stores it: compact JSON.
func genGoods(t *rapid.T) json.RawMessage {
	n := rapid.IntRange(0, 5).Draw(t, "goods")
	if n == 0 {
		return nil
	}
	list := make([]map[string]any, n)
	for i := range list {
		list[i] = map[string]any{"brand": genText(t, "g.brand"), "value_eur": rapid.IntRange(0, MaxMoneyEUR).Draw(t, "g.value"),
			"electric": rapid.Bool().Draw(t, "g.electric")}
	}
	b, _ := json.Marshal(list)
	return b
}

func genSubmission(t *rapid.T) Submission {
	at := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)
	return Submission{
		FactType: "bicycle_theft", Language: "fr",
		Facts:      Facts{StartedAt: at, EndedAt: at.Add(time.Hour), Place: Place{Street: genText(t, "street"), PostalCode: "1340"}, Description: genText(t, "description")},
		Details:    json.RawMessage(`{}`),
		Goods:      genGoods(t),
		OnBehalfOf: genBehalf(t),
		Witnesses:  genWitnesses(t),
		Insurance:  Insurance{Company: genText(t, "i.company"), PolicyNumber: genText(t, "i.policy")},
		Complainant: Complainant{LastName: genText(t, "last"), FirstName: genText(t, "first"),
			Identification: Identification{Method: MethodThreeNumbers}},
		Confirmation: ChannelEmail,
	}
}

// TestPropertyRecordJSONRoundTrip: a record with any on-whose-behalf,
// witnesses, insurance and goods comes back equal from its JSON (the feed,
// the cache), and the portal's strict decoder reads the submission's JSON
// back equal, without a problem.
func TestPropertyRecordJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := Record{Submission: genSubmission(t), Reference: "2026-K7M4-Q9XT", Status: StatusNew, Version: 1,
			ReceivedAt: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), History: []StatusChange{}}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Record
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, r) {
			t.Fatalf("round trip changed the record:\n%+v\n%+v", r, back)
		}

		sb, _ := json.Marshal(r.Submission)
		s, errs := Decode(sb, "fr")
		if len(errs) != 0 {
			t.Fatalf("Decode(%s): %v", sb, errs.Codes())
		}
		if !reflect.DeepEqual(*s, r.Submission) {
			t.Fatalf("Decode changed the submission:\n%+v\n%+v", r.Submission, *s)
		}
	})
}

// TestLargestComplaintFitsTheBodyLimit builds, for every fact type, the
// largest complaint the rules accept — every text at its bound in 4-byte
// characters, every list full, every witness complete — and checks it
// stays below MaxSubmissionBytes, so no legitimate complaint is refused as
// too large.
func TestLargestComplaintFitsTheBodyLimit(t *testing.T) {
	const wide = "🚲" // 4 bytes in UTF-8
	text := func(n int) string { return strings.Repeat(wide, n) }
	var fill func(fields []DetailField) map[string]any
	fill = func(fields []DetailField) map[string]any {
		out := map[string]any{}
		for _, f := range fields {
			switch f.Kind {
			case KindText:
				out[f.Key] = text(f.MaxLen)
			case KindEnterpriseNumber:
				out[f.Key] = strings.Repeat(" ", maxIDInput-10) + "0403170701"
			case KindMoney, KindNumber, KindInteger:
				out[f.Key] = f.Max
			case KindBool:
				out[f.Key] = true
			case KindItems:
				list := make([]any, f.MaxItems)
				for i := range list {
					list[i] = fill(f.Item)
				}
				out[f.Key] = list
			}
		}
		return out
	}
	address := map[string]any{"street": text(MaxStreetLen), "number": text(MaxHouseNumberLen), "box": text(MaxBoxLen),
		"postal_code": text(12), "municipality": text(MaxNameLen), "country": text(MaxNameLen)}
	witnesses := make([]any, MaxWitnesses)
	for i := range witnesses {
		witnesses[i] = map[string]any{"last_name": text(MaxNameLen), "first_name": text(MaxNameLen),
			"birth_date": "1990-01-02", "phone": strings.Repeat("0", 40), "address": address}
	}
	for _, ft := range Catalog() {
		m := complaintMap(t, "bicycle_theft")
		set(t, m, "fact_type", ft.Key)
		set(t, m, "facts.description", text(MaxDescriptionLen))
		set(t, m, "details", fill(ft.Fields))
		if ft.Goods != nil {
			set(t, m, "goods", fill([]DetailField{*ft.Goods})[GoodsKey])
		} else {
			set(t, m, "goods", remove)
		}
		set(t, m, "witnesses", witnesses)
		set(t, m, "insurance", map[string]any{"company": text(MaxCompanyNameLen), "policy_number": text(MaxPolicyNumberLen)})
		set(t, m, "on_behalf_of", map[string]any{"kind": "person", "person": map[string]any{
			"last_name": text(MaxNameLen), "first_name": text(MaxNameLen), "birth_date": "2012-06-01",
			"national_number": "12060112373", "address": address, "email": strings.Repeat("a", 64) + "@" + strings.Repeat("b", 185) + ".be",
			"phone": strings.Repeat("0", 40), "consent": true}})
		body := mustJSON(t, m)
		if len(body) > MaxSubmissionBytes {
			t.Errorf("%s: the largest complaint is %d bytes, above MaxSubmissionBytes (%d)", ft.Key, len(body), MaxSubmissionBytes)
		} else {
			t.Logf("%s: largest complaint %d bytes of %d", ft.Key, len(body), MaxSubmissionBytes)
		}
	}
}
