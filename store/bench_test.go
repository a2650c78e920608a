package store

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

const benchN = 100_000

var (
	benchOnce    sync.Once
	benchRecords []complaint.Record
	benchFile    string // a closed 100k cache, copied by each benchmark
	benchErr     error
)

// benchFixture builds the 100,000-complaint cache once per test process.
func benchFixture(b *testing.B) (string, []complaint.Record) {
	b.Helper()
	benchOnce.Do(func() {
		benchRecords = storetest.Records(benchN, 42)
		dir, err := os.MkdirTemp("", "guichet-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchFile = filepath.Join(dir, "fixture", "cache.db")
		s, err := Open(benchFile)
		if err != nil {
			benchErr = err
			return
		}
		ctx := context.Background()
		if err := s.BulkLoad(ctx, benchRecords); err != nil {
			benchErr = err
			return
		}
		if _, err := s.db.Exec(`ANALYZE`); err != nil {
			benchErr = err
			return
		}
		benchErr = s.Close()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFile, benchRecords
}

// benchStore opens a private copy of the fixture.
func benchStore(b *testing.B) (*Store, []complaint.Record) {
	b.Helper()
	src, recs := benchFixture(b)
	dst := filepath.Join(b.TempDir(), "c", "cache.db")
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		b.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	out.Close()
	s, err := Open(dst)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, recs
}

// BenchmarkBulkInsert100k is the baseline "plain bulk insert of the same rows
// into the same schema": BulkLoad of 100,000 records into a fresh cache.
// The sync package compares its initial sync to it (store.Open + BulkLoad of
// storetest.Records(100_000, seed) reproduces it there).
func BenchmarkBulkInsert100k(b *testing.B) {
	_, recs := benchFixture(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), fmt.Sprint("c", i), "cache.db"))
		i++
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.BulkLoad(ctx, recs); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/record")
}

// BenchmarkApplyPage100Into100k applies a feed page of 100 changes (90
// updates of cached complaints, 10 new ones) to a 100,000-complaint cache.
func BenchmarkApplyPage100Into100k(b *testing.B) {
	s, fixture := benchStore(b)
	recs := append([]complaint.Record(nil), fixture...)
	ctx := context.Background()
	next := len(recs)
	round := int64(0)
	var cpu time.Duration
	var reads int64 // texts made from stored records (storedTextReads)
	for b.Loop() {
		b.StopTimer()
		round++
		items := changesPage(recs, &next, round)
		reads0, cpu0 := storedTextReads.Load(), processCPU(b)
		b.StartTimer()
		if err := s.ApplyFeedPage(ctx, items, fmt.Sprint("cursor-", round)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += processCPU(b) - cpu0
		reads += storedTextReads.Load() - reads0
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(reads)/float64(b.N), "text-reads/op")
}

// changesPage is a feed page of 100 realistic changes to recs (the cached
// records, updated in place) in round: 90 claims, releases or edits of
// the text of a closed complaint (reindex), and 10 new complaints; next
// numbers the new ones.
func changesPage(recs []complaint.Record, next *int, round int64) []complaint.FeedItem {
	items := make([]complaint.FeedItem, 0, 100)
	for j := range 90 {
		idx := (int(round)*7919 + j*1009) % len(recs)
		r := recs[idx]
		switch {
		case r.Status == complaint.StatusNew:
			r, _ = complaint.Apply(r, complaint.Action{Type: complaint.ActionClaim}, storetest.Officers[0], r.UpdatedAt)
		case r.Status == complaint.StatusClaimed:
			r, _ = complaint.Apply(r, complaint.Action{Type: complaint.ActionRelease}, *r.ClaimedBy, r.UpdatedAt)
		default:
			r.Facts.Description = fmt.Sprintf("complément %d", round)
		}
		r.Version = recs[idx].Version + 1
		recs[idx] = r
		items = append(items, complaint.FeedItem{Reference: r.Reference, Version: r.Version, Record: &r})
	}
	for range 10 {
		*next++
		r := recs[*next%len(recs)]
		r.Reference = fmt.Sprintf("5275-2026-%06d", *next)
		items = append(items, complaint.FeedItem{Reference: r.Reference, Version: r.Version, Record: &r})
	}
	return items
}

// processCPU is the CPU time (user and system) this process used so far:
// beside the wall time of a benchmark on a shared machine.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkQueuePage50 reads 50 queue rows at several positions and tabs of
// a 100,000-complaint cache.
func BenchmarkQueuePage50(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	done := []complaint.Status{complaint.StatusHandled, complaint.StatusRejected, complaint.StatusForwarded}
	tabs := []struct {
		name string
		q    Query
	}{
		{"all", Query{}},
		{"new", Query{Statuses: []complaint.Status{complaint.StatusNew}}},
		{"done3statuses", Query{Statuses: done}},
		{"mine", Query{Statuses: []complaint.Status{complaint.StatusClaimed}, ClaimedBy: storetest.Officers[0].ID}},
	}
	for _, tab := range tabs {
		for _, key := range []SortKey{SortReceived, SortComplainant, SortMunicipality} {
			for _, desc := range []bool{false, true} {
				q := tab.q
				q.Sort, q.Desc = key, desc
				n, err := s.Count(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				middle, err := s.PageAt(ctx, q, n/2, 1)
				if err != nil || len(middle) == 0 {
					b.Fatal("no middle row", err)
				}
				mk := middle[0].Key()
				name := fmt.Sprintf("%s/%s/desc=%v", tab.name, key, desc)
				b.Run(name+"/first", func(b *testing.B) {
					for b.Loop() {
						if rows, err := s.Page(ctx, q, nil, 50); err != nil || len(rows) == 0 {
							b.Fatal(err)
						}
					}
				})
				b.Run(name+"/middle", func(b *testing.B) {
					for b.Loop() {
						if rows, err := s.Page(ctx, q, &mk, 50); err != nil || len(rows) == 0 {
							b.Fatal(err)
						}
					}
				})
				b.Run(name+"/middle-up", func(b *testing.B) {
					for b.Loop() {
						if rows, err := s.PageBefore(ctx, q, &mk, 50); err != nil || len(rows) == 0 {
							b.Fatal(err)
						}
					}
				})
				b.Run(name+"/last", func(b *testing.B) {
					for b.Loop() {
						if rows, err := s.PageBefore(ctx, q, nil, 50); err != nil || len(rows) == 0 {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkJump measures what the workstation does besides paging on: Count
// (a tab's figure under a filter), Rank of a row in the middle and the page
// read from it (a re-sort keeps the selected complaint: Locate then
// PageFrom), and the last page (End: keyset from the end, no OFFSET).
func BenchmarkJump(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	for _, tab := range []struct {
		name string
		q    Query
	}{
		{"all", Query{}},
		{"new", Query{Statuses: []complaint.Status{complaint.StatusNew}}},
		{"done3statuses", Query{Statuses: []complaint.Status{complaint.StatusHandled, complaint.StatusRejected, complaint.StatusForwarded}}},
	} {
		q := tab.q
		n, _ := s.Count(ctx, q)
		mid, _ := s.PageAt(ctx, q, n/2, 1)
		mk := mid[0].Key()
		b.Run(tab.name+"/Count", func(b *testing.B) {
			for b.Loop() {
				s.Count(ctx, q)
			}
		})
		b.Run(tab.name+"/RankMiddle", func(b *testing.B) {
			for b.Loop() {
				s.Rank(ctx, q, mk)
			}
		})
		b.Run(tab.name+"/PageFromMiddle", func(b *testing.B) {
			for b.Loop() {
				if rows, err := s.PageFrom(ctx, q, mk, 50); err != nil || len(rows) != 50 {
					b.Fatal(len(rows), err)
				}
			}
		})
		b.Run(tab.name+"/Last", func(b *testing.B) {
			for b.Loop() {
				if rows, err := s.PageBefore(ctx, q, nil, 50); err != nil || len(rows) != 50 {
					b.Fatal(len(rows), err)
				}
			}
		})
	}
	b.Run("Counts", func(b *testing.B) {
		for b.Loop() {
			s.Counts(ctx, "off-1")
		}
	})
}

// BenchmarkSearch100k runs full-text searches over 100,000 complaints and
// reads the first page of 50 results (and counts them).
func BenchmarkSearch100k(b *testing.B) {
	s, _ := benchStore(b)
	benchSearches(b, s)
}

// BenchmarkSearch100kAfter200Syncs runs the searches of BenchmarkSearch100k
// after 200 incremental feed pages of 100 changes (changesPage) whose index
// segments nothing merged since (no idle moment, no Close: a workstation
// killed after each sync): FTS5's crisis merge alone bounds how many
// segments a search reads (reported).
func BenchmarkSearch100kAfter200Syncs(b *testing.B) {
	idleSearchMerge = false
	defer func() { idleSearchMerge = true }()
	s, fixture := benchStore(b)
	recs := append([]complaint.Record(nil), fixture...)
	ctx := context.Background()
	next := len(recs)
	for round := int64(1); round <= 200; round++ {
		if err := s.ApplyFeedPage(ctx, changesPage(recs, &next, round), fmt.Sprint("cursor-", round)); err != nil {
			b.Fatal(err)
		}
	}
	var segments int
	if err := s.db.QueryRow(`SELECT count(DISTINCT segid) FROM complaints_fts_idx`).Scan(&segments); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d index segments after 200 feed pages without an idle merge", segments)
	b.Run("unmerged", func(b *testing.B) { benchSearches(b, s) })
	// The same cache once the idle merge has run: what the unmerged
	// segments cost, and the searches of a workstation that stays open.
	if err := s.mergeSearchIndex(ctx, 0, false); err != nil {
		b.Fatal(err)
	}
	if err := s.db.QueryRow(`SELECT count(DISTINCT segid) FROM complaints_fts_idx`).Scan(&segments); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d index segments after the merge", segments)
	b.Run("merged", func(b *testing.B) { benchSearches(b, s) })
}

func benchSearches(b *testing.B, s *Store) {
	ctx := context.Background()
	for _, search := range []string{"gerard", "Gérard Müller", "gé", "ottignies", "gazelle bleu", "5275-2026-0500", "zzzznotfound"} {
		q := Query{Search: search}
		b.Run(search+"/page", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Page(ctx, q, nil, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
		// Sorted by name, the matches' row ids are spread over the cache.
		byName := Query{Search: search, Sort: SortComplainant}
		b.Run(search+"/page-by-name", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Page(ctx, byName, nil, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
		q.Statuses = []complaint.Status{complaint.StatusNew}
		b.Run(search+"/new-tab-page", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Page(ctx, q, nil, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
		// Each keystroke is a new search: counts are measured without what
		// an earlier iteration left in the search count cache.
		b.Run(search+"/count", func(b *testing.B) {
			for b.Loop() {
				s.forgetSearchCounts()
				if _, err := s.Count(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		// The workstation's five tab counts for one keystroke.
		tabs := []Query{
			{Search: search, Statuses: []complaint.Status{complaint.StatusNew}},
			{Search: search, Statuses: []complaint.Status{complaint.StatusClaimed}, ClaimedBy: storetest.Officers[0].ID},
			{Search: search, Statuses: []complaint.Status{complaint.StatusClaimed}, NotClaimedBy: storetest.Officers[0].ID},
			{Search: search, Statuses: []complaint.Status{complaint.StatusHandled, complaint.StatusRejected, complaint.StatusForwarded}},
			{Search: search},
		}
		b.Run(search+"/5tabcounts", func(b *testing.B) {
			for b.Loop() {
				s.forgetSearchCounts()
				for _, tq := range tabs {
					if _, err := s.Count(ctx, tq); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func (s *Store) forgetSearchCounts() {
	s.searchMu.Lock()
	clear(s.searchCounts)
	s.searchMu.Unlock()
}

// BenchmarkGet reads one whole complaint by reference.
func BenchmarkGet(b *testing.B) {
	s, recs := benchStore(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := s.Get(ctx, recs[(i*7919)%len(recs)].Reference); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkFirstSyncPages100k applies the 100,000 records as a first sync
// does, without the network: BeginFirstSync, 100 feed pages of 1,000,
// EndFirstSync, into an empty cache.
func BenchmarkFirstSyncPages100k(b *testing.B) {
	_, recs := benchFixture(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		b.StopTimer()
		s, err := Open(filepath.Join(b.TempDir(), fmt.Sprint("c", i), "cache.db"))
		i++
		if err != nil {
			b.Fatal(err)
		}
		items := make([]complaint.FeedItem, len(recs))
		for j := range recs {
			items[j] = complaint.FeedItem{Reference: recs[j].Reference, Version: recs[j].Version, Record: &recs[j]}
		}
		b.StartTimer()
		if _, err := s.BeginFirstSync(ctx); err != nil {
			b.Fatal(err)
		}
		for p := 0; p < len(items); p += 1000 {
			if err := s.ApplyFeedPage(ctx, items[p:min(p+1000, len(items))], fmt.Sprint("cursor-", p)); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.EndFirstSync(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/record")
}

// BenchmarkPageByTypeLabel measures a page of the queue sorted by fact type
// in a language's label order (TypeOrder: each type from its index range)
// and the rank that keeps the cursor when the sort changes.
func BenchmarkPageByTypeLabel(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	order := []string{"damage_private_property", "graffiti", "shoplifting", "bicycle_theft"} // fr labels
	for _, tab := range []struct {
		name string
		q    Query
	}{{"all", Query{}}, {"new", Query{Statuses: []complaint.Status{complaint.StatusNew}}}} {
		q := tab.q
		q.Sort, q.TypeOrder = SortType, order
		n, err := s.Count(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		plain := q
		plain.TypeOrder = nil
		middle, err := s.PageAt(ctx, plain, n/2, 1)
		if err != nil || len(middle) == 0 {
			b.Fatal("no middle row", err)
		}
		mk := middle[0].Key()
		b.Run(tab.name+"/first", func(b *testing.B) {
			for b.Loop() {
				if rows, err := s.Page(ctx, q, nil, 50); err != nil || len(rows) != 50 {
					b.Fatal(err)
				}
			}
		})
		b.Run(tab.name+"/middle", func(b *testing.B) {
			for b.Loop() {
				if rows, err := s.Page(ctx, q, &mk, 50); err != nil || len(rows) == 0 {
					b.Fatal(err)
				}
			}
		})
		b.Run(tab.name+"/rank", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Rank(ctx, q, mk); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMigrateSearchHash100k opens a 100,000-complaint cache of schema
// 9 and closes it: what migration 10 costs at the first open after the
// upgrade (the column added; the hashes are filled later, in the
// background: fillSearchHashes).
func BenchmarkMigrateSearchHash100k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, _ := benchStore(b)
		if _, err := s.db.Exec(`ALTER TABLE complaints DROP COLUMN search_hash; PRAGMA user_version = 9`); err != nil {
			b.Fatal(err)
		}
		path := s.Path()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFillSearchHashes100k is the background pass that follows
// migration 10 on a 100,000-complaint cache: every complaint's search text
// made from its stored record and hashed, in batches (without its pauses).
func BenchmarkFillSearchHashes100k(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s, _ := benchStore(b)
		if _, err := s.db.Exec(`UPDATE complaints SET search_hash = 0; INSERT INTO meta(key, value) VALUES('` + searchHashFillKey + `', '1')`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.fillSearchHashes(ctx, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPageAfterWrite is the first queue page after a write (a synced
// feed page, an action) on connections that read much before (the
// statistics of a year, a search): SQLite drops such a connection's page
// cache at its next read once another connection committed.
func BenchmarkPageAfterWrite(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	warm := func() {
		var conns []*sql.Conn
		for range 4 {
			c, err := s.db.Conn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			var n int64
			for _, q := range []string{`SELECT sum(length(body)) FROM complaints_search`, `SELECT count(*) FROM complaints NOT INDEXED WHERE fact_type <> ''`} {
				if err := c.QueryRowContext(ctx, q).Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
	}
	for b.Loop() {
		b.StopTimer()
		warm()
		if err := s.tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT OR REPLACE INTO meta(key, value) VALUES ('bench_write', ?)`, fmt.Sprint(time.Now().UnixNano()))
			return err
		}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if rows, err := s.Page(ctx, Query{}, nil, 50); err != nil || len(rows) != 50 {
			b.Fatal(len(rows), err)
		}
	}
}
