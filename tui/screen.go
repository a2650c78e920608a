package tui

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
)

// Screen is the contract of every screen and dialog: a Bubble Tea model that
// knows its size and its help. The root model keeps a stack of screens,
// sends key presses to the top one and every other message to all of them
// (each keeps only the answers of its own generation), and draws the top
// one (a dialog draws over the screen below it).
type Screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (Screen, tea.Cmd)
	View() string
	SetSize(width, height int)
	Help() help.KeyMap
}

// inputScreen is implemented by screens that take typed text: while
// Typing is true the root does not read q, ?, r, ! as global keys.
type inputScreen interface {
	Typing() bool
}

// overlay is implemented by screens drawn over the one below (dialogs).
type overlay interface {
	Overlay() bool
}

// titled screens give the text of the top line.
type titled interface {
	Title() string
}

// nav lets a screen ask, from its Update, for a screen to be pushed or
// itself to be popped. The root applies it before the next message, so
// keys typed right after `h` reach the dialog (a command would be too
// late). Screens embed it.
type nav struct {
	pushReq Screen
	popReq  bool
}

func (n *nav) push(s Screen) { n.pushReq = s }
func (n *nav) pop()          { n.popReq = true }

func (n *nav) takeNav() (Screen, bool) {
	s, p := n.pushReq, n.popReq
	n.pushReq, n.popReq = nil, false
	return s, p
}

type navigator interface {
	takeNav() (push Screen, pop bool)
}
