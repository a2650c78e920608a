package complaint

import (
	"errors"
	"testing"
	"time"
)

func TestCheckRefusesPVYearAfterCurrentYear(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		pv   string
		want string // error code, "" when accepted
	}{
		{"NI.55.L5.012345/2026", ""},
		{"NI.55.L5.012345/2025", ""},
		{"NI.55.L5.012345/2000", ""},
		{"NI.55.L5.012345/2027", ErrPVYearFuture},
		{"NI.55.L5.012345/27", ErrPVYearFuture},
		{"NI.55.L5.012345/2099", ErrPVYearFuture},
		{"NI.55.L5.012345/1999", ErrInvalidPV},
	}
	for _, typ := range []ActionType{ActionHandle, ActionCorrectPV} {
		for _, c := range cases {
			_, errs := Action{Type: typ, PVNumber: c.pv}.CheckAt("fr", now)
			got := errs.Codes()["pv_number"]
			if got != c.want {
				t.Errorf("%s %s: code %q, want %q", typ, c.pv, got, c.want)
			}
		}
	}
	// New Year's night in Brussels: already 2027 there, still 2026 in UTC.
	eve := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	if _, errs := (Action{Type: ActionHandle, PVNumber: "NI.55.L5.012345/2027"}).CheckAt("fr", eve); len(errs) > 0 {
		t.Errorf("2027 on New Year's night refused: %v", errs)
	}
	if _, errs := (Action{Type: ActionTakeOver}).CheckAt("fr", now); errs.Codes()["reason"] != ErrRequired {
		t.Errorf("take_over without a reason: %v", errs)
	}
}

func TestApplyCorrectPVAndTakeOver(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	a, b := Officer{ID: "a", Name: "Agent A"}, Officer{ID: "b", Name: "Agent B"}
	r := Record{Reference: "R1", Status: StatusNew, Zone: Zone{Code: "5275"}}
	mustApply := func(r Record, act Action, by Officer) Record {
		t.Helper()
		next, err := Apply(r, act, by, at)
		if err != nil {
			t.Fatalf("%s by %s: %v", act.Type, by.ID, err)
		}
		return next
	}
	conflictCode := func(err error) string {
		var ce *ConflictError
		if errors.As(err, &ce) {
			return ce.Code
		}
		return ""
	}
	// take_over of a complaint nobody holds: claim it instead.
	if _, err := Apply(r, Action{Type: ActionTakeOver, Reason: "fin de service"}, b, at); conflictCode(err) != ConflictNotHeldByOther {
		t.Fatalf("take_over of a new complaint: %v", err)
	}
	claimed := mustApply(r, Action{Type: ActionClaim}, a)
	// Own claim: no-op.
	if same := mustApply(claimed, Action{Type: ActionTakeOver, Reason: "x"}, a); len(same.History) != len(claimed.History) {
		t.Fatal("taking over one's own claim changed the history")
	}
	taken := mustApply(claimed, Action{Type: ActionTakeOver, Reason: "fin de service"}, b)
	if taken.Status != StatusClaimed || taken.ClaimedBy.ID != "b" {
		t.Fatalf("after take_over: %s by %+v", taken.Status, taken.ClaimedBy)
	}
	last := taken.History[len(taken.History)-1]
	if last.Action != string(ActionTakeOver) || last.FromOfficer == nil || last.FromOfficer.ID != "a" || last.Reason != "fin de service" {
		t.Fatalf("take_over history: %+v", last)
	}
	// A can no longer act on it.
	if _, err := Apply(taken, Action{Type: ActionRelease}, a, at); conflictCode(err) != ConflictClaimedByOther {
		t.Fatalf("release by the previous holder: %v", err)
	}
	// correct_pv only on a handled complaint.
	if _, err := Apply(taken, Action{Type: ActionCorrectPV, PVNumber: "NI.55.L5.000001/2026"}, b, at); conflictCode(err) != ConflictNotHandled {
		t.Fatalf("correct_pv before handling: %v", err)
	}
	handled := mustApply(taken, Action{Type: ActionHandle, PVNumber: "NI.55.L5.000001/2026"}, b)
	fixed := mustApply(handled, Action{Type: ActionCorrectPV, PVNumber: "NI.55.L5.000002/2026"}, a)
	if fixed.Status != StatusHandled || fixed.PVNumber != "NI.55.L5.000002/2026" {
		t.Fatalf("after correct_pv: %s %s", fixed.Status, fixed.PVNumber)
	}
	last = fixed.History[len(fixed.History)-1]
	if last.PreviousPV != "NI.55.L5.000001/2026" || last.PVNumber != "NI.55.L5.000002/2026" || last.By.ID != "a" {
		t.Fatalf("correct_pv history: %+v", last)
	}
	if same := mustApply(fixed, Action{Type: ActionCorrectPV, PVNumber: "NI.55.L5.000002/2026"}, a); len(same.History) != len(fixed.History) {
		t.Fatal("correcting to the same number changed the history")
	}
	// Other actions on a handled complaint stay refused.
	if _, err := Apply(fixed, Action{Type: ActionTakeOver, Reason: "x"}, a, at); conflictCode(err) != ConflictFinal {
		t.Fatalf("take_over of a handled complaint: %v", err)
	}
}

func TestHistoryLine(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Brussels")
	at := time.Date(2026, 11, 21, 14, 14, 0, 0, time.UTC)
	a, b := &Officer{ID: "a", Name: "Agent A"}, &Officer{ID: "b", Name: "Agent B"}
	cases := []struct {
		h          StatusChange
		lang, want string
	}{
		{StatusChange{At: at, From: StatusNew, To: StatusClaimed, Action: "claim", By: a}, "fr", "21/11/2026 15:14  Nouvelle → Prise en charge  Agent A"},
		{StatusChange{At: at, From: StatusClaimed, To: StatusClaimed, Action: "take_over", By: b, FromOfficer: a, Reason: "fin de service"}, "fr",
			"21/11/2026 15:14  Prise en charge → Prise en charge  reprise  Agent B  à Agent A  « fin de service »"},
		{StatusChange{At: at, From: StatusHandled, To: StatusHandled, Action: "correct_pv", By: a, PVNumber: "NI.55.L5.000002/2026", PreviousPV: "NI.55.L5.000001/2026"}, "en",
			"21 Nov 2026 15:14  Handled → Handled  PV correction  Agent A  PV NI.55.L5.000001/2026 → NI.55.L5.000002/2026"},
		{StatusChange{At: at, From: StatusClaimed, To: StatusForwarded, Action: "forward", By: a, ToZone: "5339", Reason: "Ixelles"}, "de",
			"21.11.2026 15:14  In Bearbeitung → Weitergeleitet  Agent A  → 5339  « Ixelles »"},
	}
	for _, c := range cases {
		if got := HistoryLine(c.h, c.lang, loc, "  "); got != c.want {
			t.Errorf("%s %s:\n got %q\nwant %q", c.h.Action, c.lang, got, c.want)
		}
	}
}
