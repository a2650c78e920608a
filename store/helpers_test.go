package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

var (
	dupont  = complaint.Officer{ID: "off-1", Name: "Inspecteur Dupont"}
	peeters = complaint.Officer{ID: "off-9", Name: "Inspectrice Peeters"}
)

// openTemp opens a fresh cache in a private temporary directory.
func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "guichet", "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newRecord is a new, unclaimed complaint with a given complainant.
func newRecord(ref, first, last string) complaint.Record {
	r := storetest.Records(1, 1)[0]
	r.Reference = ref
	r.Status, r.ClaimedBy, r.PVNumber, r.Reason, r.ForwardedTo, r.History = complaint.StatusNew, nil, "", "", "", nil
	r.Version = 1
	r.Complainant.FirstName, r.Complainant.LastName = first, last
	return r
}

func item(r complaint.Record) complaint.FeedItem {
	return complaint.FeedItem{Reference: r.Reference, Version: r.Version, Record: &r}
}

func apply(t testing.TB, s *Store, cursor string, recs ...complaint.Record) {
	t.Helper()
	items := make([]complaint.FeedItem, len(recs))
	for i, r := range recs {
		items[i] = item(r)
	}
	if err := s.ApplyFeedPage(context.Background(), items, cursor); err != nil {
		t.Fatal(err)
	}
}

// serverApply is what the portal would do: Apply and bump the version.
func serverApply(t testing.TB, r complaint.Record, a complaint.Action, by complaint.Officer) complaint.Record {
	t.Helper()
	a, errs := a.Check("en")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	next, err := complaint.Apply(r, a, by, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	next.Version = r.Version + 1
	return next
}

func mustGet(t testing.TB, s *Store, ref string) Entry {
	t.Helper()
	e, err := s.GetEntry(context.Background(), ref)
	if err != nil {
		t.Fatalf("get %s: %v", ref, err)
	}
	return e
}

func refs(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Reference
	}
	return out
}

// claimFirstNew queues dupont's claim of the first new complaint of recs
// and returns that complaint; the fixture must have one.
func claimFirstNew(t testing.TB, s *Store, recs []complaint.Record) complaint.Record {
	t.Helper()
	for _, r := range recs {
		if r.Status == complaint.StatusNew {
			if _, err := s.Act(context.Background(), r.Reference, complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
				t.Fatal(err)
			}
			return r
		}
	}
	t.Fatal("fixture: no new complaint to claim")
	return complaint.Record{}
}

// closedCacheWithOne makes a cache holding one complaint (R1, Anne Dupont),
// closes it and returns its path: what another process finds on disk.
func closedCacheWithOne(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, s, "c1", newRecord("R1", "Anne", "Dupont"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
