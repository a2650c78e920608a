package tui

import (
	"errors"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/textsafe"
)

// actionTarget is the complaint an action key is about, as the screen
// shows it: enough to tell at once whether the officer may act on it.
type actionTarget struct {
	ref       string
	status    complaint.Status
	holderID  string
	holder    string
	pvNumber  string // handled complaints: the PV number a correction replaces
	hasRecord bool   // false: the screen does not know the state yet
}

// actionKinds maps each action key to its action type.
func actionKinds(k *KeyMap) []struct {
	b key.Binding
	t complaint.ActionType
} {
	return []struct {
		b key.Binding
		t complaint.ActionType
	}{
		{k.Claim, complaint.ActionClaim}, {k.Release, complaint.ActionRelease},
		{k.Handle, complaint.ActionHandle}, {k.Reject, complaint.ActionReject},
		{k.Forward, complaint.ActionForward}, {k.TakeOver, complaint.ActionTakeOver},
		{k.CorrectPV, complaint.ActionCorrectPV},
	}
}

// dialogFor is the dialog of an action that needs input (false: none).
func dialogFor(t complaint.ActionType) (dialogKind, bool) {
	switch t {
	case complaint.ActionHandle:
		return dialogHandle, true
	case complaint.ActionReject:
		return dialogReject, true
	case complaint.ActionForward:
		return dialogForward, true
	case complaint.ActionTakeOver:
		return dialogTakeOver, true
	case complaint.ActionCorrectPV:
		return dialogCorrectPV, true
	}
	return 0, false
}

// startAction maps an action key on a complaint to its command: claim and
// release go straight to the store's action layer; the others open their
// dialog first. An action the status rules refuse on the complaint as
// shown (not claimed, claimed by a colleague, closed) is refused at once
// with the reason, before the officer types anything. false when msg is
// no action key.
func startAction(c *Context, n *nav, msg tea.KeyMsg, t actionTarget) (tea.Cmd, bool) {
	for _, ak := range actionKinds(c.Keys) {
		if !key.Matches(msg, ak.b) {
			continue
		}
		if why := actionBlock(c, ak.t, t); why != "" {
			return status(refusedText(c, ak.t, t.ref, why), 2), true
		}
		kind, ok := dialogFor(ak.t)
		if !ok {
			return actCmd(c, t.ref, complaint.Action{Type: ak.t}), true
		}
		d := newDialog(c, kind, t.ref)
		d.curPV = t.pvNumber
		d.validate()
		n.push(d)
		return nil, true
	}
	return nil, false
}

// actionBlock is why the status rules refuse action a on the complaint as
// shown, in words; "" when they allow it (or the state is not known yet:
// the store checks again).
func actionBlock(c *Context, a complaint.ActionType, t actionTarget) string {
	if !t.hasRecord {
		return ""
	}
	rec := complaint.Record{Status: t.status}
	if t.holderID != "" {
		rec.ClaimedBy = &complaint.Officer{ID: t.holderID, Name: t.holder}
	}
	// The target zone is not chosen yet: any zone but this one.
	_, err := complaint.Apply(rec, complaint.Action{Type: a, ToZone: "?"}, c.Officer, c.now())
	var ce *complaint.ConflictError
	if errors.As(err, &ce) {
		return conflictText(c, ce.Code, ce.Holder)
	}
	if a == complaint.ActionTakeOver && t.holderID == c.Officer.ID {
		return c.T("refused.yours")
	}
	return ""
}

// conflictText is a status rule's refusal in words; a colleague's claim
// names the colleague and says how to take it over.
func conflictText(c *Context, code string, holder *complaint.Officer) string {
	if code == complaint.ConflictClaimedByOther && holder != nil && holder.Name != "" {
		return c.T("refused.heldby", textsafe.Line(holder.Name), c.Keys.TakeOver.Help().Key)
	}
	return i18n.For(c.Lang).Message(code)
}

// actCmd records the action in the local cache and outbox (the store checks
// it with the portal's rules), then wakes the sync engine to push it. The
// portal's answer arrives later through sync; until then the row is pending.
// The complaint is read back in the same command: the screens get its new
// state with the answer, not from a reload that a quick next key overtakes.
func actCmd(c *Context, ref string, a complaint.Action) tea.Cmd {
	return func() tea.Msg {
		err := c.Src.Act(c.Ctx, ref, a)
		if err != nil {
			return actionDoneMsg{ref: ref, action: a, err: err}
		}
		if c.Sync != nil {
			c.Sync.Trigger()
		}
		done := actionDoneMsg{ref: ref, action: a}
		if rec, err := c.Src.Get(c.Ctx, ref); err == nil {
			done.rec = &rec
		}
		return done
	}
}

// auditCmd writes an audit event to the local log (pushed by sync). A
// failure is shown: an officer must know when consultations go unrecorded.
func auditCmd(c *Context, ev complaint.AuditEvent) tea.Cmd {
	return func() tea.Msg {
		if err := c.Src.Audit(c.Ctx, ev); err != nil {
			return statusMsg{text: c.T("audit.failed", c.errText(err)), level: 2}
		}
		return nil
	}
}

// queuedText says an action was stored and waits for the portal.
func queuedText(c *Context, t complaint.ActionType, ref string) string {
	key := "status.queued." + string(t)
	return c.T(key, textsafe.Line(ref))
}

// refusedText says an action on ref was refused, and why.
func refusedText(c *Context, t complaint.ActionType, ref, why string) string {
	key := "status.refused." + string(t)
	return c.T(key, textsafe.Line(ref), why)
}

// actionWord is the noun of an action in lang, for lists.
func actionWord(lang string, t complaint.ActionType) string {
	return tr(lang, "action."+string(t))
}
