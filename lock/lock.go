// Package lock is the workstation's session lock: the officer's PIN, kept
// as a slow salted hash, the count of wrong PINs with its lockout, and an
// idle tracker that tells the TUI when to hide the screen.
//
// # PIN file
//
// The PIN lives in its own file beside the configuration
// ($XDG_CONFIG_HOME/guichet/pin, see DefaultPath), mode 0600 in a directory
// created 0700, written atomically (temporary file, fsync, rename). A PIN
// file others can read and a directory others can write are refused. It is
// JSON:
//
//	{"version":1,"kdf":"pbkdf2-sha256","iterations":600000,
//	 "salt":"<base64, 16 bytes>","hash":"<base64, 32 bytes>",
//	 "failures":0,"locked_until":"2026-11-21T10:00:00Z","session_locked":true}
//
// The PIN itself is never written. The key-derivation parameters are stored
// with the hash, so they can be raised later: a correct PIN under weaker
// parameters than the Lock's is re-hashed with the stronger ones.
//
// # Rules
//
// A PIN is at least MinPINLength digits (at most MaxPINLength), not all the
// same digit, not an ascending or descending run (123456, 654321, 789012)
// and not a short pattern repeated (121212, 123123). MaxFailures wrong PINs
// in a row lock for Lockout; the count and the lockout are persisted
// before the PIN is checked, so neither killing nor restarting the program
// resets them. A correct PIN resets the count. A locked screen is recorded
// too (session_locked, MarkSessionLocked) until the right PIN is given, so a
// workstation killed or closed while locked starts locked.
//
// # Demo
//
// NewDemo presets DemoPIN with DemoParams, which are cheap and therefore
// only for the demo and tests: never for a real officer's PIN.
package lock

import (
	"bytes"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Rules and defaults.
const (
	MinPINLength = 6
	MaxPINLength = 32
	MaxFailures  = 5
	Lockout      = 10 * time.Minute
	// MaxFileBytes bounds the PIN file; a real one is about 250 bytes.
	MaxFileBytes = 4 << 10
	// maxIterations refuses a file whose cost would hang the workstation.
	maxIterations = 100_000_000
)

// Params are the key-derivation parameters of PBKDF2-HMAC-SHA-256.
type Params struct {
	Iterations int
	SaltLen    int // bytes
	KeyLen     int // bytes
}

// DefaultParams follow OWASP's 2023 advice for PBKDF2-HMAC-SHA-256.
var DefaultParams = Params{Iterations: 600_000, SaltLen: 16, KeyLen: 32}

// DemoParams are cheap: for --demo and tests only, never a real PIN.
var DemoParams = Params{Iterations: 1_000, SaltLen: 16, KeyLen: 32}

// DemoPIN is the PIN NewDemo presets; the demo shows it on its first screen.
const DemoPIN = "246810"

const kdfName = "pbkdf2-sha256"

// record is the file's content.
type record struct {
	Version     int       `json:"version"`
	KDF         string    `json:"kdf"`
	Iterations  int       `json:"iterations"`
	Salt        []byte    `json:"salt"`
	Hash        []byte    `json:"hash"`
	Failures    int       `json:"failures"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
	// SessionLocked: the screen was locked and not unlocked since, so a
	// workstation restarted (killed, terminal closed) starts locked.
	SessionLocked bool `json:"session_locked,omitempty"`
}

// Lock is the session lock of one workstation. Its methods are safe for
// concurrent use.
type Lock struct {
	mu     sync.Mutex
	path   string // "" keeps everything in memory (demo)
	params Params
	rec    *record // nil: no PIN set
}

// Option changes how Open behaves.
type Option func(*Lock)

// WithParams sets the parameters for new hashes (Set, and the upgrade of a
// weaker stored hash). Below DefaultParams is for tests and the demo only.
func WithParams(p Params) Option { return func(l *Lock) { l.params = p } }

// DefaultPath is the PIN file inside the configuration directory (see
// config.Dir).
func DefaultPath(configDir string) string { return filepath.Join(configDir, "pin") }

// Open reads the lock at path. A missing file is a lock with no PIN set
// (IsSet false); a file others can read or write, or a damaged one, is an
// error.
func Open(path string, opts ...Option) (*Lock, error) {
	l := &Lock{path: path, params: DefaultParams}
	for _, o := range opts {
		o(l)
	}
	if err := checkParams(l.params); err != nil {
		return nil, err
	}
	rec, err := readRecord(path)
	if err != nil {
		return nil, err
	}
	l.rec = rec
	return l, nil
}

// NewDemo makes a lock with DemoPIN preset under DemoParams, at path (""
// keeps it in memory only). For --demo and tests only.
func NewDemo(path string) (*Lock, error) {
	l := &Lock{path: path, params: DemoParams}
	if err := l.Set(DemoPIN); err != nil {
		return nil, err
	}
	return l, nil
}

// Path is the PIN file ("" for an in-memory demo lock).
func (l *Lock) Path() string { return l.path }

// IsSet reports whether a PIN has been set.
func (l *Lock) IsSet() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rec != nil
}

// Set sets the first PIN. It refuses a PIN breaking the rules (see
// CheckPIN) and a lock that already has one (use Change).
func (l *Lock) Set(pin string) error {
	if err := CheckPIN(pin); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.reload(); err != nil {
		return err
	}
	if l.rec != nil {
		return ErrAlreadySet
	}
	rec, err := newRecord(pin, l.params)
	if err != nil {
		return err
	}
	if err := l.save(rec); err != nil {
		return err
	}
	l.rec = rec
	return nil
}

// Change replaces the PIN after checking the current one, with the same
// counting and lockout as Verify.
func (l *Lock) Change(oldPIN, newPIN string, now time.Time) error {
	if err := CheckPIN(newPIN); err != nil {
		return err
	}
	ok, until, err := l.Verify(oldPIN, now)
	switch {
	case err != nil:
		return err
	case !until.IsZero():
		return ErrLockedOut
	case !ok:
		return ErrWrongPIN
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	rec, err := newRecord(newPIN, l.params)
	if err != nil {
		return err
	}
	if err := l.save(rec); err != nil {
		return err
	}
	l.rec = rec
	return nil
}

// Verify checks pin at time now. ok is true for the right PIN. While
// locked out (lockedUntil after now) the PIN is not even checked and ok is
// false. The fifth wrong PIN in a row returns the new lockedUntil. err is
// only for a missing PIN (ErrNotSet) or a file problem; a wrong PIN is
// ok == false with err == nil.
func (l *Lock) Verify(pin string, now time.Time) (ok bool, lockedUntil time.Time, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.reload(); err != nil {
		return false, time.Time{}, err
	}
	if l.rec == nil {
		return false, time.Time{}, ErrNotSet
	}
	rec := *l.rec
	if !rec.LockedUntil.IsZero() {
		if now.Before(rec.LockedUntil) {
			return false, rec.LockedUntil, nil
		}
		// The lockout is over: a fresh series of attempts.
		rec.LockedUntil, rec.Failures = time.Time{}, 0
	}
	// Count the attempt before checking it, so that killing the program
	// while the hash is computed does not give a free try.
	rec.Failures++
	if err := l.save(&rec); err != nil {
		return false, time.Time{}, err
	}
	l.rec = &rec

	p := Params{Iterations: rec.Iterations, SaltLen: len(rec.Salt), KeyLen: len(rec.Hash)}
	got, err := derive(pin, rec.Salt, p)
	if err != nil {
		return false, time.Time{}, err
	}
	if subtle.ConstantTimeCompare(got, rec.Hash) == 1 {
		next := rec
		next.Failures, next.LockedUntil, next.SessionLocked = 0, time.Time{}, false
		if rec.Iterations < l.params.Iterations || len(rec.Salt) < l.params.SaltLen || len(rec.Hash) < l.params.KeyLen {
			// Raise the stored parameters to the current ones.
			up, err := newRecord(pin, l.params)
			if err != nil {
				return false, time.Time{}, err
			}
			next = *up
		}
		if err := l.save(&next); err != nil {
			return false, time.Time{}, err
		}
		l.rec = &next
		return true, time.Time{}, nil
	}
	if rec.Failures >= MaxFailures {
		rec.LockedUntil = now.Add(Lockout).UTC()
		if err := l.save(&rec); err != nil {
			return false, time.Time{}, err
		}
		l.rec = &rec
		return false, rec.LockedUntil, nil
	}
	return false, time.Time{}, nil
}

// RemainingAttempts is how many wrong PINs may still be entered before the
// lockout (0 while locked out).
func (l *Lock) RemainingAttempts() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rec == nil {
		return MaxFailures
	}
	return max(0, MaxFailures-l.rec.Failures)
}

// LockedUntil is the end of the current lockout, zero when there is none
// at now.
func (l *Lock) LockedUntil(now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rec == nil || !now.Before(l.rec.LockedUntil) {
		return time.Time{}
	}
	return l.rec.LockedUntil
}

// SessionLocked reports whether the screen was locked and not unlocked
// since (by this program or one that ended without unlocking): a
// workstation starting then starts locked.
func (l *Lock) SessionLocked() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.reload(); err != nil {
		return l.rec != nil // cannot read it: err on the side of locking
	}
	return l.rec != nil && l.rec.SessionLocked
}

// MarkSessionLocked records that the screen is locked; the right PIN
// (Verify) clears it. Without a PIN it does nothing.
func (l *Lock) MarkSessionLocked() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.reload(); err != nil {
		return err
	}
	if l.rec == nil || l.rec.SessionLocked {
		return nil
	}
	rec := *l.rec
	rec.SessionLocked = true
	if err := l.save(&rec); err != nil {
		return err
	}
	l.rec = &rec
	return nil
}

// Params are the parameters of the stored hash (zero when no PIN is set).
func (l *Lock) Params() Params {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rec == nil {
		return Params{}
	}
	return Params{Iterations: l.rec.Iterations, SaltLen: len(l.rec.Salt), KeyLen: len(l.rec.Hash)}
}

// reload re-reads the file so that two running workstations share one
// count of failures, and a PIN file deleted under a running program is
// written back rather than silently forgotten.
func (l *Lock) reload() error {
	if l.path == "" {
		return nil
	}
	rec, err := readRecord(l.path)
	if err != nil {
		return err
	}
	if rec == nil && l.rec != nil {
		return l.save(l.rec)
	}
	l.rec = rec
	return nil
}

func newRecord(pin string, p Params) (*record, error) {
	if err := checkParams(p); err != nil {
		return nil, err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	h, err := derive(pin, salt, p)
	if err != nil {
		return nil, err
	}
	return &record{Version: 1, KDF: kdfName, Iterations: p.Iterations, Salt: salt, Hash: h}, nil
}

// derive is the key derivation; a variable only so a test can look at the
// file while it runs.
var derive = func(pin string, salt []byte, p Params) ([]byte, error) {
	return pbkdf2.Key(sha256.New, pin, salt, p.Iterations, p.KeyLen)
}

func checkParams(p Params) error {
	if p.Iterations < 1 || p.Iterations > maxIterations || p.SaltLen < 16 || p.SaltLen > 64 || p.KeyLen < 32 || p.KeyLen > 64 {
		return fmt.Errorf("lock: parameters out of range: %+v", p)
	}
	return nil
}

// readRecord reads the PIN file; nil, nil when it does not exist.
func readRecord(path string) (*record, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &FileError{Path: path, Code: ErrCodeFileRead, Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &FileError{Path: path, Code: ErrCodeFileRead, Err: err}
	}
	if !st.Mode().IsRegular() || st.Mode().Perm()&0o077 != 0 {
		return nil, &FileError{Path: path, Code: ErrCodeFilePerms, Err: fmt.Errorf("mode %v", st.Mode())}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &FileError{Path: path, Code: ErrCodeFileRead, Err: err}
	}
	var rec record
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if len(data) > MaxFileBytes {
		err = errors.New("file too large")
	} else if err = dec.Decode(&rec); err == nil {
		switch {
		case rec.Version != 1:
			err = fmt.Errorf("version %d", rec.Version)
		case rec.KDF != kdfName:
			err = fmt.Errorf("kdf %q", rec.KDF)
		case rec.Failures < 0 || rec.Failures > MaxFailures:
			err = fmt.Errorf("failures %d", rec.Failures)
		default:
			err = checkParams(Params{Iterations: rec.Iterations, SaltLen: len(rec.Salt), KeyLen: len(rec.Hash)})
		}
	}
	if err != nil {
		return nil, &FileError{Path: path, Code: ErrCodeFileCorrupt, Err: err}
	}
	return &rec, nil
}

// save writes rec atomically: 0700 directory, 0600 temporary file, fsync,
// rename, fsync of the directory.
func (l *Lock) save(rec *record) error {
	if l.path == "" {
		return nil
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	dir := filepath.Dir(l.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &FileError{Path: l.path, Code: ErrCodeFileWrite, Err: err}
	}
	// Others who may write in the directory could swap the file for one
	// with a PIN of their own.
	if st, err := os.Stat(dir); err != nil {
		return &FileError{Path: l.path, Code: ErrCodeFileWrite, Err: err}
	} else if st.Mode().Perm()&0o022 != 0 {
		return &FileError{Path: l.path, Code: ErrCodeDirPerms, Err: fmt.Errorf("directory %s mode %v", dir, st.Mode().Perm())}
	}
	tmp, err := os.CreateTemp(dir, ".pin-*")
	if err != nil {
		return &FileError{Path: l.path, Code: ErrCodeFileWrite, Err: err}
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return &FileError{Path: l.path, Code: ErrCodeFileWrite, Err: err}
	}
	if err := tmp.Chmod(0o600); err != nil {
		return fail(err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), l.path); err != nil {
		os.Remove(tmp.Name())
		return &FileError{Path: l.path, Code: ErrCodeFileWrite, Err: err}
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
