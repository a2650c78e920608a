package portal

import (
	"database/sql"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"guichet/complaint"
)

// v1Layout turns a database of the current schema back into the layout of
// migration 1 (complaints and feed WITHOUT ROWID, feed keyed by ref), with
// the same data, as a database written by an older guichetd would be.
const v1Layout = `
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
` + v2Layout + `
UPDATE schema_version SET version = 1;
`

// v2Layout undoes migrations 4 and 3 (failed and replacing confirmations,
// claimed times of audit events).
const v2Layout = v3Layout + `
ALTER TABLE outbox DROP COLUMN failed_at;
ALTER TABLE outbox DROP COLUMN replaces;
ALTER TABLE audit DROP COLUMN claimed_at;
UPDATE schema_version SET version = 2;
`

// v3Layout undoes migration 4 (when a confirmation was queued).
const v3Layout = `
ALTER TABLE outbox DROP COLUMN created_at;
UPDATE schema_version SET version = 3;
`

// TestMigrationClearsRelayText: errors stored by an older guichetd kept the
// relay's free text, which can repeat the citizen's address; migration 3
// clears them and keeps the others.
func TestMigrationClearsRelayText(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tp.stop()
	db, err := sql.Open("sqlite", dsn(tp.path, false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(v2Layout); err != nil {
		t.Fatalf("make schema 2: %v", err)
	}
	if _, err := db.Exec(`INSERT INTO outbox (ref, channel, payload, next_attempt, last_error) VALUES
		('2026-AAAA-AAAA', 'email', '{}', 0, '550 "5.1.1 <marc.dubois@example.be>: Recipient address rejected"'),
		('2026-BBBB-BBBB', 'email', '{}', 0, 'dial tcp 127.0.0.1:25: connect: connection refused')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tp.start()
	rows, err := tp.srv.rdb.Query(`SELECT last_error FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got = append(got, s)
	}
	if len(got) != 2 || strings.Contains(got[0], "@") || got[1] != "dial tcp 127.0.0.1:25: connect: connection refused" {
		t.Fatalf("stored errors after migration: %q", got)
	}
}

// TestMigrationFeedLayout opens a database of schema 1 holding complaints,
// a forward (tombstone) and a claim: after migration 2 the feeds, the
// cursors, the records and new changes are as before.
func TestMigrationFeedLayout(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tokA, _ := tp.officer("5275", "Agent A")
	tokB, _ := tp.officer("5339", "Agent B")
	refs := tp.seed("5275", 8)
	tp.seed("5339", 3)
	if r := tp.action("5275", refs[1], tokA, "c1", complaint.Action{Type: complaint.ActionClaim}); r.Status != http.StatusOK {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	tp.action("5275", refs[2], tokA, "c2", complaint.Action{Type: complaint.ActionClaim})
	if r := tp.action("5275", refs[2], tokA, "f2", complaint.Action{Type: complaint.ActionForward, ToZone: "5339", Reason: "Faits à Ixelles"}); r.Status != http.StatusOK {
		t.Fatalf("forward: %d %s", r.Status, r.Body)
	}
	beforeA, _ := tp.feed("5275", tokA, "", 100)
	beforeB, _ := tp.feed("5339", tokB, "", 100)
	half, _ := tp.feed("5275", tokA, "", 4)
	tp.stop()

	db, err := sql.Open("sqlite", dsn(tp.path, false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(v1Layout); err != nil {
		t.Fatalf("make schema 1: %v", err)
	}
	db.Close()

	tp.start()
	var version int
	tp.srv.rdb.QueryRow(`SELECT version FROM schema_version`).Scan(&version)
	if version != len(migrations) {
		t.Fatalf("schema version %d after open, want %d", version, len(migrations))
	}
	afterA, _ := tp.feed("5275", tokA, "", 100)
	afterB, _ := tp.feed("5339", tokB, "", 100)
	if !reflect.DeepEqual(beforeA.Items, afterA.Items) || !reflect.DeepEqual(beforeB.Items, afterB.Items) {
		t.Fatalf("feeds changed by the migration:\n%+v\n%+v", beforeA.Items, afterA.Items)
	}
	if n := len(beforeA.Items); n != 8 || !beforeA.Items[n-1].Tombstone || beforeA.Items[n-1].Record != nil {
		t.Fatalf("5275 feed should end with the forwarded complaint's tombstone: %+v", beforeA.Items)
	}
	rest, r := tp.feed("5275", tokA, half.Cursor, 100)
	if r.Status != http.StatusOK || !reflect.DeepEqual(rest.Items, beforeA.Items[4:]) {
		t.Fatalf("cursor of before the migration: %d %+v", r.Status, rest.Items)
	}
	if r := tp.do("GET", "/v1/zones/5275/complaints/"+refs[0], tokA, "", nil); r.Status != http.StatusOK {
		t.Fatalf("get migrated complaint: %d %s", r.Status, r.Body)
	}
	// Changes after the migration: a claim moves a complaint to the end of
	// the feed, a new complaint follows it, both with their records.
	if r := tp.action("5275", refs[0], tokA, "c0", complaint.Action{Type: complaint.ActionClaim}); r.Status != http.StatusOK {
		t.Fatalf("claim migrated complaint: %d %s", r.Status, r.Body)
	}
	newRefs := tp.seed("5275", 1)
	changes, _ := tp.feed("5275", tokA, afterA.Cursor, 100)
	if len(changes.Items) != 2 || changes.Items[0].Reference != refs[0] || changes.Items[1].Reference != newRefs[0] {
		t.Fatalf("changes after migration: %+v", changes.Items)
	}
	for _, it := range changes.Items {
		if it.Record == nil || it.Record.Reference != it.Reference {
			t.Fatalf("item without its record: %+v", it)
		}
	}
	if changes.Items[0].Record.Status != complaint.StatusClaimed {
		t.Fatalf("claimed complaint has status %s", changes.Items[0].Record.Status)
	}
}
