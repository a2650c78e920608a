package clip

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// BufferName is the tmux buffer guichet copies into (and deletes when it
// clears): paste it with `tmux paste-buffer -b guichet`, or choose it with
// prefix + = in tmux.
const BufferName = "guichet"

// The one-line tmux settings the status line offers when a route is shut.
const (
	// FixSetClipboard lets tmux send copies to the terminal's clipboard.
	FixSetClipboard = "tmux set -g set-clipboard external"
	// FixPassthrough lets guichet talk to the terminal through tmux: a
	// copy reaches a terminal tmux does not know takes OSC 52, and a clear
	// reaches the terminal's clipboard.
	FixPassthrough = "tmux set -g allow-passthrough on"
)

// errNoBuffer is tmux saying the buffer does not exist.
var errNoBuffer = errors.New("no buffer " + BufferName)

// ErrTmux wraps every failure of asking tmux (no server at $TMUX, a refused
// command, an answer that cannot be read), so that callers can tell the
// officer "tmux does not answer" and keep tmux's own words for the log.
var ErrTmux = errors.New("tmux")

// tmuxTimeout bounds one tmux command: a hung server must not hang a copy.
const tmuxTimeout = 3 * time.Second

// tmuxState is what tmux allows, as tmux itself reports it.
type tmuxState struct {
	setClipboard    string // on, external or off
	passthrough     bool   // allow-passthrough on or all (the pane's value)
	client          bool   // a client (the officer's terminal) is attached
	clientClipboard bool   // tmux knows that terminal takes OSC 52
}

// tmuxRoute is where a copy inside tmux went.
type tmuxRoute struct {
	method      Method
	passthrough bool
	termKept    bool
	fix         string
}

// tmuxCopy puts text in the tmux buffer and, as far as tmux allows, on the
// terminal's clipboard; it must hold c.mu.
func (c *Clipboard) tmuxCopy(text string) (tmuxRoute, error) {
	st, err := c.tmuxState()
	if err != nil {
		return tmuxRoute{}, err
	}
	viaTmux := st.setClipboard != "off" && st.client && st.clientClipboard
	args := []string{"load-buffer", "-b", BufferName}
	if viaTmux {
		args = append(args, "-w") // tmux sends it to the terminal's clipboard
	}
	if _, err := c.tmuxRun(strings.NewReader(text), append(args, "-")...); err != nil {
		return tmuxRoute{}, err
	}
	r := tmuxRoute{method: MethodTmux, passthrough: st.passthrough, termKept: viaTmux && !st.passthrough}
	switch {
	case viaTmux:
	case st.passthrough:
		if _, err := io.WriteString(c.out, OSC52(text, Tmux)); err != nil {
			return tmuxRoute{}, err
		}
	default:
		r.method = MethodTmuxBuffer
		switch {
		case !st.client:
			// No terminal attached: nothing to reach, nothing to fix.
		case st.setClipboard == "off":
			r.fix = FixSetClipboard
		default:
			r.fix = FixPassthrough
		}
	}
	return r, nil
}

// tmuxClear deletes the guichet buffer if it still holds text, and checks
// it is gone.
func (c *Clipboard) tmuxClear(text string) (Outcome, error) {
	now, err := c.tmuxRun(nil, "show-buffer", "-b", BufferName)
	if errors.Is(err, errNoBuffer) {
		return Cleared, nil // deleted by the officer already
	}
	if err != nil {
		return NothingToClear, err
	}
	if now != text {
		return LeftAlone, nil
	}
	if _, err := c.tmuxRun(nil, "delete-buffer", "-b", BufferName); err != nil {
		return NothingToClear, err
	}
	if _, err := c.tmuxRun(nil, "show-buffer", "-b", BufferName); !errors.Is(err, errNoBuffer) {
		return NothingToClear, fmt.Errorf("%w: the buffer %s is still there after delete-buffer (%v)", ErrTmux, BufferName, err)
	}
	return Cleared, nil
}

// tmuxState asks tmux for the options that decide the route, for the pane
// guichet runs in, in one command. Options are read as format variables so
// that an option an older tmux lacks reads as empty instead of failing.
func (c *Clipboard) tmuxState() (tmuxState, error) {
	out, err := c.tmuxRun(nil, "display-message", "-p",
		"#{set-clipboard}|#{allow-passthrough}|#{client_name}|#{client_termfeatures}")
	if err != nil {
		return tmuxState{}, err
	}
	f := strings.Split(strings.TrimRight(out, "\n"), "|")
	if len(f) != 4 {
		return tmuxState{}, fmt.Errorf("%w: unexpected answer: %q", ErrTmux, out)
	}
	st := tmuxState{setClipboard: f[0], client: f[2] != ""}
	st.passthrough = f[1] == "on" || f[1] == "all" || f[1] == "1"
	for _, feat := range strings.Split(f[3], ",") {
		if feat == "clipboard" {
			st.clientClipboard = true
		}
	}
	switch st.setClipboard { // numbers in some versions' formats
	case "0":
		st.setClipboard = "off"
	case "1":
		st.setClipboard = "external"
	case "2":
		st.setClipboard = "on"
	}
	return st, nil
}

// tmuxRun runs one tmux command against the server of $TMUX (its socket is
// the first field), for the pane of $TMUX_PANE, and returns its output.
func (c *Clipboard) tmuxRun(stdin io.Reader, args ...string) (string, error) {
	tmuxVar := c.env("TMUX")
	socket, _, _ := strings.Cut(tmuxVar, ",")
	if socket == "" {
		return "", fmt.Errorf("%w: TMUX names no tmux socket", ErrTmux)
	}
	ctx, cancel := context.WithTimeout(context.Background(), tmuxTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.tmuxPath, append([]string{"-S", socket}, args...)...)
	cmd.Env = tmuxEnv(os.Environ(), tmuxVar, c.env("TMUX_PANE"))
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		if strings.HasPrefix(msg, "no buffer") {
			return "", fmt.Errorf("tmux %s: %w", args[0], errNoBuffer)
		}
		return "", fmt.Errorf("%w %s: %s", ErrTmux, args[0], msg)
	}
	return out.String(), nil
}

// tmuxEnv is environ with TMUX and TMUX_PANE as the Clipboard's environment
// has them: tmux finds the officer's client through the pane.
func tmuxEnv(environ []string, tmuxVar, pane string) []string {
	out := make([]string, 0, len(environ)+2)
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "TMUX=") && !strings.HasPrefix(kv, "TMUX_PANE=") {
			out = append(out, kv)
		}
	}
	out = append(out, "TMUX="+tmuxVar)
	if pane != "" {
		out = append(out, "TMUX_PANE="+pane)
	}
	return out
}
