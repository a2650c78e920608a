package store

import (
	"context"
	"path/filepath"
	"testing"

	"guichet/complaint"
)

// Salvage leaves out a queued action or an audit event it cannot read
// (its JSON damaged), keeps every other one in order, and says the work
// it saved is not complete.
func TestSalvageSkipsUnreadableRows(t *testing.T) {
	for _, c := range []struct {
		name, damage string
		actions      int // saved, of 4
	}{
		{"action", `UPDATE outbox SET action_json = x'7b' WHERE id = (SELECT min(id) + 1 FROM outbox)`, 3},
		{"audit event", `UPDATE audit SET event_json = x'7b' WHERE seq = (SELECT min(seq) + 1 FROM audit)`, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "g", "cache.db")
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			recs := newRecords(4)
			if err := s.BulkLoad(ctx, recs); err != nil {
				t.Fatal(err)
			}
			for _, r := range recs {
				if _, err := s.Act(ctx, r.Reference, complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
					t.Fatal(err)
				}
			}
			queued, err := s.PendingActions(ctx, 0)
			if err != nil || len(queued) != 4 {
				t.Fatalf("fixture: %d queued (%v)", len(queued), err)
			}
			events, err := s.PendingAudit(ctx, 0)
			if err != nil || len(events) < 2 {
				t.Fatalf("fixture: %d audit events (%v)", len(events), err)
			}
			if _, err := s.db.Exec(c.damage); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			sv, err := Salvage(path)
			if err != nil {
				t.Fatal(err)
			}
			if sv.Complete {
				t.Error("saved work said complete with an unreadable row")
			}
			if len(sv.Actions) != c.actions {
				t.Fatalf("saved %d actions, want %d", len(sv.Actions), c.actions)
			}
			want := queued
			if c.actions == 3 {
				want = append([]OutboxEntry{queued[0]}, queued[2:]...)
			}
			for i, e := range sv.Actions {
				if e.Key != want[i].Key || e.Reference != want[i].Reference {
					t.Errorf("saved action %d is %s %s, want %s %s", i, e.Key, e.Reference, want[i].Key, want[i].Reference)
				}
			}
			wantAudit := len(events)
			if c.actions == 4 {
				wantAudit--
			}
			if len(sv.Audit) != wantAudit {
				t.Errorf("saved %d audit events, want %d", len(sv.Audit), wantAudit)
			}
		})
	}
}
