package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
	"time"

	"guichet/complaint"
)

func TestApplyFeedPageKeepsHigherVersion(t *testing.T) {
	base := newRecord("R1", "Anaïs", "Lambert")
	base.Version = 5
	tests := []struct {
		name        string
		version     int64
		description string
		want        string
	}{
		{"lower version ignored", 4, "older", base.Facts.Description},
		{"equal version ignored", 5, "same version, other text", base.Facts.Description},
		{"higher version applied", 6, "newer", "newer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTemp(t)
			ctx := context.Background()
			apply(t, s, "c1", base)
			r := base
			r.Version, r.Facts.Description = tt.version, tt.description
			apply(t, s, "c2", r)
			got := mustGet(t, s, "R1")
			if got.Record.Facts.Description != tt.want {
				t.Errorf("description = %q, want %q", got.Record.Facts.Description, tt.want)
			}
			if c, _ := s.Cursor(ctx); c != "c2" {
				t.Errorf("cursor = %q, want c2 (stored with every page)", c)
			}
		})
	}
}

func TestApplyFeedPageIsAtomic(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	good := newRecord("R1", "Loïc", "Martin")
	bad := complaint.FeedItem{Reference: "R2", Version: 1} // no record: refused
	if err := s.ApplyFeedPage(ctx, []complaint.FeedItem{item(good), bad}, "c9"); err == nil {
		t.Fatal("a page with a malformed item was accepted")
	}
	if _, err := s.Get(ctx, "R1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("R1 of the failed page is cached: %v", err)
	}
	if c, _ := s.Cursor(ctx); c != "" {
		t.Errorf("cursor of the failed page stored: %q", c)
	}
}

// fileBytes is the cache file and its write-ahead log, for scanning.
func fileBytes(t *testing.T, s *Store) []byte {
	t.Helper()
	// A checkpoint answers busy (without an error) while another connection
	// of the pool still reads, or the background checkpointer runs; the log
	// then keeps older frames. Ask again until it completes, so the scan
	// sees the settled file: no count of attempts (100 polls, about 1 s,
	// can pass under -race on a loaded machine), only the test's deadline.
	for {
		var busy, logFrames, checkpointed int
		if err := s.db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &checkpointed); err != nil {
			t.Fatal(err)
		}
		if busy == 0 {
			break
		}
		if dl, ok := t.Deadline(); ok && time.Until(dl) < 10*time.Second {
			t.Fatal("the write-ahead log could not be checkpointed: a connection stays busy")
		}
		time.Sleep(10 * time.Millisecond)
	}
	var all []byte
	for _, p := range []string{s.path, s.path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestTombstoneRemovesPersonalData(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	// Names unique enough to scan the raw file for them.
	victim := newRecord("R1", "Quentinovska", "Zyxwvutsrq")
	other := newRecord("R2", "Hélène", "Peeters")
	apply(t, s, "c1", victim, other)
	if !bytes.Contains(fileBytes(t, s), []byte("Zyxwvutsrq")) {
		t.Fatal("fixture: name not found in the file before the tombstone")
	}
	err := s.ApplyFeedPage(ctx, []complaint.FeedItem{{Reference: "R1", Version: 2, Tombstone: true}}, "c2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "R1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after tombstone: %v", err)
	}
	if rows, _ := s.Page(ctx, Query{Search: "Zyxwvu"}, nil, 10); len(rows) != 0 {
		t.Errorf("search still finds the tombstoned complaint: %v", refs(rows))
	}
	var n int
	s.db.QueryRow(`SELECT count(*) FROM complaints_fts WHERE complaints_fts MATCH 'zyxwvutsrq'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d full-text rows left", n)
	}
	if raw := fileBytes(t, s); bytes.Contains(raw, []byte("Zyxwvutsrq")) || bytes.Contains(raw, []byte("zyxwvutsrq")) {
		t.Error("the name is still in the cache file after the tombstone")
	}
	if _, err := s.Get(ctx, "R2"); err != nil {
		t.Errorf("the other complaint went too: %v", err)
	}
}

func TestPendingActionSurvivesPull(t *testing.T) {
	ctx := context.Background()
	base := newRecord("R1", "Jérôme", "Claes")
	t.Run("newer server state, action still applies", func(t *testing.T) {
		s := openTemp(t)
		apply(t, s, "c1", base)
		if _, err := s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr"); err != nil {
			t.Fatal(err)
		}
		newer := base
		newer.Version, newer.Facts.Description = 2, "précision ajoutée"
		apply(t, s, "c2", newer)
		e := mustGet(t, s, "R1")
		if !e.Pending || e.Record.Status != complaint.StatusClaimed || e.Record.ClaimedBy == nil || e.Record.ClaimedBy.ID != dupont.ID {
			t.Errorf("local claim lost: pending=%v status=%s", e.Pending, e.Record.Status)
		}
		if e.Record.Facts.Description != "précision ajoutée" || e.Server.Version != 2 || e.Record.Version != 2 {
			t.Errorf("server update not taken: %q v%d", e.Record.Facts.Description, e.Server.Version)
		}
		if out, _ := s.PendingActions(ctx, 0); len(out) != 1 {
			t.Errorf("outbox has %d rows, want 1", len(out))
		}
		rows, _ := s.Page(ctx, Query{Statuses: []complaint.Status{complaint.StatusClaimed}}, nil, 10)
		if len(rows) != 1 || !rows[0].Pending || rows[0].ClaimedByName != dupont.Name {
			t.Errorf("queue row = %+v", rows)
		}
	})
	t.Run("server says someone else claimed it", func(t *testing.T) {
		s := openTemp(t)
		apply(t, s, "c1", base)
		if _, err := s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr"); err != nil {
			t.Fatal(err)
		}
		apply(t, s, "c2", serverApply(t, base, complaint.Action{Type: complaint.ActionClaim}, peeters))
		e := mustGet(t, s, "R1")
		if !e.Pending {
			t.Error("pending flag lost")
		}
		if e.Record.ClaimedBy == nil || e.Record.ClaimedBy.ID != peeters.ID {
			t.Errorf("shows %v, want the server's holder while our claim waits for its refusal", e.Record.ClaimedBy)
		}
		if out, _ := s.PendingActions(ctx, 0); len(out) != 1 {
			t.Fatalf("outbox has %d rows, want 1", len(out))
		}
	})
	t.Run("tombstone while pending keeps the action", func(t *testing.T) {
		s := openTemp(t)
		apply(t, s, "c1", base)
		if _, err := s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr"); err != nil {
			t.Fatal(err)
		}
		if err := s.ApplyFeedPage(ctx, []complaint.FeedItem{{Reference: "R1", Version: 3, Tombstone: true}}, "c2"); err != nil {
			t.Fatal(err)
		}
		out, _ := s.PendingActions(ctx, 0)
		if len(out) != 1 {
			t.Fatalf("outbox has %d rows, want 1", len(out))
		}
		if rows, _ := s.Page(ctx, Query{Search: "Claes"}, nil, 10); len(rows) != 0 {
			t.Errorf("tombstoned complaint still searchable")
		}
		e := mustGet(t, s, "R1")
		if e.Server.Complainant.LastName != "" {
			t.Errorf("personal data kept after tombstone: %q", e.Server.Complainant.LastName)
		}
		// The portal refuses the claim; the row then goes and nothing is left.
		if err := s.RejectAction(ctx, out[0].ID, nil, "not_found", "gone"); err != nil {
			t.Fatal(err)
		}
		if cs, _ := s.Conflicts(ctx); len(cs) != 1 {
			t.Errorf("conflicts = %v", cs)
		}
		if _, err := s.Get(ctx, "R1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("the left complaint is still cached once its outbox settled: %v", err)
		}
	})
}

// The portal answers a forward with the forwarded record at version v and
// then lists its tombstone at the same version v: the tombstone must remove
// the complaint the answer stored, not be ignored as "not newer".
func TestTombstoneOfForwardAnswerVersionRemoves(t *testing.T) {
	ctx := context.Background()
	held := serverApply(t, newRecord("R1", "Forwardovska", "Qwertzuiop"), complaint.Action{Type: complaint.ActionClaim}, dupont)
	fwd := complaint.Action{Type: complaint.ActionForward, ToZone: "5267", Reason: "Genappe."}
	for _, tc := range []struct {
		name            string
		tombstoneFirst  bool // the pull ran before the answer was processed
		tombstoneOffset int64
		wantGone        bool
	}{
		{"answer then tombstone of the same version", false, 0, true},
		{"answer then newer tombstone", false, 1, true},
		{"answer then older tombstone", false, -1, false},
		{"tombstone then answer", true, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			apply(t, s, "c1", held)
			if _, err := s.Act(ctx, "R1", fwd, dupont, "fr"); err != nil {
				t.Fatal(err)
			}
			out, _ := s.PendingActions(ctx, 0)
			if len(out) != 1 {
				t.Fatalf("outbox has %d rows", len(out))
			}
			answer := serverApply(t, held, fwd, dupont) // version held+1, forwarded
			tomb := complaint.FeedItem{Reference: "R1", Version: answer.Version + tc.tombstoneOffset, Tombstone: true}
			if tc.tombstoneFirst {
				if err := s.ApplyFeedPage(ctx, []complaint.FeedItem{tomb}, "c2"); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.AckAction(ctx, out[0].ID, &answer); err != nil {
				t.Fatal(err)
			}
			if !tc.tombstoneFirst {
				if err := s.ApplyFeedPage(ctx, []complaint.FeedItem{tomb}, "c2"); err != nil {
					t.Fatal(err)
				}
			}
			_, err := s.Get(ctx, "R1")
			if gone := errors.Is(err, ErrNotFound); gone != tc.wantGone {
				t.Errorf("complaint gone = %v (err %v), want %v", gone, err, tc.wantGone)
			}
			if rows, _ := s.Page(ctx, Query{Search: "Qwertzuiop"}, nil, 10); len(rows) != 0 && tc.wantGone {
				t.Errorf("still searchable after its tombstone")
			}
			checkCounts(t, s, tc.name)
		})
	}
}

func TestRelistKeepsOutbox(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	a, b, c := newRecord("R1", "A", "Un"), newRecord("R2", "B", "Deux"), newRecord("R3", "C", "Trois")
	apply(t, s, "c1", a, b, c)
	if _, err := s.Act(ctx, "R3", complaint.Action{Type: complaint.ActionClaim}, dupont, "fr"); err != nil {
		t.Fatal(err)
	}
	if err := s.ResetForRelist(ctx); err != nil {
		t.Fatal(err)
	}
	if cur, _ := s.Cursor(ctx); cur != "" {
		t.Errorf("cursor after reset = %q", cur)
	}
	if on, _ := s.Relisting(ctx); !on {
		t.Error("Relisting = false after reset")
	}
	// The new epoch lists R1 only (same version: ignored but seen).
	apply(t, s, "e2-1", a)
	n, err := s.FinishRelist(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("removed %d, want 1 (R2)", n)
	}
	if _, err := s.Get(ctx, "R2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("R2 not listed again but kept: %v", err)
	}
	for _, ref := range []string{"R1", "R3"} {
		if _, err := s.Get(ctx, ref); err != nil {
			t.Errorf("%s: %v", ref, err)
		}
	}
	if out, _ := s.PendingActions(ctx, 0); len(out) != 1 || out[0].Reference != "R3" {
		t.Errorf("outbox after relist = %+v", out)
	}
	if on, _ := s.Relisting(ctx); on {
		t.Error("still relisting after FinishRelist")
	}
	if n, _ := s.FinishRelist(ctx); n != 0 {
		t.Errorf("second FinishRelist removed %d", n)
	}
}

func TestRelistTakesPortalStateOfNewEpoch(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	r := newRecord("R1", "Maëlle", "Fontaine")
	r.Version, r.Facts.Description = 7, "état perdu par le portail"
	apply(t, s, "c1", r)
	if err := s.ResetForRelist(ctx); err != nil {
		t.Fatal(err)
	}
	restored := r
	restored.Version, restored.Facts.Description = 3, "état restauré"
	apply(t, s, "e2-1", restored)
	if got := mustGet(t, s, "R1"); got.Record.Version != 3 || got.Record.Facts.Description != "état restauré" {
		t.Errorf("after relist: v%d %q, want the portal's v3", got.Record.Version, got.Record.Facts.Description)
	}
	// Within the same relist, higher version wins again.
	older := restored
	older.Version, older.Facts.Description = 2, "plus ancien"
	apply(t, s, "e2-2", older)
	if got := mustGet(t, s, "R1"); got.Record.Version != 3 {
		t.Errorf("a lower version seen twice in a relist replaced v3: v%d", got.Record.Version)
	}
	if rows, _ := s.Page(ctx, Query{Search: "restauré"}, nil, 5); len(rows) != 1 {
		t.Errorf("search does not find the restored text")
	}
}

// Feed pages commit with synchronous=NORMAL on their connection; every
// connection the pool hands out afterwards must be back to FULL, or an
// action committed on it could be lost to a power cut.
func TestFeedPageLeavesConnectionsSynchronous(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for i := range 5 {
		apply(t, s, "c", newRecord("R"+string(rune('1'+i)), "A", "B"))
	}
	conns := make([]*sql.Conn, 4) // the pool's size: every connection
	for i := range conns {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for i, c := range conns {
		var mode int
		if err := c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if mode != 2 {
			t.Errorf("connection %d: synchronous = %d after feed pages, want 2 (FULL)", i, mode)
		}
	}
}
