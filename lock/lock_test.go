package lock

import (
	"bytes"
	"encoding/json"
	"errors"
	"guichet/i18n"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// testParams keep the tests fast; one test uses DefaultParams.
var testParams = Params{Iterations: 2, SaltLen: 16, KeyLen: 32}

const goodPIN = "402917"

var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

func newLock(t *testing.T) (*Lock, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "guichet", "pin")
	l, err := Open(path, WithParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	if l.IsSet() {
		t.Fatal("new lock is set")
	}
	if err := l.Set(goodPIN); err != nil {
		t.Fatal(err)
	}
	return l, path
}

func TestCheckPIN(t *testing.T) {
	tests := []struct {
		pin  string
		want error
	}{
		{"402917", nil},
		{"2468105", nil},
		{"135790", nil},
		{"12345", ErrPINTooShort},
		{"", ErrPINTooShort},
		{"12a456", ErrPINNotDigits},
		{"４０２９１７", ErrPINNotDigits}, // full-width digits
		{"402 917", ErrPINNotDigits},
		{strings.Repeat("40291", 7), ErrPINTooLong},
		{"000000", ErrPINTrivial},
		{"99999999", ErrPINTrivial},
		{"123456", ErrPINTrivial},
		{"654321", ErrPINTrivial},
		{"890123", ErrPINTrivial},
		{"3210987", ErrPINTrivial},
		{"121212", ErrPINTrivial},
		{"123123", ErrPINTrivial},
		{"1212121", ErrPINTrivial},
		{"123124", nil},
	}
	for _, tt := range tests {
		if got := CheckPIN(tt.pin); !errors.Is(got, tt.want) {
			t.Errorf("CheckPIN(%q) = %v, want %v", tt.pin, got, tt.want)
		}
	}
}

func TestSetRejectsBadPINAndSecondSet(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "pin"), WithParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Set("111111"); !errors.Is(err, ErrPINTrivial) {
		t.Fatalf("Set(trivial) = %v", err)
	}
	if l.IsSet() {
		t.Fatal("set after a refused PIN")
	}
	if err := l.Set(goodPIN); err != nil {
		t.Fatal(err)
	}
	if err := l.Set("835201"); !errors.Is(err, ErrAlreadySet) {
		t.Fatalf("second Set = %v, want ErrAlreadySet", err)
	}
}

func TestVerifyNotSet(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "pin"), WithParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Verify(goodPIN, t0); !errors.Is(err, ErrNotSet) {
		t.Fatalf("Verify without PIN = %v", err)
	}
}

func TestFiveWrongLockTenMinutes(t *testing.T) {
	l, _ := newLock(t)
	now := t0
	for i := 1; i <= MaxFailures; i++ {
		ok, until, err := l.Verify("999000", now)
		if err != nil || ok {
			t.Fatalf("attempt %d: ok=%v err=%v", i, ok, err)
		}
		if i < MaxFailures {
			if !until.IsZero() {
				t.Fatalf("attempt %d already locked until %v", i, until)
			}
			if got := l.RemainingAttempts(); got != MaxFailures-i {
				t.Fatalf("after %d wrong: remaining %d", i, got)
			}
		} else if !until.Equal(now.Add(Lockout)) {
			t.Fatalf("fifth wrong: until %v, want %v", until, now.Add(Lockout))
		}
		now = now.Add(time.Second)
	}
	if l.RemainingAttempts() != 0 {
		t.Errorf("remaining while locked = %d", l.RemainingAttempts())
	}
	// Locked: even the right PIN is not accepted.
	lockedAt := t0.Add(4 * time.Second)
	ok, until, err := l.Verify(goodPIN, lockedAt.Add(Lockout-time.Second))
	if err != nil || ok || !until.Equal(lockedAt.Add(Lockout)) {
		t.Fatalf("during lockout: ok=%v until=%v err=%v", ok, until, err)
	}
	if got := l.LockedUntil(lockedAt.Add(time.Minute)); !got.Equal(lockedAt.Add(Lockout)) {
		t.Errorf("LockedUntil = %v", got)
	}
	// After ten minutes the right PIN works and resets everything.
	ok, until, err = l.Verify(goodPIN, lockedAt.Add(Lockout))
	if err != nil || !ok || !until.IsZero() {
		t.Fatalf("after lockout: ok=%v until=%v err=%v", ok, until, err)
	}
	if l.RemainingAttempts() != MaxFailures {
		t.Errorf("remaining after success = %d", l.RemainingAttempts())
	}
}

func TestAfterLockoutAFreshSeries(t *testing.T) {
	l, _ := newLock(t)
	for range MaxFailures {
		l.Verify("999000", t0)
	}
	// Once the lockout is over a wrong PIN does not relock at once.
	ok, until, err := l.Verify("999000", t0.Add(Lockout))
	if err != nil || ok || !until.IsZero() || l.RemainingAttempts() != MaxFailures-1 {
		t.Fatalf("first wrong after lockout: ok=%v until=%v err=%v remaining=%d", ok, until, err, l.RemainingAttempts())
	}
}

func TestCorrectPINResetsCounter(t *testing.T) {
	l, path := newLock(t)
	for range MaxFailures - 1 {
		l.Verify("999000", t0)
	}
	if ok, _, err := l.Verify(goodPIN, t0); !ok || err != nil {
		t.Fatalf("right PIN: ok=%v err=%v", ok, err)
	}
	// Four more wrong ones do not lock: the count started again.
	for i := range MaxFailures - 1 {
		if _, until, _ := l.Verify("999000", t0); !until.IsZero() {
			t.Fatalf("locked after %d wrong following a right PIN", i+1)
		}
	}
	reopened, err := Open(path, WithParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	if reopened.RemainingAttempts() != 1 {
		t.Errorf("persisted remaining = %d, want 1", reopened.RemainingAttempts())
	}
}

func TestRestartKeepsCounterAndLockout(t *testing.T) {
	l, path := newLock(t)
	for range 3 {
		l.Verify("999000", t0)
	}
	// "Restart": a new Lock from the same file.
	l2, err := Open(path, WithParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	if got := l2.RemainingAttempts(); got != 2 {
		t.Fatalf("remaining after restart = %d, want 2", got)
	}
	l2.Verify("999000", t0)
	_, until, _ := l2.Verify("999000", t0)
	if !until.Equal(t0.Add(Lockout)) {
		t.Fatalf("not locked after 3+2 wrong across a restart: %v", until)
	}
	l3, err := Open(path, WithParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	ok, until, err := l3.Verify(goodPIN, t0.Add(time.Minute))
	if ok || err != nil || !until.Equal(t0.Add(Lockout)) {
		t.Fatalf("lockout lost on restart: ok=%v until=%v err=%v", ok, until, err)
	}
	// Two programs open at once share one count: the first one's stale
	// memory does not allow extra attempts.
	if _, until, _ := l.Verify(goodPIN, t0.Add(2*time.Minute)); until.IsZero() {
		t.Fatal("an instance opened before the lockout ignores it")
	}
}

func TestAttemptCountedBeforeCheck(t *testing.T) {
	// While the (slow) hash is computed, the file must already count the
	// attempt: killing the program at that moment gives no free try.
	l, path := newLock(t)
	real := derive
	t.Cleanup(func() { derive = real })
	var during []int
	derive = func(pin string, salt []byte, p Params) ([]byte, error) {
		var rec record
		data, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
		}
		if err := json.Unmarshal(data, &rec); err != nil {
			t.Error(err)
		}
		during = append(during, rec.Failures)
		return real(pin, salt, p)
	}
	l.Verify(goodPIN, t0)
	l.Verify("999000", t0)
	l.Verify("999000", t0)
	if want := []int{1, 1, 2}; !slices.Equal(during, want) {
		t.Fatalf("failures on file during the hash = %v, want %v", during, want)
	}
}

func TestFileModeAndNoPIN(t *testing.T) {
	l, path := newLock(t)
	l.Verify("999000", t0)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", st.Mode().Perm())
	}
	dst, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", dst.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(goodPIN)) || bytes.Contains(data, []byte("999000")) {
		t.Errorf("file contains a PIN: %s", data)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries (temporary files left?)", len(entries))
	}
}

func TestOpenRefusesOpenFileAndDamage(t *testing.T) {
	_, path := newLock(t)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	var fe *FileError
	if _, err := Open(path); !errors.As(err, &fe) || fe.Code != ErrCodeFilePerms {
		t.Fatalf("Open(0644) = %v", err)
	}
	if !strings.Contains(Localized("nl", fe), "chmod 600") {
		t.Errorf("message %q", Localized("nl", fe))
	}
	for name, body := range map[string]string{
		"not json":          "hello",
		"unknown field":     `{"version":1,"kdf":"pbkdf2-sha256","iterations":2,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","pin":"1"}`,
		"other kdf":         `{"version":1,"kdf":"md5","iterations":2,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`,
		"zero iterations":   `{"version":1,"kdf":"pbkdf2-sha256","iterations":0,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`,
		"short salt":        `{"version":1,"kdf":"pbkdf2-sha256","iterations":2,"salt":"AAAA","hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`,
		"negative failures": `{"version":1,"kdf":"pbkdf2-sha256","iterations":2,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","failures":-3}`,
	} {
		p := filepath.Join(t.TempDir(), "pin")
		os.WriteFile(p, []byte(body), 0o600)
		if _, err := Open(p); !errors.As(err, &fe) || fe.Code != ErrCodeFileCorrupt {
			t.Errorf("%s: Open = %v, want damaged", name, err)
		}
	}
}

func TestRefusesWritableDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	l, err := Open(filepath.Join(dir, "pin"), WithParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	var fe *FileError
	if err := l.Set(goodPIN); !errors.As(err, &fe) || fe.Code != ErrCodeDirPerms {
		t.Fatalf("Set in a world-writable directory = %v", err)
	}
	if l.IsSet() {
		t.Fatal("set although not saved")
	}
}

func TestParamsRoundTripAndUpgrade(t *testing.T) {
	l, path := newLock(t)
	if got := l.Params(); got != testParams {
		t.Fatalf("Params = %+v", got)
	}
	again, err := Open(path) // DefaultParams for new hashes
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Params(); got != testParams {
		t.Fatalf("reopened Params = %+v, want the stored %+v", got, testParams)
	}
	// A right PIN under weaker stored parameters is re-hashed with the
	// Lock's; here twice the test iterations keep it quick.
	stronger := Params{Iterations: 4, SaltLen: 32, KeyLen: 64}
	up, err := Open(path, WithParams(stronger))
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := up.Verify(goodPIN, t0); !ok || err != nil {
		t.Fatalf("Verify: ok=%v err=%v", ok, err)
	}
	final, err := Open(path, WithParams(testParams))
	if err != nil {
		t.Fatal(err)
	}
	if got := final.Params(); got != stronger {
		t.Fatalf("after upgrade Params = %+v, want %+v", got, stronger)
	}
	if ok, _, _ := final.Verify(goodPIN, t0); !ok {
		t.Fatal("PIN not accepted after the upgrade")
	}
	if ok, _, _ := final.Verify("835201", t0); ok {
		t.Fatal("another PIN accepted after the upgrade")
	}
}

func TestDefaultParamsRealCost(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pin")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Set(goodPIN); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := reopened.Params(); got.Iterations < 600_000 || got.SaltLen != 16 || got != DefaultParams {
		t.Fatalf("stored params %+v, want %+v", got, DefaultParams)
	}
	if ok, _, err := reopened.Verify(goodPIN, t0); !ok || err != nil {
		t.Fatalf("right PIN: ok=%v err=%v", ok, err)
	}
	if ok, _, _ := reopened.Verify("835201", t0); ok {
		t.Fatal("wrong PIN accepted")
	}
}

func TestSaltIsRandom(t *testing.T) {
	_, p1 := newLock(t)
	_, p2 := newLock(t)
	var r1, r2 record
	d1, _ := os.ReadFile(p1)
	d2, _ := os.ReadFile(p2)
	json.Unmarshal(d1, &r1)
	json.Unmarshal(d2, &r2)
	if bytes.Equal(r1.Salt, r2.Salt) || bytes.Equal(r1.Hash, r2.Hash) {
		t.Fatal("same salt or hash for the same PIN in two files")
	}
}

func TestChange(t *testing.T) {
	l, path := newLock(t)
	if err := l.Change("999000", "835201", t0); !errors.Is(err, ErrWrongPIN) {
		t.Fatalf("Change with wrong PIN = %v", err)
	}
	if err := l.Change(goodPIN, "111111", t0); !errors.Is(err, ErrPINTrivial) {
		t.Fatalf("Change to trivial = %v", err)
	}
	if err := l.Change(goodPIN, "835201", t0); err != nil {
		t.Fatal(err)
	}
	l2, _ := Open(path, WithParams(testParams))
	if ok, _, _ := l2.Verify("835201", t0); !ok {
		t.Fatal("new PIN refused")
	}
	if ok, _, _ := l2.Verify(goodPIN, t0); ok {
		t.Fatal("old PIN still accepted")
	}
}

func TestDeletedFileIsWrittenBack(t *testing.T) {
	l, path := newLock(t)
	for range 2 {
		l.Verify("999000", t0)
	}
	os.Remove(path)
	// Deleting the file under a running program does not clear the PIN.
	if ok, _, _ := l.Verify("835201", t0); ok {
		t.Fatal("accepted after the file was deleted")
	}
	if !l.IsSet() || l.RemainingAttempts() != 2 {
		t.Fatalf("set=%v remaining=%d", l.IsSet(), l.RemainingAttempts())
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("file not written back: %v", err)
	}
}

func TestDemo(t *testing.T) {
	mem, err := NewDemo("")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _, err := mem.Verify(DemoPIN, t0); !ok || err != nil {
		t.Fatalf("in-memory demo: ok=%v err=%v", ok, err)
	}
	path := filepath.Join(t.TempDir(), "pin")
	disk, err := NewDemo(path)
	if err != nil {
		t.Fatal(err)
	}
	if disk.Params() != DemoParams {
		t.Errorf("demo params %+v", disk.Params())
	}
	if ok, _, _ := disk.Verify(DemoPIN, t0); !ok {
		t.Fatal("demo PIN refused")
	}
	if !strings.Contains(DemoMessage("de"), DemoPIN) {
		t.Errorf("DemoMessage = %q", DemoMessage("de"))
	}
}

// TestEveryCodeHasAMessage: every error code has its message in package
// i18n (whose own test checks every language has it).
func TestEveryCodeHasAMessage(t *testing.T) {
	for _, e := range []*Error{ErrPINNotDigits, ErrPINTooShort, ErrPINTooLong, ErrPINTrivial, ErrWrongPIN, ErrLockedOut, ErrNotSet, ErrAlreadySet} {
		if _, ok := i18n.For("en").Code("lock." + e.Code); !ok {
			t.Errorf("error %q has no message", e.Code)
		}
	}
	for _, c := range []string{ErrCodeFileRead, ErrCodeFileWrite, ErrCodeFilePerms, ErrCodeFileCorrupt, ErrCodeDirPerms} {
		if _, ok := i18n.For("en").Code("lock." + c); !ok {
			t.Errorf("file error %q has no message", c)
		}
	}
	if got := LockedOutMessage("fr", time.Date(2026, 1, 1, 14, 5, 0, 0, time.UTC)); !strings.Contains(got, "14:05") {
		t.Errorf("LockedOutMessage = %q", got)
	}
	if got := RemainingMessage("nl", 3); !strings.Contains(got, "3") {
		t.Errorf("RemainingMessage = %q", got)
	}
}

func TestIdle(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		touch   bool
		after   time.Duration
		expired bool
		left    time.Duration
	}{
		{"never touched locks", time.Minute, false, 0, true, 0},
		{"just touched", time.Minute, true, 0, false, time.Minute},
		{"before timeout", time.Minute, true, 59 * time.Second, false, time.Second},
		{"at timeout", time.Minute, true, time.Minute, true, 0},
		{"zero timeout means default", 0, true, DefaultIdle - time.Second, false, time.Second},
		{"default reached", 0, true, DefaultIdle, true, 0},
		{"clock earlier than touch", time.Minute, true, -time.Hour, false, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := Idle{Timeout: tt.timeout}
			if tt.touch {
				i.Touch(t0)
			}
			now := t0.Add(tt.after)
			if got := i.Expired(now); got != tt.expired {
				t.Errorf("Expired = %v, want %v", got, tt.expired)
			}
			if got := i.Remaining(now); got != tt.left {
				t.Errorf("Remaining = %v, want %v", got, tt.left)
			}
		})
	}
	i := Idle{Timeout: time.Minute}
	i.Touch(t0)
	i.Touch(t0.Add(50 * time.Second))
	if i.Expired(t0.Add(90 * time.Second)) {
		t.Error("a key 50 s in does not push the lock back")
	}
}

func BenchmarkVerifyDefaultParams(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), "pin"))
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Set(goodPIN); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if ok, _, err := l.Verify(goodPIN, t0); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkDeriveDefaultParams is the hash alone, without the two file
// writes of Verify.
func BenchmarkDeriveDefaultParams(b *testing.B) {
	salt := make([]byte, DefaultParams.SaltLen)
	for b.Loop() {
		if _, err := derive(goodPIN, salt, DefaultParams); err != nil {
			b.Fatal(err)
		}
	}
}

// A locked screen is remembered in the file until the right PIN.
func TestSessionLockedPersistsUntilRightPIN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guichet", "pin")
	l, err := Open(path, WithParams(DemoParams))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.MarkSessionLocked(); err != nil || l.SessionLocked() {
		t.Fatalf("without a PIN: %v %v", err, l.SessionLocked())
	}
	if err := l.Set(DemoPIN); err != nil {
		t.Fatal(err)
	}
	if err := l.MarkSessionLocked(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(path, WithParams(DemoParams))
	if err != nil || !again.SessionLocked() {
		t.Fatalf("reopened: locked %v, %v", again.SessionLocked(), err)
	}
	if ok, _, _ := again.Verify("999999", time.Now()); ok || !again.SessionLocked() {
		t.Fatal("a wrong PIN unlocked the session")
	}
	if ok, _, err := again.Verify(DemoPIN, time.Now()); !ok || err != nil || again.SessionLocked() {
		t.Fatalf("right PIN: ok %v err %v still locked %v", ok, err, again.SessionLocked())
	}
}
