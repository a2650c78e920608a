package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/store/storetest"
)

// damage is one way a cache file gets damaged behind SQLite's back.
type damage struct {
	name string
	do   func(data []byte) []byte
}

var damages = []damage{
	{"garbage mid-file", func(d []byte) []byte {
		for i := len(d) / 2; i < len(d)/2+8192 && i < len(d); i++ {
			d[i] = byte(i*7 + 3)
		}
		return d
	}},
	{"truncated to half", func(d []byte) []byte { return d[:len(d)/2] }},
	{"garbage header", func(d []byte) []byte {
		for i := 0; i < 100; i++ {
			d[i] = byte(i*13 + 1)
		}
		return d
	}},
	{"zero bytes", func([]byte) []byte { return nil }},
}

// newRecords are n complaints, all new (so any of them can be claimed).
func newRecords(n int) []complaint.Record {
	recs := storetest.Records(n, 1)
	for i := range recs {
		recs[i].Status, recs[i].ClaimedBy, recs[i].History = complaint.StatusNew, nil, nil
		recs[i].PVNumber, recs[i].Reason, recs[i].ForwardedTo = "", "", ""
	}
	return recs
}

// damagedCache writes a cleanly closed cache of 3,000 complaints with five
// claims queued and audit events unsent, then damages it.
func damagedCache(t *testing.T, dmg damage) (path string, queued []OutboxEntry) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "guichet", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetIdentity(ctx, Identity{ServerURL: "https://portal.example", Zone: "5275", OfficerID: dupont.ID, OfficerName: dupont.Name}); err != nil {
		t.Fatal(err)
	}
	recs := newRecords(3000)
	if err := s.BulkLoad(ctx, recs[:100]); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := s.Act(ctx, recs[i].Reference, complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.BulkLoad(ctx, recs[100:]); err != nil {
		t.Fatal(err)
	}
	if queued, err = s.PendingActions(ctx, 0); err != nil || len(queued) != 5 {
		t.Fatalf("queued %d, %v", len(queued), err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, dmg.do(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, queued
}

// openChecked opens the cache and reads it whole, as `guichet sync` does.
func openChecked(path string) error {
	s, err := Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Check(context.Background())
}

func TestDamagedCacheDetectedSalvagedAndRequeued(t *testing.T) {
	ctx := context.Background()
	for _, dmg := range damages {
		t.Run(dmg.name, func(t *testing.T) {
			path, queued := damagedCache(t, dmg)
			err := openChecked(path)
			var ce *CorruptError
			if !errors.As(err, &ce) || !IsCorrupt(err) {
				t.Fatalf("damage not detected: %v", err)
			}
			sv, err := Salvage(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the damaged file is still at %s: %v", path, err)
			}
			st, err := os.Stat(sv.Aside)
			if err != nil || st.Mode().Perm() != 0o600 || !strings.Contains(filepath.Base(sv.Aside), "cache.db.corrupt-") {
				t.Fatalf("moved aside to %s: %v %v", sv.Aside, st, err)
			}
			// Whatever was read is exactly what was queued, in order.
			for i, e := range sv.Actions {
				if i >= len(queued) || e.Key != queued[i].Key || e.Reference != queued[i].Reference || e.Action.Type != queued[i].Action.Type {
					t.Fatalf("saved action %d %+v is not the queued one", i, e)
				}
			}
			// The queued actions are on pages this damage leaves intact.
			if (dmg.name == "garbage mid-file" || dmg.name == "garbage header") && (len(sv.Actions) != 5 || sv.Identity.Zone != "5275" || len(sv.Audit) == 0) {
				t.Fatalf("%s: saved %d actions, %d audit events, identity %+v", dmg.name, len(sv.Actions), len(sv.Audit), sv.Identity)
			}
			fresh, err := Open(path)
			if err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			defer fresh.Close()
			recs := newRecords(100)
			if err := fresh.BulkLoad(ctx, recs); err != nil {
				t.Fatal(err)
			}
			n, _, err := fresh.Requeue(ctx, sv)
			if err != nil || n != len(sv.Actions) {
				t.Fatalf("requeued %d of %d: %v", n, len(sv.Actions), err)
			}
			// Again: nothing is queued twice.
			if n, _, err := fresh.Requeue(ctx, sv); err != nil || n != 0 {
				t.Fatalf("second requeue added %d: %v", n, err)
			}
			got, err := fresh.PendingActions(ctx, 0)
			if err != nil || len(got) != len(sv.Actions) {
				t.Fatalf("pending %d, %v", len(got), err)
			}
			for _, e := range got {
				if !mustGet(t, fresh, e.Reference).Pending {
					t.Errorf("%s is not shown pending after the requeue", e.Reference)
				}
			}
			if err := fresh.Check(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A cache closed cleanly is not read whole at open; one whose last user
// died without closing it is, and its damage is found at once.
func TestUncleanCloseChecksTheWholeFile(t *testing.T) {
	path, _ := damagedCache(t, damages[0])
	s, err := Open(path)
	if err != nil {
		t.Fatalf("a cleanly closed cache is read whole at every open: %v", err)
	}
	s.Close()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true(1) to get the id of an ended process")
	}
	marker := markerPrefix(path) + strconv.Itoa(dead.Process.Pid) + "-00"
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !IsCorrupt(err) {
		t.Fatalf("after an unclean close the damage is not found at open: %v", err)
	}
}

// An undamaged cache left open by a process that died is checked, found
// sound, and its stale marker forgotten.
func TestUncleanCloseOfSoundCacheOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	marker := markerPrefix(path) + "999999999-00"
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the stale marker is still there")
	}
	s.Close()
	if m := staleMarkersAll(path); len(m) != 0 {
		t.Fatalf("markers left after a clean close: %v", m)
	}
}

// Peek reads another cache's identity and waiting work without touching
// it, closed cleanly or still open; it refuses a file that is no cache.
func TestPeekReadsWithoutWriting(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "guichet", "old.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetIdentity(ctx, Identity{ServerURL: "http://127.0.0.1:1", Zone: "5275", OfficerID: dupont.ID, OfficerName: dupont.Name}); err != nil {
		t.Fatal(err)
	}
	recs := newRecords(3)
	if err := s.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, recs[0].Reference, complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		w, err := Peek(path)
		if err != nil || w.Actions != 1 || w.Audit != 1 || w.Identity.Zone != "5275" || w.Identity.OfficerID != dupont.ID {
			t.Fatalf("%s: %+v %v", when, w, err)
		}
	}
	check("open")
	s.Close()
	before, _ := os.ReadFile(path)
	check("closed")
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("Peek changed the file")
	}
	other := filepath.Join(filepath.Dir(path), "photos.db")
	if err := os.WriteFile(other, []byte("not sqlite at all, but a long enough text to look like a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Peek(other); err == nil {
		t.Fatal("Peek accepted a file that is not a cache")
	}
}

// BenchmarkCheck reads a 100,000-complaint cache whole (PRAGMA
// quick_check), as `guichet sync` and the TUI's start do.
func BenchmarkCheck(b *testing.B) {
	s, _ := benchStore(b)
	defer s.Close()
	if st, err := os.Stat(s.Path()); err == nil {
		b.ReportMetric(float64(st.Size())/(1<<20), "MB")
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Check(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// CheckIfChanged reads the whole file only when it is not as the last
// clean close left it.
func TestCheckIfChangedSkipsOnlyAnUntouchedFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "guichet", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.BulkLoad(ctx, newRecords(50)); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckIfChanged(ctx); err != nil || s.checks.Load() != 1 {
		t.Fatalf("a new cache is checked: %v, %d checks", err, s.checks.Load())
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CheckIfChanged(ctx); err != nil || s.checks.Load() != 0 {
		t.Fatalf("an untouched cache is read whole: %v, %d checks", err, s.checks.Load())
	}
	// A page of records (not the schema, which Open reads).
	var page, pageSize int64
	if err := s.db.QueryRow(`SELECT max(pageno), (SELECT page_size FROM pragma_page_size) FROM dbstat
		WHERE name = 'complaint_json'`).Scan(&page, &pageSize); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Same size, one byte changed behind guichet's back.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[(page-1)*pageSize+pageSize/2] ^= 0xff
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_ = s.CheckIfChanged(ctx)
	if s.checks.Load() != 1 {
		t.Fatal("a file changed behind guichet's back is not read whole")
	}
}

// A session that only reads and records consultations (a listing) leaves
// no open marker: ended at any point, even killed, it left the file as it
// found it, and the next Open need not read it whole. The first write
// makes the marker; Close removes it.
func TestOnlyAWritingSessionMarksTheCacheOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, s, "c1", newRecord("2026-AAAA-0001", "Jan", "Peeters"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Page(ctx, Query{}, nil, 50); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(ctx, complaint.AuditEvent{Officer: dupont.ID, Zone: "5275", Kind: AuditExport, Outcome: OutcomeOK, Detail: "list 1"}); err != nil {
		t.Fatal(err)
	}
	if m := staleMarkersAll(path); len(m) != 0 {
		t.Fatalf("a session that only read left open markers %v: its end, even a kill, would make the next open read the whole file", m)
	}
	apply(t, s, "c2", newRecord("2026-AAAA-0002", "Els", "Maes"))
	if m := staleMarkersAll(path); len(m) != 1 {
		t.Fatalf("a writing session has open markers %v, want its own", m)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if m := staleMarkersAll(path); len(m) != 0 {
		t.Fatalf("markers left after a clean close: %v", m)
	}
}
