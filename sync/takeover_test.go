package sync

import (
	"context"
	"fmt"
	"testing"
	"time"

	"guichet/complaint"
)

// A colleague takes over A's claim from their own workstation: B's action
// goes through the outbox like any other; A's next sync shows a conflict
// line saying who took it and why, once.
func TestTakeOverShowsConflictLineToPreviousHolder(t *testing.T) {
	tp := newTestPortal(t)
	refs := tp.seed(3, 11)
	tokA, a := tp.officer("Inspecteur Dupont")
	tokB, b := tp.officer("Inspectrice Janssens")
	wa := newWorkstation(t, tp, tokA, a, 50)
	wb := newWorkstation(t, tp, tokB, b, 50)
	ctx := context.Background()
	ref := refs[1]
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(wa.eng.SyncOnce(ctx))
	must(wa.act(ref, complaint.Action{Type: complaint.ActionClaim}))
	must(wa.eng.SyncOnce(ctx))
	must(wb.eng.SyncOnce(ctx))
	// B cannot handle A's claim, but can take it over with a reason.
	if err := wb.act(ref, complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.000001/2026"}); err == nil {
		t.Fatal("B handled A's claim locally")
	}
	must(wb.act(ref, complaint.Action{Type: complaint.ActionTakeOver, Reason: "Fin de service de Dupont"}))
	must(wb.eng.SyncOnce(ctx))
	if cs, _ := wb.st.Conflicts(ctx); len(cs) != 0 {
		t.Fatalf("B's conflicts: %+v", cs)
	}
	must(wa.eng.SyncOnce(ctx))
	cs, err := wa.st.Conflicts(ctx)
	if err != nil || len(cs) != 1 {
		t.Fatalf("A's conflicts = %+v, %v", cs, err)
	}
	c := cs[0]
	if c.Reference != ref || c.Code != complaint.ConflictTakenOver || c.Action.Type != complaint.ActionTakeOver ||
		c.Message != "Fin de service de Dupont" || c.HolderID != b.ID || c.HolderName != b.Name {
		t.Fatalf("A's conflict line = %+v", c)
	}
	if s := wa.eng.State(); s.Conflicts != 1 {
		t.Fatalf("A's state = %+v", s)
	}
	// B's own cache and a second sync of A add no line.
	must(wa.eng.SyncOnce(ctx))
	if cs, _ := wa.st.Conflicts(ctx); len(cs) != 1 {
		t.Fatalf("A's conflicts after a second sync: %+v", cs)
	}
	rec, _ := wa.st.Get(ctx, ref)
	if rec.ClaimedBy == nil || rec.ClaimedBy.ID != b.ID {
		t.Fatalf("A's cache holder: %+v", rec.ClaimedBy)
	}
	assertCacheEqualsServer(t, tp, wa.st)
	if d := tp.deliveries(); d[ref+" take_over "+b.ID] != 1 {
		t.Fatalf("deliveries = %v", d)
	}
}

// A PV number corrected after handling goes through the outbox like any
// action; the portal and both caches agree, and the history keeps both.
func TestCorrectPVThroughOutbox(t *testing.T) {
	tp := newTestPortal(t)
	refs := tp.seed(2, 12)
	tokA, a := tp.officer("Inspecteur Dupont")
	wa := newWorkstation(t, tp, tokA, a, 50)
	ctx := context.Background()
	ref := refs[0]
	year := time.Now().Year()
	first, second := fmt.Sprintf("NI.55.L5.000001/%d", year), fmt.Sprintf("NI.55.L5.000002/%d", year)
	if err := wa.eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, act := range []complaint.Action{
		{Type: complaint.ActionClaim},
		{Type: complaint.ActionHandle, PVNumber: first},
		{Type: complaint.ActionCorrectPV, PVNumber: second},
	} {
		if err := wa.act(ref, act); err != nil {
			t.Fatalf("%s: %v", act.Type, err)
		}
	}
	if err := wa.eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	rec, _ := wa.st.Get(ctx, ref)
	last := rec.History[len(rec.History)-1]
	if rec.PVNumber != second || last.PreviousPV != first || last.Action != string(complaint.ActionCorrectPV) {
		t.Fatalf("cache after sync: pv %s, last %+v", rec.PVNumber, last)
	}
	assertCacheEqualsServer(t, tp, wa.st)
}
