package sync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store"
)

func TestSyncPullsWholeZoneAndStateReportsIt(t *testing.T) {
	tp := newTestPortal(t)
	tp.seed(25, 1)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 10)
	states, cancel := ws.eng.Subscribe()
	defer cancel()

	if err := ws.eng.SyncOnce(context.Background()); err != nil {
		t.Fatalf("sync: %v", err)
	}
	assertCacheEqualsServer(t, tp, ws.st)
	s := ws.eng.State()
	if !s.Online || s.Syncing || s.Err != nil || s.AuthFailed || s.LastSync.IsZero() || s.Pulled != 25 {
		t.Errorf("state after a good round = %+v", s)
	}
	// The subscriber holds the latest state, not a backlog.
	got := <-states
	if got.Pulled != 25 || got.Syncing {
		t.Errorf("subscriber state = %+v", got)
	}
	me, zone := ws.eng.Identity()
	if me.ID != o.ID || zone.Code != testZone {
		t.Errorf("identity = %+v %+v", me, zone)
	}
	id, err := ws.st.Identity(context.Background())
	if err != nil || id.Zone != testZone || id.OfficerID != o.ID {
		t.Errorf("cache identity = %+v, %v", id, err)
	}
	// A second round pulls nothing new.
	if err := ws.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := ws.eng.State(); s.Pulled != 0 {
		t.Errorf("second round pulled %d", s.Pulled)
	}
}

// cutFaults cuts an answer at many places: every few bytes of the status
// line and headers, every 2.5 % of the whole answer, and each of its last 12
// bytes.
func cutFaults(match string) []fault {
	var fs []fault
	for n := 0; n < 240; n += 11 {
		fs = append(fs, fault{match: match, kind: faultCut, n: n})
	}
	for pm := 0; pm < 1000; pm += 25 {
		fs = append(fs, fault{match: match, kind: faultCutPermille, n: pm})
	}
	for n := -12; n < 0; n++ {
		fs = append(fs, fault{match: match, kind: faultCut, n: n})
	}
	return fs
}

// trailerSlack is how many bytes may be missing at the end of an answer
// whose JSON value is nevertheless complete: with chunked encoding, the end
// of the JSON's chunk "\r\n", the portal's final newline as its own chunk
// "1\r\n\n\r\n" and the last-chunk marker "0\r\n\r\n".
const trailerSlack = 13

// TestFeedPageCutAtEveryOffset cuts the connection in the middle of a feed
// page's answer at many offsets, then lets the next round finish: the cut
// page is never applied (unless only framing bytes after its JSON were
// lost), and the cache ends equal to the portal.
func TestFeedPageCutAtEveryOffset(t *testing.T) {
	tp := newTestPortal(t)
	tp.seed(12, 2)
	tok, o := tp.officer("Inspecteur Dupont")
	for _, f := range cutFaults("/feed") {
		ws := newWorkstation(t, tp, tok, o, 5)
		if _, err := ws.eng.Hello(context.Background()); err != nil {
			t.Fatal(err)
		}
		tp.proxy.add(f)
		err := ws.eng.SyncOnce(context.Background())
		at, length := tp.proxy.cutInfo()
		if err == nil && length-at > trailerSlack {
			t.Fatalf("cut at %d/%d bytes: round succeeded", at, length)
		}
		if err != nil {
			if s := ws.eng.State(); s.Online || s.Err == nil {
				t.Errorf("cut at %d/%d: state %+v", at, length, s)
			}
			cur, _ := ws.st.Cursor(context.Background())
			if c, _ := ws.st.Counts(context.Background(), ""); c.All != 0 || cur != "" {
				t.Fatalf("cut at %d/%d: %d complaints and cursor %q applied from a cut page", at, length, c.All, cur)
			}
			if err := ws.eng.SyncOnce(context.Background()); err != nil {
				t.Fatalf("cut at %d/%d: next round: %v", at, length, err)
			}
		}
		assertCacheEqualsServer(t, tp, ws.st)
		if t.Failed() {
			t.Fatalf("after cut at %d/%d", at, length)
		}
	}
}

// TestActionReplyCutAtEveryOffset queues claims and cuts each answer at a
// different offset (the portal has committed by then); the retry with the
// same key must be acknowledged and the portal must have applied each claim
// exactly once.
func TestActionReplyCutAtEveryOffset(t *testing.T) {
	faults := cutFaults("/actions")
	tp := newTestPortal(t)
	refs := tp.seed(len(faults), 3)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 200)
	if err := ws.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, f := range faults {
		ref := refs[i]
		if err := ws.act(ref, complaint.Action{Type: complaint.ActionClaim}); err != nil {
			t.Fatal(err)
		}
		tp.proxy.add(f)
		err := ws.eng.SyncOnce(context.Background())
		at, length := tp.proxy.cutInfo()
		if err == nil && length-at > trailerSlack {
			t.Fatalf("cut at %d/%d: round succeeded", at, length)
		}
		if err != nil {
			if c, _ := ws.st.Counts(context.Background(), ""); c.Outbox != 1 {
				t.Fatalf("cut at %d/%d: outbox holds %d, want the action still queued", at, length, c.Outbox)
			}
			if err := ws.eng.SyncOnce(context.Background()); err != nil {
				t.Fatalf("cut at %d/%d: retry: %v", at, length, err)
			}
		}
	}
	assertCacheEqualsServer(t, tp, ws.st)
	d := tp.deliveries()
	for _, ref := range refs {
		if n := d[ref+" claim "+o.ID]; n != 1 {
			t.Errorf("%s: claim applied %d times", ref, n)
		}
	}
}

// TestFaultsAfterCommitBurstsAndRestart mixes resets after the portal
// committed, 5xx bursts, dropped requests and a portal restart in the middle
// of a pull, with several officers' actions queued.
func TestFaultsAfterCommitBurstsAndRestart(t *testing.T) {
	tp := newTestPortal(t)
	refs := tp.seed(40, 4)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 7)
	if err := ws.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	type queued struct{ ref, action string }
	var want []queued
	do := func(ref string, a complaint.Action) {
		t.Helper()
		if err := ws.act(ref, a); err != nil {
			t.Fatalf("%s %s: %v", ref, a.Type, err)
		}
		want = append(want, queued{ref, string(a.Type)})
	}
	for i := 0; i < 8; i++ {
		do(refs[i], complaint.Action{Type: complaint.ActionClaim})
	}
	do(refs[0], complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"})
	do(refs[1], complaint.Action{Type: complaint.ActionReject, Reason: "Pas une infraction."})
	do(refs[2], complaint.Action{Type: complaint.ActionRelease})
	do(refs[3], complaint.Action{Type: complaint.ActionForward, ToZone: "5267", Reason: "Genappe."})

	tp.seed(15, 5) // new complaints arrive meanwhile
	tp.proxy.add(
		fault{match: "/actions", kind: faultResetAfterCommit},
		fault{match: "/actions", kind: faultStatus, n: 503},
		fault{match: "/actions", kind: faultStatus, n: 502},
		fault{match: "/actions", kind: faultDropRequest},
		fault{match: "/actions", kind: faultResetAfterCommit},
		fault{match: "/feed", kind: faultRestart},
		fault{match: "/feed", kind: faultResetAfterCommit},
		fault{match: "/feed", kind: faultStatus, n: 500},
		fault{match: "/feed", kind: faultRestart},
		fault{match: "/audit", kind: faultResetAfterCommit},
		fault{match: "/audit", kind: faultStatus, n: 503},
	)
	if err := ws.syncUntilClean(30); err != nil {
		t.Fatal(err)
	}
	if n := tp.proxy.pending(); n != 0 {
		t.Fatalf("%d planned faults never happened", n)
	}
	assertCacheEqualsServer(t, tp, ws.st)
	d := tp.deliveries()
	for _, q := range want {
		if n := d[q.ref+" "+q.action+" "+o.ID]; n != 1 {
			t.Errorf("%s %s delivered %d times", q.ref, q.action, n)
		}
	}
	// The forwarded complaint left the cache; the handled one is handled.
	if _, err := ws.st.Get(context.Background(), refs[3]); err == nil {
		t.Errorf("forwarded %s still cached", refs[3])
	}
	if r, _ := ws.st.Get(context.Background(), refs[0]); r.Status != complaint.StatusHandled || r.PVNumber != "NI.55.L5.012345/2026" {
		t.Errorf("%s: %s %q", refs[0], r.Status, r.PVNumber)
	}
	// Every audit event the cache recorded reached the portal, once.
	if c, _ := ws.st.Counts(context.Background(), ""); c.Audit != 0 {
		t.Errorf("%d audit events not pushed", c.Audit)
	}
}

func TestTwoOfficersClaimSameComplaintOffline(t *testing.T) {
	tp := newTestPortal(t)
	refs := tp.seed(5, 6)
	tokA, a := tp.officer("Inspecteur Dupont")
	tokB, b := tp.officer("Inspectrice Janssens")
	wa := newWorkstation(t, tp, tokA, a, 50)
	wb := newWorkstation(t, tp, tokB, b, 50)
	for _, ws := range []*workstation{wa, wb} {
		if err := ws.eng.SyncOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Both offline: both claims succeed locally.
	ref := refs[2]
	if err := wa.act(ref, complaint.Action{Type: complaint.ActionClaim}); err != nil {
		t.Fatal(err)
	}
	if err := wb.act(ref, complaint.Action{Type: complaint.ActionClaim}); err != nil {
		t.Fatal(err)
	}
	if err := wa.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := wb.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	ra, _ := wa.st.Get(context.Background(), ref)
	if ra.Status != complaint.StatusClaimed || ra.ClaimedBy == nil || ra.ClaimedBy.ID != a.ID {
		t.Errorf("A's cache: %s held by %+v", ra.Status, ra.ClaimedBy)
	}
	rb, _ := wb.st.Get(context.Background(), ref)
	if rb.ClaimedBy == nil || rb.ClaimedBy.ID != a.ID {
		t.Errorf("B's cache shows holder %+v, want %s", rb.ClaimedBy, a.Name)
	}
	cs, err := wb.st.Conflicts(context.Background())
	if err != nil || len(cs) != 1 {
		t.Fatalf("B's conflicts = %+v, %v", cs, err)
	}
	c := cs[0]
	if c.Reference != ref || c.Action.Type != complaint.ActionClaim || c.Code != complaint.ConflictClaimedByOther ||
		c.HolderID != a.ID || c.HolderName != a.Name || c.Status != complaint.StatusClaimed || c.Message == "" {
		t.Errorf("conflict = %+v", c)
	}
	if s := wb.eng.State(); s.Conflicts != 1 || s.Pending != 0 {
		t.Errorf("B's state = %+v", s)
	}
	if s := wa.eng.State(); s.Conflicts != 0 {
		t.Errorf("A's state = %+v", s)
	}
	assertCacheEqualsServer(t, tp, wa.st)
	assertCacheEqualsServer(t, tp, wb.st)
	d := tp.deliveries()
	if d[ref+" claim "+a.ID] != 1 || d[ref+" claim "+b.ID] != 1 {
		t.Errorf("deliveries = %v", d)
	}
}

func TestRevokedTokenStopsAndKeepsOutbox(t *testing.T) {
	tp := newTestPortal(t)
	refs := tp.seed(5, 7)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 50)
	if err := ws.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs[:3] {
		if err := ws.act(ref, complaint.Action{Type: complaint.ActionClaim}); err != nil {
			t.Fatal(err)
		}
	}
	tp.revoke(tok, o)
	err := ws.eng.SyncOnce(context.Background())
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v, want ErrAuth", err)
	}
	if !strings.Contains(err.Error(), "token revoked or for another zone") {
		t.Errorf("message %q does not say what happened", err)
	}
	s := ws.eng.State()
	if !s.AuthFailed || !errors.Is(s.Err, ErrAuth) || s.Pending != 3 {
		t.Errorf("state = %+v", s)
	}
	pend, _ := ws.st.PendingActions(context.Background(), 0)
	if len(pend) != 3 {
		t.Fatalf("outbox holds %d after revocation, want 3", len(pend))
	}
	// Run stops with ErrAuth instead of hammering the portal.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ws.eng.Run(ctx, time.Hour); !errors.Is(err, ErrAuth) {
		t.Errorf("Run = %v, want ErrAuth", err)
	}
	// A new token for the same officer's zone delivers them.
	tok2, o2 := tp.officer("Inspecteur Dupont (nouveau jeton)")
	ws2 := openWorkstationOn(t, tp, ws, tok2, o2)
	if err := ws2.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	d := tp.deliveries()
	for _, ref := range refs[:3] {
		if d[ref+" claim "+o2.ID] != 1 {
			t.Errorf("%s: deliveries %v", ref, d)
		}
	}
}

// openWorkstationOn makes a new engine with another token on ws's cache.
func openWorkstationOn(t *testing.T, tp *testPortal, ws *workstation, tok string, o complaint.Officer) *workstation {
	t.Helper()
	eng, err := New(Options{Server: tp.proxy.URL(), Token: tok, HTTPClient: noKeepAlive(), Lang: "en"}, ws.st)
	if err != nil {
		t.Fatal(err)
	}
	return &workstation{t: t, path: ws.path, st: ws.st, eng: eng, officer: o, token: tok}
}

func TestRunBacksOffAndTriggerSyncsNow(t *testing.T) {
	tp := newTestPortal(t)
	tp.seed(3, 8)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 50)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	states, unsub := ws.eng.Subscribe()
	defer unsub()
	go func() { done <- ws.eng.Run(ctx, time.Hour) }()
	waitState(t, states, func(s State) bool { return !s.LastSync.IsZero() && !s.Syncing })

	tp.seed(2, 9)
	ws.eng.Trigger()
	waitState(t, states, func(s State) bool { return !s.Syncing && s.Pulled == 2 })
	assertCacheEqualsServer(t, tp, ws.st)

	// A 503 makes the round fail and the state go offline.
	tp.proxy.add(fault{match: "/feed", kind: faultStatus, n: 503})
	ws.eng.Trigger()
	waitState(t, states, func(s State) bool { return !s.Syncing && !s.Online && s.Err != nil })
	// The backoff retry (≤ 1 s) comes back online without a trigger.
	waitState(t, states, func(s State) bool { return !s.Syncing && s.Online && s.Err == nil })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v", err)
	}
}

func waitState(t *testing.T, ch <-chan State, ok func(State) bool) State {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case s := <-ch:
			if ok(s) {
				return s
			}
		case <-timeout:
			t.Fatal("state never reached")
		}
	}
}

var _ = fmt.Sprint

// A forward is settled with the portal's answer (the forwarded record), and
// the feed's tombstone — of the same version as that answer — then removes
// the complaint from the cache.
func TestForwardAnswerStoredThenTombstoneRemoves(t *testing.T) {
	ctx := context.Background()
	tp := newTestPortal(t)
	refs := tp.seed(4, 21)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 50)
	if err := ws.eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range []complaint.Action{
		{Type: complaint.ActionClaim},
		{Type: complaint.ActionForward, ToZone: "5267", Reason: "Genappe."},
	} {
		if err := ws.act(refs[0], a); err != nil {
			t.Fatal(err)
		}
	}
	// The pull of this round fails: the actions are delivered, the feed
	// (and its tombstone) not yet read.
	tp.proxy.add(fault{match: "/feed", kind: faultStatus, n: 503})
	if err := ws.eng.SyncOnce(ctx); err == nil {
		t.Fatal("round with a failing feed succeeded")
	}
	e, err := ws.st.GetEntry(ctx, refs[0])
	if err != nil {
		t.Fatalf("before the tombstone: %v", err)
	}
	if e.Pending || e.Server.Status != complaint.StatusForwarded || e.Server.ForwardedTo != "5267" {
		t.Errorf("after the answer: pending=%v server status %s to %q, want the forwarded record stored",
			e.Pending, e.Server.Status, e.Server.ForwardedTo)
	}
	if err := ws.eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.st.Get(ctx, refs[0]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("forwarded complaint still cached after its tombstone: %v", err)
	}
	assertCacheEqualsServer(t, tp, ws.st)
}

// An engine on a cache that was synced before says when, before its own
// first round ends (an officer starting offline is not told "never
// synced"); on a new cache it says never.
func TestStateStartsFromTheCachesLastSync(t *testing.T) {
	tp := newTestPortal(t)
	tp.seed(5, 9)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 10)
	if s := ws.eng.State(); !s.LastSync.IsZero() {
		t.Fatalf("a new cache: last sync %v", s.LastSync)
	}
	if err := ws.eng.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	synced := ws.eng.State().LastSync
	if err := ws.st.Close(); err != nil {
		t.Fatal(err)
	}
	tp.stop() // the portal is gone: the next round fails
	again := openWorkstation(t, tp, ws.path, tok, o, 10)
	if s := again.eng.State(); s.LastSync.IsZero() || s.LastSync.After(synced) || synced.Sub(s.LastSync) > time.Minute {
		t.Fatalf("before any round: last sync %v, the cache synced at %v", s.LastSync, synced)
	}
	if err := again.eng.SyncOnce(context.Background()); err == nil {
		t.Fatal("a round without the portal succeeded")
	}
	if s := again.eng.State(); s.LastSync.IsZero() || s.Err == nil {
		t.Fatalf("after a failed round: %+v", s)
	}
}
