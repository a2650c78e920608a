package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet/complaint"
)

func TestOpenCreatesPrivateFiles(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "share", "guichet", "x.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, s, "c1", newRecord("R1", "Gérard", "Dubois"))
	for _, p := range []struct {
		path string
		mode os.FileMode
	}{
		{filepath.Join(root, "share"), 0o700},
		{filepath.Join(root, "share", "guichet"), 0o700},
		{path, 0o600},
		{path + "-wal", 0o600},
		{path + "-shm", 0o600},
	} {
		st, err := os.Stat(p.path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != p.mode {
			t.Errorf("%s: mode %04o, want %04o", p.path, st.Mode().Perm(), p.mode)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening an existing private cache works and keeps its data.
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if c, _ := s.Cursor(context.Background()); c != "c1" {
		t.Errorf("cursor after reopen = %q", c)
	}
}

func TestOpenRefusesSharedCache(t *testing.T) {
	tests := []struct {
		name     string
		fileMode os.FileMode
		dirMode  os.FileMode
		wantDir  bool
	}{
		{"world-readable file", 0o644, 0o700, false},
		{"group-readable file", 0o640, 0o700, false},
		{"world-writable file", 0o602, 0o700, false},
		{"world-readable directory", 0o600, 0o755, true},
		{"group-accessible directory", 0o600, 0o750, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "g")
			path := filepath.Join(dir, "c.db")
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			os.Chmod(path, tt.fileMode)
			os.Chmod(dir, tt.dirMode)
			_, err = Open(path)
			var pe *PermissionError
			if !errors.As(err, &pe) {
				t.Fatalf("Open = %v, want a PermissionError", err)
			}
			if pe.Dir != tt.wantDir {
				t.Errorf("Dir = %v, want %v", pe.Dir, tt.wantDir)
			}
			if !strings.Contains(err.Error(), "other users") {
				t.Errorf("message %q does not say why", err)
			}
		})
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "private", "c.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open = %v, want a refusal naming a newer schema", err)
	}
}

func TestDefaultPath(t *testing.T) {
	tests := []struct {
		name, xdg, home, url, zone, want string
		wantErr                          bool
	}{
		{"https default port", "/x/data", "/home/a", "https://guichet.police.be", "5275", "/x/data/guichet/guichet.police.be-443-5275.db", false},
		{"explicit port", "/x/data", "/home/a", "http://127.0.0.1:8080", "5275", "/x/data/guichet/127.0.0.1-8080-5275.db", false},
		{"http default port", "/x/data", "/home/a", "http://localhost", "5267", "/x/data/guichet/localhost-80-5267.db", false},
		{"no XDG", "", "/home/a", "https://p.be", "5275", "/home/a/.local/share/guichet/p.be-443-5275.db", false},
		{"relative XDG ignored", "rel/dir", "/home/a", "https://p.be", "5275", "/home/a/.local/share/guichet/p.be-443-5275.db", false},
		{"hostile zone", "/x", "/h", "https://p.be", "../../etc", "/x/guichet/p.be-443-_._.._etc.db", false},
		{"ipv6", "/x", "/h", "https://[::1]:9000", "5275", "/x/guichet/__1-9000-5275.db", false},
		{"no host", "/x", "/h", "p.be", "5275", "", true},
		{"no zone", "/x", "/h", "https://p.be", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_DATA_HOME", tt.xdg)
			t.Setenv("HOME", tt.home)
			got, err := DefaultPath(tt.url, tt.zone)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if id, err := s.Identity(ctx); err != nil || id != (Identity{}) {
		t.Fatalf("fresh identity = %+v, %v", id, err)
	}
	a := Identity{ServerURL: "https://p.be", Zone: "5275", OfficerID: "off-1", OfficerName: "Dupont"}
	if err := s.SetIdentity(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := a
	b.OfficerID, b.OfficerName = "off-2", "Peeters"
	if err := s.SetIdentity(ctx, b); err != nil {
		t.Fatalf("changing officer: %v", err)
	}
	if id, _ := s.Identity(ctx); id != b {
		t.Errorf("identity = %+v, want %+v", id, b)
	}
	c := b
	c.Zone = "5267"
	if err := s.SetIdentity(ctx, c); !errors.Is(err, ErrIdentityMismatch) {
		t.Errorf("other zone: %v, want ErrIdentityMismatch", err)
	}
	// Every sync of a new process says who it is (sync.Engine.Hello): the
	// identity already stored is a read, not a synchronous write
	// transaction (an fsync in every `guichet sync`).
	before := s.writeTxs.Load()
	if err := s.SetIdentity(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got := s.writeTxs.Load() - before; got != 0 {
		t.Errorf("the identity already stored ran %d write transactions, want 0", got)
	}
	if id, _ := s.Identity(ctx); id != b {
		t.Errorf("identity = %+v, want %+v", id, b)
	}
}

// An audit event committed without fsync is still there after a clean
// exit: nothing a consultation records is lost by skipping the fsync.
func TestAuditWithoutFsyncSurvivesCleanExit(t *testing.T) {
	ctx := context.Background()
	path := closedCacheWithOne(t)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Page(ctx, Query{}, nil, 50); err != nil {
		t.Fatal(err)
	}
	ev := complaint.AuditEvent{Officer: "o-1", Zone: "5275", Kind: AuditExport, Outcome: OutcomeOK, Detail: "list 1"}
	if err := s.Audit(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.PendingAudit(ctx, 0)
	if err != nil || len(got) != 1 || got[0].Detail != "list 1" {
		t.Errorf("audit events after reopening: %+v (%v), want the listing", got, err)
	}
}
