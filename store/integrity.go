package store

// How a damaged or unusable cache is recognised.
//
// A cache can be damaged behind SQLite's back: a disk that returns garbage,
// a copy cut short, a file overwritten by another program. SQLite then
// answers SQLITE_CORRUPT ("database disk image is malformed") or
// SQLITE_NOTADB on the pages it happens to read, which may be none of the
// pages a given command needs. So:
//
//   - every error of an operation is recognised as corruption by IsCorrupt;
//   - Open refuses a file that is obviously damaged (not a database, cut
//     short, emptied) with a *CorruptError;
//   - each Store that writes leaves a marker file beside the cache
//     (<cache>.open-<pid>-<n>), made before its first write, that Close
//     removes: a marker of a process that no longer runs means the cache
//     was not closed cleanly, and Open then reads the whole file (PRAGMA
//     quick_check) before using it. A session that only reads (a listing:
//     its consultations go to the audit journal, not to the file) makes no
//     marker: ended at any point, it leaves the file as it found it;
//   - Check reads the whole file on demand (`guichet sync` does, before it
//     says the cache is synced).
//
// What can still be read from a damaged cache is saved by Salvage (see
// salvage.go) before the file is moved aside.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"modernc.org/sqlite"
)

// SQLite primary result codes the cache tells apart.
const (
	sqliteReadOnly = 8
	sqliteCantOpen = 14
	sqliteCorrupt  = 11
	sqliteNotADB   = 26
)

// CorruptError says the cache file is damaged: it cannot be trusted or read
// whole. The remedy is Salvage, then a rebuild from the portal.
type CorruptError struct {
	Path   string
	Detail string // what was found, for the log and the officer
	Err    error  // the SQLite error, when there was one
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("store: the cache %s is damaged (%s)", e.Path, e.Detail)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// IsCorrupt reports whether err says the cache file is damaged: a
// *CorruptError, or SQLITE_CORRUPT or SQLITE_NOTADB from any operation.
func IsCorrupt(err error) bool {
	var ce *CorruptError
	if errors.As(err, &ce) {
		return true
	}
	code := sqliteCode(err)
	return code == sqliteCorrupt || code == sqliteNotADB
}

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// ReadOnlyError says guichet cannot write its cache: the directory or the
// file is read-only (permissions, or a read-only file system).
type ReadOnlyError struct {
	Path string // the directory (Dir) or the cache file
	Dir  bool
	Err  error
}

func (e *ReadOnlyError) Error() string {
	if e.Dir {
		return fmt.Sprintf("store: the cache directory %s is read-only (%v): guichet must write its cache there — make it writable (chmod u+w %s) or choose another cache with --db",
			e.Path, e.Err, e.Path)
	}
	return fmt.Sprintf("store: the cache %s is read-only (%v): guichet must write to it — make it writable (chmod u+w %s) or choose another cache with --db",
		e.Path, e.Err, e.Path)
}

func (e *ReadOnlyError) Unwrap() error { return e.Err }

// checkUsable refuses, before SQLite opens it, a cache that cannot work: a
// directory or file guichet cannot write to (*ReadOnlyError), and an
// existing cache file emptied to zero bytes with no write-ahead log
// (*CorruptError: Open always leaves at least the first page, so nothing
// but damage gives an empty file).
func checkUsable(abs string) error {
	dir := filepath.Dir(abs)
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		// access(2), not the permission bits: it also answers for root
		// and for a read-only file system (EROFS). It writes nothing,
		// where a probe file was a create and an unlink in the directory
		// at every command.
		if err := syscall.Access(dir, 0o2|0o1); err != nil { // W_OK|X_OK
			if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS) {
				return &ReadOnlyError{Path: dir, Dir: true, Err: &os.PathError{Op: "access", Path: dir, Err: err}}
			}
			return fmt.Errorf("store: cache directory %s: %w", dir, err)
		}
	}
	st, err := os.Stat(abs)
	if err != nil || !st.Mode().IsRegular() {
		return nil // privatefile.Prepare creates it or says what is wrong
	}
	if f, err := os.OpenFile(abs, os.O_RDWR, 0); err != nil {
		if errors.Is(err, os.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return &ReadOnlyError{Path: abs, Err: err}
		}
	} else {
		f.Close()
	}
	if st.Size() == 0 {
		if wal, err := os.Stat(abs + "-wal"); err != nil || wal.Size() == 0 {
			return &CorruptError{Path: abs, Detail: "the file is empty"}
		}
	}
	return nil
}

// classify turns an SQLite error met while opening into a *CorruptError or
// a *ReadOnlyError when it is one; other errors are returned as they are.
func classify(abs string, err error) error {
	if err == nil {
		return nil
	}
	switch code := sqliteCode(err); code {
	case sqliteCorrupt:
		return &CorruptError{Path: abs, Detail: "database disk image is malformed", Err: err}
	case sqliteNotADB:
		return &CorruptError{Path: abs, Detail: "not a database file", Err: err}
	case sqliteReadOnly, sqliteCantOpen:
		if rerr := checkUsable(abs); rerr != nil {
			return rerr
		}
	}
	return err
}

// Check reads the whole cache (PRAGMA quick_check: every page, every
// record's format, the indexes' order — not the indexes' content against
// the tables). It returns a *CorruptError when anything is wrong.
func (s *Store) Check(ctx context.Context) error {
	s.checks.Add(1)
	rows, err := s.db.QueryContext(ctx, `PRAGMA quick_check(20)`)
	if err != nil {
		if IsCorrupt(err) {
			return &CorruptError{Path: s.path, Detail: "quick_check: " + err.Error(), Err: err}
		}
		return err
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			found = append(found, line)
		}
	}
	if err := rows.Err(); err != nil {
		if IsCorrupt(err) {
			return &CorruptError{Path: s.path, Detail: "quick_check: " + err.Error(), Err: err}
		}
		return err
	}
	if len(found) > 0 {
		// The first finding says enough; the file kept aside has the rest.
		var detail string
		for _, l := range strings.Split(strings.Join(found, "\n"), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "***") {
				detail = l
				break
			}
		}
		if len(detail) > 120 {
			detail = detail[:120] + "…"
		}
		return &CorruptError{Path: s.path, Detail: "quick_check: " + detail}
	}
	return nil
}

// closedSuffix names the file where Close records the size and time of the
// cache file it leaves, so CheckIfChanged can tell the file was not
// touched since.
const closedSuffix = ".closed"

// fileStamp is the size and modification time of a file, as text.
func fileStamp(p string) string {
	st, err := os.Stat(p)
	if err != nil {
		return ""
	}
	return strconv.FormatInt(st.Size(), 10) + " " + strconv.FormatInt(st.ModTime().UnixNano(), 10)
}

// recordClose remembers the cache file as this clean close leaves it.
func (s *Store) recordClose() {
	if wal, err := os.Stat(s.path + "-wal"); err == nil && wal.Size() > 0 {
		os.Remove(s.path + closedSuffix) // another connection still writes
		return
	}
	stamp := fileStamp(s.path)
	if stamp == "" {
		return
	}
	// A session that wrote nothing (a listing) usually finds the record
	// it would write: it reads it rather than rewriting the same bytes.
	if !s.wroteMore.Load() && stamp == s.openStamp {
		if have, err := os.ReadFile(s.path + closedSuffix); err == nil && string(have) == stamp {
			return
		}
	}
	_ = os.WriteFile(s.path+closedSuffix, []byte(stamp), 0o600)
}

// CheckIfChanged is Check, skipped when the cache file is exactly as a
// clean close of guichet left it (same size and modification time, no
// write-ahead log): then nothing wrote to it since, and reading the whole
// file (seconds for 100,000 complaints) would find what the last check
// found. A file written behind guichet's back — a copy, a restore, another
// program, garbage — is read whole.
func (s *Store) CheckIfChanged(ctx context.Context) error {
	if want, err := os.ReadFile(s.path + closedSuffix); err == nil && string(want) == s.openStamp && s.openStamp != "" {
		return nil
	}
	return s.Check(ctx)
}

// markerPrefix is the start of the open markers' names of the cache abs.
func markerPrefix(abs string) string { return abs + ".open-" }

// markOpen leaves this Store's open marker beside the cache, before its
// first write (onWriteConn; the caller holds the write turn).
func (s *Store) markOpen() error {
	if s.marker != "" {
		return nil
	}
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	name := markerPrefix(s.path) + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: open marker: %w", err)
	}
	s.marker = name
	return f.Close()
}

// unmark removes this Store's open marker: the cache was closed cleanly.
func (s *Store) unmark() {
	if s.marker != "" {
		os.Remove(s.marker)
		s.marker = ""
	}
}

// staleMarkers lists the open markers of abs left by processes that no
// longer run: each is a close that did not happen.
func staleMarkers(abs string) []string {
	matches, _ := filepath.Glob(GlobQuote(markerPrefix(abs)) + "*")
	var stale []string
	for _, m := range matches {
		rest := strings.TrimPrefix(m, markerPrefix(abs))
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid <= 0 || !running(pid) {
			stale = append(stale, m)
		}
	}
	return stale
}

// running reports whether a process with this id exists (it may be another
// program that reused the id: the check is then skipped, never wrongly
// made).
func running(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// GlobQuote makes s match itself in a filepath.Glob pattern (a byte
// loop: a strings.Replacer built at each call allocated 6 kB).
func GlobQuote(s string) string {
	if !strings.ContainsAny(s, `*?[\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkAfterUncleanClose reads the whole cache when a process that wrote
// to it ended without closing it, then forgets those markers. This Store
// marks the cache at its first write (markOpen).
func (s *Store) checkAfterUncleanClose(ctx context.Context) error {
	if stale := staleMarkers(s.path); len(stale) > 0 {
		if err := s.Check(ctx); err != nil {
			return err
		}
		for _, m := range stale {
			os.Remove(m)
		}
	}
	return nil
}
