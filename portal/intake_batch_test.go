package portal

import (
	"context"
	"errors"
	"testing"
	"time"

	"guichet/complaint"
)

// TestIntakeBatch: a batch is filed in order through the intake path; a
// batch with one refused complaint stores nothing and says which one and
// why.
func TestIntakeBatch(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	now := time.Now()
	subs := []*complaint.Submission{sampleSubmission(now), sampleSubmission(now), sampleSubmission(now)}
	subs[1].Facts.Description = "Un deuxième vélo."
	refs, err := tp.srv.IntakeBatch(context.Background(), subs)
	if err != nil || len(refs) != 3 {
		t.Fatalf("IntakeBatch: %v, %d refs", err, len(refs))
	}
	page, _ := tp.feed("5275", tok, "", 100)
	if len(page.Items) != 3 {
		t.Fatalf("feed has %d items", len(page.Items))
	}
	for i, it := range page.Items {
		if it.Reference != refs[i] || it.Record.Status != complaint.StatusNew || it.Record.Facts.Description != subs[i].Facts.Description {
			t.Errorf("item %d: %s %s %q, want %s", i, it.Reference, it.Record.Status, it.Record.Facts.Description, refs[i])
		}
	}

	bad := []*complaint.Submission{sampleSubmission(now), sampleSubmission(now)}
	bad[1].Facts.Place.PostalCode = "0000"
	refs, err = tp.srv.IntakeBatch(context.Background(), bad)
	var problems complaint.FieldErrors
	if !errors.As(err, &problems) || !problems.Has("facts.place.postal_code") || refs != nil {
		t.Fatalf("batch with an unknown postal code: %v, %v", refs, err)
	}
	if n := countComplaints(t, tp.srv); n != 3 {
		t.Fatalf("%d complaints stored, want 3 (nothing of the refused batch)", n)
	}
	if got := tp.srv.Now(); time.Since(got) > time.Minute || time.Until(got) > time.Minute {
		t.Errorf("Now() = %v", got)
	}
}
