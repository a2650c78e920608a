package privatefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestPrepare(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	tests := []struct {
		name    string
		setup   func(dir string) // dir is the data directory's parent
		opts    Options
		refused string // suffix of the refused path, "" when accepted
	}{
		{"new file and directory", func(string) {}, Options{What: "cache", RefuseOpenDir: true}, ""},
		{"existing private file", func(d string) {
			os.Mkdir(filepath.Join(d, "data"), 0o700)
			os.WriteFile(filepath.Join(d, "data", "db"), nil, 0o600)
		}, Options{What: "cache"}, ""},
		{"readable file", func(d string) {
			os.Mkdir(filepath.Join(d, "data"), 0o700)
			os.WriteFile(filepath.Join(d, "data", "db"), nil, 0o644)
		}, Options{What: "cache"}, "db"},
		{"readable WAL", func(d string) {
			os.Mkdir(filepath.Join(d, "data"), 0o700)
			os.WriteFile(filepath.Join(d, "data", "db"), nil, 0o600)
			os.WriteFile(filepath.Join(d, "data", "db-wal"), nil, 0o640)
		}, Options{What: "cache"}, "db-wal"},
		{"open directory refused", func(d string) { os.Mkdir(filepath.Join(d, "data"), 0o755) }, Options{What: "cache", RefuseOpenDir: true}, "data"},
		{"open directory kept", func(d string) { os.Mkdir(filepath.Join(d, "data"), 0o755) }, Options{What: "portal database"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			tt.setup(parent)
			path := filepath.Join(parent, "data", "db")
			err := Prepare(path, tt.opts)
			var pe *PermissionError
			if tt.refused != "" {
				if !errors.As(err, &pe) || filepath.Base(pe.Path) != tt.refused {
					t.Fatalf("Prepare = %v, want %s refused", err, tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("file: %v, %v; want 0600", st, err)
			}
		})
	}
	t.Run("new directory is 0700", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a", "b", "db")
		if err := Prepare(path, Options{What: "cache"}); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(filepath.Dir(path)); st.Mode().Perm() != 0o700 {
			t.Fatalf("directory mode %04o", st.Mode().Perm())
		}
	})
}
