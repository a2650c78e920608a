package clip

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atotto/clipboard"

	"guichet/clip/cliptest"
)

// hostile is a citizen's text trying to set the clipboard itself, clear the
// screen, move the cursor back, reverse the reading order and break UTF-8.
const hostile = "Vélo\x1b]52;c;ZXZpbA==\a\x1b[2J\rx\b\u202Eabc\xff\n2e ligne"

// sanitizedHostile is what textsafe.Block makes of hostile.
const sanitizedHostile = "Vélo␛]52;c;ZXZpbA==␇␛[2J␍x␈\uFFFDabc\uFFFD\n2e ligne"

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// noSystem is a machine without any clipboard tool.
type noSystem struct{}

func (noSystem) Available() bool          { return false }
func (noSystem) WriteAll(string) error    { return errors.New("unavailable") }
func (noSystem) ReadAll() (string, error) { return "", errors.New("unavailable") }

// memSystem is an in-memory desktop clipboard that other programs can write to.
type memSystem struct {
	mu     sync.Mutex
	text   string
	writes int
	fail   bool
}

func (m *memSystem) Available() bool { return true }
func (m *memSystem) WriteAll(s string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("Error: Can't open display: (null)")
	}
	m.text, m.writes = s, m.writes+1
	return nil
}
func (m *memSystem) ReadAll() (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.text, nil
}
func (m *memSystem) get() string { t, _ := m.ReadAll(); return t }

func TestOSC52Bytes(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(sanitizedHostile))
	long := strings.Repeat("0123456789", 12) // 120 bytes → 160 base64 bytes → 3 screen pieces
	lb := base64.StdEncoding.EncodeToString([]byte(long))
	tests := []struct {
		name string
		env  map[string]string
		text string
		want string
	}{
		{"plain over ssh", map[string]string{"SSH_TTY": "/dev/pts/3"}, hostile,
			"\x1b]52;c;" + b64 + "\a"},
		{"ssh connection only", map[string]string{"SSH_CONNECTION": "10.0.0.1 2 10.0.0.2 22"}, "85073003328",
			"\x1b]52;c;ODUwNzMwMDMzMjg=\a"},
		{"screen", map[string]string{"SSH_TTY": "/dev/pts/3", "STY": "123.pts-0.host"}, long,
			"\x1bP\x1b]52;c;" + lb[:76] + "\x1b\\\x1bP" + lb[76:152] + "\x1b\\\x1bP" + lb[152:] + "\a\x1b\\"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			sys := &memSystem{}
			c := New(Options{Out: &out, Env: env(tt.env), ClearAfter: -1, System: sys})
			res, err := c.Copy(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if m := res.Method; m != MethodOSC52 {
				t.Fatalf("method = %s, want osc52", m)
			}
			if out.String() != tt.want {
				t.Fatalf("bytes\n got %q\nwant %q", out.String(), tt.want)
			}
			if sys.writes != 0 {
				t.Fatal("over SSH the server's desktop clipboard must not be touched")
			}
		})
	}
}

func TestOSC52PayloadIsSanitized(t *testing.T) {
	var out bytes.Buffer
	c := New(Options{Out: &out, Env: env(nil), ClearAfter: -1, System: noSystem{}})
	if res, err := c.Copy(hostile); err != nil || res.Method != MethodOSC52 {
		t.Fatalf("Copy = %+v, %v; want osc52 when no tool exists", res, err)
	}
	s := out.String()
	payload := strings.TrimSuffix(strings.TrimPrefix(s, "\x1b]52;c;"), "\a")
	got, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != sanitizedHostile {
		t.Fatalf("payload %q, want %q", got, sanitizedHostile)
	}
	if strings.Count(s, "\x1b") != 1 || strings.Count(s, "\a") != 1 {
		t.Fatalf("only our own ESC and BEL may reach the terminal: %q", s)
	}
}

func TestSystemPreferredAndFallback(t *testing.T) {
	var out bytes.Buffer
	sys := &memSystem{}
	c := New(Options{Out: &out, Env: env(nil), ClearAfter: -1, System: sys})
	res, err := c.Copy(hostile)
	if err != nil || res.Method != MethodSystem {
		t.Fatalf("Copy = %+v, %v; want system", res, err)
	}
	if sys.get() != sanitizedHostile || out.Len() != 0 {
		t.Fatalf("system clipboard %q, terminal %q", sys.get(), out.String())
	}
	sys.fail = true // a tool exists but has no display
	if res, _ := c.Copy("x"); res.Method != MethodOSC52 || out.String() != "\x1b]52;c;eA==\a" {
		t.Fatalf("failing tool: method %s, terminal %q; want the OSC 52 fallback", res.Method, out.String())
	}
}

func TestClearOnlyOurOwnText(t *testing.T) {
	t.Run("system, still ours", func(t *testing.T) {
		sys := &memSystem{}
		c := New(Options{Out: &bytes.Buffer{}, Env: env(nil), ClearAfter: -1, System: sys})
		c.Copy("85073003328")
		if p, ok := c.Pending(); !ok || p.Method != MethodSystem || !p.Deadline.IsZero() {
			t.Fatalf("Pending = %+v, %v", p, ok)
		}
		if r, err := c.ClearNow(); r.Outcome != Cleared || err != nil {
			t.Fatalf("ClearNow = %+v, %v", r, err)
		}
		if sys.get() != "" {
			t.Fatalf("clipboard still holds %q", sys.get())
		}
		if _, ok := c.Pending(); ok {
			t.Fatal("nothing should be pending after a clear")
		}
	})
	t.Run("system, officer copied something else", func(t *testing.T) {
		sys := &memSystem{}
		c := New(Options{Out: &bytes.Buffer{}, Env: env(nil), ClearAfter: -1, System: sys})
		c.Copy("85073003328")
		sys.WriteAll("text from another program")
		if r, _ := c.ClearNow(); r.Outcome != LeftAlone {
			t.Fatalf("ClearNow = %+v; want LeftAlone for a clipboard that no longer holds our text", r)
		}
		if sys.get() != "text from another program" {
			t.Fatalf("clipboard = %q", sys.get())
		}
	})
	t.Run("osc52 sends the empty sequence and only says it asked", func(t *testing.T) {
		var out bytes.Buffer
		c := New(Options{Out: &out, Env: env(map[string]string{"SSH_TTY": "x", "STY": "y"}), ClearAfter: -1, System: noSystem{}})
		c.Copy("a")
		out.Reset()
		if r, _ := c.ClearNow(); r.Outcome != ClearRequested {
			t.Fatalf("ClearNow = %+v; a terminal cannot be read back: want ClearRequested", r)
		}
		if want := "\x1bP\x1b]52;c;\a\x1b\\"; out.String() != want {
			t.Fatalf("clear bytes %q, want %q", out.String(), want)
		}
		out.Reset()
		if r, _ := c.ClearNow(); r.Outcome != NothingToClear || out.Len() != 0 {
			t.Fatal("a second ClearNow must do nothing")
		}
	})
}

func TestClearTimer(t *testing.T) {
	sys := &memSystem{}
	c := New(Options{Out: &bytes.Buffer{}, Env: env(nil), ClearAfter: 30 * time.Millisecond, System: sys})
	before := time.Now()
	c.Copy("first")
	p, ok := c.Pending()
	if !ok || p.Deadline.Before(before.Add(30*time.Millisecond)) {
		t.Fatalf("Pending = %+v, %v", p, ok)
	}
	waitFor(t, func() bool { _, ok := c.Pending(); return !ok })
	if sys.get() != "" {
		t.Fatalf("timer did not clear: %q", sys.get())
	}

	// A second copy replaces the first: the first timer must not clear it.
	c2 := New(Options{Out: &bytes.Buffer{}, Env: env(nil), ClearAfter: time.Hour, System: sys})
	first, _ := c2.Copy("one")
	c2.clearAfter = 20 * time.Millisecond
	c2.Copy("two")
	if r, _ := c2.Clear(first.Gen); r.Outcome != NothingToClear { // the first copy's timer firing late
		t.Fatalf("Clear(old gen) = %+v", r)
	}
	if sys.get() != "two" {
		t.Fatalf("an old timer cleared a newer copy: %q", sys.get())
	}
	waitFor(t, func() bool { return sys.get() == "" })
}

func TestPendingRemaining(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	p := Pending{Deadline: now.Add(29*time.Second + 600*time.Millisecond)}
	if got := p.Remaining(now); got != 30*time.Second {
		t.Fatalf("Remaining = %v, want 30s", got)
	}
	if got := p.Remaining(now.Add(time.Minute)); got != 0 {
		t.Fatalf("Remaining after deadline = %v", got)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestRealSystemClipboard copies through xclip/xsel/wl-copy and reads back,
// on the desktop of the session or else on an Xvfb started for the test.
func TestRealSystemClipboard(t *testing.T) {
	if clipboard.Unsupported {
		t.Skip("no clipboard tool (xclip, xsel, wl-copy) on this machine: system backend not exercised (.ci/run installs xclip)")
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		t.Setenv("DISPLAY", cliptest.StartXvfb(t))
	}
	saved, _ := clipboard.ReadAll()
	t.Cleanup(func() { clipboard.WriteAll(saved) })
	c := New(Options{Out: &bytes.Buffer{}, Env: env(nil), ClearAfter: -1})
	res, err := c.Copy(hostile)
	if err != nil || res.Method != MethodSystem {
		t.Fatalf("Copy = %+v, %v", res, err)
	}
	got, err := clipboard.ReadAll()
	if err != nil || got != sanitizedHostile {
		t.Fatalf("clipboard = %q, %v", got, err)
	}
	if r, err := c.ClearNow(); r.Outcome != Cleared || err != nil {
		t.Fatalf("ClearNow = %+v, %v", r, err)
	}
	if got, _ := clipboard.ReadAll(); got != "" {
		t.Fatalf("after clear: %q", got)
	}
}
