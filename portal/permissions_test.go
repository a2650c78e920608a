package portal

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"guichet/complaint"
)

// withUmask runs the rest of the test under umask mask (process-wide: the
// tests of this package do not run in parallel).
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// TestPortalFilesPrivate: the database, its WAL and shared-memory files, the
// letter spool and its letters, and a development key are created 0600 in
// 0700 directories, even under umask 000.
func TestPortalFilesPrivate(t *testing.T) {
	withUmask(t, 0)
	base := t.TempDir()
	dbPath := filepath.Join(base, "data", "portal.db")
	spool := filepath.Join(base, "letters")
	srv, err := Open(dbPath, Options{LettersDir: spool})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, _, err := srv.AddOfficer("5275", "Agent"); err != nil {
		t.Fatal(err)
	}
	srv.ListOfficers() // readers map the shared memory
	c := confirmation{Reference: "2026-AAAA-BBBB", Language: "fr", Zone: complaint.Zone{Code: "5275", Name: "Ottignies-Louvain-la-Neuve"},
		Status: complaint.StatusHandled, PVNumber: "NI.55.L5.012345/2026", FirstName: "Marc", LastName: "Dubois",
		Address: complaint.Address{Street: "Rue Haute", Number: "12", PostalCode: "1000", Municipality: "Bruxelles", Country: "BE"}}
	if err := srv.writeLetter(1, c); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{
		filepath.Dir(dbPath): 0o700,
		dbPath:               0o600,
		dbPath + "-wal":      0o600,
		dbPath + "-shm":      0o600,
		spool:                0o700,
		filepath.Join(spool, LetterName(c.Reference, c.Status)): 0o600,
	} {
		if got := mode(t, path); got != want {
			t.Errorf("%s: mode %04o, want %04o", path, got, want)
		}
	}

	// A development key written over a readable file of the same name.
	prefix := filepath.Join(base, "fas")
	if err := os.WriteFile(prefix+".key", []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteFASDevKey(prefix); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, prefix+".key"); got != 0o600 {
		t.Errorf("private key: mode %04o", got)
	}
}

// TestRefusesDatabaseOthersCanRead: a database (or WAL) that other users
// can read is refused with the command that fixes it.
func TestRefusesDatabaseOthersCanRead(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "portal.db")
	srv, err := Open(dbPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	for _, tc := range []struct {
		name string
		prep func() string // returns the path that must be named
		opts Options
		fix  string
	}{
		{"database 0644", func() string { os.Chmod(dbPath, 0o644); return dbPath }, Options{}, "chmod 600 " + dbPath},
		{"database 0640", func() string { os.Chmod(dbPath, 0o640); return dbPath }, Options{}, "chmod 600 " + dbPath},
		{"WAL 0644", func() string {
			os.Chmod(dbPath, 0o600)
			os.WriteFile(dbPath+"-wal", nil, 0o644)
			os.Chmod(dbPath+"-wal", 0o644)
			return dbPath + "-wal"
		}, Options{}, "chmod 600 " + dbPath + "-wal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.prep()
			srv, err := Open(dbPath, tc.opts)
			if err == nil {
				srv.Close()
				t.Fatal("opened")
			}
			var pe *PermissionError
			if !errors.As(err, &pe) || pe.Path != path || !strings.Contains(err.Error(), tc.fix) {
				t.Fatalf("error %v", err)
			}
		})
	}
	// Fixed as told, it opens. A spool other users can enter is used (its
	// letters are 0600) but said at the start.
	os.Remove(dbPath + "-wal")
	spool := filepath.Join(dir, "letters")
	os.Mkdir(spool, 0o755)
	os.Chmod(spool, 0o755)
	logs := &lockedBuffer{}
	srv, err = Open(dbPath, Options{LettersDir: spool, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatalf("after the fix: %v", err)
	}
	srv.Close()
	if !strings.Contains(logs.String(), "chmod 700") || !strings.Contains(logs.String(), spool) {
		t.Errorf("no word of the open spool: %s", logs)
	}
}
