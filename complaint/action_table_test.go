package complaint_test

import (
	"errors"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/complaint/actiontest"
)

// TestActionTable checks what every entry must say for the rules and the
// screens to work from it alone.
func TestActionTable(t *testing.T) {
	seen := map[string]string{}
	for _, s := range complaint.Actions {
		for what, v := range map[string]string{"type": string(s.Type), "command": s.Command, "key": s.Key, "key name": s.KeyName()} {
			if v == "" {
				t.Errorf("%s: no %s", s.Type, what)
			}
			if prev, dup := seen[what+" "+v]; dup {
				t.Errorf("%s: %s %q already used by %s", s.Type, what, v, prev)
			}
			seen[what+" "+v] = string(s.Type)
		}
		if len(s.From) == 0 || s.To == "" {
			t.Errorf("%s: From %v To %q", s.Type, s.From, s.To)
		}
		for _, from := range s.From {
			// Final statuses stay final: no action leads out of one.
			if from.Final() && s.To != from {
				t.Errorf("%s leads from the final status %s to %s", s.Type, from, s.To)
			}
		}
		// An action open to any officer needs its own refusal when the
		// status does not fit (the holder rules give none).
		if s.Who == complaint.AnyOfficer && len(s.From) < len(complaint.Statuses) && s.Refusal == "" {
			t.Errorf("%s: no Refusal", s.Type)
		}
		l := s.Labels
		if l.Noun == "" || l.Key == "" || l.Queued == "" || l.Refused == "" {
			t.Errorf("%s: labels missing: %+v", s.Type, l)
		}
		if len(s.Inputs) > 0 && l.Dialog == "" {
			t.Errorf("%s: inputs but no dialog title", s.Type)
		}
		if s.Bulk == (l.NoBulk != "") || s.Bulk && (l.BulkTitle == "" || l.BulkAsk == "") {
			t.Errorf("%s: bulk %v with labels %+v", s.Type, s.Bulk, l)
		}
		if s.Bulk {
			if _, ok := s.Input(complaint.InputPV); ok {
				t.Errorf("%s: a PV number is one per complaint: no bulk", s.Type)
			}
		}
	}
	if got := complaint.FinalStatuses(); len(got) != 3 || got[0] != complaint.StatusHandled || got[2] != complaint.StatusForwarded {
		t.Errorf("FinalStatuses = %v", got)
	}
}

// TestFakeActionInTheRules adds an action to the table and applies it: its
// inputs are checked, its statuses and holder rule enforced, its input kept.
func TestFakeActionInTheRules(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	spec := actiontest.Add(t)
	a, b := complaint.Officer{ID: "a", Name: "Agent A"}, complaint.Officer{ID: "b", Name: "Agent B"}
	act := complaint.Action{Type: spec.Type}
	if _, errs := act.CheckAt("fr", at); errs.Codes()["reason"] != complaint.ErrRequired {
		t.Fatalf("no reason: %v", errs)
	}
	act.Reason = "  Quelle est la marque du vélo ?  "
	checked, errs := act.CheckAt("fr", at)
	if len(errs) > 0 || checked.Reason != "Quelle est la marque du vélo ?" {
		t.Fatalf("checked %+v, %v", checked, errs)
	}
	r := complaint.Record{Reference: "R1", Status: complaint.StatusNew, Zone: complaint.Zone{Code: "5275"}}
	code := func(err error) string {
		var ce *complaint.ConflictError
		if errors.As(err, &ce) {
			return ce.Code
		}
		return ""
	}
	if _, err := complaint.Apply(r, checked, a, at); code(err) != complaint.ConflictNotClaimed {
		t.Fatalf("on a new complaint: %v", err)
	}
	claimed, err := complaint.Apply(r, complaint.Action{Type: complaint.ActionClaim}, a, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := complaint.Apply(claimed, checked, b, at); code(err) != complaint.ConflictClaimedByOther {
		t.Fatalf("by a colleague: %v", err)
	}
	next, err := complaint.Apply(claimed, checked, a, at)
	if err != nil {
		t.Fatal(err)
	}
	last := next.History[len(next.History)-1]
	if next.Status != complaint.StatusClaimed || next.ClaimedBy.ID != "a" || next.Reason != "" ||
		last.Action != string(spec.Type) || last.Reason != checked.Reason || last.From != complaint.StatusClaimed {
		t.Fatalf("after the fake action: %+v, history %+v", next, last)
	}
	if _, ok := complaint.ActionSpecOf(spec.Type); !ok {
		t.Fatal("not in the table")
	}
}
