// Package actiontest adds a made-up action to complaint's action table for
// the length of a test, to show that every part of the program that acts
// on complaints (status rules, workstation screens and subcommands,
// portal) takes a new action from its table entry alone.
package actiontest

import (
	"slices"
	"testing"

	"guichet/complaint"
)

// Type is the made-up action: asking the citizen for information while the
// officer holds the complaint. It takes a required reason (the question),
// kept in the history only; the status and the holder stay.
const Type complaint.ActionType = "ask_citizen"

// Spec is the made-up action's table entry. Its labels are keys no message
// table has: the screens show the keys themselves.
var Spec = complaint.ActionSpec{
	Type: Type, Command: "ask-citizen", Key: "@",
	Inputs: []complaint.ActionInput{{Input: complaint.InputReason, Required: true}},
	From:   []complaint.Status{complaint.StatusClaimed}, To: complaint.StatusClaimed,
	Who: complaint.TheHolder, Holds: complaint.HolderKeep,
	Labels: complaint.ActionLabels{Noun: "action.ask_citizen", Key: "key.askcitizen", Dialog: "dialog.ask_citizen",
		Queued: "status.queued.ask_citizen", Refused: "status.refused.ask_citizen", NoBulk: "bulk.oneask"},
}

// Add puts Spec in the action table until the test ends. Tests that call
// it must not run in parallel with others.
func Add(t testing.TB) complaint.ActionSpec {
	t.Helper()
	saved := complaint.Actions
	complaint.Actions = append(slices.Clip(saved), Spec)
	t.Cleanup(func() { complaint.Actions = saved })
	return Spec
}
