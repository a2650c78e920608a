// Package clip puts text on the officer's clipboard and takes personal data
// off it again after a delay.
//
// Three routes exist, tried in this order:
//
//   - The system clipboard (through atotto/clipboard, which runs xclip, xsel
//     or wl-copy) on the officer's own desktop: not over SSH (it would be the
//     server's clipboard, not the officer's) and only when a tool exists and
//     works (it fails without a display).
//   - Inside tmux, tmux itself is asked (tmux.go): the text goes into the
//     tmux buffer named "guichet" with `tmux load-buffer -w`, which also
//     sends it to the clipboard of the officer's terminal when tmux allows
//     it (set-clipboard not off) and knows the terminal takes OSC 52. With
//     allow-passthrough on, an OSC 52 wrapped in a passthrough reaches the
//     terminal directly. When neither reaches the terminal the text is in
//     the tmux buffer only, and Copied.Fix is the one-line tmux setting that
//     would make it reach the clipboard: the caller must not say "copied".
//   - Otherwise OSC 52, an escape sequence asking the terminal to set its
//     clipboard, wrapped for GNU screen when the session runs in it.
//
// Everything copied is sanitized with textsafe.Block first, so no escape
// sequence from a citizen's text can reach the clipboard (or the terminal,
// for OSC 52).
//
// Clearing (Clear, ClearNow, or the timer when ClearAfter > 0) empties only
// what still holds our text, and Cleared says honestly what happened: the
// system clipboard is read back before and after; the tmux buffer is
// compared before being deleted and checked gone after. A terminal's
// clipboard cannot be read back: with OSC 52 (and with tmux passthrough) the
// empty sequence is sent and the outcome says the terminal was only asked;
// when the text reached the terminal through `load-buffer -w` nothing can
// clear it there (tmux forwards no empty OSC 52), and the outcome says so
// with the setting that would allow it.
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

	"guichet/i18n"
	"guichet/textsafe"
)

// Method says where the text went.
type Method string

const (
	// MethodSystem is the desktop clipboard through xclip, xsel or wl-copy.
	MethodSystem Method = "system"
	// MethodOSC52 is the terminal's clipboard through the OSC 52 sequence.
	MethodOSC52 Method = "osc52"
	// MethodTmux is the tmux buffer "guichet" and, through tmux, the
	// clipboard of the officer's terminal.
	MethodTmux Method = "tmux"
	// MethodTmuxBuffer is the tmux buffer "guichet" only: the text did not
	// reach a clipboard the officer can paste from outside tmux.
	// Copied.Fix says which tmux setting would change that.
	MethodTmuxBuffer Method = "tmux-buffer"
)

// Name is where the text went, in the officer's language lang (the
// workstation's status line and guichet copy say it in the same words).
func (m Method) Name(lang string) string {
	c := i18n.For(lang)
	if s, ok := c.Code("clip." + string(m)); ok && m != "" {
		return s
	}
	return c.Clipboard.Unknown
}

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
	// Env reads environment variables (SSH_TTY, SSH_CONNECTION, TMUX,
	// TMUX_PANE, STY).
	Env func(string) string
	// ClearAfter is the delay before clearing; 0 means DefaultClearAfter,
	// a negative value means never clear on a timer (Clear and ClearNow
	// still work: a caller that reports the outcome drives the delay).
	ClearAfter time.Duration
	// System is the desktop clipboard; nil means atotto/clipboard.
	System System
	// Tmux is the tmux program asked inside tmux; "" means "tmux" from PATH.
	Tmux string
}

// Copied describes a copy that was made.
type Copied struct {
	Method Method
	// Gen identifies this copy for Clear.
	Gen uint64
	// Fix, with MethodTmuxBuffer, is the tmux command that lets the next
	// copy reach the terminal's clipboard ("" when none is known, e.g. no
	// terminal is attached to the session).
	Fix string
	// TerminalKept says that a clear will not reach everywhere the text
	// went: tmux sent it to the terminal's clipboard, and tmux forwards no
	// empty OSC 52 to clear it (allow-passthrough off).
	TerminalKept bool
}

// Outcome is what a clear did.
type Outcome int

const (
	// NothingToClear: no copy of ours is pending (already cleared, or a
	// newer copy replaced it and has its own clear).
	NothingToClear Outcome = iota
	// Cleared: every place the text went was emptied and checked (the
	// system clipboard read back, the tmux buffer gone).
	Cleared
	// ClearRequested: the empty OSC 52 was sent to the terminal (after
	// deleting the tmux buffer, if any); a terminal's clipboard cannot be
	// read back, so whether it obeyed is unknown.
	ClearRequested
	// TerminalKept: the tmux buffer was deleted, but the terminal's
	// clipboard still holds the text (see Copied.TerminalKept).
	// ClearedResult.Fix says which setting lets a clear reach it.
	TerminalKept
	// LeftAlone: the clipboard holds something else by now (the officer
	// copied something), so it was not touched.
	LeftAlone
)

// ClearedResult describes a clear.
type ClearedResult struct {
	Outcome Outcome
	Method  Method
	Fix     string // with TerminalKept
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
	tmuxPath   string

	mu      sync.Mutex
	gen     uint64 // increases with every copy; a clear only clears its own copy
	pending *pendingCopy
}

type pendingCopy struct {
	gen         uint64
	method      Method
	text        string
	passthrough bool // tmux: the clear may send a wrapped OSC 52 to the terminal
	termKept    bool // tmux: the terminal got the text through load-buffer -w
	deadline    time.Time
	timer       *time.Timer
}

// New returns a Clipboard.
func New(opts Options) *Clipboard {
	c := &Clipboard{out: opts.Out, env: opts.Env, clearAfter: opts.ClearAfter, system: opts.System, tmuxPath: opts.Tmux}
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
	if c.tmuxPath == "" {
		c.tmuxPath = "tmux"
	}
	return c
}

// ErrNoClipboard is returned when no route could take the text.
var ErrNoClipboard = errors.New("no clipboard available")

// Copy sanitizes text and puts it on the clipboard by the first route that
// works (see the package documentation), and arms the clear timer. Over SSH,
// or when no clipboard tool exists or the tool fails (no display, for
// instance), the terminal routes are used.
func (c *Clipboard) Copy(text string) (Copied, error) {
	safe := textsafe.Block(text)
	c.mu.Lock()
	defer c.mu.Unlock()
	p := &pendingCopy{method: MethodOSC52, text: safe}
	var fix string
	switch {
	case !c.overSSH() && c.system.Available() && c.system.WriteAll(safe) == nil:
		p.method = MethodSystem
	case c.mux() == Tmux:
		r, err := c.tmuxCopy(safe)
		if err != nil {
			return Copied{}, fmt.Errorf("%w: %w", ErrNoClipboard, err)
		}
		p.method, p.passthrough, p.termKept, fix = r.method, r.passthrough, r.termKept, r.fix
	default:
		if _, err := io.WriteString(c.out, c.osc52(safe)); err != nil {
			return Copied{}, fmt.Errorf("%w: %v", ErrNoClipboard, err)
		}
	}
	c.stopLocked()
	c.gen++
	p.gen = c.gen
	if c.clearAfter > 0 {
		p.deadline = time.Now().Add(c.clearAfter)
		gen := c.gen
		p.timer = time.AfterFunc(c.clearAfter, func() { c.Clear(gen) }) //nolint:errcheck // nobody to tell from a timer
	}
	c.pending = p
	return Copied{Method: p.method, Gen: p.gen, Fix: fix, TerminalKept: p.termKept}, nil
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

// Clear clears the copy gen if it is still the latest (a newer copy has its
// own clear): NothingToClear otherwise.
func (c *Clipboard) Clear(gen uint64) (ClearedResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil || c.pending.gen != gen {
		return ClearedResult{Outcome: NothingToClear}, nil
	}
	return c.clearLocked()
}

// ClearNow clears the pending copy at once (on quit, for instance), under
// the same rules as Clear.
func (c *Clipboard) ClearNow() (ClearedResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		return ClearedResult{Outcome: NothingToClear}, nil
	}
	return c.clearLocked()
}

// clearLocked empties what still holds our text.
func (c *Clipboard) clearLocked() (ClearedResult, error) {
	p := c.pending
	c.stopLocked()
	c.pending = nil
	res := ClearedResult{Method: p.method}
	switch p.method {
	case MethodSystem:
		now, err := c.system.ReadAll()
		if err != nil {
			return res, err
		}
		if now != p.text {
			res.Outcome = LeftAlone // the officer copied something else: leave it
			return res, nil
		}
		if err := c.system.WriteAll(""); err != nil {
			return res, err
		}
		if now, err := c.system.ReadAll(); err != nil || now != "" {
			return res, fmt.Errorf("the clipboard still holds %d characters after clearing (%v)", len(now), err)
		}
		res.Outcome = Cleared
		return res, nil
	case MethodTmux, MethodTmuxBuffer:
		outcome, err := c.tmuxClear(p.text)
		if err != nil || outcome == LeftAlone {
			res.Outcome = outcome
			return res, err
		}
		switch {
		case p.passthrough:
			if _, err := io.WriteString(c.out, OSC52("", Tmux)); err != nil {
				return res, err
			}
			res.Outcome = ClearRequested
		case p.termKept:
			res.Outcome, res.Fix = TerminalKept, FixPassthrough
		default:
			res.Outcome = Cleared
		}
		return res, nil
	default:
		if _, err := io.WriteString(c.out, c.osc52("")); err != nil {
			return res, err
		}
		res.Outcome = ClearRequested
		return res, nil
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
