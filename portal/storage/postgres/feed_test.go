package postgres

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres/pgtest"
)

func intake(ref, zone string) storage.Change {
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	return storage.Change{
		Complaint: &storage.ComplaintWrite{Record: complaint.Record{
			Submission: complaint.Submission{FactType: "bicycle_theft", Language: "fr"},
			Reference:  ref, Zone: complaint.Zone{Code: zone}, Status: complaint.StatusNew, Version: 1,
			ReceivedAt: at, UpdatedAt: at,
		}},
		Feed: []storage.FeedChange{{Zone: zone}},
	}
}

func refs(p storage.FeedPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Reference)
	}
	return out
}

// TestFeedLateCommitNotSkipped is the sequence-gap bug: a transaction takes
// its feed position, another one takes a later position and commits, a
// reader reads the zone's feed, and only then does the first commit. The
// reader, going on from its cursor, still gets it. Both orders of taking
// positions are tried: the transaction that commits last took its position
// first, or second.
func TestFeedLateCommitNotSkipped(t *testing.T) {
	for _, lateFirst := range []bool{true, false} {
		name := "late transaction took its position first"
		if !lateFirst {
			name = "late transaction took its position second"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := openTest(t)
			defer s.Close()
			if _, err := s.Commit(ctx, intake("2026-AAAA-0001", "5275")); err != nil {
				t.Fatal(err)
			}
			commitOther := func() {
				if _, err := s.Commit(ctx, intake("2026-CCCC-0003", "5275")); err != nil {
					t.Fatal(err)
				}
			}
			if !lateFirst {
				// The other transaction gets its transaction id first
				// but commits only after the late one wrote.
				tx, err := s.pool.Begin(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback(ctx)
				if _, err := s.commitTx(ctx, tx, intake("2026-CCCC-0003", "5275"), new(int)); err != nil {
					t.Fatal(err)
				}
				commitOther = func() {
					if err := tx.Commit(ctx); err != nil {
						t.Fatal(err)
					}
				}
			}
			late, err := s.pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer late.Rollback(ctx)
			if _, err := s.commitTx(ctx, late, intake("2026-BBBB-0002", "5275"), new(int)); err != nil {
				t.Fatal(err)
			}
			commitOther()

			// The reader starts while the late transaction is running.
			first, err := s.FeedPage(ctx, "5275", "", 100, true)
			if err != nil {
				t.Fatal(err)
			}
			seen := refs(first)
			if slices.Contains(seen, "2026-BBBB-0002") {
				t.Fatalf("the reader saw an uncommitted change: %v", seen)
			}
			if err := late.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			rest, err := s.FeedPage(ctx, "5275", first.Cursor, 100, false)
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, refs(rest)...)
			slices.Sort(seen)
			want := []string{"2026-AAAA-0001", "2026-BBBB-0002", "2026-CCCC-0003"}
			if !slices.Equal(seen, want) {
				t.Fatalf("the reader got %v (first page %v, then %v), want each of %v once", seen, refs(first), refs(rest), want)
			}
		})
	}
}

// TestFeedReadsWhatCommittedBefore: a change committed before a read is in
// that read, even when an older transaction (of another node, or of
// another user of the cluster) is still writing and holds the horizon
// back: the reader at the end of the feed waits for it to end.
func TestFeedReadsWhatCommittedBefore(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	defer s.Close()
	older, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer older.Rollback(ctx)
	if _, err := older.Exec(ctx, `SELECT pg_current_xact_id()`); err != nil { // it now writes
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, intake("2026-DDDD-0004", "5275")); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(200*time.Millisecond, func() { older.Rollback(ctx) })
	p, err := s.FeedPage(ctx, "5275", "", 100, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := refs(p); !slices.Equal(got, []string{"2026-DDDD-0004"}) || *p.Remaining != 0 {
		t.Fatalf("feed read after the commit: %v (remaining %d), want the committed change", got, *p.Remaining)
	}
}

// readCounter counts the feed page reads (one pipeline each) and the
// horizon polls of the read pool.
type readCounter struct{ pages, polls atomic.Int64 }

func (c *readCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if d.SQL == qHorizon {
		c.polls.Add(1)
	}
	return ctx
}
func (c *readCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *readCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.pages.Add(1)
	return ctx
}
func (c *readCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *readCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// TestFeedCatchUpReadsOnce: a reader at the end of the feed that waited
// for the transactions running at its read to end reads once more and
// answers, though newer transactions (other nodes' groups, which follow
// one another without pause on a busy portal) hold newer changes back
// again: those committed after its read began, which the next read gets.
// It used to read again and again until no transaction overlapped a
// committed change, with no bound.
func TestFeedCatchUpReadsOnce(t *testing.T) {
	ctx := context.Background()
	counter := &readCounter{}
	s, err := Open(ctx, pgtest.NewDatabase(t), Options{MaxConns: 4, readTracer: counter})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	begin := func() pgx.Tx {
		c, err := pgx.Connect(ctx, pgtest.ServerURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(ctx) })
		tx, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `SELECT pg_current_xact_id()`); err != nil { // it now writes
			t.Fatal(err)
		}
		return tx
	}
	older := begin()
	if _, err := s.Commit(ctx, intake("2026-EEEE-0001", "5275")); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		p   storage.FeedPage
		err error
	}
	got := make(chan answer, 1)
	go func() {
		p, err := s.FeedPage(ctx, "5275", "", 100, false)
		got <- answer{p, err}
	}()
	waitFor(t, "the reader to wait for the older transaction", func() bool { return counter.polls.Load() > 0 })
	newer := begin()
	defer newer.Rollback(ctx)
	if _, err := s.Commit(ctx, intake("2026-EEEE-0002", "5275")); err != nil {
		t.Fatal(err)
	}
	if err := older.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the reader to answer or read 20 times", func() bool { return len(got) > 0 || counter.pages.Load() >= 20 })
	if n := counter.pages.Load(); n != 2 {
		t.Fatalf("the reader read the page %d times while a newer transaction held a change back, want 2", n)
	}
	a := <-got
	if a.err != nil {
		t.Fatal(a.err)
	}
	if r := refs(a.p); !slices.Equal(r, []string{"2026-EEEE-0001"}) {
		t.Errorf("page %v, want the change committed before the read", r)
	}
}
