package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"guichet/complaint"
	"guichet/store/storetest"
)

// searchIndexOK fails the test when the full-text index does not hold
// exactly the text its content view makes from the stored records.
func searchIndexOK(t *testing.T, s *Store, step string) {
	t.Helper()
	if _, err := s.db.Exec(`INSERT INTO complaints_fts(complaints_fts, rank) VALUES('integrity-check', 1)`); err != nil {
		t.Fatalf("after %s, the full-text index does not match the records: %v", step, err)
	}
}

// Records are stored compressed, read back exactly, and the full-text
// index keeps no copy of their text.
func TestRecordsStoredCompressedIndexWithoutText(t *testing.T) {
	s := openTemp(t)
	recs := storetest.Records(200, 11)
	apply(t, s, "c1", recs...)
	var plain int
	for _, r := range recs {
		js, _ := json.Marshal(r)
		plain += len(js)
		if got := mustGet(t, s, r.Reference).Record; !reflect.DeepEqual(got, r) {
			t.Fatalf("%s read back\n got %+v\nwant %+v", r.Reference, got, r)
		}
	}
	var stored, notCompressed int
	if err := s.db.QueryRow(`SELECT sum(length(server_json)), count(*) FILTER (WHERE substr(server_json, 1, 4) <> ?)
		FROM complaint_json`, zstdMagic).Scan(&stored, &notCompressed); err != nil {
		t.Fatal(err)
	}
	if notCompressed != 0 {
		t.Errorf("%d records stored uncompressed", notCompressed)
	}
	if stored*3 > plain {
		t.Errorf("records take %d bytes stored, %d as JSON: want at most a third", stored, plain)
	}
	var tables []string
	rows, err := s.db.Query(`SELECT name FROM sqlite_schema WHERE name LIKE 'complaints_fts%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if slices.Contains(tables, "complaints_fts_content") {
		t.Errorf("the full-text index keeps its own copy of the text: %v", tables)
	}
	searchIndexOK(t, s, "a first page")
}

// Every write path keeps the index equal to the text of the records it
// reads it from: a local action that changes the searched text (a PV
// number), a newer server state, a tombstone with and without queued
// actions, settling them, a relist and a purge. Search finds what the
// officer sees.
func TestSearchIndexFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	recs := storetest.Records(60, 12)
	var fresh []string
	for i := range recs {
		recs[i].UpdatedAt = recs[i].ReceivedAt
		if recs[i].Status == complaint.StatusNew {
			fresh = append(fresh, recs[i].Reference)
		}
	}
	if len(fresh) < 3 {
		t.Fatalf("fixture: %d new complaints", len(fresh))
	}
	apply(t, s, "c1", recs...)
	searchIndexOK(t, s, "first page")

	// Claim and handle locally with a PV number: the text searched changes
	// before the portal confirms.
	for _, a := range []complaint.Action{{Type: complaint.ActionClaim}, {Type: complaint.ActionHandle, PVNumber: "NI.55.L5.424242/2026"}} {
		if _, err := s.Act(ctx, fresh[0], a, dupont, "en"); err != nil {
			t.Fatal(err)
		}
	}
	searchIndexOK(t, s, "local actions")
	if rows, err := s.Page(ctx, Query{Search: "424242"}, nil, 10); err != nil || !reflect.DeepEqual(refs(rows), []string{fresh[0]}) {
		t.Fatalf("search of the queued PV number: %v, %v", refs(rows), err)
	}
	// A newer server state with another description, under the queued actions.
	cur := mustGet(t, s, fresh[0]).Server
	cur.Version++
	cur.Facts.Description = "xylophone volé dans la cave"
	apply(t, s, "c2", cur)
	searchIndexOK(t, s, "newer server state")
	for _, q := range []string{"xylophone", "424242"} {
		if rows, _ := s.Page(ctx, Query{Search: q}, nil, 10); !reflect.DeepEqual(refs(rows), []string{fresh[0]}) {
			t.Errorf("search %q after the newer state: %v", q, refs(rows))
		}
	}
	// Tombstones: one with queued actions (a stub stays), one without.
	if _, err := s.Act(ctx, fresh[1], complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
		t.Fatal(err)
	}
	name := mustGet(t, s, fresh[1]).Record.Complainant.LastName
	err := s.ApplyFeedPage(ctx, []complaint.FeedItem{
		{Reference: fresh[1], Version: 99, Tombstone: true},
		{Reference: fresh[2], Version: 99, Tombstone: true},
	}, "c3")
	if err != nil {
		t.Fatal(err)
	}
	searchIndexOK(t, s, "tombstones")
	if rows, _ := s.Page(ctx, Query{Search: fresh[1]}, nil, 10); len(rows) != 0 {
		t.Errorf("search finds the tombstoned complaint: %v", refs(rows))
	}
	if rows, _ := s.Page(ctx, Query{Search: name}, nil, 100); slices.Contains(refs(rows), fresh[1]) {
		t.Errorf("search %q finds the tombstoned complaint", name)
	}
	// The portal refuses the actions queued on both complaints.
	queued, err := s.PendingActions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queued {
		if q.Reference != fresh[1] {
			continue
		}
		if err := s.RejectAction(ctx, q.ID, nil, "not_found", "gone"); err != nil {
			t.Fatal(err)
		}
	}
	searchIndexOK(t, s, "settled tombstone")
	if _, err := s.Get(ctx, fresh[1]); err == nil {
		t.Error("the tombstoned complaint stays after its actions were settled")
	}
	// A relist that no longer lists ten complaints, then a purge.
	if err := s.ResetForRelist(ctx); err != nil {
		t.Fatal(err)
	}
	apply(t, s, "r1", recs[10:]...)
	if _, err := s.FinishRelist(ctx); err != nil {
		t.Fatal(err)
	}
	searchIndexOK(t, s, "relist")
	if _, err := s.Purge(ctx, 0); err != nil {
		t.Fatal(err)
	}
	searchIndexOK(t, s, "purge")
}

// A cache written by the previous build (schema 7: plain JSON, an index
// with its own copy of the text, no index row for a tombstone stub) moves
// to the compact layout at open without a sync: every complaint reads the
// same, queued actions stay queued, search finds the same complaints, and
// the file shrinks.
func TestMigrationCompactsCacheKeepsQueuedActions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := storetest.Records(400, 13)
	apply(t, s, "c1", recs...)
	var fresh []string
	for _, r := range recs {
		if r.Status == complaint.StatusNew {
			fresh = append(fresh, r.Reference)
		}
	}
	for _, ref := range fresh[:2] {
		if _, err := s.Act(ctx, ref, complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Act(ctx, fresh[0], complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.434343/2026"}, dupont, "en"); err != nil {
		t.Fatal(err)
	}
	// fresh[1] left the zone while its claim was queued: a stub stays.
	if err := s.ApplyFeedPage(ctx, []complaint.FeedItem{{Reference: fresh[1], Version: 99, Tombstone: true}}, "c2"); err != nil {
		t.Fatal(err)
	}
	before := map[string]Entry{}
	for _, r := range recs {
		if e, err := s.GetEntry(ctx, r.Reference); err == nil {
			before[r.Reference] = e
		}
	}
	queued, err := s.PendingActions(ctx, 0)
	if err != nil || len(queued) != 3 {
		t.Fatalf("fixture: %d queued actions (%v)", len(queued), err)
	}
	wantCounts, err := s.Counts(ctx, dupont.ID)
	if err != nil {
		t.Fatal(err)
	}
	searches := []string{"434343", recs[7].Complainant.LastName, "gazelle", recs[100].Reference, fresh[1]}
	wantFound := map[string][]string{}
	for _, q := range searches {
		rows, err := s.Page(ctx, Query{Search: q}, nil, 1000)
		if err != nil {
			t.Fatal(err)
		}
		wantFound[q] = refs(rows)
	}
	if !slices.Contains(wantFound["434343"], fresh[0]) || len(wantFound[fresh[1]]) != 0 {
		t.Fatalf("fixture: searches %v", wantFound)
	}
	downgradeTo(t, s, 7)
	var plainRows, contentRows int
	s.db.QueryRow(`SELECT count(*) FROM complaint_json WHERE substr(server_json, 1, 1) = x'7b'`).Scan(&plainRows)
	s.db.QueryRow(`SELECT count(*) FROM complaints_fts_content`).Scan(&contentRows)
	if plainRows != len(before) || contentRows != len(before)-1 {
		t.Fatalf("fixture: the schema 7 cache has %d plain records and %d index texts, want %d and %d",
			plainRows, contentRows, len(before), len(before)-1)
	}
	// The file as the previous build leaves it at close.
	s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	s.db.Exec(`VACUUM`)
	s.Close()
	sizeBefore := fileSizeOf(t, path)

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var v int
	s.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != SchemaVersion() {
		t.Fatalf("schema version %d after open, want %d", v, SchemaVersion())
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
	if got, err := s.Counts(ctx, dupont.ID); err != nil || !reflect.DeepEqual(got, wantCounts) {
		t.Errorf("counts after migration: %+v (%v), want %+v", got, err, wantCounts)
	}
	for _, q := range searches {
		rows, err := s.Page(ctx, Query{Search: q}, nil, 1000)
		if err != nil || !reflect.DeepEqual(refs(rows), wantFound[q]) {
			t.Errorf("search %q after migration: %v (%v), want %v", q, refs(rows), err, wantFound[q])
		}
	}
	searchIndexOK(t, s, "migration")
	// Still written and settled as usual: the handled complaint's actions
	// are confirmed, the stub's refused.
	for _, q := range queued {
		if q.Reference == fresh[1] {
			err = s.RejectAction(ctx, q.ID, nil, "not_found", "gone")
		} else {
			err = s.AckAction(ctx, q.ID, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	searchIndexOK(t, s, "settling after migration")
	s.Close()
	if sizeAfter := fileSizeOf(t, path); sizeAfter*10 > sizeBefore*6 {
		t.Errorf("the cache takes %d bytes after the migration, %d before: want at most 60%%", sizeAfter, sizeBefore)
	}
}

func fileSizeOf(t *testing.T, path string) int64 {
	t.Helper()
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// The dictionary is part of the file format: a record compressed by an
// earlier build must still decode.
func TestRecordDictionaryUnchanged(t *testing.T) {
	r := storetest.Records(1, 99)[0]
	stored, err := encodeRecord(&r)
	if err != nil {
		t.Fatal(err)
	}
	var got complaint.Record
	if err := decodeRecord(stored, &got); err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("round trip: %v", err)
	}
	golden := filepath.Join("testdata", "record_dict.sha256")
	sum := fmt.Sprintf("%x", sha256.Sum256(recordDict))
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(bytes.TrimSpace(want)) != sum {
		t.Errorf("record_dict.jsonl changed (sha256 %s, %s says %s): records written with it can no longer be read; add a dictionary with a new ID instead", sum, golden, bytes.TrimSpace(want))
	}
}

// A cache indexed with an older search text (before the goods, parties
// and insurer were searched) is reindexed at open: the index matches the
// records again, so removing a complaint removes all its tokens.
func TestMigrationRebuildsOlderSearchText(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := storetest.Records(30, 14)
	apply(t, s, "c1", recs...)
	// As the build before migration 9 indexed it: other text.
	if _, err := s.db.Exec(`INSERT INTO complaints_fts(complaints_fts, rowid, body)
		SELECT 'delete', id, body FROM complaints_search`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO complaints_fts(rowid, body) SELECT id, 'older text' FROM complaints_search`); err != nil {
		t.Fatal(err)
	}
	downgradeTo(t, s, 8)
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	searchIndexOK(t, s, "opening a cache indexed with an older text")
	if rows, err := s.Page(ctx, Query{Search: recs[3].Reference}, nil, 5); err != nil || len(rows) != 1 {
		t.Errorf("search by reference after the migration: %v, %v", refs(rows), err)
	}
}
