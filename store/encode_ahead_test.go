package store

import (
	"context"
	"testing"

	"guichet/complaint"
)

// A feed page's server records are compressed by encodeAhead's workers, not
// by its transaction, and what is stored is what the transaction would
// have stored itself; a relist, which mostly skips what it reads, compresses
// in the transaction only what it applies.
func TestFeedPageRecordsCompressedBeforeTheTransaction(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	a := newRecord("5275-2026-000001", "Jan", "Peeters")
	b := newRecord("5275-2026-000002", "Marie", "Dubois")
	apply(t, s, "c1", a)

	before := recordsEncodedInTx.Load()
	claimed := serverApply(t, a, complaint.Action{Type: complaint.ActionClaim}, peeters)
	apply(t, s, "c2", claimed, b)
	if got := recordsEncodedInTx.Load() - before; got != 0 {
		t.Errorf("%d records compressed inside the page's transaction, want 0", got)
	}
	for _, want := range []complaint.Record{claimed, b} {
		e := mustGet(t, s, want.Reference)
		if e.Server.Version != want.Version || e.Server.Status != want.Status {
			t.Errorf("%s stored as version %d %s, want %d %s", want.Reference, e.Server.Version, e.Server.Status, want.Version, want.Status)
		}
	}

	if err := s.ResetForRelist(ctx); err != nil {
		t.Fatal(err)
	}
	before, ahead := recordsEncodedInTx.Load(), recordsEncodedAhead.Load()
	apply(t, s, "c3", claimed, b) // what the cache holds: skipped
	if got := recordsEncodedInTx.Load() - before + recordsEncodedAhead.Load() - ahead; got != 0 {
		t.Errorf("a relist of unchanged complaints compressed %d records, want 0", got)
	}
}
