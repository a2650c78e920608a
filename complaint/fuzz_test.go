package complaint

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzDecodeValidate feeds arbitrary bodies to the intake path. It must never
// panic, every problem must have a path and a message, and an accepted
// complaint must be a fixed point: its normal form validates again, to the
// same zone and the same bytes.
//
//	go test ./complaint -run '^$' -fuzz FuzzDecodeValidate -fuzztime 60s
func FuzzDecodeValidate(f *testing.F) {
	for _, ft := range Catalog() {
		f.Add(complaintBody(f, ft.Key))
	}
	for _, tc := range ruleCases(f) {
		if tc.body != "" && len(tc.body) < 4096 {
			f.Add([]byte(tc.body))
		}
	}
	for _, seed := range []string{
		``, `null`, `{}`, `[]`, `"x"`, `{"details": {"items": [{}]}}`,
		`{"fact_type":"shoplifting","details":{"items":[{"quantity":-0.0,"value_eur":1e400}]}}`,
		`{"facts":{"started_at":"2026-11-20T18:00:00+01:00","ended_at":"0000-01-01T00:00:00Z"}}`,
		`{"complainant":{"identification":{"method":"eid","assertion":"\u0000"}}}`,
		`{"fact_type":"graffiti","details":{"area_m2":-0,"area_m2":0.001}}`,
		`{"complainant":{"first_name":"Ma\ud800rc","last_name":"a\u202eb","address":{"country":"XX"}}}`,
		`{"facts":{"description":"\udc00\ud83d\udeb2\u200b"},"details":{"colour":"\ud800"}}`,
	} {
		f.Add([]byte(seed))
	}
	rt := DefaultRouter()
	f.Fuzz(func(t *testing.T, body []byte) {
		s, zone, errs := DecodeValidate(body, "fr", rt, testNow)
		if s == nil {
			t.Fatal("nil submission")
		}
		if len(errs) > maxProblems+1 {
			t.Fatalf("%d problems", len(errs))
		}
		for _, e := range errs {
			if e.Path == "" || e.Code == "" || e.Message == "" || !utf8.ValidString(e.Path) || len(e.Path) > 200 {
				t.Fatalf("bad problem %+v", e)
			}
		}
		if len(errs) != 0 {
			return
		}
		if zone.Code == "" {
			t.Fatal("accepted without a zone")
		}
		normal, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, zone2, errs2 := DecodeValidate(normal, "fr", rt, testNow)
		if len(errs2) != 0 || zone2 != zone {
			t.Fatalf("normal form refused: %v (zone %v vs %v)\n%s", errs2.Codes(), zone2, zone, normal)
		}
		if again, _ := json.Marshal(s2); string(again) != string(normal) {
			t.Fatalf("normalising is not idempotent:\n%s\n%s", normal, again)
		}
		for _, f := range DisplayFields(&Record{Submission: *s}, s.Language) {
			if f.Key == "" || strings.HasPrefix(f.Label, "label.") {
				t.Fatalf("display field %+v", f)
			}
		}
	})
}

// FuzzObjectMembers checks the hand-written member splitter against
// encoding/json on every valid JSON object: same keys (the last of repeated
// ones), values that decode to the same thing.
func FuzzObjectMembers(f *testing.F) {
	for _, seed := range []string{
		`{}`, ` { "a" : 1 , "b":[1,{"c":"}"}] ,"a":"x\"y"} `, `{"\u00e9":null,"":true}`,
		`{"k":"\\","l":[[],{}],"m":-1.5e3}`, `[1,"]",{"a":[]}]`, `[]`, `"x"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			objectMembers(raw) // must not panic on anything
			arrayElements(raw)
			return
		}
		var want map[string]json.RawMessage
		if json.Unmarshal(raw, &want) == nil {
			members, err := objectMembers(raw)
			if err != nil {
				t.Fatalf("objectMembers(%s): %v", raw, err)
			}
			got := map[string]json.RawMessage{}
			for _, m := range members {
				got[m.key] = m.value
			}
			if len(got) != len(want) {
				t.Fatalf("%d keys, want %d", len(got), len(want))
			}
			for k, v := range want {
				if !sameJSON(got[k], v) {
					t.Fatalf("member %q = %s, want %s", k, got[k], v)
				}
			}
		}
		var wantElems []json.RawMessage
		if json.Unmarshal(raw, &wantElems) == nil {
			elems, err := arrayElements(raw)
			if err != nil || len(elems) != len(wantElems) {
				t.Fatalf("arrayElements(%s) = %d, %v; want %d", raw, len(elems), err, len(wantElems))
			}
			for i := range elems {
				if !sameJSON(elems[i], wantElems[i]) {
					t.Fatalf("element %d = %s, want %s", i, elems[i], wantElems[i])
				}
			}
		}
	})
}

func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// FuzzTextRules checks the text rules against their definition: the kinds
// are nested (a name is a valid line, a line valid lines), an accepted text
// holds none of the refused characters, CleanText is idempotent, and
// LoneSurrogatePaths finds exactly the strings that encoding/json would
// have mended with U+FFFD.
//
//	go test ./complaint -run '^$' -fuzz FuzzTextRules -fuzztime 60s
func FuzzTextRules(f *testing.F) {
	for _, seed := range []string{"Marc", "a\nb", "a\r\nb", "\u202e", "\u200b", "\x1b]52;c;x\x07", "\ufeff", "\xed\xa0\x80", "\\ud800", "\\ud83d\\ude00", "\\udc00\\ud800", "\u2066x\u2069", "\u3164"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, line, lines := ValidText(s, TextName), ValidText(s, TextLine), ValidText(s, TextLines)
		if name && !line || line && !lines {
			t.Fatalf("%q: name %v line %v lines %v", s, name, line, lines)
		}
		if lines {
			for _, r := range s {
				if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0xfeff || r == 0x2028 || r == 0x2029 {
					t.Fatalf("%q accepted with %U", s, r)
				}
			}
		}
		if line && strings.ContainsAny(s, "\n\t") {
			t.Fatalf("%q accepted as one line", s)
		}
		if name {
			for _, r := range s {
				if unicode.Is(unicode.Cf, r) {
					t.Fatalf("%q accepted as a name with %U", s, r)
				}
			}
		}
		for _, kind := range []TextKind{TextName, TextLine, TextLines} {
			v, ok := CleanText(s, kind)
			if v2, ok2 := CleanText(v, kind); v2 != v || ok2 != ok {
				t.Fatalf("CleanText(%q, %d) not idempotent: %q %v, then %q %v", s, kind, v, ok, v2, ok2)
			}
		}
		// The string as the body of a JSON literal, escapes and all.
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f") {
			return
		}
		lit := []byte(`"` + s + `"`)
		var decoded string
		if json.Unmarshal(lit, &decoded) != nil {
			return
		}
		mended := strings.Count(decoded, "\ufffd") > strings.Count(s, "\ufffd")+strings.Count(strings.ToLower(s), `\ufffd`)
		if lone := len(LoneSurrogatePaths(lit)) > 0; lone != mended {
			t.Fatalf("%s: lone surrogate %v, encoding/json mended %v (%q)", lit, lone, mended, decoded)
		}
	})
}
