package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet/portal"
)

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(args, &out, &errb)
	return out.String(), errb.String(), err
}

func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	tok, stderr, err := runCmd(t, "officer", "add", "--db", db, "--zone", "5275", "--name", "Inspecteur Dupont")
	if err != nil || len(strings.TrimSpace(tok)) < 40 {
		t.Fatalf("officer add: %v %q %q", err, tok, stderr)
	}
	list, _, err := runCmd(t, "officer", "list", "--db", db)
	if err != nil || !strings.Contains(list, "Inspecteur Dupont") || strings.Contains(list, strings.TrimSpace(tok)) {
		t.Fatalf("officer list (must not show the token): %v\n%s", err, list)
	}
	if out, _, err := runCmd(t, "seed", "--db", db, "--zone", "5275", "--count", "25", "--seed", "3"); err != nil || !strings.Contains(out, "25") {
		t.Fatalf("seed: %v %s", err, out)
	}
	t.Setenv("GUICHETD_DB", db)
	audit, _, err := runCmd(t, "audit", "--zone", "5275")
	if err != nil || strings.Count(audit, "intake") != 25 {
		t.Fatalf("audit: %v\n%s", err, audit)
	}
	if _, _, err := runCmd(t, "zones", "import", filepath.Join(dir, "missing.csv")); err == nil {
		t.Fatal("import of a missing file succeeded")
	}
	if _, _, err := runCmd(t, "officer", "revoke", "--id", "o-nope"); err == nil {
		t.Fatal("revoking an unknown officer succeeded")
	}
}

func TestFASDevKeyAndAssertion(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "fas")
	_, stderr, err := runCmd(t, "fas", "dev-key", "--out", prefix)
	if err != nil || !strings.Contains(stderr, "NOT FOR PRODUCTION") {
		t.Fatalf("dev-key: %v %q", err, stderr)
	}
	if fi, err := os.Stat(prefix + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key file: %v %v", err, fi)
	}
	out, stderr, err := runCmd(t, "fas", "dev-assert", "--key", prefix+".key", "--nn", "85073003328", "--first", "Marc", "--last", "Dubois")
	if err != nil || !strings.Contains(stderr, "NOT FOR PRODUCTION") {
		t.Fatalf("dev-assert: %v %q", err, stderr)
	}
	pub, err := portal.ReadFASPublicKey(prefix + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	a, err := portal.VerifyAssertion(pub, strings.TrimSpace(out), time.Now())
	if err != nil || a.NationalNumber != "85073003328" || a.Method != "eid" {
		t.Fatalf("assertion: %v %+v", err, a)
	}
}
