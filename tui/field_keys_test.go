package tui

import (
	"regexp"
	"testing"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store/storetest"
)

// TestFieldKeysStable: the same field has the same copy key whatever the
// fact type (the national number is always n), no copy key is a key the
// program binds anywhere (o sorts the queue and copies nothing), and the
// keys are listed in the detail's `?` help.
func TestFieldKeysStable(t *testing.T) {
	recs := storetest.Records(40, 3)
	k := NewKeyMap("fr")
	bound := boundKeys(k)
	seen := map[string]string{} // field → key
	types := map[string]bool{}
	for _, r := range recs {
		types[r.FactType] = true
		fs := complaintFields(r, "fr")
		keys := fieldKeysFor(k, fs)
		for i, f := range fs {
			kk := keys[i]
			if kk == " " {
				continue
			}
			if bound[kk] && !detailOrGood(f.Key) {
				t.Errorf("%s: field %s has key %q, which the program binds", r.FactType, f.Key, kk)
			}
			if detailOrGood(f.Key) {
				continue // numbered within the fact type
			}
			if prev, ok := seen[f.Key]; ok && prev != kk {
				t.Errorf("field %s has key %q here and %q elsewhere", f.Key, kk, prev)
			}
			seen[f.Key] = kk
		}
		for i := range keys {
			for j := range i {
				if keys[i] != " " && keys[i] == keys[j] {
					t.Errorf("%s: key %q on two fields", r.Reference, keys[i])
				}
			}
		}
	}
	if len(types) < len(complaint.Catalog()) {
		t.Fatalf("fixture covers %d fact types", len(types))
	}
	if seen[keyNationalNumber] != "n" || seen["complainant.birth_date"] != "b" {
		t.Errorf("national number %q, birth date %q", seen[keyNationalNumber], seen["complainant.birth_date"])
	}
	if seen["complainant.identification.national_number"] == "o" || bound["n"] {
		t.Errorf("n is bound")
	}
	h := newHarness(t, recs, "fr", 120, 60)
	h.keys("<enter>?")
	v := h.view()
	label := i18n.For("fr").Message("label.complainant.identification.national_number")
	if !regexp.MustCompile(`(^|\s)n +` + regexp.QuoteMeta(label)).MatchString(v) {
		t.Errorf("the help does not list n for %q:\n%s", label, v)
	}
}
