package tui

import (
	"context"
	"errors"
	"io"

	tea "github.com/charmbracelet/bubbletea"
)

// ProgramWriter hands what is written to it (OSC 52 clipboard sequences
// from package clip) to a running program, which writes it through its
// renderer: one writer for the terminal, so a sequence never lands in the
// middle of a frame. Give it as clip.Options.Out.
type ProgramWriter struct {
	p *tea.Program
}

// Write implements io.Writer.
func (w *ProgramWriter) Write(b []byte) (int, error) {
	if w.p == nil {
		return 0, io.ErrClosedPipe
	}
	w.p.Send(oscMsg{seq: string(b)})
	return len(b), nil
}

// Attach connects the writer to p.
func (w *ProgramWriter) Attach(p *tea.Program) { w.p = p }

// Run runs the workstation full-screen on the terminal until the officer
// quits or ctx ends. The terminal is restored on return; queued actions
// stay in the cache's outbox for the next run. out receives the frames
// (nil: stdout).
//
// Signals are the caller's: ctx ends on them (guichet's main cancels it on
// SIGINT, SIGTERM and SIGHUP), and an ended ctx is a clean exit (nil).
// Bubble Tea's own signal handler is off: on SIGTERM it sends its quit
// message on an unbuffered channel without watching the context, so when
// the event loop had already ended on the cancelled context the handler,
// and the program's shutdown that waits for it, waited for ever.
func Run(ctx context.Context, o Options, out io.Writer, w *ProgramWriter, extra ...tea.ProgramOption) error {
	o.Ctx = ctx
	app := New(o)
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithoutSignalHandler()}
	if out != nil {
		opts = append(opts, tea.WithOutput(out))
	}
	p := tea.NewProgram(app, append(opts, extra...)...)
	if w != nil {
		w.Attach(p)
	}
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // stopped by a signal: a clean exit
	}
	return err
}
