package storetest

import (
	"reflect"
	"testing"

	"guichet/complaint"
)

func TestRecordsAreValidAndDeterministic(t *testing.T) {
	recs := Records(500, 7)
	if !reflect.DeepEqual(recs[:20], Records(20, 7)) {
		t.Error("same seed gave different records")
	}
	types, statuses := map[string]int{}, map[complaint.Status]int{}
	refs := map[string]bool{}
	for i, r := range recs {
		if refs[r.Reference] {
			t.Fatalf("reference %s twice", r.Reference)
		}
		refs[r.Reference] = true
		types[r.FactType]++
		statuses[r.Status]++
		if _, ok := complaint.LookupFactType(r.FactType); !ok {
			t.Errorf("%s: unknown fact type %q", r.Reference, r.FactType)
		}
		id := r.Complainant.Identification
		if _, err := complaint.ParseNationalNumber(id.NationalNumber); err != nil {
			t.Errorf("%s: national number %s: %v", r.Reference, id.NationalNumber, err)
		}
		if _, err := complaint.ParseIDCardNumber(id.IDCardNumber); err != nil {
			t.Errorf("%s: id card %s: %v", r.Reference, id.IDCardNumber, err)
		}
		if r.PVNumber != "" {
			if _, err := complaint.ParsePVNumber(r.PVNumber); err != nil {
				t.Errorf("%s: PV %s: %v", r.Reference, r.PVNumber, err)
			}
		}
		if int(r.Version) != len(r.History)+1 {
			t.Errorf("%s: version %d with %d history entries", r.Reference, r.Version, len(r.History))
		}
		if i > 0 && r.ReceivedAt.Before(recs[i-1].ReceivedAt) {
			t.Errorf("%s received before its predecessor", r.Reference)
		}
	}
	if len(types) != 4 {
		t.Errorf("fact types: %v, want all four", types)
	}
	for _, st := range complaint.Statuses {
		if statuses[st] == 0 {
			t.Errorf("no record with status %s (%v)", st, statuses)
		}
	}
}
