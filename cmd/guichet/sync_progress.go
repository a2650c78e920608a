package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"guichet/sync"
)

// progressMin is how many changes a pull must bring for `guichet sync` to
// show its progress (the first sync of a zone, a long absence). A variable
// so tests can lower it.
var progressMin = 1000

// syncProgress prints the progress of a long pull: on a terminal, one line
// rewritten in place at most every progressEvery; otherwise a plain line at
// each tenth of the way.
type syncProgress struct {
	a       *app
	w       io.Writer
	tty     bool
	last    time.Time // when the terminal line was last drawn
	tenth   int       // the last tenth printed as a plain line
	drawn   bool      // a terminal line is on the screen
	width   int       // its width, to blank what a shorter line leaves
	minimum int
}

const progressEvery = 200 * time.Millisecond

func newSyncProgress(a *app, w io.Writer) *syncProgress {
	return &syncProgress{a: a, w: w, tty: isTerminal(w), minimum: progressMin}
}

// isTerminal says whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// show prints the progress of state s when its pull is long enough.
func (p *syncProgress) show(s sync.State) {
	if !s.Syncing || s.Total < p.minimum || s.Pulled == 0 {
		return
	}
	rate, left, ok := s.Progress()
	if !ok {
		return
	}
	line := p.a.t(p.a.m().SyncProgress, s.Pulled, s.Total, int(rate+0.5), fmtLeft(left))
	if !p.tty {
		tenth := s.Pulled * 10 / s.Total
		if tenth > p.tenth {
			p.tenth = tenth
			fmt.Fprintln(p.w, line)
		}
		return
	}
	now := time.Now()
	if p.drawn && now.Sub(p.last) < progressEvery && s.Pulled < s.Total {
		return
	}
	p.last = now
	pad := ""
	if n := len([]rune(line)); n < p.width {
		pad = strings.Repeat(" ", p.width-n)
	} else {
		p.width = n
	}
	fmt.Fprint(p.w, "\r"+line+pad)
	p.drawn = true
}

// end ends the terminal line before what follows.
func (p *syncProgress) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// fmtLeft writes a duration as m:ss (h:mm:ss past an hour).
func fmtLeft(d time.Duration) string {
	sec := int((d + time.Second/2) / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}
