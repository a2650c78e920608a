package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"modernc.org/sqlite"

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
	// The audit journal's events not in the table, once each.
	events, err := s.journalEvents()
	if err != nil {
		t.Fatal(err)
	}
	inJournal := map[string]bool{}
	for _, ev := range events {
		var stored int
		if err := s.db.QueryRow(`SELECT count(*) FROM audit WHERE id = ?`, ev.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == 0 && !inJournal[ev.ID] {
			inJournal[ev.ID] = true
			c.Audit++
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

// test_record_json(stored) is the plain JSON of a stored record, as
// guichet wrote it before migration 8.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("test_record_json", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			b, ok := args[0].([]byte)
			if !ok {
				return args[0], nil // NULL
			}
			return recordJSON(b)
		})
}

// downgradeTo makes a cache look as if an older guichet had written it:
// the schema objects of later migrations are removed and user_version set.
func downgradeTo(t *testing.T, s *Store, version int) {
	t.Helper()
	undo := map[int][]string{
		11: {`CREATE INDEX complaints_received     ON complaints(received_at, reference)`,
			`CREATE INDEX complaints_type         ON complaints(fact_type, reference)`,
			`CREATE INDEX complaints_municipality ON complaints(municipality_key, reference)`,
			`CREATE INDEX complaints_complainant  ON complaints(complainant_key, reference)`,
			`CREATE INDEX complaints_status       ON complaints(status_rank, reference)`,
			`DROP INDEX forwards_officer`, `CREATE INDEX forwards_officer ON forwards(officer_id, forwarded_at)`},
		10: {`ALTER TABLE complaints DROP COLUMN search_hash`},
		// 8: the JSON as written then (plain), the index with its own
		// copy of the text and no row for a tombstone stub.
		8: {`CREATE TEMP TABLE old_text AS SELECT id, body FROM complaints_search WHERE body <> ''`,
			`DROP TABLE complaints_fts`, `DROP VIEW complaints_search`,
			`CREATE VIRTUAL TABLE complaints_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')`,
			`INSERT INTO complaints_fts(rowid, body) SELECT id, body FROM temp.old_text`,
			`DROP TABLE temp.old_text`,
			`UPDATE complaint_json SET server_json = test_record_json(server_json), local_json = test_record_json(local_json)`},
		7: {`DROP TRIGGER outbox_forward_queued`, `DROP TRIGGER outbox_forward_settled`,
			`DROP TRIGGER conflict_forward_refused`, `DROP TABLE forwards`},
		5: {`ALTER TABLE complaints ADD COLUMN server_json BLOB NOT NULL DEFAULT x''`,
			`ALTER TABLE complaints ADD COLUMN local_json BLOB`,
			`UPDATE complaints SET server_json = (SELECT server_json FROM complaint_json j WHERE j.id = complaints.id),
				local_json = (SELECT local_json FROM complaint_json j WHERE j.id = complaints.id)`,
			`DROP TRIGGER complaints_json_delete`, `DROP TABLE complaint_json`},
		4: {`DROP INDEX complaints_stats`, `DROP INDEX complaints_places`, `DROP INDEX complaints_closed`},
		3: {`ALTER TABLE complaints DROP COLUMN street`, `ALTER TABLE complaints DROP COLUMN handled_at`,
			`ALTER TABLE complaints DROP COLUMN closed_at`},
		2: {`DROP TRIGGER complaints_count_insert`, `DROP TRIGGER complaints_count_delete`,
			`DROP TRIGGER complaints_count_update`, `DROP TABLE status_counts`},
	}
	for v := len(migrations()); v > version; v-- {
		for _, q := range undo[v] {
			if _, err := s.db.Exec(q); err != nil {
				t.Fatalf("undo migration %d: %s: %v", v, q, err)
			}
		}
	}
	if _, err := s.db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, version)); err != nil {
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
		claimFirstNew(t, s, recs)
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

// A cache of schema 4 (the JSON in the complaints table) moves to the
// layout of 5 without a sync: every complaint reads the same, queued
// actions stay queued and still replay on a newer server state, search
// still finds, and deleting a complaint deletes its JSON.
func TestMigrationMovesJSONKeepsQueuedActions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := storetest.Records(100, 5)
	apply(t, s, "c1", recs...)
	claimed := claimFirstNew(t, s, recs).Reference
	before := map[string]Entry{}
	for _, r := range recs {
		before[r.Reference] = mustGet(t, s, r.Reference)
	}
	queued, err := s.PendingActions(ctx, 0)
	if err != nil || len(queued) != 1 {
		t.Fatalf("fixture: %d queued actions (%v)", len(queued), err)
	}
	downgradeTo(t, s, 4)
	var cols int
	s.db.QueryRow(`SELECT count(*) FROM pragma_table_info('complaints') WHERE name IN ('server_json', 'local_json')`).Scan(&cols)
	if cols != 2 {
		t.Fatalf("fixture: the schema 4 cache has %d JSON columns in complaints, want 2", cols)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.db.QueryRow(`SELECT count(*) FROM pragma_table_info('complaints') WHERE name IN ('server_json', 'local_json')`).Scan(&cols)
	if cols != 0 {
		t.Errorf("complaints still has %d JSON columns after the migration", cols)
	}
	for ref, want := range before {
		if got := mustGet(t, s, ref); !reflect.DeepEqual(got, want) {
			t.Errorf("%s after migration\n got %+v\nwant %+v", ref, got, want)
		}
	}
	after, err := s.PendingActions(ctx, 0)
	if err != nil || !reflect.DeepEqual(after, queued) {
		t.Errorf("queued actions after migration: %+v (%v), want %+v", after, err, queued)
	}
	checkCounts(t, s, "migration 5")
	name := before[claimed].Record.Complainant.LastName
	if rows, err := s.Page(ctx, Query{Search: name}, nil, 100); err != nil || !slices.Contains(refs(rows), claimed) {
		t.Errorf("search %q after migration: %v (%v), want %s among them", name, refs(rows), err, claimed)
	}
	// A newer server state of the claimed complaint: the queued claim is
	// replayed on it.
	newer := before[claimed].Server
	newer.Version++
	newer.Facts.Description = "précision après migration"
	apply(t, s, "c2", newer)
	e := mustGet(t, s, claimed)
	if !e.Pending || e.Record.Status != complaint.StatusClaimed || e.Record.Facts.Description != newer.Facts.Description {
		t.Errorf("after a newer server state: pending=%v status=%s description=%q", e.Pending, e.Record.Status, e.Record.Facts.Description)
	}
	// A tombstone takes the JSON with the row.
	gone := recs[len(recs)-1].Reference
	if gone == claimed {
		gone = recs[len(recs)-2].Reference
	}
	if err := s.ApplyFeedPage(ctx, []complaint.FeedItem{{Reference: gone, Tombstone: true}}, "c3"); err != nil {
		t.Fatal(err)
	}
	var orphans int
	s.db.QueryRow(`SELECT count(*) FROM complaint_json WHERE id NOT IN (SELECT id FROM complaints)`).Scan(&orphans)
	if orphans != 0 {
		t.Errorf("%d JSON rows without their complaint", orphans)
	}
}

// TestRetentionIndexIsFinalStatuses: the partial index a purge uses was
// written in a migration (history, never edited); it must name exactly the
// final statuses, as the purge's query does.
func TestRetentionIndexIsFinalStatuses(t *testing.T) {
	want := "ON complaints(status, updated_at) WHERE " + finalStatusSQL() + ";"
	found := false
	for _, m := range migrations() {
		for _, line := range strings.Split(m.SQL, "\n") {
			if strings.HasPrefix(line, "CREATE INDEX complaints_retention ") {
				found = true
				if !strings.HasSuffix(line, want) {
					t.Errorf("%s\nwant it to end with %s", line, want)
				}
			}
		}
	}
	if !found {
		t.Fatal("no complaints_retention index in the migrations")
	}
}

// TestMigrationsEmbedded: the cache's migrations are the numbered files of
// migrations/, each with its Go step where it has one.
func TestMigrationsEmbedded(t *testing.T) {
	if len(migrations()) != SchemaVersion() || len(migrations()) < 8 {
		t.Fatalf("%d migrations", len(migrations()))
	}
	for _, m := range migrations() {
		if (migrationFill(m.Version) != nil) != (m.Go != nil) {
			t.Errorf("%s: Go step %v, want %v", m.Name, m.Go != nil, migrationFill(m.Version) != nil)
		}
	}
}

// complaintIndexes are the names of the indexes of a table, sorted.
func complaintIndexes(t *testing.T, s *Store, table string) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? ORDER BY name`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		out = append(out, name)
	}
	return out
}

// A cache of schema 10 (the five sort indexes without the status) moves to
// the indexes of 11 at open, without a sync: the indexes go, queued actions
// stay queued and replay, every tab reads the same rows in the same order,
// and the forwards are read in index order.
func TestMigrationDropsSortIndexesKeepsQueue(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := storetest.Records(300, 17)
	apply(t, s, "c1", recs...)
	claimed := claimFirstNew(t, s, recs).Reference
	queued, err := s.PendingActions(ctx, 0)
	if err != nil || len(queued) != 1 {
		t.Fatalf("fixture: %d queued actions (%v)", len(queued), err)
	}
	wantIndexes := complaintIndexes(t, s, "complaints")
	downgradeTo(t, s, 10)
	if got := complaintIndexes(t, s, "complaints"); !slices.Contains(got, "complaints_received") || !slices.Contains(got, "complaints_status") {
		t.Fatalf("fixture: the schema 10 cache has indexes %v", got)
	}
	queries := []Query{{}, {Statuses: []complaint.Status{complaint.StatusNew}},
		{Statuses: complaint.FinalStatuses(), Sort: SortComplainant, Desc: true},
		{Sort: SortStatus}, {Sort: SortMunicipality}, {Sort: SortReference, Desc: true}}
	before := map[int][]string{}
	for i, q := range queries {
		before[i] = fullScan(t, s, q)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := complaintIndexes(t, s, "complaints"); !slices.Equal(got, wantIndexes) {
		t.Errorf("indexes after the migration:\n got %v\nwant %v", got, wantIndexes)
	}
	for _, gone := range []string{"complaints_received", "complaints_type", "complaints_municipality", "complaints_complainant", "complaints_status"} {
		if slices.Contains(complaintIndexes(t, s, "complaints"), gone) {
			t.Errorf("%s still there after the migration", gone)
		}
	}
	for i, q := range queries {
		var got []string
		var after *Key
		for {
			rows, err := s.Page(ctx, q, after, 40)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 {
				break
			}
			got = append(got, refs(rows)...)
			k := rows[len(rows)-1].Key()
			after = &k
		}
		if !slices.Equal(got, before[i]) {
			t.Errorf("query %+v after the migration: %d rows, want the %d of before in the same order", q, len(got), len(before[i]))
		}
	}
	if after, err := s.PendingActions(ctx, 0); err != nil || !reflect.DeepEqual(after, queued) {
		t.Errorf("queued actions after migration: %+v (%v), want %+v", after, err, queued)
	}
	checkCounts(t, s, "migration 11")
	e := mustGet(t, s, claimed)
	newer := e.Server
	newer.Version++
	apply(t, s, "c2", newer)
	if e := mustGet(t, s, claimed); !e.Pending || e.Record.Status != complaint.StatusClaimed {
		t.Errorf("the queued claim after a newer server state: pending=%v status=%s", e.Pending, e.Record.Status)
	}
}

// OpenWith tells its caller before it moves a cache written by an older
// guichet to the current layout, and only then: not for a new cache, not
// for a current one.
func TestOpenWithTellsOfAMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g", "cache.db")
	var told [][2]int
	migrating := func(from, to int) { told = append(told, [2]int{from, to}) }
	open := func() *Store {
		t.Helper()
		s, err := OpenWith(path, OpenOptions{Migrating: migrating})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	if len(told) != 0 {
		t.Fatalf("a new cache: told %v", told)
	}
	apply(t, s, "c1", storetest.Records(10, 2)...)
	downgradeTo(t, s, 10)
	s.Close()
	s = open()
	if want := [][2]int{{10, SchemaVersion()}}; !slices.Equal(told, want) {
		t.Fatalf("a cache of schema 10: told %v, want %v", told, want)
	}
	s.Close()
	s = open()
	defer s.Close()
	if len(told) != 1 {
		t.Fatalf("a current cache: told %v", told[1:])
	}
}
