package tui

// Session lock (issue 6). After the idle time without a key the whole
// screen is replaced by a lock screen that shows no personal data — only
// the zone, the officer's own name and the PIN prompt — until the officer
// types their PIN. On first run, when no PIN is set yet, the same screen
// asks for a new PIN twice before anything else is shown.
//
// Idle detection is a tea.Tick re-armed in its own handler and tagged, so
// one chain runs at a time; a key only records the time (lock.Idle.Touch),
// and a tick that fires early re-arms itself for the time left. Checking
// and setting the PIN run PBKDF2 (about half a second), so they are
// tea.Cmds; Update never does that work itself.

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/i18n"
	"guichet/lock"
	"guichet/textsafe"
)

// Locker is the PIN store the session lock uses; *lock.Lock is one.
type Locker interface {
	IsSet() bool
	Set(pin string) error
	Verify(pin string, now time.Time) (ok bool, lockedUntil time.Time, err error)
	RemainingAttempts() int
}

var _ Locker = (*lock.Lock)(nil)

// sessionRecorder is a Locker that remembers a locked screen and a lockout
// across restarts (*lock.Lock is one): the TUI then starts locked, and
// says at once until when a lockout lasts.
type sessionRecorder interface {
	SessionLocked() bool
	MarkSessionLocked() error
	LockedUntil(now time.Time) time.Time
}

var _ sessionRecorder = (*lock.Lock)(nil)

type lockMode int

const (
	lockOpen    lockMode = iota // working: the screens are shown
	lockLocked                  // idle: PIN to unlock
	lockSetPIN                  // first run: new PIN
	lockConfirm                 // first run: the new PIN again
)

// minIdleTick keeps a mis-set clock from spinning the tick.
const minIdleTick = 50 * time.Millisecond

type sessionLock struct {
	lk      Locker
	idle    lock.Idle
	now     func() time.Time // wall clock with a monotonic reading (time.Now)
	mode    lockMode
	input   textinput.Model
	first   string // first-run PIN, until confirmed
	busy    bool   // a PIN check or write runs
	gen     int    // answers of an older attempt are dropped
	tag     int    // the idle tick chain in force
	note    string // last outcome (wrong PIN, locked out, …)
	noteLv  int
	notices []string // e.g. the demo's PIN and form address, one line each
}

// idleTickMsg fires when the idle time may have passed.
type idleTickMsg struct{ tag int }

// pinCheckedMsg answers a PIN check (unlock) or a PIN write (first run).
type pinCheckedMsg struct {
	gen         int
	set         bool // it was the first-run write
	ok          bool
	lockedUntil time.Time
	remaining   int
	err         error
}

func (a *App) initLock(o Options) {
	notices := make([]string, 0, len(o.Notices))
	for _, n := range o.Notices {
		if n = textsafe.Line(n); n != "" {
			notices = append(notices, n)
		}
	}
	if len(notices) > 0 {
		a.status, a.statusNotices = strings.Join(notices, " · "), notices
	}
	if o.Lock == nil {
		return
	}
	in := textinput.New()
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	in.Prompt = "› "
	in.CharLimit = lock.MaxPINLength
	in.Width = lock.MaxPINLength + 1
	in.Cursor.SetMode(cursor.CursorStatic)
	s := &sessionLock{lk: o.Lock, idle: lock.Idle{Timeout: o.IdleLock}, now: time.Now, input: in,
		notices: notices}
	if !o.Lock.IsSet() {
		s.mode = lockSetPIN
		s.input.Focus()
	}
	a.sess = s
	// A screen locked when the program last ended, or a lockout still
	// running, starts locked — and the lockout is said at once, not after
	// the officer typed a PIN that could not be accepted.
	if rec, ok := o.Lock.(sessionRecorder); ok && o.Lock.IsSet() {
		until := rec.LockedUntil(s.now())
		if rec.SessionLocked() || !until.IsZero() {
			s.lockNow()
		}
		if !until.IsZero() {
			s.note, s.noteLv = lock.LockedOutMessage(a.c.Lang, until.In(a.c.loc())), 2
		}
	}
}

// recordLocked remembers the locked screen in the PIN file (a tea.Cmd: it
// writes a file), so a restart starts locked.
func (a *App) recordLocked() tea.Cmd {
	rec, ok := a.sess.lk.(sessionRecorder)
	if !ok {
		return nil
	}
	return func() tea.Msg {
		_ = rec.MarkSessionLocked() // the screen is locked whatever the disk says
		return nil
	}
}

// lockInit starts the idle clock.
func (a *App) lockInit() tea.Cmd {
	s := a.sess
	if s == nil {
		return nil
	}
	s.idle.Touch(s.now())
	return a.armIdle()
}

func (a *App) armIdle() tea.Cmd {
	s := a.sess
	s.tag++
	tag := s.tag
	d := max(s.idle.Remaining(s.now()), minIdleTick)
	return a.c.tick(d, func(time.Time) tea.Msg { return idleTickMsg{tag} })
}

// locked reports whether the lock screen replaces everything.
func (a *App) locked() bool { return a.sess != nil && a.sess.mode != lockOpen }

// Lock hides the screen now, as if the idle time had passed.
func (a *App) Lock() {
	if a.sess != nil && a.sess.mode == lockOpen {
		a.sess.lockNow()
	}
}

// Locked reports whether the lock screen is shown.
func (a *App) Locked() bool { return a.locked() }

func (s *sessionLock) lockNow() {
	s.mode = lockLocked
	s.note, s.first = "", ""
	s.input.Reset()
	s.input.Focus()
}

// lockUpdate sees every message first. handled means the message was the
// lock's own or, while locked, a key (no key reaches a screen behind the
// lock). Everything else goes on to the screens, locked or not, so the
// cache and sync stay current behind the lock.
func (a *App) lockUpdate(msg tea.Msg) (bool, tea.Cmd) {
	s := a.sess
	if s == nil {
		return false, nil
	}
	switch msg := msg.(type) {
	case idleTickMsg:
		if msg.tag != s.tag || s.mode != lockOpen {
			return true, nil // an old chain, or locked: unlocking re-arms
		}
		if s.idle.Expired(s.now()) {
			s.lockNow()
			return true, a.recordLocked()
		}
		return true, a.armIdle()
	case pinCheckedMsg:
		if msg.gen != s.gen {
			return true, nil
		}
		s.busy = false
		return true, a.pinAnswer(msg)
	case tea.KeyMsg:
		if s.mode == lockOpen {
			s.idle.Touch(s.now())
			return false, nil
		}
		if msg.Type == tea.KeyCtrlC {
			return true, a.quit() // quitting shows nothing
		}
		if s.busy {
			return true, nil
		}
		if msg.Type == tea.KeyEnter {
			return true, a.pinSubmit()
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return true, cmd
	}
	return false, nil
}

func (a *App) pinSubmit() tea.Cmd {
	s, lang := a.sess, a.c.Lang
	pin := s.input.Value()
	s.input.Reset()
	if pin == "" {
		return nil
	}
	switch s.mode {
	case lockSetPIN:
		if err := lock.CheckPIN(pin); err != nil {
			s.note, s.noteLv = lock.Localized(lang, err), 2
			return nil
		}
		s.first, s.mode, s.note = pin, lockConfirm, ""
		return nil
	case lockConfirm:
		first := s.first
		s.first = ""
		if pin != first {
			s.mode, s.note, s.noteLv = lockSetPIN, i18n.For(lang).Lock.PINMismatch, 2
			return nil
		}
		s.busy, s.note, s.noteLv = true, a.c.M().Lock.Setting, 0
		s.gen++
		gen, lk := s.gen, s.lk
		return func() tea.Msg {
			err := lk.Set(pin)
			return pinCheckedMsg{gen: gen, set: true, ok: err == nil, err: err}
		}
	}
	s.busy, s.note, s.noteLv = true, a.c.M().Lock.Checking, 0
	s.gen++
	gen, lk, now := s.gen, s.lk, s.now()
	return func() tea.Msg {
		ok, until, err := lk.Verify(pin, now)
		return pinCheckedMsg{gen: gen, ok: ok, lockedUntil: until, remaining: lk.RemainingAttempts(), err: err}
	}
}

func (a *App) pinAnswer(m pinCheckedMsg) tea.Cmd {
	s, lang := a.sess, a.c.Lang
	switch {
	case m.ok:
		s.mode, s.note = lockOpen, ""
		s.input.Blur()
		s.idle.Touch(s.now())
		return a.armIdle()
	case m.err != nil:
		if m.set {
			s.mode = lockSetPIN
		}
		s.note, s.noteLv = lock.Localized(lang, m.err), 2
	case !m.lockedUntil.IsZero():
		s.note, s.noteLv = lock.LockedOutMessage(lang, m.lockedUntil.In(a.c.loc())), 2
	default:
		s.note, s.noteLv = i18n.For(lang).Lock.PINWrong+" "+lock.RemainingMessage(lang, m.remaining), 2
	}
	return nil
}

// lockView is the whole screen while locked or setting the PIN: the zone,
// the officer's own name, the prompt, the outcome of the last attempt and
// the notice. Nothing of any complaint, the status line included.
func (a *App) lockView() string {
	c, st, s := a.c, a.c.Styles, a.sess
	w, h := c.Width, c.Height
	var lines []string
	title := c.M().Lock.Title
	prompt := i18n.For(c.Lang).Lock.PromptUnlock
	switch s.mode {
	case lockSetPIN:
		title, prompt = c.M().Lock.Firstrun, i18n.For(c.Lang).Lock.PromptSet
	case lockConfirm:
		title, prompt = c.M().Lock.Firstrun, i18n.For(c.Lang).Lock.PromptConfirm
	}
	lines = append(lines, st.Title.Render(title), "",
		c.M().Bar.Zone.F(textsafe.Line(c.Zone.Code))+" · "+textsafe.Line(c.Officer.Name), "",
		prompt, s.input.View())
	switch {
	case s.note != "" && s.noteLv == 2:
		lines = append(lines, st.Danger.Render("✗ "+s.note))
	case s.note != "":
		lines = append(lines, st.Muted.Render(s.note))
	default:
		lines = append(lines, "")
	}
	if len(s.notices) > 0 {
		lines = append(lines, "")
		for _, n := range s.notices {
			lines = append(lines, st.Warn.Render(n))
		}
	}
	bodyH := max(h-1, 1)
	top := max((bodyH-len(lines))/2, 0)
	out := make([]string, 0, h)
	for i := 0; i < top; i++ {
		out = append(out, "")
	}
	for _, l := range lines {
		out = append(out, "  "+l)
	}
	body := clampLines(strings.Join(out, "\n"), w, bodyH, true)
	footer := st.Muted.Render(clipWidth(c.M().Lock.Footer, w))
	return body + "\n" + footer
}
