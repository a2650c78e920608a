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

// startAction maps an action key on a complaint to its command: an action
// without inputs (claim, release) goes straight to the store's action
// layer; the others open their dialog first. An action the status rules
// refuse on the complaint as shown (not claimed, claimed by a colleague,
// closed) is refused at once with the reason, before the officer types
// anything. false when msg is no action key.
func startAction(c *Context, n *nav, msg tea.KeyMsg, t actionTarget) (tea.Cmd, bool) {
	for _, spec := range complaint.Actions {
		if !key.Matches(msg, c.Keys.Action(spec.Type)) {
			continue
		}
		if why := actionBlock(c, spec.Type, t); why != "" {
			return status(refusedText(c, spec.Type, t.ref, why), 2), true
		}
		if len(spec.Inputs) == 0 {
			return actCmd(c, t.ref, complaint.Action{Type: spec.Type}), true
		}
		d := newDialog(c, spec, t.ref)
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
		return c.M().Refused.Yours
	}
	return ""
}

// conflictText is a status rule's refusal in words; a colleague's claim
// names the colleague and says how to take it over.
func conflictText(c *Context, code string, holder *complaint.Officer) string {
	if code == complaint.ConflictClaimedByOther && holder != nil && holder.Name != "" {
		return c.M().Refused.Heldby.F(textsafe.Line(holder.Name), c.Keys.Action(complaint.ActionTakeOver).Help().Key)
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
			return statusMsg{text: c.M().Audit.Failed.F(c.errText(err)), level: 2}
		}
		return nil
	}
}

// label is the message of action t's label pick (one of its
// complaint.ActionLabels) in c's language, formatted with args.
func label(c *Context, t complaint.ActionType, pick func(complaint.ActionLabels) string, args ...any) string {
	spec, _ := complaint.ActionSpecOf(t)
	return coded(c.Lang, pick(spec.Labels), args...)
}

// queuedText says an action was stored and waits for the portal.
func queuedText(c *Context, t complaint.ActionType, ref string) string {
	return label(c, t, func(l complaint.ActionLabels) string { return l.Queued }, textsafe.Line(ref))
}

// refusedText says an action on ref was refused, and why.
func refusedText(c *Context, t complaint.ActionType, ref, why string) string {
	return label(c, t, func(l complaint.ActionLabels) string { return l.Refused }, textsafe.Line(ref), why)
}

// actionWord is the noun of an action in lang, for lists.
func actionWord(lang string, t complaint.ActionType) string {
	spec, _ := complaint.ActionSpecOf(t)
	return coded(lang, spec.Labels.Noun)
}

// statusAfter is the status an action leads to (its table entry's To).
func statusAfter(t complaint.ActionType) complaint.Status {
	spec, _ := complaint.ActionSpecOf(t)
	return spec.To
}
