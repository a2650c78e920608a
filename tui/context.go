package tui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/i18n"
)

// Context is shared by every screen: what they need to render and to make
// commands, handed in rather than kept in globals.
type Context struct {
	Ctx    context.Context // cancelled on quit; every command uses it
	Width  int
	Height int
	Lang   string
	Styles Styles
	// Accessible is the mode for screen readers and magnifiers (issue 6):
	// no colour, no box drawing, no animation, one complaint or field per
	// line, state changes announced as sentences on the status line.
	Accessible bool
	Keys       *KeyMap
	Officer    complaint.Officer
	Zone       complaint.Zone
	Src        Source
	Sync       Syncer    // nil: no background sync
	Clip       Clipboard // nil: copying reports an error
	ClearAfter time.Duration
	CopyFormat CopyFormat // how dates and amounts are copied
	Now        func() time.Time
	Loc        *time.Location // for absolute times (Europe/Brussels in production)
	// ReasonTemplates are the reasons offered in the reject, forward and
	// take-over dialogs (ctrl+t); nil: the default list in Lang.
	ReasonTemplates []string
	// drafts keep what the officer typed in an action dialog, per
	// complaint and action, for a retry after a refusal (this session only).
	drafts map[string]dialogDraft
	// DebugLog keeps the raw errors the officer sees in words (nil: none).
	DebugLog DebugLog
	// Tick makes timer commands (tea.Tick when nil); tests make timers
	// fire at once or never, so Update can be driven without sleeping.
	Tick func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
}

func (c *Context) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if c.Tick != nil {
		return c.Tick(d, fn)
	}
	return tea.Tick(d, fn)
}

// M are the workstation's messages in the context's language.
func (c *Context) M() *i18n.TUI { return &i18n.For(c.Lang).TUI }

func (c *Context) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Context) loc() *time.Location {
	if c.Loc != nil {
		return c.Loc
	}
	return time.Local
}

// audit builds an audit event of this officer and zone.
func (c *Context) audit(kind, ref, field, outcome, detail string) complaint.AuditEvent {
	return complaint.AuditEvent{
		ID: newID(), At: c.now().UTC(), Officer: c.Officer.ID, Zone: c.Zone.Code,
		Kind: kind, Reference: ref, Field: field, Outcome: outcome, Detail: detail,
	}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// reasonTemplates are the reasons the dialogs offer.
func (c *Context) reasonTemplates() []string {
	if c.ReasonTemplates != nil {
		return c.ReasonTemplates
	}
	return DefaultReasonTemplates(c.Lang)
}

// DefaultReasonTemplates are the usual reasons to reject or forward a
// complaint, in lang.
func DefaultReasonTemplates(lang string) []string {
	return []string{i18n.For(lang).TUI.Templates.Notcompetent, i18n.For(lang).TUI.Templates.Duplicate, i18n.For(lang).TUI.Templates.Notcriminal}
}
