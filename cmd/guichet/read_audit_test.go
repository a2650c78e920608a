package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet/portal"
	"guichet/store"
)

// TestReadCommandsWriteNoDatabase runs the real binary: `guichet list` and
// `guichet show` leave the cache file and its write-ahead log as they
// were (nothing written, so nothing synced to the disk: a read costs no
// fsync), and once they exited cleanly their audit events are there for
// the next sync to push, and the portal receives them.
func TestReadCommandsWriteNoDatabase(t *testing.T) {
	d := newDesk(t, 3)
	o := d.officer("Inspecteur Dupont")
	db := filepath.Join(t.TempDir(), "c", "cache.db")
	o.env["GUICHET_DB"] = db
	o.must("sync")
	ref := d.refs[0]
	stamp := func() string {
		t.Helper()
		fi, err := os.Stat(db)
		if err != nil {
			t.Fatal(err)
		}
		wal := int64(0)
		if w, err := os.Stat(db + "-wal"); err == nil {
			wal = w.Size()
		}
		return fmt.Sprintf("%s, log %d bytes", fi.ModTime(), wal)
	}
	before := stamp()
	time.Sleep(20 * time.Millisecond) // a write would move the modification time
	if r := o.exec(t, "list", "--limit", "50"); r.code != exitOK || !strings.Contains(r.stdout, ref) {
		t.Fatalf("list: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := o.exec(t, "show", ref); r.code != exitOK {
		t.Fatalf("show: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if after := stamp(); after != before {
		t.Errorf("list and show wrote to the cache (modification time, log size): %s → %s", before, after)
	}
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := st.PendingAudit(context.Background(), 0)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, e := range evs {
		kinds[e.Kind+" "+e.Reference] = true
	}
	if !kinds[store.AuditExport+" "] || !kinds[store.AuditView+" "+ref] {
		t.Fatalf("audit after list and show: %+v", evs)
	}
	o.must("sync")
	recs, err := d.portal.Audit(portal.AuditFilter{Zone: zone, Ref: ref})
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, r := range recs {
		if r.Kind == store.AuditView && r.Reference == ref {
			seen = true
		}
	}
	if !seen {
		t.Errorf("the portal has no view of %s after the sync: %+v", ref, recs)
	}
}
