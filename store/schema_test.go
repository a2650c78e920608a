package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// countedByScan is what Counts must say, counted the slow way: a scan of
// the complaints (the maintained counters are compared to it).
func countedByScan(t *testing.T, s *Store, me string) Counts {
	t.Helper()
	c := Counts{ByStatus: map[complaint.Status]int{}}
	rows, err := s.db.Query(`SELECT status, claimed_by_id, pending FROM complaints`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var st, by string
		var pending int
		if err := rows.Scan(&st, &by, &pending); err != nil {
			t.Fatal(err)
		}
		c.ByStatus[complaint.Status(st)]++
		c.All++
		if st == string(complaint.StatusClaimed) && by == me {
			c.Mine++
		}
		c.Pending += pending
	}
	for _, q := range []struct {
		table string
		n     *int
	}{{"outbox", &c.Outbox}, {"conflicts", &c.Conflicts}, {"audit", &c.Audit}} {
		if err := s.db.QueryRow(`SELECT count(*) FROM ` + q.table).Scan(q.n); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func checkCounts(t *testing.T, s *Store, step string) {
	t.Helper()
	for _, me := range []string{dupont.ID, peeters.ID} {
		got, err := s.Counts(context.Background(), me)
		if err != nil {
			t.Fatal(err)
		}
		if want := countedByScan(t, s, me); !reflect.DeepEqual(got, want) {
			t.Errorf("after %s, Counts(%s)\n got %+v\nwant %+v", step, me, got, want)
		}
	}
}

// Every write path keeps the per-status counters equal to the complaints.
func TestCountsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	recs := storetest.Records(60, 7)
	for i := range recs {
		recs[i].UpdatedAt = now.Add(-40 * 24 * time.Hour)
	}
	apply(t, s, "c1", recs[:40]...)
	checkCounts(t, s, "first page")

	// Feed updates: claims by the server, a higher version of a claimed one.
	var newRefs []string
	for i, r := range recs[:40] {
		if r.Status == complaint.StatusNew {
			newRefs = append(newRefs, r.Reference)
			if len(newRefs) <= 3 {
				recs[i] = serverApply(t, r, complaint.Action{Type: complaint.ActionClaim}, peeters)
			}
		}
	}
	if len(newRefs) < 6 {
		t.Fatalf("fixture: %d new complaints, want 6", len(newRefs))
	}
	apply(t, s, "c2", recs[:45]...)
	checkCounts(t, s, "server claims")

	// Local actions (pending), then acknowledged and refused.
	for _, ref := range newRefs[3:6] {
		if _, err := s.Act(ctx, ref, complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
			t.Fatal(err)
		}
	}
	checkCounts(t, s, "local claims")
	queued, err := s.PendingActions(ctx, 0)
	if err != nil || len(queued) != 3 {
		t.Fatalf("outbox %d, %v", len(queued), err)
	}
	if err := s.AckAction(ctx, queued[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	cur := mustGet(t, s, queued[1].Reference).Server
	held := serverApply(t, cur, complaint.Action{Type: complaint.ActionClaim}, peeters)
	if err := s.RejectAction(ctx, queued[1].ID, &held, "conflict", "held"); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, "ack and reject")

	// Tombstones: one without queued actions (row deleted), one with.
	err = s.ApplyFeedPage(ctx, []complaint.FeedItem{
		{Reference: recs[0].Reference, Version: recs[0].Version + 1, Tombstone: true},
		{Reference: queued[2].Reference, Version: 99, Tombstone: true},
	}, "c3")
	if err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, "tombstones")
	if err := s.RejectAction(ctx, queued[2].ID, nil, "not_found", "gone"); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, "settled tombstone")

	// Relist that no longer lists half of them, then purge.
	if err := s.ResetForRelist(ctx); err != nil {
		t.Fatal(err)
	}
	apply(t, s, "r1", recs[20:60]...)
	if _, err := s.FinishRelist(ctx); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, "relist")
	if _, err := s.Purge(ctx, 30*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, s, "purge")
}

// downgradeTo makes a cache look as if an older guichet had written it:
// the schema objects of later migrations are removed and user_version set.
func downgradeTo(t *testing.T, s *Store, version int) {
	t.Helper()
	undo := map[int][]string{
		4: {`DROP INDEX complaints_stats`, `DROP INDEX complaints_places`, `DROP INDEX complaints_closed`},
		3: {`ALTER TABLE complaints DROP COLUMN street`, `ALTER TABLE complaints DROP COLUMN handled_at`,
			`ALTER TABLE complaints DROP COLUMN closed_at`},
		2: {`DROP TRIGGER complaints_count_insert`, `DROP TRIGGER complaints_count_delete`,
			`DROP TRIGGER complaints_count_update`, `DROP TABLE status_counts`},
	}
	for v := len(migrations); v > version; v-- {
		for _, q := range undo[v] {
			if _, err := s.db.Exec(q); err != nil {
				t.Fatalf("undo migration %d: %s: %v", v, q, err)
			}
		}
	}
	if _, err := s.db.Exec(`PRAGMA user_version = ` + string(rune('0'+version))); err != nil {
		t.Fatal(err)
	}
}

// A cache written by an older guichet is migrated, and what the new
// schema keeps alongside the complaints is filled from them.
func TestMigrationBackfillsOldCaches(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := storetest.Records(200, 3)
	apply(t, s, "c1", recs...)
	if _, err := s.Act(ctx, recs[0].Reference, complaint.Action{Type: complaint.ActionRelease}, dupont, "en"); err != nil {
		// Not every fixture record is claimed by dupont; any queued action will do.
		for _, r := range recs {
			if r.Status == complaint.StatusNew {
				if _, err := s.Act(ctx, r.Reference, complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
	}
	want, err := s.Counts(ctx, dupont.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantCols := statsColumns(t, s)
	if !strings.Contains(wantCols, "handled") || !strings.Contains(wantCols, "closed") {
		t.Fatalf("fixture: no handled or closed complaint:\n%s", wantCols)
	}
	period := StatsQuery{From: recs[0].ReceivedAt.Add(-24 * time.Hour), To: recs[len(recs)-1].ReceivedAt.Add(time.Hour)}
	wantStats, err := s.Stats(ctx, period)
	if err != nil {
		t.Fatal(err)
	}
	downgradeTo(t, s, 1)
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	s.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != SchemaVersion() {
		t.Fatalf("schema version %d after open, want %d", v, SchemaVersion())
	}
	got, err := s.Counts(ctx, dupont.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("counts after migration\n got %+v\nwant %+v", got, want)
	}
	checkCounts(t, s, "migration")
	if got := statsColumns(t, s); got != wantCols {
		t.Errorf("statistics columns after migration differ:\n got %s\nwant %s", got, wantCols)
	}
	gotStats, err := s.Stats(ctx, period)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotStats, wantStats) {
		t.Errorf("stats after migration\n got %+v\nwant %+v", gotStats, wantStats)
	}
}

// statsColumns lists the statistics columns of every complaint, as the
// writer filled them.
func statsColumns(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.db.Query(`SELECT reference, status, street, handled_at, closed_at FROM complaints ORDER BY reference`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var ref, st, street string
		var handled, closed sql.NullInt64
		if err := rows.Scan(&ref, &st, &street, &handled, &closed); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s %q", ref, st, street)
		if handled.Valid {
			fmt.Fprintf(&b, " handled %d", handled.Int64)
		}
		if closed.Valid {
			fmt.Fprintf(&b, " closed %d", closed.Int64)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
