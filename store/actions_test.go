package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"guichet/complaint"
)

func TestActQueuesOutboxAndAudit(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	fixed := time.Date(2026, 3, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	s.now = func() time.Time { return fixed }
	apply(t, s, "c1", newRecord("R1", "Inès", "Mertens"))
	rec, err := s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != complaint.StatusClaimed || rec.ClaimedBy.ID != dupont.ID {
		t.Errorf("returned record: %s %v", rec.Status, rec.ClaimedBy)
	}
	rec, err = s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionHandle, PVNumber: "ni 55 l5 012345/26"}, dupont, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if rec.PVNumber != "NI.55.L5.012345/2026" {
		t.Errorf("PV not canonical: %q", rec.PVNumber)
	}
	out, err := s.PendingActions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Action.Type != complaint.ActionClaim || out[1].Action.Type != complaint.ActionHandle {
		t.Fatalf("outbox = %+v", out)
	}
	if out[1].Action.PVNumber != "NI.55.L5.012345/2026" {
		t.Errorf("queued PV = %q, want the checked canonical form", out[1].Action.PVNumber)
	}
	if out[0].Key == out[1].Key || len(out[0].Key) != 32 {
		t.Errorf("keys %q %q: want two distinct 128-bit keys", out[0].Key, out[1].Key)
	}
	if !out[0].CreatedAt.Equal(fixed) || out[0].CreatedAt.Location() != time.UTC || out[0].By != dupont {
		t.Errorf("entry = %+v", out[0])
	}
	// A failed attempt keeps the row and its key.
	if err := s.NoteAttempt(ctx, out[0].ID, errors.New("connection reset")); err != nil {
		t.Fatal(err)
	}
	again, _ := s.PendingActions(ctx, 1)
	if len(again) != 1 || again[0].Key != out[0].Key || again[0].Attempts != 1 || again[0].LastError != "connection reset" {
		t.Errorf("after attempt: %+v", again)
	}
	ev, _ := s.PendingAudit(ctx, 0)
	if len(ev) != 2 {
		t.Fatalf("audit = %+v", ev)
	}
	want := complaint.AuditEvent{ID: ev[0].ID, At: fixed.UTC(), Officer: dupont.ID, Zone: "5275", Kind: AuditAction,
		Reference: "R1", Outcome: OutcomeQueued, Detail: "claim"}
	if !reflect.DeepEqual(ev[0], want) {
		t.Errorf("audit event\n got %+v\nwant %+v", ev[0], want)
	}
	rows, _ := s.Page(ctx, Query{Statuses: []complaint.Status{complaint.StatusHandled}}, nil, 5)
	if len(rows) != 1 || !rows[0].Pending {
		t.Errorf("handled tab = %+v", rows)
	}
	// Claiming what one already holds queues nothing.
	claimed := newRecord("R2", "Bart", "Wouters")
	claimed = serverApply(t, claimed, complaint.Action{Type: complaint.ActionClaim}, dupont)
	apply(t, s, "c2", claimed)
	if _, err := s.Act(ctx, "R2", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr"); err != nil {
		t.Fatal(err)
	}
	if out, _ := s.PendingActions(ctx, 0); len(out) != 2 {
		t.Errorf("no-op claim queued: %d rows", len(out))
	}
}

func TestLocalRefusalWritesNothing(t *testing.T) {
	fresh := newRecord("R1", "Zoë", "Noël")
	mine := serverApply(t, fresh, complaint.Action{Type: complaint.ActionClaim}, dupont)
	theirs := serverApply(t, fresh, complaint.Action{Type: complaint.ActionClaim}, peeters)
	handled := serverApply(t, mine, complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.000001/2026"}, dupont)
	tests := []struct {
		name      string
		state     complaint.Record
		action    complaint.Action
		ref       string
		wantField string
		wantCode  string
		notFound  bool
	}{
		{name: "bad PV number", state: mine, action: complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.12345/2026"}, wantField: "pv_number"},
		{name: "empty PV number", state: mine, action: complaint.Action{Type: complaint.ActionHandle}, wantField: "pv_number"},
		{name: "reject without reason", state: mine, action: complaint.Action{Type: complaint.ActionReject, Reason: "  "}, wantField: "reason"},
		{name: "forward without zone", state: mine, action: complaint.Action{Type: complaint.ActionForward}, wantField: "to_zone"},
		{name: "unknown action", state: mine, action: complaint.Action{Type: "delete"}, wantField: "type"},
		{name: "handle not claimed", state: fresh, action: complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"}, wantCode: complaint.ConflictNotClaimed},
		{name: "release not claimed", state: fresh, action: complaint.Action{Type: complaint.ActionRelease}, wantCode: complaint.ConflictNotClaimed},
		{name: "claimed by other", state: theirs, action: complaint.Action{Type: complaint.ActionClaim}, wantCode: complaint.ConflictClaimedByOther},
		{name: "reject claimed by other", state: theirs, action: complaint.Action{Type: complaint.ActionReject, Reason: "x"}, wantCode: complaint.ConflictClaimedByOther},
		{name: "forward to own zone", state: mine, action: complaint.Action{Type: complaint.ActionForward, ToZone: "5275"}, wantCode: complaint.ConflictSameZone},
		{name: "already handled", state: handled, action: complaint.Action{Type: complaint.ActionRelease}, wantCode: complaint.ConflictFinal},
		{name: "unknown complaint", state: mine, ref: "NOPE", action: complaint.Action{Type: complaint.ActionClaim}, notFound: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTemp(t)
			ctx := context.Background()
			apply(t, s, "c1", tt.state)
			before := mustGet(t, s, "R1")
			ref := tt.ref
			if ref == "" {
				ref = "R1"
			}
			_, err := s.Act(ctx, ref, tt.action, dupont, "nl")
			var fe complaint.FieldErrors
			var ce *complaint.ConflictError
			switch {
			case tt.wantField != "":
				if !errors.As(err, &fe) || !fe.Has(tt.wantField) {
					t.Errorf("err = %v, want a field error on %s", err, tt.wantField)
				}
			case tt.wantCode != "":
				if !errors.As(err, &ce) || ce.Code != tt.wantCode {
					t.Errorf("err = %v, want conflict %s", err, tt.wantCode)
				}
				if tt.wantCode == complaint.ConflictClaimedByOther && (ce.Holder == nil || ce.Holder.Name != peeters.Name) {
					t.Errorf("conflict does not name the holder: %+v", ce)
				}
			case tt.notFound:
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("err = %v, want ErrNotFound", err)
				}
			}
			c, _ := s.Counts(ctx, dupont.ID)
			if c.Outbox != 0 || c.Audit != 0 || c.Pending != 0 {
				t.Errorf("refusal wrote something: %+v", c)
			}
			if after := mustGet(t, s, "R1"); !reflect.DeepEqual(after, before) {
				t.Errorf("complaint changed by a refused action")
			}
		})
	}
}

func TestAckAndReject(t *testing.T) {
	ctx := context.Background()
	base := newRecord("R1", "Saskia", "Goossens")
	t.Run("ack applies the server state and clears pending", func(t *testing.T) {
		s := openTemp(t)
		apply(t, s, "c1", base)
		s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr")
		s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionReject, Reason: "Pas une infraction"}, dupont, "fr")
		out, _ := s.PendingActions(ctx, 0)
		claimed := serverApply(t, base, out[0].Action, dupont)
		if err := s.AckAction(ctx, out[0].ID, &claimed); err != nil {
			t.Fatal(err)
		}
		e := mustGet(t, s, "R1")
		if !e.Pending || e.Record.Status != complaint.StatusRejected || e.Server.Version != 2 {
			t.Errorf("after first ack: pending=%v status=%s server v%d", e.Pending, e.Record.Status, e.Server.Version)
		}
		rejected := serverApply(t, claimed, out[1].Action, dupont)
		if err := s.AckAction(ctx, out[1].ID, &rejected); err != nil {
			t.Fatal(err)
		}
		e = mustGet(t, s, "R1")
		if e.Pending || e.Record.Status != complaint.StatusRejected || e.Record.Version != 3 || !reflect.DeepEqual(e.Record, e.Server) {
			t.Errorf("after second ack: %+v", e)
		}
		// The reply processed twice (crash after commit) changes nothing.
		if err := s.AckAction(ctx, out[1].ID, &rejected); err != nil {
			t.Errorf("second ack: %v", err)
		}
	})
	t.Run("409 becomes a conflict naming the holder", func(t *testing.T) {
		s := openTemp(t)
		fixed := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return fixed }
		apply(t, s, "c1", base)
		s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr")
		out, _ := s.PendingActions(ctx, 0)
		theirs := serverApply(t, base, complaint.Action{Type: complaint.ActionClaim}, peeters)
		if err := s.RejectAction(ctx, out[0].ID, &theirs, complaint.CodeConflict, "déjà pris en charge"); err != nil {
			t.Fatal(err)
		}
		cs, _ := s.Conflicts(ctx)
		want := []Conflict{{ID: cs[0].ID, Reference: "R1", Action: complaint.Action{Type: complaint.ActionClaim},
			Code: complaint.CodeConflict, Message: "déjà pris en charge", HolderID: peeters.ID, HolderName: peeters.Name,
			Status: complaint.StatusClaimed, QueuedAt: fixed, At: fixed}}
		if !reflect.DeepEqual(cs, want) {
			t.Errorf("conflicts\n got %+v\nwant %+v", cs, want)
		}
		e := mustGet(t, s, "R1")
		if e.Pending || e.Record.ClaimedBy.ID != peeters.ID {
			t.Errorf("server state not applied: %+v", e.Record.ClaimedBy)
		}
		if c, _ := s.Counts(ctx, dupont.ID); c.Outbox != 0 || c.Conflicts != 1 {
			t.Errorf("counts %+v", c)
		}
		if err := s.DismissConflict(ctx, cs[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DismissConflict(ctx, cs[0].ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("second dismiss: %v", err)
		}
	})
}

func TestAudit(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	local := time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 7200))
	events := []complaint.AuditEvent{
		{Officer: "off-1", Zone: "5275", Kind: AuditView, Reference: "R1", Outcome: OutcomeOK},
		{ID: "fixed-id", At: local, Officer: "off-1", Zone: "5275", Kind: AuditCopy, Reference: "R1", Field: "complainant.last_name", Outcome: OutcomeOK},
		{ID: "fixed-id", At: local, Officer: "off-1", Zone: "5275", Kind: AuditCopy, Reference: "R1", Field: "complainant.last_name", Outcome: OutcomeOK},
	}
	for _, ev := range events {
		if err := s.Audit(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.PendingAudit(ctx, 0)
	if len(got) != 2 {
		t.Fatalf("audit = %+v (the same id twice must be stored once)", got)
	}
	if got[0].ID == "" || got[0].At.IsZero() || got[0].At.Location() != time.UTC {
		t.Errorf("first event not filled: %+v", got[0])
	}
	if got[1].ID != "fixed-id" || !got[1].At.Equal(local) || got[1].At.Location() != time.UTC {
		t.Errorf("second event: %+v", got[1])
	}
	if err := s.AckAudit(ctx, []string{got[0].ID, "unknown"}); err != nil {
		t.Fatal(err)
	}
	if rest, _ := s.PendingAudit(ctx, 10); len(rest) != 1 || rest[0].ID != "fixed-id" {
		t.Errorf("after ack: %+v", rest)
	}
}

// Counts.Audit counts every event not yet acknowledged by the portal:
// those of the audit table and the consultations' events still in the
// audit journal (written there without touching the database), each once —
// also an event that is in both, as a crash between the commit that took
// the journal in and its emptying leaves it.
func TestCountsAuditIncludesJournal(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	audit := func(ids ...string) {
		t.Helper()
		for _, id := range ids {
			if err := s.Audit(ctx, complaint.AuditEvent{ID: id, Officer: "off-1", Zone: "5275", Kind: AuditView, Reference: "R1", Outcome: OutcomeOK}); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := func(step string, n int) {
		t.Helper()
		c, err := s.Counts(ctx, "off-1")
		if err != nil {
			t.Fatal(err)
		}
		if c.Audit != n {
			t.Errorf("after %s: Counts.Audit = %d, want %d", step, c.Audit, n)
		}
		checkCounts(t, s, step)
	}
	want("nothing", 0)
	audit("view-1", "view-2", "view-2")
	want("two consultations in the journal", 2)
	if _, err := s.PendingAudit(ctx, 0); err != nil { // takes the journal in
		t.Fatal(err)
	}
	want("the journal taken in", 2)
	audit("view-1", "view-3") // view-1 again: in the table and the journal
	want("one more in the journal, one in both", 3)
	if err := s.AckAudit(ctx, []string{"view-1", "view-2"}); err != nil {
		t.Fatal(err)
	}
	want("two acknowledged", 1)
}
