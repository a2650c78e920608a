// Package privatefile creates and checks the SQLite files that hold
// personal data — the portal's database and the workstation's cache: the
// file 0600 in a directory created 0700, whatever the umask, and an
// existing file (or its WAL and shared-memory files) that other users can
// read refused with the command that fixes it.
package privatefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// PermissionError says a file or directory holding personal data is
// accessible by other users: the program refuses to use it.
type PermissionError struct {
	// What names the data for the message ("cache", "portal database").
	What string
	Path string
	Mode os.FileMode
	Dir  bool
}

func (e *PermissionError) Error() string {
	kind, fix := "file", "chmod 600"
	if e.Dir {
		kind, fix = "directory", "chmod 700"
	}
	return fmt.Sprintf("refusing to use the %s %s %s: other users can access it (mode %04o) and it holds personal data; run `%s %s` as the user the program runs as, or choose another location",
		e.What, kind, e.Path, e.Mode.Perm(), fix, e.Path)
}

// Options say how strict Prepare is.
type Options struct {
	// What names the data in errors ("cache", "portal database").
	What string
	// RefuseOpenDir refuses an existing directory that other users can
	// access (the workstation's own folder); a server's data directory may
	// be shared with an operators' group, so it is only created private.
	RefuseOpenDir bool
}

// Prepare creates the directory of path (0700 when it does not exist) and
// the file 0600, or checks the modes of an existing file and of its -wal
// and -shm companions; SQLite gives those the mode of the database.
func Prepare(path string, o Options) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := MkdirPrivate(dir); err != nil {
			return fmt.Errorf("create the %s directory: %w", o.What, err)
		}
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	case o.RefuseOpenDir && st.Mode().Perm()&0o077 != 0:
		return &PermissionError{What: o.What, Path: dir, Mode: st.Mode(), Dir: true}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		f.Close()
		return os.Chmod(path, 0o600) // O_CREATE is subject to the umask
	}
	if !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create the %s: %w", o.What, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		switch {
		case errors.Is(err, os.ErrNotExist) && p != path:
			continue
		case err != nil:
			return err
		case p == path && !st.Mode().IsRegular():
			return fmt.Errorf("%s is not a regular file", p)
		case st.Mode().Perm()&0o077 != 0:
			return &PermissionError{What: o.What, Path: p, Mode: st.Mode()}
		}
	}
	return nil
}

// MkdirPrivate creates dir (and its missing parents) with mode 0700 for
// the last one, whatever the umask.
func MkdirPrivate(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Chmod(dir, 0o700)
}
