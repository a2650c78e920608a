package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres/pgtest"
	"guichet/portal/storage/sqlite"
)

// seedSQLite fills a SQLite portal database with n complaints spread over
// three zones, some claimed, forwarded (tombstones) and handled (a
// confirmation), officers (one revoked), idempotency records and audit
// events, and a zone table.
func seedSQLite(t *testing.T, path string, n int) {
	t.Helper()
	ctx := context.Background()
	src, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	zones := []string{"5275", "5339", "5344"}
	var cs []storage.Change
	for i := range n {
		c := intake(fmt.Sprintf("2026-%04d-SEED", i), zones[i%3])
		c.Audit = []storage.AuditRecord{{AuditEvent: complaint.AuditEvent{ID: fmt.Sprint("intake-", i), At: at, Zone: zones[i%3], Kind: "intake",
			Reference: c.Complaint.Record.Reference, Outcome: "ok"}, Origin: "portal", ReceivedAt: at}}
		cs = append(cs, c)
	}
	for i, err := range src.CommitAll(ctx, cs) {
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
	}
	// Changes: every 7th claimed, every 11th forwarded to 5344, every
	// 13th handled with a confirmation; some with idempotency keys.
	for i := 0; i < n; i += 7 {
		ref := fmt.Sprintf("2026-%04d-SEED", i)
		c, err := src.Complaint(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := c.Record()
		next := rec
		next.Version++
		ch := storage.Change{Complaint: &storage.ComplaintWrite{Record: next, Previous: rec.Version}}
		switch {
		case i%11 == 0 && rec.Zone.Code != "5344":
			next.Zone = complaint.Zone{Code: "5344"}
			ch.Complaint.Record = next
			ch.Feed = []storage.FeedChange{{Zone: rec.Zone.Code, Tombstone: true}, {Zone: "5344"}}
		case i%13 == 0:
			next.Status = complaint.StatusHandled
			ch.Complaint.Record = next
			ch.Feed = []storage.FeedChange{{Zone: rec.Zone.Code}}
			ch.Outbox = []storage.NewConfirmation{{Reference: ref, Channel: complaint.ChannelEmail, Payload: []byte(`{"reference":"` + ref + `"}`), Due: at}}
		default:
			next.Status = complaint.StatusClaimed
			ch.Complaint.Record = next
			ch.Feed = []storage.FeedChange{{Zone: rec.Zone.Code}}
		}
		ch.Idempotency = &storage.Idempotency{Scope: "officer:o-1", Key: "k-" + ref, RequestHash: []byte(ref), Status: 200, Response: []byte(`{}`), CreatedAt: at}
		if _, err := src.Commit(ctx, ch); err != nil {
			t.Fatal(err)
		}
	}
	for i, z := range zones {
		o := storage.Officer{Officer: complaint.Officer{ID: "o-" + z, Name: "Agent " + z}, Zone: z, TokenHash: bytes.Repeat([]byte{byte(i + 1)}, 32), CreatedAt: at}
		if err := src.AddOfficer(ctx, o, storage.AuditRecord{AuditEvent: complaint.AuditEvent{ID: "add-" + z, At: at, Kind: "officer_add"}, Origin: "portal", ReceivedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.RevokeOfficer(ctx, "o-5344", at.Add(time.Hour), storage.AuditRecord{AuditEvent: complaint.AuditEvent{ID: "rev", At: at, Kind: "officer_revoke"}, Origin: "portal", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveZoneTable(ctx, []byte("zone_code,zone_name,nis5,municipality\n5275,Ottignies,25121,Ottignies\n"), storage.AuditRecord{AuditEvent: complaint.AuditEvent{ID: "zones", At: at, Kind: "zones_import"}, Origin: "portal", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	// A confirmation failed for good, replaced by a letter.
	leased, err := src.LeaseConfirmations(ctx, at, time.Minute, 1)
	if err != nil || len(leased) != 1 {
		t.Fatalf("lease: %v %v", leased, err)
	}
	if err := src.ConfirmationFailed(ctx, leased[0].ID, at, "smtp RCPT: 550 5.1.1", complaint.ChannelPost,
		storage.AuditRecord{AuditEvent: complaint.AuditEvent{ID: "failed", At: at, Kind: "confirmation"}, Origin: "portal", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
}

// readFeed reads a zone's whole feed, page by page.
func readFeed(t *testing.T, s storage.Store, zone string, limit int) []storage.FeedItem {
	t.Helper()
	var all []storage.FeedItem
	cursor := ""
	for {
		p, err := s.FeedPage(context.Background(), zone, cursor, limit, false)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Items...)
		cursor = p.Cursor
		if !p.More {
			return all
		}
	}
}

// TestCopyFromSQLite copies a seeded 10,000-complaint portal and reads
// everything back from both databases.
func TestCopyFromSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "portal.db")
	const n = 10_000
	seedSQLite(t, path, n)
	url := pgtest.NewDatabase(t)
	dry, err := DryRunCopy(ctx, path, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DryRunCopy(ctx, filepath.Join(t.TempDir(), "missing.db"), url); err == nil {
		t.Fatal("a dry run from a missing file succeeded")
	}
	dst, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if again, err := DryRunCopy(ctx, path, url); err != nil || again != dry {
		t.Fatalf("dry run into the migrated empty database: %s %v", again, err)
	}
	if dry.Complaints != n || dry.Officers != 3 || !dry.ZoneTable || dry.Outbox < 2 || dry.Idempotency == 0 {
		t.Fatalf("dry run counts: %s", dry)
	}
	if c, _ := dst.counts(ctx); c.Complaints != 0 || c.Audit != 0 {
		t.Fatalf("the dry run wrote: %s", c)
	}
	got, err := dst.CopyFromSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if got != dry {
		t.Fatalf("copied %s, the dry run said %s", got, dry)
	}
	if _, err := dst.CopyFromSQLite(ctx, path); err == nil {
		t.Fatal("a second copy into the same database was accepted")
	}

	src, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for _, zone := range []string{"5275", "5339", "5344"} {
		a, b := readFeed(t, src, zone, 500), readFeed(t, dst, zone, 500)
		if len(a) == 0 || len(a) != len(b) {
			t.Fatalf("zone %s: %d feed items in SQLite, %d in PostgreSQL", zone, len(a), len(b))
		}
		for i := range a {
			if a[i].Reference != b[i].Reference || a[i].Version != b[i].Version || a[i].Tombstone != b[i].Tombstone || !bytes.Equal(a[i].Record, b[i].Record) {
				t.Fatalf("zone %s item %d: SQLite %+v, PostgreSQL %+v", zone, i, a[i].Reference, b[i].Reference)
			}
		}
	}
	// The old database's cursors are refused: the copy is a new epoch.
	p, _ := src.FeedPage(ctx, "5275", "", 10, false)
	if _, err := dst.FeedPage(ctx, "5275", p.Cursor, 10, false); !errors.Is(err, storage.ErrEpoch) {
		t.Fatalf("a cursor of the SQLite database: %v, want ErrEpoch", err)
	}
	// Officers' tokens, idempotency records, outbox and audit.
	if o, err := dst.OfficerByToken(ctx, bytes.Repeat([]byte{1}, 32)); err != nil || o.ID != "o-5275" {
		t.Fatalf("officer by token after the copy: %+v %v", o, err)
	}
	if o, _ := dst.Officer(ctx, "o-5344"); o.RevokedAt == nil {
		t.Fatal("the revoked officer is not revoked after the copy")
	}
	replay, err := dst.Commit(ctx, storage.Change{Idempotency: &storage.Idempotency{Scope: "officer:o-1", Key: "k-2026-0007-SEED",
		RequestHash: []byte("2026-0007-SEED"), Status: 200, Response: []byte(`{"other":1}`)}})
	if err != nil || replay == nil || string(replay.Response) != `{}` {
		t.Fatalf("an idempotency key of before the copy: %+v %v", replay, err)
	}
	for _, state := range []string{"pending", "failed"} {
		a, _ := src.OutboxItems(ctx, state, 0)
		b, _ := dst.OutboxItems(ctx, state, 0)
		if len(a) == 0 || !outboxEqual(a, b) {
			t.Fatalf("%s confirmations: SQLite %+v, PostgreSQL %+v", state, a, b)
		}
	}
	a, _ := src.Audit(ctx, storage.AuditFilter{})
	b, _ := dst.Audit(ctx, storage.AuditFilter{})
	if len(a) != len(b) || a[0].ID != b[0].ID || a[len(a)-1].ID != b[len(b)-1].ID {
		t.Fatalf("audit: %d events in SQLite, %d in PostgreSQL", len(a), len(b))
	}
	// New changes follow the copied ones in the feed.
	if _, err := dst.Commit(ctx, intake("2026-NEW0-0001", "5275")); err != nil {
		t.Fatal(err)
	}
	after := readFeed(t, dst, "5275", 500)
	if last := after[len(after)-1]; last.Reference != "2026-NEW0-0001" {
		t.Fatalf("a change after the copy is not last in the feed: %s", last.Reference)
	}
	if _, err := dst.Commit(ctx, storage.Change{Outbox: []storage.NewConfirmation{{Reference: "x", Channel: "email", Payload: []byte("{}"), Due: time.Now()}}}); err != nil {
		t.Fatalf("a confirmation after the copy (identity after the copied ids): %v", err)
	}
}

func outboxEqual(a, b []storage.OutboxItem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Reference != y.Reference || x.Channel != y.Channel || x.Attempts != y.Attempts || x.Replaces != y.Replaces || x.LastError != y.LastError {
			return false
		}
	}
	return true
}
