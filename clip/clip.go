// Package clip puts text on the officer's clipboard and takes personal data
// off it again after a delay.
//
// Two ways exist. The system clipboard (through atotto/clipboard, which runs
// xclip, xsel or wl-copy) is used on the officer's own desktop. OSC 52 — an
// escape sequence asking the terminal to set its clipboard — is used when the
// session runs over SSH (the system clipboard there would be the server's,
// not the officer's) or when no clipboard tool exists. Inside tmux and GNU
// screen the sequence is wrapped so the multiplexer passes it to the outer
// terminal.
//
// Everything copied is sanitized with textsafe.Block first, so no escape
// sequence from a citizen's text can reach the clipboard (or the terminal,
// for OSC 52).
//
// Clearing: after ClearAfter (default 30 s) the clipboard is emptied, but
// only if it still holds what we put there. With the system clipboard that
// is checked by reading it back and comparing. A terminal's clipboard cannot
// be read back reliably (most terminals refuse OSC 52 queries), so with
// OSC 52 the empty sequence is sent only when nothing else was copied through
// this Clipboard since; something the officer copied elsewhere in the
// meantime may then be cleared too. Terminals that ignore an empty OSC 52
// keep the text: clearing there is best effort, and the caller's status line
// should not promise more.
package clip

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/atotto/clipboard"

	"guichet/textsafe"
)

// Method says which clipboard received the text.
type Method string

const (
	// MethodSystem is the desktop clipboard through xclip, xsel or wl-copy.
	MethodSystem Method = "system"
	// MethodOSC52 is the terminal's clipboard through the OSC 52 sequence.
	MethodOSC52 Method = "osc52"
)

// DefaultClearAfter is how long copied personal data stays on the clipboard.
const DefaultClearAfter = 30 * time.Second

// System is a desktop clipboard. The default is atotto/clipboard; tests and
// unusual desktops may bring their own.
type System interface {
	// Available reports whether a clipboard tool exists at all.
	Available() bool
	WriteAll(text string) error
	ReadAll() (string, error)
}

// Options configure a Clipboard. The zero value is usable: OSC 52 then goes
// to os.Stdout, the environment is os.Getenv and text is cleared after 30 s.
type Options struct {
	// Out is the terminal that receives OSC 52 sequences.
	Out io.Writer
	// Env reads environment variables (SSH_TTY, SSH_CONNECTION, TMUX, STY, TERM).
	Env func(string) string
	// ClearAfter is the delay before clearing; 0 means DefaultClearAfter,
	// a negative value means never clear on a timer (ClearNow still works).
	ClearAfter time.Duration
	// System is the desktop clipboard; nil means atotto/clipboard.
	System System
}

// Pending describes the copy waiting to be cleared.
type Pending struct {
	Method   Method
	Deadline time.Time // zero when no timer runs (ClearAfter < 0)
}

// Remaining is how long until the copy is cleared, rounded up to the second
// so a status bar can say "clears in 30 s" right after copying.
func (p Pending) Remaining(now time.Time) time.Duration {
	if p.Deadline.IsZero() {
		return 0
	}
	d := p.Deadline.Sub(now)
	if d <= 0 {
		return 0
	}
	return d.Round(time.Second)
}

// Clipboard copies text and clears it later. It is safe for concurrent use.
type Clipboard struct {
	out        io.Writer
	env        func(string) string
	clearAfter time.Duration
	system     System

	mu      sync.Mutex
	gen     uint64 // increases with every copy; a timer only clears its own copy
	pending *pendingCopy
}

type pendingCopy struct {
	gen      uint64
	method   Method
	text     string
	deadline time.Time
	timer    *time.Timer
}

// New returns a Clipboard.
func New(opts Options) *Clipboard {
	c := &Clipboard{out: opts.Out, env: opts.Env, clearAfter: opts.ClearAfter, system: opts.System}
	if c.out == nil {
		c.out = os.Stdout
	}
	if c.env == nil {
		c.env = os.Getenv
	}
	if c.clearAfter == 0 {
		c.clearAfter = DefaultClearAfter
	}
	if c.system == nil {
		c.system = atottoSystem{}
	}
	return c
}

// ErrNoClipboard is returned when neither the system clipboard nor the
// terminal could take the text.
var ErrNoClipboard = errors.New("no clipboard available")

// Copy sanitizes text and puts it on the clipboard, and arms the clear timer.
// It returns the method used. Over SSH, or when no clipboard tool exists or
// the tool fails (no display, for instance), OSC 52 is used.
func (c *Clipboard) Copy(text string) (Method, error) {
	safe := textsafe.Block(text)
	c.mu.Lock()
	defer c.mu.Unlock()
	method := MethodOSC52
	if !c.overSSH() && c.system.Available() {
		if err := c.system.WriteAll(safe); err == nil {
			method = MethodSystem
		}
	}
	if method == MethodOSC52 {
		if _, err := io.WriteString(c.out, c.osc52(safe)); err != nil {
			return "", fmt.Errorf("%w: %v", ErrNoClipboard, err)
		}
	}
	c.stopLocked()
	c.gen++
	p := &pendingCopy{gen: c.gen, method: method, text: safe}
	if c.clearAfter > 0 {
		p.deadline = time.Now().Add(c.clearAfter)
		gen := c.gen
		p.timer = time.AfterFunc(c.clearAfter, func() { c.clearGen(gen) })
	}
	c.pending = p
	return method, nil
}

// Pending returns the copy waiting to be cleared, if any.
func (c *Clipboard) Pending() (Pending, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		return Pending{}, false
	}
	return Pending{Method: c.pending.method, Deadline: c.pending.deadline}, true
}

// ClearNow clears the pending copy at once (on quit, for instance), under
// the same rule as the timer. It reports whether the clipboard was cleared.
func (c *Clipboard) ClearNow() (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		return false, nil
	}
	return c.clearLocked()
}

func (c *Clipboard) clearGen(gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil || c.pending.gen != gen {
		return // something else was copied since; that copy has its own timer
	}
	c.clearLocked() //nolint:errcheck // nobody to tell from a timer; the next copy will try again
}

// clearLocked empties the clipboard if it still holds our text.
func (c *Clipboard) clearLocked() (bool, error) {
	p := c.pending
	c.stopLocked()
	c.pending = nil
	switch p.method {
	case MethodSystem:
		now, err := c.system.ReadAll()
		if err != nil {
			return false, err
		}
		if now != p.text {
			return false, nil // the officer copied something else: leave it
		}
		if err := c.system.WriteAll(""); err != nil {
			return false, err
		}
		return true, nil
	default:
		if _, err := io.WriteString(c.out, c.osc52("")); err != nil {
			return false, err
		}
		return true, nil
	}
}

func (c *Clipboard) stopLocked() {
	if c.pending != nil && c.pending.timer != nil {
		c.pending.timer.Stop()
	}
}

func (c *Clipboard) overSSH() bool {
	return c.env("SSH_TTY") != "" || c.env("SSH_CONNECTION") != ""
}

// osc52 builds the sequence setting the clipboard to text, wrapped for the
// multiplexer the session runs in.
func (c *Clipboard) osc52(text string) string {
	return OSC52(text, c.mux())
}

// Multiplexer is the terminal multiplexer an OSC 52 sequence must pass through.
type Multiplexer int

const (
	NoMultiplexer Multiplexer = iota
	Tmux
	Screen
)

func (c *Clipboard) mux() Multiplexer {
	switch {
	case c.env("TMUX") != "":
		return Tmux
	case c.env("STY") != "":
		return Screen
	}
	return NoMultiplexer
}

// OSC52 returns the escape sequence that sets the terminal's clipboard to
// text (base64-encoded as the sequence requires; text is taken as is, so
// sanitize first), wrapped for mux:
//
//	plain:  ESC ] 52 ; c ; BASE64 BEL
//	tmux:   ESC P tmux; <plain with every ESC doubled> ESC \
//	screen: ESC P ESC ] 52 ; c ; <BASE64 in 76-byte pieces joined by ESC \ ESC P> BEL ESC \
//	        (screen limits the length of one DCS string; as go-osc52 does)
//
// An empty text gives the sequence that empties the clipboard.
func OSC52(text string, mux Multiplexer) string {
	b64 := base64.StdEncoding.EncodeToString([]byte(text))
	seq := "\x1b]52;c;" + b64 + "\a"
	switch mux {
	case Tmux:
		return "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
	case Screen:
		var b strings.Builder
		b.WriteString("\x1bP\x1b]52;c;")
		for i := 0; i < len(b64); i += 76 {
			if i > 0 {
				b.WriteString("\x1b\\\x1bP")
			}
			b.WriteString(b64[i:min(i+76, len(b64))])
		}
		b.WriteString("\a\x1b\\")
		return b.String()
	}
	return seq
}

// atottoSystem is the desktop clipboard through atotto/clipboard.
type atottoSystem struct{}

func (atottoSystem) Available() bool            { return !clipboard.Unsupported }
func (atottoSystem) WriteAll(text string) error { return clipboard.WriteAll(text) }
func (atottoSystem) ReadAll() (string, error)   { return clipboard.ReadAll() }
