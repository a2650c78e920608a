package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"guichet/clip"
	"guichet/complaint"
)

// Typed messages of the program, in one place. Answers to asynchronous work
// carry the generation they were asked for; a screen drops an answer whose
// generation is not its current one (the question changed meanwhile).

// pageKind says how a page answer joins the loaded window.
type pageKind int

const (
	pageReplace pageKind = iota
	pageAppend
	pagePrepend
	pageLast // replace, the window ends at the last row
)

type pageMsg struct {
	gen    int
	kind   pageKind
	start  int // absolute index of the first row, for pageReplace
	anchor any // the key the page was asked after/before (append/prepend)
	rows   []Row
	err    error
}

type countsMsg struct {
	gen    int
	counts Counts
	muni   string // the one municipality of the cache, "" when several
	err    error
}

// filterTickMsg fires after the debounce of a filter keystroke.
type filterTickMsg struct{ gen int }

type recordMsg struct {
	gen int
	ref string
	rec Complaint
	err error
}

// actionDoneMsg is the local result of an action (stored and queued, or
// refused by the local rules); the portal's answer comes later via sync.
// rec is the complaint as the cache holds it once the action is applied
// (nil on a refusal or when it could not be read back): the screens show
// it with the "queued" status, so the next key already counts with it.
type actionDoneMsg struct {
	ref    string
	action complaint.Action
	err    error
	rec    *Complaint
}

type copiedMsg struct {
	label string
	res   clip.Copied
	err   error
}

// clearClipMsg fires when a copy's time on the clipboard is up.
type clearClipMsg struct {
	gen   uint64
	label string
}

// clipClearedMsg says what clearing a copy did.
type clipClearedMsg struct {
	label string
	res   clip.ClearedResult
	err   error
}

type conflictsMsg struct {
	list []Conflict
	err  error
}

// syncStateMsg is a new state of the sync engine; the channel is re-read.
type syncStateMsg struct {
	state SyncState
	ch    <-chan SyncState
}

// statusMsg shows a transient message in the status line.
type statusMsg struct {
	text  string
	level int    // 0 info, 1 warning, 2 error
	ref   string // the complaint it is about, "" for none
}

type clearStatusMsg struct{ id int }

// oscMsg carries an escape sequence made by the program itself (OSC 52 for
// the clipboard) to be written through the renderer, so it never tears a
// frame. It stays in the view until oscDoneMsg.
type oscMsg struct{ seq string }
type oscDoneMsg struct{ id int }

// refreshMsg asks every screen to re-read the cache (after a sync or an
// action).
type refreshMsg struct{}

// Navigation between screens: a screen returns these as commands and the
// root model does the routing, so new screens plug in without the root
// knowing them.

func status(text string, level int) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, level: level} }
}
