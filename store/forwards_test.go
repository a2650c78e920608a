package store

import (
	"context"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// TestForwardKeptAfterTombstone: a forward queued by an officer is listed
// at once, confirmed when the portal accepts it, still listed after the
// tombstone removed the complaint (which is gone from the cache), and
// removed when the portal refuses the forward instead.
func TestForwardKeptAfterTombstone(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	recs := storetest.Records(30, 9)
	var mine []complaint.Record
	for _, r := range recs {
		if r.Status == complaint.StatusNew {
			mine = append(mine, r)
		}
	}
	if err := st.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	me := storetest.Officers[0]
	forward := func(r complaint.Record) {
		t.Helper()
		if _, err := st.Act(ctx, r.Reference, complaint.Action{Type: complaint.ActionClaim}, me, "fr"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Act(ctx, r.Reference, complaint.Action{Type: complaint.ActionForward, ToZone: "5339", Reason: "lieu"}, me, "fr"); err != nil {
			t.Fatal(err)
		}
	}
	forward(mine[0])
	forward(mine[1])
	list, err := st.ForwardsBy(ctx, me.ID, time.Time{}, 10)
	if err != nil || len(list) != 2 || list[0].ToZone != "5339" || list[0].Confirmed {
		t.Fatalf("queued forwards: %+v, %v", list, err)
	}
	// The portal accepts the outbox in order; then its tombstones come.
	acts, err := st.PendingActions(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range acts {
		if a.Reference == mine[1].Reference && a.Action.Type == complaint.ActionForward {
			if err := st.RejectAction(ctx, a.ID, nil, "forbidden", "refused"); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := st.AckAction(ctx, a.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.ApplyFeedPage(ctx, []complaint.FeedItem{{Reference: mine[0].Reference, Version: mine[0].Version + 10, Tombstone: true}}, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, mine[0].Reference); err != ErrNotFound {
		t.Fatalf("the tombstone left the complaint: %v", err)
	}
	list, err = st.ForwardsBy(ctx, me.ID, time.Time{}, 10)
	if err != nil || len(list) != 1 || list[0].Reference != mine[0].Reference || !list[0].Confirmed ||
		list[0].ToZone != "5339" || list[0].FactType != mine[0].FactType {
		t.Fatalf("after delivery and tombstone: %+v, %v", list, err)
	}
	if other, _ := st.ForwardsBy(ctx, storetest.Officers[1].ID, time.Time{}, 10); len(other) != 0 {
		t.Fatalf("another officer's list: %+v", other)
	}
}
