package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/portal/storage"
)

// fixture is a portal database written by guichetd before the storage
// layer (schema 3, the portal's own migrations), as SQL text: officers
// (one revoked), complaints of two zones (claimed, handled, rejected,
// forwarded), idempotency records, audit events and confirmations.
const fixture = "testdata/portal-schema3.sql"

// loadFixture writes the fixture into a new database file, then applies
// extra (statements turning it into an older layout).
func loadFixture(t *testing.T, extra string) (path string, tokens map[string]string) {
	t.Helper()
	text, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	tokens = map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^-- token (\S+) (\S+)$`).FindAllStringSubmatch(string(text), -1) {
		tokens[m[1]] = m[2]
	}
	path = filepath.Join(t.TempDir(), "portal.db")
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(string(text)); err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	if extra != "" {
		if _, err := db.Exec(extra); err != nil {
			t.Fatalf("older layout: %v", err)
		}
	}
	os.Chmod(path, 0o600)
	return path, tokens
}

// before is what a database holds, read with SQL before it is migrated.
type before struct {
	complaints map[string][]byte // ref → record
	zones      map[string]string // ref → zone
	feeds      map[string][]storage.FeedItem
	audit      int
	outbox     map[string][2]int // channel → pending, sent
	epoch, key []byte
}

func readBefore(t *testing.T, path string) before {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := before{complaints: map[string][]byte{}, zones: map[string]string{}, feeds: map[string][]storage.FeedItem{}, outbox: map[string][2]int{}}
	rows, err := db.Query(`SELECT ref, zone, record FROM complaints`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var ref, zone string
		var rec []byte
		rows.Scan(&ref, &zone, &rec)
		b.complaints[ref], b.zones[ref] = rec, zone
	}
	rows.Close()
	rows, err = db.Query(`SELECT f.zone, f.ref, f.version, f.tombstone, c.record FROM feed f LEFT JOIN complaints c ON c.ref = f.ref ORDER BY f.seq`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var zone string
		var it storage.FeedItem
		var rec []byte
		rows.Scan(&zone, &it.Reference, &it.Version, &it.Tombstone, &rec)
		if !it.Tombstone {
			it.Record = rec
		}
		b.feeds[zone] = append(b.feeds[zone], it)
	}
	rows.Close()
	db.QueryRow(`SELECT count(*) FROM audit`).Scan(&b.audit)
	rows, _ = db.Query(`SELECT channel, count(*) FILTER (WHERE sent_at IS NULL), count(*) FILTER (WHERE sent_at IS NOT NULL) FROM outbox GROUP BY channel`)
	for rows.Next() {
		var ch string
		var p, s int
		rows.Scan(&ch, &p, &s)
		b.outbox[ch] = [2]int{p, s}
	}
	rows.Close()
	db.QueryRow(`SELECT value FROM meta WHERE key = 'epoch'`).Scan(&b.epoch)
	db.QueryRow(`SELECT value FROM meta WHERE key = 'cursor_key'`).Scan(&b.key)
	if len(b.complaints) < 10 || len(b.feeds) != 2 || b.audit < 10 || len(b.epoch) != 16 {
		t.Fatalf("fixture read: %d complaints, %d feeds, %d audit events, epoch %x", len(b.complaints), len(b.feeds), b.audit, b.epoch)
	}
	return b
}

func feedAll(t *testing.T, s *Store, zone, cursor string) storage.FeedPage {
	t.Helper()
	p, err := s.FeedPage(context.Background(), zone, cursor, 1000, false)
	if err != nil || p.More {
		t.Fatalf("feed %s: %v (more %v)", zone, err, p.More)
	}
	return p
}

func equalItems(a, b []storage.FeedItem) bool {
	return slices.EqualFunc(a, b, func(x, y storage.FeedItem) bool {
		return x.Reference == y.Reference && x.Version == y.Version && x.Tombstone == y.Tombstone && bytes.Equal(x.Record, y.Record)
	})
}

// TestMigrateDatabaseOfEarlierPortal opens a database written by the
// portal before the storage layer (and the same in the older layouts of
// schemas 1 and 2): everything it held reads the same through the store,
// cursors issued before still work, and new changes follow.
func TestMigrateDatabaseOfEarlierPortal(t *testing.T) {
	for _, tt := range []struct{ name, layout string }{
		{"schema 3", ""},
		{"schema 2", schema2Layout},
		{"schema 1", schema1Layout},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path, tokens := loadFixture(t, tt.layout)
			was := readBefore(t, path)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			if have, want, err := s.SchemaVersion(ctx); err != nil || have != want || want < 4 {
				t.Fatalf("schema version %d of %d (%v)", have, want, err)
			}
			for ref, rec := range was.complaints {
				c, err := s.Complaint(ctx, ref)
				if err != nil || !bytes.Equal(c.JSON, rec) || c.Zone != was.zones[ref] {
					t.Fatalf("complaint %s after migration: zone %s, %v, same record %v", ref, c.Zone, err, bytes.Equal(c.JSON, rec))
				}
			}
			for zone, items := range was.feeds {
				if got := feedAll(t, s, zone, ""); !equalItems(got.Items, items) {
					t.Fatalf("feed of %s changed by the migration", zone)
				}
			}
			// A workstation's cursor of before the migration (same
			// epoch and key) reads the rest of the feed.
			old := storage.NewCursors(was.epoch, was.key)
			half := len(was.feeds["5275"]) / 2
			var pos int64
			{
				db, _ := sql.Open("sqlite", dsn(path, true))
				db.QueryRow(`SELECT seq FROM feed WHERE zone = '5275' AND ref = ?`, was.feeds["5275"][half-1].Reference).Scan(&pos)
				db.Close()
			}
			rest := feedAll(t, s, "5275", old.Encode("5275", pos))
			if !equalItems(rest.Items, was.feeds["5275"][half:]) {
				t.Fatalf("a cursor of before the migration reads %d items, want %d", len(rest.Items), len(was.feeds["5275"])-half)
			}
			// Officers and their tokens, the revoked one still revoked.
			for id, tok := range tokens {
				h := sha256.Sum256([]byte(tok))
				o, err := s.OfficerByToken(ctx, h[:])
				if err != nil {
					t.Fatalf("officer of token %s: %v", id, err)
				}
				if strings.HasPrefix(id, "o-") && o.ID != id {
					t.Fatalf("token of %s is %s's", id, o.ID)
				}
			}
			officers, _ := s.Officers(ctx)
			revoked := 0
			for _, o := range officers {
				if o.RevokedAt != nil {
					revoked++
				}
			}
			if len(officers) != 3 || revoked != 1 {
				t.Fatalf("%d officers, %d revoked; want 3 and 1", len(officers), revoked)
			}
			// Idempotency records replay.
			if r, err := s.Idempotency(ctx, "intake", "intake-key-1"); err != nil || r.Status != 201 {
				t.Fatalf("intake key after migration: %+v %v", r, err)
			}
			// The audit trail, the claimed time of an impossible event kept.
			events, err := s.Audit(ctx, storage.AuditFilter{})
			if err != nil || len(events) != was.audit {
				t.Fatalf("%d audit events after migration (%v), %d before", len(events), err, was.audit)
			}
			claimed := 0
			for _, e := range events {
				if e.ClaimedAt != nil {
					claimed++
				}
			}
			if wantClaimed := map[bool]int{true: 1, false: 0}[tt.layout == ""]; claimed != wantClaimed {
				t.Fatalf("%d events with a claimed time, want %d", claimed, wantClaimed)
			}
			// Confirmations: the same counts; the backlog knows their age.
			counts, _ := s.OutboxCounts(ctx)
			for _, c := range counts {
				if w := was.outbox[c.Channel]; c.Pending != w[0] || c.Sent != w[1] {
					t.Fatalf("%s confirmations after migration %+v, before %v", c.Channel, c, w)
				}
			}
			backlog, _ := s.OutboxBacklog(ctx)
			for _, b := range backlog {
				if b.Pending > 0 && b.Oldest.Unix() <= 0 {
					t.Fatalf("backlog of %s without the age of its oldest: %+v", b.Channel, b)
				}
			}
			// New changes after the migration: a claim moves a complaint
			// to the end of its feed, a new complaint follows it.
			end := feedAll(t, s, "5275", "")
			first := end.Items[0]
			var rec complaint.Record
			c, _ := s.Complaint(ctx, first.Reference)
			rec, _ = c.Record()
			next, err := complaint.Apply(rec, complaint.Action{Type: complaint.ActionClaim}, complaint.Officer{ID: "o-new", Name: "Agent"}, rec.UpdatedAt.Add(1))
			if err != nil {
				t.Fatal(err)
			}
			next.Version = rec.Version + 1
			if _, err := s.Commit(ctx, storage.Change{Complaint: &storage.ComplaintWrite{Record: next, Previous: rec.Version},
				Feed: []storage.FeedChange{{Zone: "5275"}}}); err != nil {
				t.Fatal(err)
			}
			fresh := next
			fresh.Reference, fresh.Version, fresh.Status, fresh.ClaimedBy = "2026-NEW0-0001", 1, complaint.StatusNew, nil
			if _, err := s.Commit(ctx, storage.Change{Complaint: &storage.ComplaintWrite{Record: fresh},
				Feed: []storage.FeedChange{{Zone: "5275"}}}); err != nil {
				t.Fatal(err)
			}
			changes := feedAll(t, s, "5275", end.Cursor)
			if len(changes.Items) != 2 || changes.Items[0].Reference != first.Reference || changes.Items[1].Reference != fresh.Reference {
				t.Fatalf("changes after migration: %+v", changes.Items)
			}
		})
	}
}

// schema2Layout turns the fixture (schema 3) back into the layout of
// schema 2: no failed or replacing confirmations, no claimed times.
const schema2Layout = `
ALTER TABLE outbox DROP COLUMN failed_at;
ALTER TABLE outbox DROP COLUMN replaces;
ALTER TABLE audit DROP COLUMN claimed_at;
UPDATE schema_version SET version = 2;
`

// schema1Layout turns the fixture into the layout of schema 1: complaints
// and feed WITHOUT ROWID, the feed keyed by reference.
const schema1Layout = `
CREATE TABLE complaints_v1 (
	ref TEXT PRIMARY KEY, zone TEXT NOT NULL, status TEXT NOT NULL,
	version INTEGER NOT NULL, received_at INTEGER NOT NULL, record BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO complaints_v1 SELECT ref, zone, status, version, received_at, record FROM complaints;
DROP TABLE complaints;
ALTER TABLE complaints_v1 RENAME TO complaints;
CREATE INDEX complaints_by_zone ON complaints (zone, status);
CREATE TABLE feed_v1 (
	zone TEXT NOT NULL, ref TEXT NOT NULL, seq INTEGER NOT NULL,
	version INTEGER NOT NULL, tombstone INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (zone, ref)
) WITHOUT ROWID;
INSERT INTO feed_v1 SELECT zone, ref, seq, version, tombstone FROM feed;
DROP TABLE feed;
ALTER TABLE feed_v1 RENAME TO feed;
CREATE UNIQUE INDEX feed_by_seq ON feed (zone, seq);
` + schema2Layout + `
UPDATE schema_version SET version = 1;
`

// TestMigrationClearsRelayText: errors stored by an older guichetd kept the
// relay's free text, which can repeat the citizen's address; migration 3
// clears them and keeps the others.
func TestMigrationClearsRelayText(t *testing.T) {
	path, _ := loadFixture(t, schema2Layout+`
INSERT INTO outbox (ref, channel, payload, next_attempt, last_error) VALUES
	('2026-AAAA-AAAA', 'email', '{}', 0, '550 "5.1.1 <marc.dubois@example.be>: Recipient address rejected"'),
	('2026-BBBB-BBBB', 'email', '{}', 0, 'dial tcp 127.0.0.1:25: connect: connection refused');`)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	items, err := s.OutboxItems(context.Background(), "pending", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		if strings.HasPrefix(it.Reference, "2026-AAAA") || strings.HasPrefix(it.Reference, "2026-BBBB") {
			got = append(got, it.LastError)
		}
	}
	if len(got) != 2 || strings.Contains(got[0], "@") || got[1] != "dial tcp 127.0.0.1:25: connect: connection refused" {
		t.Fatalf("stored errors after migration: %q", got)
	}
}

// TestNewerDatabaseRefused: a database migrated by a newer guichetd is not
// opened (nothing is changed in it).
func TestNewerDatabaseRefused(t *testing.T) {
	path, _ := loadFixture(t, `UPDATE schema_version SET version = 99;`)
	if s, err := Open(path, Options{}); err == nil {
		s.Close()
		t.Fatal("opened a database of schema 99")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Fatalf("error %v does not say the database is newer", err)
	}
}

// TestAuditAppendOnlyInDatabase: the audit table refuses updates and
// deletes itself, whatever code runs against it.
func TestAuditAppendOnlyInDatabase(t *testing.T) {
	path, _ := loadFixture(t, "")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{`UPDATE audit SET outcome = 'x'`, `DELETE FROM audit`} {
		if _, err := s.wdb.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the append-only refusal", q, err)
		}
	}
}

// TestCursorAheadOfDatabase: a database restored from a backup older than
// a reader's cursor answers ErrEpoch (the reader lists again) instead of
// silently skipping what it will write next.
func TestCursorAheadOfDatabase(t *testing.T) {
	path, _ := loadFixture(t, "")
	backup := path + ".bak"
	raw, _ := os.ReadFile(path)
	os.WriteFile(backup, raw, 0o600)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, _ := s.Complaint(ctx, feedAll(t, s, "5275", "").Items[0].Reference)
	rec, _ := c.Record()
	next := rec
	next.Version++
	if _, err := s.Commit(ctx, storage.Change{Complaint: &storage.ComplaintWrite{Record: next, Previous: rec.Version}, Feed: []storage.FeedChange{{Zone: "5275"}}}); err != nil {
		t.Fatal(err)
	}
	cursor := feedAll(t, s, "5275", "").Cursor
	s.Close()
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	os.Rename(backup, path)
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.FeedPage(ctx, "5275", cursor, 10, false); !errors.Is(err, storage.ErrEpoch) {
		t.Fatalf("cursor ahead of a restored database: %v, want ErrEpoch", err)
	}
}
