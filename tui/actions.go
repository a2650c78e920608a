package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
)

// startAction maps an action key on complaint ref to its command: claim and
// release go straight to the store's action layer; handle, reject and
// forward open their dialog first. false when msg is no action key.
func startAction(c *Context, n *nav, msg tea.KeyMsg, ref string) (tea.Cmd, bool) {
	k := c.Keys
	switch {
	case key.Matches(msg, k.Claim):
		return actCmd(c, ref, complaint.Action{Type: complaint.ActionClaim}), true
	case key.Matches(msg, k.Release):
		return actCmd(c, ref, complaint.Action{Type: complaint.ActionRelease}), true
	case key.Matches(msg, k.Handle):
		n.push(newDialog(c, dialogHandle, ref))
		return nil, true
	case key.Matches(msg, k.Reject):
		n.push(newDialog(c, dialogReject, ref))
		return nil, true
	case key.Matches(msg, k.Forward):
		n.push(newDialog(c, dialogForward, ref))
		return nil, true
	}
	return nil, false
}

// actCmd records the action in the local cache and outbox (the store checks
// it with the portal's rules), then wakes the sync engine to push it. The
// portal's answer arrives later through sync; until then the row is pending.
func actCmd(c *Context, ref string, a complaint.Action) tea.Cmd {
	return func() tea.Msg {
		err := c.Src.Act(c.Ctx, ref, a)
		if err == nil && c.Sync != nil {
			c.Sync.Trigger()
		}
		return actionDoneMsg{ref: ref, action: a, err: err}
	}
}

// auditCmd writes an audit event to the local log (pushed by sync). A
// failure is shown: an officer must know when consultations go unrecorded.
func auditCmd(c *Context, ev complaint.AuditEvent) tea.Cmd {
	return func() tea.Msg {
		if err := c.Src.Audit(c.Ctx, ev); err != nil {
			return statusMsg{text: c.T("audit.failed", textsafeErr(err)), level: 2}
		}
		return nil
	}
}

// actionWord is the verb of an action in lang, for messages.
func actionWord(lang string, t complaint.ActionType) string {
	return tr(lang, "action."+string(t))
}
