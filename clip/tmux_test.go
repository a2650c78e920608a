package clip

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxServer is a private tmux server started with no configuration file,
// so its options are tmux's defaults until a test sets one.
type tmuxServer struct {
	t    *testing.T
	sock string
}

func (s tmuxServer) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	return string(out), err
}

func (s tmuxServer) must(args ...string) string {
	s.t.Helper()
	out, err := s.run(args...)
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return out
}

// buffer is the content of a named buffer, or of the newest automatic one
// when name is "", and whether it exists.
func (s tmuxServer) buffer(name string) (string, bool) {
	args := []string{"show-buffer"}
	if name != "" {
		args = append(args, "-b", name)
	}
	out, err := s.run(args...)
	return out, err == nil
}

// env is the environment of a program running in the server's first pane.
func (s tmuxServer) env() func(string) string {
	return env(map[string]string{"TMUX": s.sock + ",1,0", "TMUX_PANE": "%0"})
}

func newTmuxServer(t *testing.T, cmd string) tmuxServer {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the tmux routes are not exercised")
	}
	// Not t.TempDir: its name holds the subtest's name, and a comma in
	// the socket path would end the path in $TMUX.
	dir, err := os.MkdirTemp("", "clip")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := tmuxServer{t: t, sock: filepath.Join(dir, "tmux.sock")}
	s.must("-f", "/dev/null", "new-session", "-d", "-s", "s", "-x", "80", "-y", "24", cmd)
	t.Cleanup(func() { _, _ = s.run("kill-server") })
	return s
}

// attachTerminal attaches a client to inner from inside another private
// tmux server, which plays the officer's terminal emulator: it takes OSC 52
// (set-clipboard on), and what reaches its clipboard becomes its newest
// buffer. The client's TERM is xterm-256color, whose clipboard feature tmux
// knows by default.
func attachTerminal(t *testing.T, inner tmuxServer) tmuxServer {
	t.Helper()
	outer := newTmuxServer(t, "env -u TMUX TERM=xterm-256color tmux -S "+inner.sock+" attach -t s")
	outer.must("set", "-g", "set-clipboard", "on")
	waitFor(t, func() bool { out, _ := inner.run("list-clients"); return strings.TrimSpace(out) != "" })
	return outer
}

func TestTmuxRoutes(t *testing.T) {
	const text = "85.07.30-033.28"
	tests := []struct {
		name     string
		set      [][]string // tmux options of the inner server
		attached bool
		want     Copied // Gen is not compared
		terminal bool   // the text reaches the terminal (through tmux)
		osc      string // written to Out (the pane) on copy
		clear    ClearedResult
		clearOSC string // written to Out on clear
	}{
		{name: "defaults, terminal attached", attached: true,
			want: Copied{Method: MethodTmux, TerminalKept: true}, terminal: true,
			clear: ClearedResult{Outcome: TerminalKept, Method: MethodTmux, Fix: FixPassthrough}},
		{name: "defaults, no terminal attached",
			want:  Copied{Method: MethodTmuxBuffer},
			clear: ClearedResult{Outcome: Cleared, Method: MethodTmuxBuffer}},
		{name: "set-clipboard on", set: [][]string{{"set-clipboard", "on"}}, attached: true,
			want: Copied{Method: MethodTmux, TerminalKept: true}, terminal: true,
			clear: ClearedResult{Outcome: TerminalKept, Method: MethodTmux, Fix: FixPassthrough}},
		{name: "set-clipboard off", set: [][]string{{"set-clipboard", "off"}}, attached: true,
			want:  Copied{Method: MethodTmuxBuffer, Fix: FixSetClipboard},
			clear: ClearedResult{Outcome: Cleared, Method: MethodTmuxBuffer}},
		{name: "allow-passthrough on", set: [][]string{{"allow-passthrough", "on"}}, attached: true,
			want: Copied{Method: MethodTmux}, terminal: true,
			clear: ClearedResult{Outcome: ClearRequested, Method: MethodTmux}, clearOSC: OSC52("", Tmux)},
		{name: "set-clipboard off, allow-passthrough on", set: [][]string{{"set-clipboard", "off"}, {"allow-passthrough", "on"}}, attached: true,
			want: Copied{Method: MethodTmux}, osc: OSC52(text, Tmux),
			clear: ClearedResult{Outcome: ClearRequested, Method: MethodTmux}, clearOSC: OSC52("", Tmux)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inner := newTmuxServer(t, "sleep 600")
			for _, o := range tt.set {
				inner.must("set", "-g", o[0], o[1])
			}
			var outer tmuxServer
			if tt.attached {
				outer = attachTerminal(t, inner)
			}
			var out bytes.Buffer
			c := New(Options{Out: &out, Env: inner.env(), ClearAfter: -1, System: noSystem{}})
			got, err := c.Copy(text)
			if err != nil {
				t.Fatal(err)
			}
			gen := got.Gen
			got.Gen = 0
			if got != tt.want {
				t.Fatalf("Copy = %+v, want %+v", got, tt.want)
			}
			if b, ok := inner.buffer(BufferName); !ok || b != text {
				t.Fatalf("tmux buffer %s = %q, %v; want %q", BufferName, b, ok, text)
			}
			if out.String() != tt.osc {
				t.Fatalf("written to the pane %q, want %q", out.String(), tt.osc)
			}
			if tt.terminal {
				waitFor(t, func() bool { b, _ := outer.buffer(""); return b == text })
			} else if tt.attached {
				time.Sleep(200 * time.Millisecond)
				if b, ok := outer.buffer(""); ok {
					t.Fatalf("the terminal's clipboard got %q through a route tmux shuts", b)
				}
			}
			out.Reset()
			res, err := c.Clear(gen)
			if err != nil || res != tt.clear {
				t.Fatalf("Clear = %+v, %v; want %+v", res, err, tt.clear)
			}
			if b, ok := inner.buffer(BufferName); ok {
				t.Fatalf("tmux buffer %s still holds %q after the clear", BufferName, b)
			}
			if out.String() != tt.clearOSC {
				t.Fatalf("written to the pane on clear %q, want %q", out.String(), tt.clearOSC)
			}
		})
	}
}

func TestTmuxBufferChangedIsLeftAlone(t *testing.T) {
	inner := newTmuxServer(t, "sleep 600")
	c := New(Options{Out: &bytes.Buffer{}, Env: inner.env(), ClearAfter: -1, System: noSystem{}})
	if _, err := c.Copy("85073003328"); err != nil {
		t.Fatal(err)
	}
	inner.must("set-buffer", "-b", BufferName, "the officer's own text")
	if r, err := c.ClearNow(); err != nil || r.Outcome != LeftAlone {
		t.Fatalf("ClearNow = %+v, %v; want LeftAlone", r, err)
	}
	if b, _ := inner.buffer(BufferName); b != "the officer's own text" {
		t.Fatalf("buffer = %q", b)
	}
}

func TestTmuxUnreachableIsNoClipboard(t *testing.T) {
	var out bytes.Buffer
	c := New(Options{Out: &out, Env: env(map[string]string{"TMUX": filepath.Join(t.TempDir(), "gone") + ",1,0"}), ClearAfter: -1, System: noSystem{}})
	if _, err := exec.LookPath("tmux"); err != nil {
		c.tmuxPath = filepath.Join(t.TempDir(), "no-tmux")
	}
	res, err := c.Copy("x")
	if !errors.Is(err, ErrNoClipboard) {
		t.Fatalf("Copy = %+v, %v; want ErrNoClipboard", res, err)
	}
	if out.Len() != 0 {
		t.Fatalf("a sequence tmux may drop was written: %q", out.String())
	}
	if _, ok := c.Pending(); ok {
		t.Fatal("a failed copy must leave nothing to clear")
	}
}

// BenchmarkTmuxCopy: one copy inside tmux (ask tmux for its options, load
// the buffer) against a real private server; the TUI runs it in a command,
// off the Update loop.
func BenchmarkTmuxCopy(b *testing.B) {
	if _, err := exec.LookPath("tmux"); err != nil {
		b.Skip("tmux is not installed")
	}
	dir, err := os.MkdirTemp("", "clipb")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s := tmuxServer{sock: filepath.Join(dir, "s")}
	if out, err := s.run("-f", "/dev/null", "new-session", "-d", "-s", "s", "sleep 600"); err != nil {
		b.Fatalf("%v %s", err, out)
	}
	defer s.run("kill-server") //nolint:errcheck
	c := New(Options{Out: &bytes.Buffer{}, Env: s.env(), ClearAfter: -1, System: noSystem{}})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Copy("85.07.30-033.28"); err != nil {
			b.Fatal(err)
		}
	}
}
