package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/textsafe"
)

// Options configure the workstation program.
type Options struct {
	Ctx        context.Context // cancelled when the program should stop; Background when nil
	Source     Source
	Sync       Syncer    // nil: no background sync
	Clipboard  Clipboard // nil: copying says there is no clipboard
	Lang       string    // fr, nl, de, en (en when unknown)
	Theme      string    // default, high-contrast, no-colour; NO_COLOR wins
	Accessible bool      // screen-reader mode (accessible.go); implies no colour
	Keys       *KeyMap   // nil: NewKeyMap(Lang)
	Officer    complaint.Officer
	Zone       complaint.Zone
	ClearAfter time.Duration // how long copied data stays on the clipboard (for the message)
	CopyFormat CopyFormat    // how dates and amounts are copied (config copy_format.*)
	Now        func() time.Time
	Loc        *time.Location

	// Session lock (lock.go): nil Lock means no lock (tests); IdleLock 0
	// means lock.DefaultIdle. Notices are shown on the first screen (the
	// demo's PIN, the address of its citizen form): each on its own line of
	// the lock screen; on the status line together when they fit the
	// width, else the last one whole.
	Lock     Locker
	IdleLock time.Duration
	Notices  []string

	// StatePath is the file where the last tab, sort and date display are
	// remembered across restarts ("" remembers nothing).
	StatePath string

	// DebugLog keeps raw errors for support (a file beside the cache).
	DebugLog DebugLog
	// ReasonTemplates replace the default reasons offered when rejecting,
	// forwarding or taking over (configuration reason_templates).
	ReasonTemplates []string
}

// statusTTL is how long a transient status message stays.
const statusTTL = 6 * time.Second

// oscHold keeps an OSC sequence in the view long enough for the renderer
// (60 frames a second) to write it once.
const oscHold = 250 * time.Millisecond

// clockEvery re-renders relative times ("2 min ago").
const clockEvery = 30 * time.Second

// App is the root model: it owns the screen stack, the status line, the
// status bar and the footer, and routes messages.
type App struct {
	c     *Context
	stack []Screen
	help  help.Model
	spin  spinner.Model

	sync       SyncState
	syncCh     <-chan SyncState
	syncCancel func()

	status         string
	statusLevel    int
	statusID       int
	statusRef      string   // the complaint the status is about ("" none): it goes when the officer moves to another
	statusSync     bool     // the status is "Syncing…" for the round asked with r: it stays until that round ends
	statusArrivals bool     // the status is a background round's count of arrivals
	statusNotices  []string // the status is Options.Notices: View fits them to the width

	syncWait     int   // sync rounds to end before the one asked with r has ended
	arrivalsMark int64 // the cache's arrivals mark (Source.Arrivals)
	markKnown    bool
	osc          string
	oscID        int
	clockTag     int

	sess *sessionLock // nil: no session lock

	statePath  string    // where the tab, sort and date display are remembered ("" nowhere)
	savedState workState // what statePath holds
}

// New builds the program's root model.
func New(o Options) *App {
	lang := o.Lang
	if !i18n.Supported(lang) {
		lang = "en"
	}
	ctx := o.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	keys := o.Keys
	if keys == nil {
		keys = NewKeyMap(lang)
	}
	theme := ThemeFor(o.Theme)
	if o.Accessible {
		theme = accessibleTheme
	}
	c := &Context{
		Ctx: ctx, Width: 80, Height: 24, Lang: lang, Styles: NewStyles(theme), Keys: keys, Accessible: o.Accessible,
		Officer: o.Officer, Zone: o.Zone, Src: o.Source, Sync: o.Sync, Clip: o.Clipboard,
		ClearAfter: o.ClearAfter, CopyFormat: o.CopyFormat, Now: o.Now, Loc: o.Loc, DebugLog: o.DebugLog,
		ReasonTemplates: o.ReasonTemplates, drafts: map[string]dialogDraft{},
	}
	a := &App{c: c, help: help.New(), spin: spinner.New(spinner.WithSpinner(spinner.MiniDot))}
	a.help.ShortSeparator = " · "
	if !c.Styles.Theme.Colour {
		a.help.Styles = help.Styles{}
	} else {
		a.help.Styles.ShortKey = c.Styles.Key
		a.help.Styles.ShortDesc = c.Styles.Muted
		a.help.Styles.ShortSeparator = c.Styles.Muted
		a.help.Styles.Ellipsis = c.Styles.Muted
	}
	q := newQueue(c)
	a.stack = []Screen{q}
	a.statePath = o.StatePath
	if s, ok := loadWorkState(o.StatePath); ok {
		q.applyWorkState(s)
	}
	a.savedState = q.workState()
	a.initLock(o)
	a.setupAccessible()
	a.layout()
	return a
}

// Context is the shared context (tests and issue-6 screens use it).
func (a *App) Context() *Context { return a.c }

// Top is the screen on top of the stack.
func (a *App) Top() Screen { return a.stack[len(a.stack)-1] }

// Push puts a screen on top (a statistics screen, a lock screen, …).
func (a *App) Push(s Screen) tea.Cmd {
	a.stack = append(a.stack, s)
	a.layout()
	return s.Init()
}

type syncSubscribedMsg struct {
	ch      <-chan SyncState
	cancel  func()
	mark    int64
	markErr error
}

type clockMsg struct{ tag int }

// Init implements tea.Model.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{a.stack[0].Init(), a.clock(), a.lockInit()}
	if s := a.c.Sync; s != nil {
		c := a.c
		cmds = append(cmds, func() tea.Msg {
			// The arrivals mark first: what the first round brings counts.
			mark, err := c.Src.ArrivalsMark(c.Ctx)
			ch, cancel := s.Subscribe()
			s.Trigger()
			return syncSubscribedMsg{ch: ch, cancel: cancel, mark: mark, markErr: err}
		})
	} else {
		cmds = append(cmds, a.arrivalsMarkCmd())
	}
	return tea.Batch(cmds...)
}

func (a *App) clock() tea.Cmd {
	a.clockTag++
	tag := a.clockTag
	return a.c.tick(clockEvery, func(time.Time) tea.Msg { return clockMsg{tag} })
}

func waitSync(ch <-chan SyncState) tea.Cmd {
	return func() tea.Msg {
		st, ok := <-ch
		if !ok {
			return nil
		}
		return syncStateMsg{state: st, ch: ch}
	}
}

func refresh() tea.Msg { return refreshMsg{} }

// Update implements tea.Model.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	// Bubble Tea delivers keys that arrive in one read (a held key, a fast
	// typist, tmux send-keys) as one multi-rune key press, which would match
	// no binding: replay them one by one. A paste stays whole.
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && !k.Paste && len(k.Runes) > 1 {
		var cmds []tea.Cmd
		for _, r := range k.Runes {
			_, cmd := a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt})
			cmds = append(cmds, cmd)
		}
		return a, tea.Batch(cmds...)
	}
	if handled, cmd := a.lockUpdate(msg); handled {
		return a, cmd
	}
	if a.c.Accessible {
		defer a.announce(a.snap())
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.Width, a.c.Height = msg.Width, msg.Height
		a.layout()
		return a, nil
	case tea.KeyMsg:
		return a.updateKey(msg)
	case quitCheckMsg:
		if msg.err == nil && msg.pending > 0 {
			return a, a.Push(newQuitConfirm(a.c, msg.pending))
		}
		return a, a.quit()
	case quitNowMsg:
		return a, a.quit()
	case syncSubscribedMsg:
		a.syncCh, a.syncCancel = msg.ch, msg.cancel
		a.arrivalsMark, a.markKnown = msg.mark, msg.markErr == nil
		return a, waitSync(msg.ch)
	case arrivalsMarkMsg:
		a.arrivalsMark, a.markKnown = msg.mark, msg.err == nil
		return a, nil
	case arrivalsMsg:
		return a, a.updateArrivals(msg)
	case syncStateMsg:
		prev := a.sync
		a.sync = msg.state
		cmds := []tea.Cmd{waitSync(msg.ch)}
		if a.sync.Syncing && !prev.Syncing && !a.c.Accessible {
			cmds = append(cmds, a.spin.Tick)
		}
		// A long pull (a first sync) refreshes the queue as pages arrive:
		// the officer browses what came while the rest streams in.
		grew := longPull(a.sync) && a.sync.Pulled != prev.Pulled
		if !a.sync.LastSync.Equal(prev.LastSync) || a.sync.Pending != prev.Pending ||
			a.sync.Conflicts != prev.Conflicts || (prev.Syncing && !a.sync.Syncing) || grew {
			cmds = append(cmds, a.broadcast(refreshMsg{}))
		}
		if prev.Syncing && !a.sync.Syncing {
			cmds = append(cmds, a.syncEnded())
		}
		if a.sync.Conflicts > prev.Conflicts {
			cmds = append(cmds, a.setStatus(a.c.M().Status.Newconflict.F(a.sync.Conflicts), 2))
		}
		return a, tea.Batch(cmds...)
	case spinner.TickMsg:
		if !a.sync.Syncing {
			return a, nil
		}
		var cmd tea.Cmd
		a.spin, cmd = a.spin.Update(msg)
		return a, cmd
	case clockMsg:
		if msg.tag != a.clockTag {
			return a, nil
		}
		return a, a.clock()
	case statusMsg:
		return a, a.setStatusAbout(msg.text, msg.level, msg.ref)
	case clearStatusMsg:
		if msg.id == a.statusID && !a.statusSync {
			a.status, a.statusRef = "", ""
		}
		return a, nil
	case oscMsg:
		a.osc = msg.seq
		a.oscID++
		id := a.oscID
		return a, a.c.tick(oscHold, func(time.Time) tea.Msg { return oscDoneMsg{id} })
	case oscDoneMsg:
		if msg.id == a.oscID {
			a.osc = ""
		}
		return a, nil
	case copiedMsg:
		cmd := a.updateClipboard(msg)
		a.statusRef = a.currentRef() // a copy is made on the screen in front: about its complaint
		return a, cmd
	case clearClipMsg, clipClearedMsg:
		return a, a.updateClipboard(msg)
	case actionDoneMsg:
		text, level := a.actionText(msg)
		// The dialog that asked waits for this answer (it stays open on a refusal).
		return a, tea.Batch(a.setStatusAbout(text, level, msg.ref), a.broadcast(msg), a.broadcast(refreshMsg{}))
	case bulkDoneMsg:
		text, level := bulkSummaryText(a.c, msg)
		return a, tea.Batch(a.setStatus(text, level), a.broadcast(msg), a.broadcast(refreshMsg{}))
	}
	return a, a.broadcast(msg)
}

// broadcast sends a non-key message to every screen of the stack; the
// screens' push and pop requests (nav) are applied as for a key: a screen
// that asks to go leaves the stack (the queue at its bottom never does),
// a screen asked for goes on top.
func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	var pushes []Screen
	kept := make([]Screen, 0, len(a.stack))
	for i, s := range a.stack {
		ns, cmd := s.Update(msg)
		cmds = append(cmds, cmd)
		if n, ok := ns.(navigator); ok {
			push, pop := n.takeNav()
			if push != nil {
				pushes = append(pushes, push)
			}
			if pop && i > 0 {
				continue
			}
		}
		kept = append(kept, ns)
	}
	a.stack = kept
	for _, s := range pushes {
		cmds = append(cmds, a.Push(s))
	}
	return tea.Batch(cmds...)
}

// updateKey handles a key, then drops a status about a complaint once the
// officer has moved to another one: it must not seem to be about that one.
func (a *App) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	before, screen := a.currentRef(), a.Top()
	m, cmd := a.routeKey(msg)
	cmd = tea.Batch(cmd, a.saveStateIfChanged())
	if a.statusRef != "" {
		_, onOne := a.Top().(interface{ CurrentRef() string })
		now := a.currentRef()
		// Dialogs and panels (not about one complaint) keep it.
		if onOne && (now != before || a.Top() != screen) && now != a.statusRef {
			a.status, a.statusRef = "", ""
		}
	}
	return m, cmd
}

// currentRef is the complaint the screen in front is about: the detail's,
// the queue's selected row ("" for other screens).
func (a *App) currentRef() string {
	if r, ok := a.Top().(interface{ CurrentRef() string }); ok {
		return r.CurrentRef()
	}
	return ""
}

func (a *App) routeKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := a.c.Keys
	top := a.Top()
	typing := false
	if in, ok := top.(inputScreen); ok {
		typing = in.Typing()
	}
	if msg.Type == tea.KeyCtrlC || (!typing && key.Matches(msg, k.Quit)) {
		_, asking := top.(*quitConfirmModel)
		switch {
		case msg.Type == tea.KeyCtrlC && asking:
			return a, a.quit() // ctrl+c twice: the officer means it
		case msg.Type != tea.KeyCtrlC && len(a.stack) > 1 && !asking:
			// q on a detail, a panel or a confirmation goes back.
			a.stack = a.stack[:len(a.stack)-1]
			return a, nil
		case !asking:
			return a, a.askQuit()
		}
	}
	if !typing {
		switch {
		case key.Matches(msg, k.Help):
			if _, isHelp := top.(*helpModel); !isHelp {
				return a, a.Push(newHelp(a.c, top.Help()))
			}
		case key.Matches(msg, k.Conflicts):
			if _, isC := top.(*conflictsModel); !isC {
				return a, a.Push(newConflicts(a.c))
			}
			return a, nil
		case key.Matches(msg, k.Forwards):
			if _, isF := top.(*forwardsModel); !isF {
				return a, a.Push(newForwards(a.c))
			}
		case key.Matches(msg, k.LockNow):
			if a.sess == nil {
				return a, a.setStatus(a.c.M().Status.Nolock, 1)
			}
			a.sess.lockNow()
			return a, a.recordLocked()
		case key.Matches(msg, k.Refresh):
			if a.c.Sync != nil {
				return a, a.askSync()
			}
			cmd := a.broadcast(refreshMsg{})
			if a.markKnown { // no sync: say what arrived, not "synced"
				cmd = tea.Batch(cmd, a.arrivalsCmd(false))
			}
			return a, cmd
		}
	}
	ns, cmd := top.Update(msg)
	a.stack[len(a.stack)-1] = ns
	if n, ok := ns.(navigator); ok {
		push, pop := n.takeNav()
		if pop && len(a.stack) > 1 {
			a.stack = a.stack[:len(a.stack)-1]
		}
		if push != nil {
			cmd = tea.Batch(cmd, a.Push(push))
		}
	}
	return a, cmd
}

// quit stops the program; queued actions stay in the store's outbox.
func (a *App) quit() tea.Cmd {
	if a.syncCancel != nil {
		a.syncCancel()
		a.syncCancel = nil
	}
	return tea.Quit
}

func (a *App) setStatus(text string, level int) tea.Cmd {
	return a.setStatusAbout(text, level, "")
}

// setStatusAbout shows a transient status; ref is the complaint it is
// about ("" for none): it goes when the officer moves to another complaint.
func (a *App) setStatusAbout(text string, level int, ref string) tea.Cmd {
	a.statusID++
	a.status, a.statusLevel, a.statusRef, a.statusSync, a.statusArrivals = text, level, ref, false, false
	a.statusNotices = nil
	if a.c.Accessible {
		return nil // the announcement line stays until the next one
	}
	id := a.statusID
	return a.c.tick(statusTTL, func(time.Time) tea.Msg { return clearStatusMsg{id} })
}

func (a *App) actionText(m actionDoneMsg) (string, int) {
	ref := textsafe.Line(m.ref)
	if m.err == nil && a.c.Accessible {
		return a.c.M().A11y.Nowpending.F(ref, statusWord(a.c.Lang, statusAfter(m.action.Type))), 0
	}
	if m.err == nil {
		return queuedText(a.c, m.action.Type, m.ref), 0
	}
	return refusedText(a.c, m.action.Type, m.ref, refusalText(a.c, m.err)), 2
}

// chromeLines is what the root draws under the screen: status line,
// status bar, footer.
const chromeLines = 3

func (a *App) layout() {
	h := max(a.c.Height-chromeLines, 1)
	for _, s := range a.stack {
		s.SetSize(a.c.Width, h)
	}
	a.help.Width = a.c.Width
}

// View implements tea.Model.
func (a *App) View() string {
	if a.locked() {
		return a.lockView()
	}
	w, h := a.c.Width, a.c.Height
	bodyH := max(h-chromeLines, 1)
	top := a.Top()
	var body string
	if ov, ok := top.(overlay); ok && ov.Overlay() && len(a.stack) > 1 && !a.c.Accessible {
		body = overlayCenter(a.stack[len(a.stack)-2].View(), top.View(), w, bodyH)
	} else {
		body = top.View()
	}
	body = clampLines(body, w, bodyH, true)
	st := a.c.Styles
	statusLine := ""
	switch a.statusLevel {
	case 2:
		statusLine = st.Danger.Render(clipWidth(a.status, w))
	case 1:
		statusLine = st.Warn.Render(clipWidth(a.status, w))
	default:
		statusLine = st.Accent.Render(clipWidth(a.status, w))
		if a.statusNotices != nil && lipgloss.Width(a.status) > w {
			statusLine = st.Accent.Render(clipWidth(a.statusNotices[len(a.statusNotices)-1], w))
		}
		if p := syncProgressLine(a.c, a.sync, w); a.status == "" && p != "" {
			statusLine = p
		}
	}
	footer := clipWidth(a.help.ShortHelpView(top.Help().ShortHelp()), w)
	out := body + "\n" + statusLine + "\n" + a.statusBar() + "\n" + footer
	if a.osc != "" {
		out = a.osc + out
	}
	return out
}

// statusBar: zone, officer, online or offline, last sync, pending,
// conflicts, and a spinner while syncing.
func (a *App) statusBar() string {
	c, st, s := a.c, a.c.Styles, a.sync
	w := c.Width
	var parts []string
	parts = append(parts, c.M().Bar.Zone.F(textsafe.Line(c.Zone.Code)), textsafe.Line(c.Officer.Name))
	switch {
	case c.Sync == nil:
		parts = append(parts, c.M().Bar.Local)
	case s.AuthFailed:
		parts = append(parts, st.Danger.Render(c.M().Bar.Authfailed))
	case s.Online:
		parts = append(parts, st.OK.Render(c.M().Bar.Online))
	default:
		parts = append(parts, st.Danger.Render(c.M().Bar.Offline))
	}
	if s.Syncing || a.firstSyncPending() {
		prog := ""
		if s.Total > 0 {
			prog = fmt.Sprintf(" %d/%d", s.Pulled, s.Total)
		} else if s.Pulled > 0 {
			prog = fmt.Sprintf(" %d", s.Pulled)
		}
		word := a.syncWord()
		if s.LastSync.IsZero() {
			word = a.firstSyncWord()
		}
		parts = append(parts, word+prog)
	} else if s.LastSync.IsZero() {
		parts = append(parts, c.M().Bar.Never)
	} else {
		parts = append(parts, c.M().Bar.Lastsync.F(s.LastSync.In(c.loc()).Format("15:04")))
	}
	pend := c.M().Bar.Pending.F(s.Pending)
	if s.Pending > 0 {
		pend = st.Warn.Render(pend)
	}
	conf := c.M().Bar.Conflicts.F(s.Conflicts)
	if s.Conflicts > 0 {
		conf = st.Danger.Render(conf + " (!)")
	}
	parts = append(parts, pend, conf)
	if s.Err != "" && !s.Online {
		parts = append(parts, st.Danger.Render(textsafe.Line(s.Err)))
	}
	// Narrow screens: drop the officer's name, then the error, then the
	// separators' spaces, before truncating.
	line := strings.Join(parts, a.barSep(false))
	if lipgloss.Width(line) > w && len(parts) > 2 {
		parts = append(parts[:1], parts[2:]...)
		line = strings.Join(parts, a.barSep(false))
	}
	if lipgloss.Width(line) > w {
		line = strings.Join(parts, a.barSep(true))
	}
	return st.Bar.Render(fitStyled(line, w))
}

// overlayCenter draws box over the middle lines of base.
func overlayCenter(base, box string, w, h int) string {
	bl := strings.Split(clampLines(base, w, h, true), "\n")
	ol := strings.Split(box, "\n")
	start := max((h-len(ol))/2, 0)
	for i, l := range ol {
		if start+i >= len(bl) {
			break
		}
		bl[start+i] = lipgloss.PlaceHorizontal(w, lipgloss.Center, clipWidth(l, w))
	}
	return strings.Join(bl, "\n")
}
