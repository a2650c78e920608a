package main

import (
	"path/filepath"
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/store"
)

// TestChangedPortalAddressDoesNotStrandQueue: actions queued under one
// address of the portal (127.0.0.1) are not stranded when the officer's
// configuration moves to another (localhost, same portal): every command
// says where they wait and how to send them, and `guichet sync --from
// OLDCACHE` (the real binary) delivers each exactly once.
func TestChangedPortalAddressDoesNotStrandQueue(t *testing.T) {
	d := newDesk(t, 10)
	o := d.officer("Inspecteur Dupont")
	o.must("sync")
	d.down.Store(true)
	queued := d.refs[:2]
	for _, ref := range queued {
		o.must("claim", ref)
	}
	d.down.Store(false)
	oldURL := d.srv.URL
	old, err := store.DefaultPath(oldURL, zone)
	if err != nil {
		t.Fatal(err)
	}
	// The same portal under another host name.
	o.env["GUICHET_SERVER"] = strings.Replace(oldURL, "127.0.0.1", "localhost", 1)
	r := o.must("sync")
	want := "another cache of your zone holds work never sent to the portal: " + old + " (2 queued action(s), 2 audit event(s)), kept for the address " + oldURL + "; to send it: guichet sync --from " + old
	if !strings.Contains(r.stderr, want) {
		t.Fatalf("sync under the new address does not say where the queue waits:\n%s", r.stderr)
	}
	if r := o.must("list"); !strings.Contains(r.stderr, "guichet sync --from "+old) {
		t.Fatalf("list does not say it either:\n%s", r.stderr)
	}
	for _, ref := range queued {
		if n := countActions(o.serverRecord(ref), "claim"); n != 0 {
			t.Fatalf("%s claimed %d times before --from", ref, n)
		}
	}

	r = o.exec(t, "sync", "--from", old)
	if r.code != exitOK || !strings.Contains(r.stdout, "2 queued action(s) and 2 audit event(s) taken over from "+old) ||
		!strings.Contains(r.stdout, "synced:") || strings.Contains(r.stderr, "another cache") {
		t.Fatalf("sync --from: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, ref := range queued {
		got := o.serverRecord(ref)
		if n := countActions(got, "claim"); n != 1 || got.Status != complaint.StatusClaimed || got.ClaimedBy.ID != o.id.ID {
			t.Fatalf("%s after --from: %d claims, %s", ref, n, got.Status)
		}
	}
	w, err := store.Peek(old)
	if err != nil || w.Actions != 0 || w.Audit != 0 {
		t.Fatalf("the old cache still holds %+v (%v)", w, err)
	}
	// Again: nothing moves, nothing is sent twice; the notice is gone.
	r = o.exec(t, "sync", "--from", old)
	if r.code != exitOK || !strings.Contains(r.stdout, "0 queued action(s) and 0 audit event(s) taken over") {
		t.Fatalf("second sync --from: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, ref := range queued {
		if n := countActions(o.serverRecord(ref), "claim"); n != 1 {
			t.Fatalf("%s claimed %d times after a second --from", ref, n)
		}
	}
	if r := o.must("list"); strings.Contains(r.stderr, "another cache") {
		t.Fatalf("notice after delivery: %s", r.stderr)
	}
	// The cache in use is refused as --from; a file that is no cache too.
	cur, _ := store.DefaultPath(o.env["GUICHET_SERVER"], zone)
	if r := o.run("sync", "--from", cur); r.code != exitFailure || !strings.Contains(r.stderr, "is the cache in use") {
		t.Fatalf("--from the cache in use: exit %d %q", r.code, r.stderr)
	}
	if r := o.run("sync", "--from", filepath.Join(t.TempDir(), "nope.db")); r.code != exitFailure || !strings.Contains(r.stderr, "is not a guichet cache") {
		t.Fatalf("--from a missing file: exit %d %q", r.code, r.stderr)
	}
}

// Actions of another zone's cache are never sent with this zone's token.
func TestSyncFromRefusesAnotherZone(t *testing.T) {
	d := newDesk(t, 3)
	o := d.officer("Inspecteur Dupont")
	o.must("sync")
	other := filepath.Join(t.TempDir(), "other", "cache.db")
	st, err := store.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetIdentity(t.Context(), store.Identity{ServerURL: d.srv.URL, Zone: "5339", OfficerID: o.id.ID, OfficerName: o.id.Name}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if r := o.run("sync", "--from", other); r.code != exitFailure || !strings.Contains(r.stderr, "is a cache of zone 5339, not zone "+zone) {
		t.Fatalf("--from another zone: exit %d %q", r.code, r.stderr)
	}
}
