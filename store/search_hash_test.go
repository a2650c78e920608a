package store

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// searchHashesOK checks that every complaint's search_hash is the hash of
// the text the index holds for it.
func searchHashesOK(t *testing.T, s *Store, step string) {
	t.Helper()
	rows, err := s.db.Query(`SELECT c.reference, c.search_hash, s.body FROM complaints c JOIN complaints_search s ON s.id = c.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var ref, body string
		var h int64
		if err := rows.Scan(&ref, &h, &body); err != nil {
			t.Fatal(err)
		}
		if h != searchHash(body) {
			t.Errorf("after %s, %s: search_hash %d, want %d (the hash of its indexed text)", step, ref, h, searchHash(body))
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("after %s: no complaint", step)
	}
}

// textReadsDuring is how many texts the index's content view made from
// stored records (decompressing and decoding each) while fn ran.
func textReadsDuring(t *testing.T, fn func()) int64 {
	t.Helper()
	before := storedTextReads.Load()
	fn()
	return storedTextReads.Load() - before
}

// A feed page that changes complaints without changing their search text
// (claims, releases: the common incremental sync) reindexes nothing and
// makes no text from a stored record; a change of the text reindexes
// exactly that complaint, and search follows it.
func TestUnchangedSearchTextReadsNoStoredRecord(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	recs := newRecords(40)
	apply(t, s, "c1", recs...)
	searchHashesOK(t, s, "the first page")

	claims := make([]complaint.Record, 30)
	for i := range claims {
		claims[i] = serverApply(t, recs[i], complaint.Action{Type: complaint.ActionClaim}, peeters)
	}
	if n := textReadsDuring(t, func() { apply(t, s, "c2", claims...) }); n != 0 {
		t.Errorf("a page of 30 claims made %d texts from stored records, want 0", n)
	}
	// A local action, and the server's newer state replayed under it.
	if _, err := s.Act(ctx, recs[35].Reference, complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
		t.Fatal(err)
	}
	newer := recs[35]
	newer.Version++
	if n := textReadsDuring(t, func() { apply(t, s, "c3", newer) }); n != 0 {
		t.Errorf("a newer state of a pending complaint with the same text made %d texts from stored records, want 0", n)
	}
	searchHashesOK(t, s, "claims")
	searchIndexOK(t, s, "claims")

	edited := claims[3]
	edited.Version++
	edited.Facts.Description = "vélo bleu retrouvé quai des Usines"
	if n := textReadsDuring(t, func() { apply(t, s, "c4", edited, claims[4]) }); n != 1 {
		t.Errorf("a page changing one complaint's text made %d texts from stored records, want 1 (its old text, to unindex)", n)
	}
	searchHashesOK(t, s, "an edit of the description")
	searchIndexOK(t, s, "an edit of the description")
	if rows, err := s.Page(ctx, Query{Search: "usines"}, nil, 5); err != nil || !reflect.DeepEqual(refs(rows), []string{edited.Reference}) {
		t.Errorf("search for the new description: %v (%v), want %s", refs(rows), err, edited.Reference)
	}
	if rows, err := s.Page(ctx, Query{Search: claims[3].Facts.Description}, nil, 50); err != nil || slices.Contains(refs(rows), edited.Reference) {
		t.Errorf("search for the old description still finds %s: %v (%v)", edited.Reference, refs(rows), err)
	}
	// A tombstone with a queued action keeps a stub without text.
	if err := s.ApplyFeedPage(ctx, []complaint.FeedItem{{Reference: recs[35].Reference, Version: newer.Version + 1, Tombstone: true}}, "c5"); err != nil {
		t.Fatal(err)
	}
	searchHashesOK(t, s, "a tombstone of a pending complaint")
	searchIndexOK(t, s, "a tombstone of a pending complaint")
}

// A cache made by the schema before search_hash (9) is migrated at open
// without a sync and without making any text from a stored record (that
// took 24–37 s on 100,000 complaints, at open, with nothing shown): the
// hashes are unknown (0) and filled in the background from the first feed
// page, which meanwhile reads the indexed text of what it changes. Queued
// actions stay queued and still replay, search finds what it found, and
// once the hashes are filled a page of claims makes no text from a stored
// record.
func TestMigrationFillsSearchHashesLater(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	recs := storetest.Records(80, 21)
	apply(t, s, "c1", recs...)
	claimed := claimFirstNew(t, s, recs)
	queued, err := s.PendingActions(ctx, 0)
	if err != nil || len(queued) != 1 {
		t.Fatalf("fixture: %d queued actions (%v)", len(queued), err)
	}
	before := map[string]Entry{}
	for _, r := range recs {
		before[r.Reference] = mustGet(t, s, r.Reference)
	}
	downgradeTo(t, s, 9)
	var cols int
	s.db.QueryRow(`SELECT count(*) FROM pragma_table_info('complaints') WHERE name = 'search_hash'`).Scan(&cols)
	if cols != 0 {
		t.Fatal("fixture: the schema 9 cache has a search_hash column")
	}
	s.Close()

	if n := textReadsDuring(t, func() {
		s, err = Open(path)
	}); err != nil {
		t.Fatal(err)
	} else if n != 0 {
		t.Errorf("opening the schema 9 cache made %d texts from stored records, want 0 (the hashes are filled later)", n)
	}
	defer s.Close()
	var v, unknown int
	s.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != SchemaVersion() {
		t.Fatalf("schema version %d after open, want %d", v, SchemaVersion())
	}
	s.db.QueryRow(`SELECT count(*) FROM complaints WHERE search_hash = 0`).Scan(&unknown)
	if unknown != len(recs) {
		t.Errorf("%d complaints of %d with an unknown search hash after the migration", unknown, len(recs))
	}
	searchIndexOK(t, s, "the migration")
	for ref, want := range before {
		if got := mustGet(t, s, ref); !reflect.DeepEqual(got, want) {
			t.Errorf("%s after migration\n got %+v\nwant %+v", ref, got, want)
		}
	}
	if after, err := s.PendingActions(ctx, 0); err != nil || !reflect.DeepEqual(after, queued) {
		t.Errorf("queued actions after migration: %+v (%v), want %+v", after, err, queued)
	}
	checkCounts(t, s, "migration 10")

	// A page before the hashes are known: it changes the text of one
	// complaint (read from the index's view, as before the column) and
	// starts the fill.
	edited := before[recs[1].Reference].Server
	if edited.Reference == claimed.Reference {
		edited = before[recs[2].Reference].Server
	}
	edited.Version++
	edited.Facts.Description = "vitrine brisée quai Zorglub"
	apply(t, s, "c-edit", edited)
	if rows, err := s.Page(ctx, Query{Search: "zorglub"}, nil, 10); err != nil || len(refs(rows)) != 1 || rows[0].Reference != edited.Reference {
		t.Errorf("search for the edited text before the fill: %v (%v)", refs(rows), err)
	}
	select {
	case <-s.hashFillDone:
	case <-time.After(time.Minute):
		t.Fatal("the background fill of search hashes did not end")
	}
	if err, _ := s.hashFillErr.Load().(error); err != nil {
		t.Fatal(err)
	}
	searchHashesOK(t, s, "the background fill")
	searchIndexOK(t, s, "the background fill")
	var flag int
	s.db.QueryRow(`SELECT count(*) FROM meta WHERE key = ?`, searchHashFillKey).Scan(&flag)
	if flag != 0 {
		t.Error("search_hash_fill is still in meta after the fill")
	}

	var page []complaint.Record
	for _, r := range recs {
		if r.Status == complaint.StatusNew && r.Reference != claimed.Reference && len(page) < 10 {
			page = append(page, serverApply(t, r, complaint.Action{Type: complaint.ActionClaim}, peeters))
		}
	}
	newer := before[claimed.Reference].Server
	newer.Version++
	page = append(page, newer)
	if n := textReadsDuring(t, func() { apply(t, s, "c2", page...) }); n != 0 {
		t.Errorf("claims after the migration made %d texts from stored records, want 0", n)
	}
	if e := mustGet(t, s, claimed.Reference); !e.Pending || e.Record.Status != complaint.StatusClaimed || e.Record.ClaimedBy == nil || e.Record.ClaimedBy.ID != dupont.ID {
		t.Errorf("the queued claim after a newer server state: pending=%v status=%s", e.Pending, e.Record.Status)
	}
	searchHashesOK(t, s, "claims after the migration")
	searchIndexOK(t, s, "claims after the migration")
}
