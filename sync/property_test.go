package sync

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"

	"pgregory.net/rapid"

	"guichet/complaint"
)

// boundRapidChecks lowers rapid's default of 100 checks for the property
// tests here (each check runs a real portal and two real caches) unless
// -rapid.checks or RAPID_CHECKS asks for another number.
func boundRapidChecks(n int) {
	if os.Getenv("RAPID_CHECKS") != "" {
		return
	}
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "rapid.checks" {
			set = true
		}
	})
	if f := flag.Lookup("rapid.checks"); f != nil && !set {
		f.Value.Set(fmt.Sprint(n))
	}
}

// TestPropertyCacheEqualsServerExactlyOnce interleaves at random: citizens
// filing complaints, two officers acting offline on their own caches
// (claims, releases, handles, rejects, forwards, often on the same
// complaints), partial syncs, and faults on the wire (cuts, resets after
// commit, 5xx, dropped requests, portal restarts). Once the faults stop and
// both sync to the end, each cache equals the portal and every queued
// action reached the portal exactly once.
func TestPropertyCacheEqualsServerExactlyOnce(t *testing.T) {
	boundRapidChecks(12)
	rapid.Check(t, func(rt *rapid.T) {
		tp := newTestPortal(t)
		var refs []string
		refs = append(refs, tp.seed(4, 100)...)
		tokA, a := tp.officer("Inspecteur Dupont")
		tokB, b := tp.officer("Inspectrice Janssens")
		stations := []*workstation{
			newWorkstation(t, tp, tokA, a, rapid.IntRange(1, 6).Draw(rt, "pageA")),
			newWorkstation(t, tp, tokB, b, rapid.IntRange(1, 6).Draw(rt, "pageB")),
		}
		queued := map[string]int{} // "ref action officer" → how many queued
		ctx := context.Background()
		seed := int64(200)

		rt.Repeat(map[string]func(*rapid.T){
			"file": func(rt *rapid.T) {
				seed++
				refs = append(refs, tp.seed(rapid.IntRange(1, 2).Draw(rt, "count"), seed)...)
			},
			"act": func(rt *rapid.T) {
				// Few complaints, two officers: they often collide.
				ws := stations[rapid.IntRange(0, 1).Draw(rt, "officer")]
				ref := rapid.SampledFrom(refs[:min(len(refs), 6)]).Draw(rt, "ref")
				n := rapid.IntRange(1, 3).Draw(rt, "actions")
				for i := 0; i < n; i++ {
					a := rapid.SampledFrom([]complaint.Action{
						{Type: complaint.ActionClaim},
						{Type: complaint.ActionClaim},
						{Type: complaint.ActionRelease},
						{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"},
						{Type: complaint.ActionReject, Reason: "Pas une infraction."},
						{Type: complaint.ActionForward, ToZone: "5267", Reason: "Genappe."},
					}).Draw(rt, "action")
					before, err := ws.st.Counts(ctx, "")
					if err != nil {
						rt.Fatal(err)
					}
					if err := ws.act(ref, a); err != nil {
						continue // refused locally (not cached, not claimed, final): nothing queued
					}
					after, err := ws.st.Counts(ctx, "")
					if err != nil {
						rt.Fatal(err)
					}
					if after.Outbox == before.Outbox+1 {
						queued[ref+" "+string(a.Type)+" "+ws.officer.ID]++
					}
				}
			},
			"sync": func(rt *rapid.T) {
				ws := stations[rapid.IntRange(0, 1).Draw(rt, "officer")]
				if rapid.Bool().Draw(rt, "faulty") {
					f := fault{
						match: rapid.SampledFrom([]string{"/feed", "/actions", "/audit", "/me"}).Draw(rt, "where"),
						kind:  rapid.SampledFrom([]faultKind{faultCutPermille, faultResetAfterCommit, faultStatus, faultDropRequest, faultRestart}).Draw(rt, "kind"),
					}
					switch f.kind {
					case faultCutPermille:
						f.n = rapid.IntRange(0, 999).Draw(rt, "permille")
					case faultStatus:
						f.n = rapid.SampledFrom([]int{500, 502, 503, 504}).Draw(rt, "status")
					}
					tp.proxy.add(f)
				}
				ws.eng.SyncOnce(ctx) // errors are expected here
			},
		})

		// Faults stop; both sync until neither has anything left to do.
		tp.proxy.clear()
		for round := 0; round < 3; round++ {
			for _, ws := range stations {
				if err := ws.syncUntilClean(3); err != nil {
					rt.Fatalf("%s: %v", ws.officer.Name, err)
				}
			}
		}
		for _, ws := range stations {
			assertCacheEqualsServer(t, tp, ws.st)
		}
		got := tp.deliveries()
		conflicts := 0
		for _, ws := range stations {
			c, _ := ws.st.Counts(ctx, "")
			conflicts += c.Conflicts
		}
		total := 0
		for _, n := range queued {
			total += n
		}
		t.Logf("%d complaints filed, %d actions queued, %d refused by the portal, %d faults injected",
			len(refs), total, conflicts, tp.proxy.applied.Load())
		for k, n := range queued {
			if got[k] != n {
				rt.Errorf("%s: queued %d, reached the portal %d times", k, n, got[k])
			}
		}
		for k, n := range got {
			if queued[k] != n {
				rt.Errorf("%s: reached the portal %d times, queued %d", k, n, queued[k])
			}
		}
		if t.Failed() {
			rt.FailNow()
		}
	})
}
