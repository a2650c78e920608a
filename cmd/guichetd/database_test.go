package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"guichet/portal/storage/postgres/pgtest"
)

func TestDBKind(t *testing.T) {
	for _, c := range []struct{ db, kind, target string }{
		{"portal.db", "sqlite", "portal.db"},
		{"/var/lib/guichet/portal.db", "sqlite", "/var/lib/guichet/portal.db"},
		{"sqlite:portal.db", "sqlite", "portal.db"},
		{"sqlite:/srv/p.db", "sqlite", "/srv/p.db"},
		{"postgres://guichet@db:5432/guichet?sslmode=verify-full", "postgres", "postgres://guichet@db:5432/guichet?sslmode=verify-full"},
		{"postgresql://db/guichet", "postgres", "postgresql://db/guichet"},
	} {
		if kind, target := dbKind(c.db); kind != c.kind || target != c.target {
			t.Errorf("dbKind(%q) = %s %q, want %s %q", c.db, kind, target, c.kind, c.target)
		}
	}
	if _, err := openStore(t.Context(), "sqlite:", nil); err == nil {
		t.Error("--db sqlite: with no file was accepted")
	}
	if _, err := openStore(t.Context(), "", nil); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("no --db: %v", err)
	}
}

// TestServeOnPostgres: guichetd serve --db postgres://… answers, is ready,
// and reports the PostgreSQL pool in its metrics; an officer added with
// --db on the same URL can read the feed.
func TestServeOnPostgres(t *testing.T) {
	url := pgtest.NewDatabase(t)
	tok, _, err := runCmd(t, "officer", "add", "--db", url, "--zone", "5275", "--name", "Inspecteur Dupont")
	if err != nil {
		t.Fatal(err)
	}
	if out, _, err := runCmd(t, "seed", "--db", url, "--zone", "5275", "--count", "30", "--seed", "3"); err != nil || !strings.Contains(out, "30") {
		t.Fatalf("seed: %v %s", err, out)
	}
	addrs, _, stop := startServe(t, "--db", url, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	api := "http://" + addrs["guichetd listening"]
	if code, body := get(t, api+"/v1/readyz"); code != http.StatusOK || !strings.Contains(body, `"ready"`) {
		t.Fatalf("readyz: %d %s", code, body)
	}
	req, _ := http.NewRequest("GET", api+"/v1/zones/5275/feed?limit=100", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Items []json.RawMessage }
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(page.Items) != 30 {
		t.Fatalf("feed on PostgreSQL: %d, %d items", resp.StatusCode, len(page.Items))
	}
	if code, body := get(t, "http://"+addrs["metrics listening"]+"/metrics"); code != http.StatusOK || !strings.Contains(body, `guichet_db_pool_max_connections{pool="write"}`) {
		t.Fatalf("metrics: %d\n%s", code, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateCommand: guichetd migrate copies a seeded SQLite portal to
// PostgreSQL; the dry run writes nothing, the copy keeps the officer's
// token, the feed and the counts, and a second copy is refused.
func TestMigrateCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	url := pgtest.NewDatabase(t)
	tok, _, err := runCmd(t, "officer", "add", "--db", db, "--zone", "5275", "--name", "Inspecteur Dupont")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, "seed", "--db", db, "--zone", "5275", "--count", "200", "--seed", "3"); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "migrate", "--from", db, "--to", url, "--dry-run", "--json")
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	var dry struct {
		DryRun bool `json:"dry_run"`
		Counts struct {
			Complaints int `json:"complaints"`
			Officers   int `json:"officers"`
		} `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &dry); err != nil || !dry.DryRun || dry.Counts.Complaints != 200 || dry.Counts.Officers != 1 {
		t.Fatalf("dry run said %s (%v)", out, err)
	}
	if out, _, err := runCmd(t, "officer", "list", "--db", url); err != nil || strings.Contains(out, "Dupont") {
		t.Fatalf("the dry run wrote the officer: %v %s", err, out)
	}
	out, stderr, err := runCmd(t, "migrate", "--from", db, "--to", url)
	if err != nil || !strings.Contains(out, "200 complaints") || !strings.Contains(stderr, "new epoch") {
		t.Fatalf("migrate: %v\n%s\n%s", err, out, stderr)
	}
	if _, _, err := runCmd(t, "migrate", "--from", db, "--to", url); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a second copy: %v", err)
	}
	if _, _, err := runCmd(t, "migrate", "--from", db, "--to", db); err == nil {
		t.Fatal("migrate to a SQLite file was accepted")
	}
	addrs, _, stop := startServe(t, "--db", url, "--addr", "127.0.0.1:0", "--metrics-addr", "")
	req, _ := http.NewRequest("GET", "http://"+addrs["guichetd listening"]+"/v1/zones/5275/feed?limit=500", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Items []json.RawMessage }
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(page.Items) != 200 {
		t.Fatalf("feed after the migration with the old token: %d, %d items", resp.StatusCode, len(page.Items))
	}
	stop()
	audit, _, err := runCmd(t, "audit", "--db", url, "--json")
	if err != nil || !strings.Contains(audit, `"kind":"migrate"`) {
		t.Fatalf("no migrate event in the audit trail: %v", err)
	}
}
