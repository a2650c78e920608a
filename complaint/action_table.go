package complaint

import "slices"

// Input is a value an action asks the officer for. Its string is the
// field's name in the action's JSON body and in validation errors.
type Input string

const (
	InputPV     Input = "pv_number" // a PV number (Action.PVNumber)
	InputReason Input = "reason"    // free text (Action.Reason)
	InputZone   Input = "to_zone"   // a target zone's code (Action.ToZone)
)

// ActionInput is one input of an action.
type ActionInput struct {
	Input    Input
	Required bool
	// OnRecord: the value is kept on the record (PVNumber, Reason,
	// ForwardedTo) as well as in the history entry.
	OnRecord bool
}

// HolderRule says who may take an action, given who holds the complaint.
type HolderRule int

const (
	// AnyOfficer: any officer of the zone, whoever holds the complaint.
	AnyOfficer HolderRule = iota
	// NobodyElse: nobody else holds the complaint (claim).
	NobodyElse
	// TheHolder: only the officer who holds the complaint.
	TheHolder
	// AColleague: a colleague holds the complaint (take-over).
	AColleague
)

// HolderEffect is what an action does to who holds the complaint.
type HolderEffect int

const (
	HolderKeep HolderEffect = iota // unchanged
	HolderTake                     // the acting officer holds it
	HolderDrop                     // nobody holds it
)

// ActionLabels are the message references of an action's words, codes of
// package i18n (Catalog.Code): the workstation's are codes of its TUI group
// without their "tui." prefix ("status.queued.claim"), History a code of
// the Complaint group.
type ActionLabels struct {
	Noun      string // the action's name in lists and bulk summaries ("Prise en charge")
	Key       string // the help text of its key
	Dialog    string // the title of its dialog (actions with inputs); %s the reference
	Queued    string // stored, waiting for the portal; %s the reference
	Refused   string // refused; %s the reference, %s why
	BulkTitle string // bulk confirmation's title (bulk actions)
	BulkAsk   string // bulk confirmation's question; %d how many (bulk actions)
	NoBulk    string // why marked rows cannot take it together; %d how many (other actions)
	History   string // i18n code: its word in a history line (HistoryLine); "" for none
}

// ActionSpec is everything about one action that the status rules, the
// workstation's screens and subcommands and the portal need: one entry per
// action in the table (Actions). Adding an entry adds the action
// everywhere.
type ActionSpec struct {
	Type ActionType
	// Command is the workstation's subcommand (guichet correct-pv); its
	// flags are the inputs' (Flag).
	Command string
	// Key is the default key in the workstation (rebindable by the
	// binding name KeyName).
	Key string
	// Inputs, in the order a dialog asks for them.
	Inputs []ActionInput
	// From lists the statuses the action applies to; To is the status
	// after it.
	From []Status
	To   Status
	// Who may take it, and what it does to the holder.
	Who   HolderRule
	Holds HolderEffect
	// Refusal is the conflict when the status is not one of From; ""
	// means ConflictFinal on a closed complaint and otherwise what the
	// holder rule says.
	Refusal string
	// NotifiesCitizen: the citizen is sent the outcome (confirmation
	// e-mail or letter) once the portal applied it.
	NotifiesCitizen bool
	// Moves: the complaint leaves the zone for the one in ToZone (the
	// source zone keeps a tombstone; the target gets it as new).
	Moves bool
	// Bulk: marked rows may take it together (its inputs, if any, asked
	// once for all).
	Bulk   bool
	Labels ActionLabels
}

// Input returns the action's input in, if it takes one.
func (s ActionSpec) Input(in Input) (ActionInput, bool) {
	for _, i := range s.Inputs {
		if i.Input == in {
			return i, true
		}
	}
	return ActionInput{}, false
}

// AppliesTo reports whether the action applies to a complaint in status st.
func (s ActionSpec) AppliesTo(st Status) bool { return slices.Contains(s.From, st) }

// KeyName is the name of the action's key binding in the configuration
// file (key.takeover = T): its type without underscores.
func (s ActionSpec) KeyName() string {
	out := make([]byte, 0, len(s.Type))
	for i := 0; i < len(s.Type); i++ {
		if s.Type[i] != '_' {
			out = append(out, s.Type[i])
		}
	}
	return string(out)
}

// Flag is the subcommand flag of an input (guichet forward --zone).
func (in Input) Flag() string {
	switch in {
	case InputPV:
		return "pv"
	case InputZone:
		return "zone"
	}
	return string(in)
}

// refusal is the conflict code refusing the action on r by officer, or ""
// when the status and holder rules allow it; noop when they allow it but
// there is nothing to do (claiming or taking over one's own claim).
func (s ActionSpec) refusal(r Record, by Officer) (code string, noop bool) {
	held := r.Status == StatusClaimed && r.ClaimedBy != nil
	mine := held && r.ClaimedBy.ID == by.ID
	if !s.AppliesTo(r.Status) {
		switch {
		case s.Refusal != "":
			return s.Refusal, false
		case r.Status.Final():
			return ConflictFinal, false
		}
	}
	switch s.Who {
	case NobodyElse:
		if held && !mine {
			return ConflictClaimedByOther, false
		}
	case TheHolder:
		if held && !mine {
			return ConflictClaimedByOther, false
		}
		if !held {
			return ConflictNotClaimed, false
		}
	case AColleague:
		if !held {
			return ConflictNotHeldByOther, false
		}
	}
	if !s.AppliesTo(r.Status) {
		return ConflictFinal, false // a table entry without its Refusal (TestActionTable)
	}
	return "", mine && (s.Who == NobodyElse || s.Who == AColleague)
}

// historyOnly reports whether one of the action's inputs is kept in the
// history entry only: the entry is then the action's whole effect.
func (s ActionSpec) historyOnly() bool {
	for _, in := range s.Inputs {
		if !in.OnRecord {
			return true
		}
	}
	return false
}

// Actions is the action table, in the order the workstation lists them.
// It is a variable so that a test can add an action and show that the
// status rules, the workstation and the portal take it without other
// edits; nothing else changes it.
var Actions = []ActionSpec{
	{
		Type: ActionClaim, Command: "claim", Key: "c",
		From: []Status{StatusNew, StatusClaimed}, To: StatusClaimed,
		Who: NobodyElse, Holds: HolderTake, Bulk: true,
		Labels: actionLabels("claim", "claim", "", ""),
	},
	{
		Type: ActionRelease, Command: "release", Key: "u",
		From: []Status{StatusClaimed}, To: StatusNew,
		Who: TheHolder, Holds: HolderDrop, Bulk: true,
		Labels: actionLabels("release", "release", "", ""),
	},
	{
		Type: ActionHandle, Command: "handle", Key: "h",
		Inputs: []ActionInput{{Input: InputPV, Required: true, OnRecord: true}},
		From:   []Status{StatusClaimed}, To: StatusHandled,
		Who: TheHolder, NotifiesCitizen: true,
		Labels: actionLabels("handle", "handle", "bulk.onepv", ""),
	},
	{
		Type: ActionReject, Command: "reject", Key: "x",
		Inputs: []ActionInput{{Input: InputReason, Required: true, OnRecord: true}},
		From:   []Status{StatusClaimed}, To: StatusRejected,
		Who: TheHolder, NotifiesCitizen: true, Bulk: true,
		Labels: actionLabels("reject", "reject", "", ""),
	},
	{
		Type: ActionForward, Command: "forward", Key: "f",
		Inputs: []ActionInput{{Input: InputZone, Required: true, OnRecord: true}, {Input: InputReason, OnRecord: true}},
		From:   []Status{StatusClaimed}, To: StatusForwarded,
		Who: TheHolder, Moves: true, Bulk: true,
		Labels: actionLabels("forward", "forward", "", ""),
	},
	{
		Type: ActionTakeOver, Command: "take-over", Key: "T",
		Inputs: []ActionInput{{Input: InputReason, Required: true}},
		From:   []Status{StatusClaimed}, To: StatusClaimed,
		Who: AColleague, Holds: HolderTake,
		Labels: actionLabels("take_over", "takeover", "bulk.onetakeover", "history.take_over"),
	},
	{
		Type: ActionCorrectPV, Command: "correct-pv", Key: "P",
		Inputs: []ActionInput{{Input: InputPV, Required: true, OnRecord: true}},
		From:   []Status{StatusHandled}, To: StatusHandled,
		Who: AnyOfficer, Refusal: ConflictNotHandled,
		Labels: actionLabels("correct_pv", "correctpv", "bulk.onepv", "history.correct_pv"),
	},
}

// actionLabels are the message references of an action named name: keys
// of the tui's messages (key: its binding's name) and the i18n code of its
// history word.
func actionLabels(name, key, noBulk, history string) ActionLabels {
	l := ActionLabels{
		Noun: "action." + name, Key: "key." + key, Dialog: "dialog." + name,
		Queued: "status.queued." + name, Refused: "status.refused." + name,
		NoBulk: noBulk, History: history,
	}
	if noBulk == "" {
		l.BulkTitle, l.BulkAsk = "bulk.title."+name, "bulk.ask."+name
	}
	return l
}

// ActionSpecOf returns the table entry of action type t.
func ActionSpecOf(t ActionType) (ActionSpec, bool) {
	for _, s := range Actions {
		if s.Type == t {
			return s, true
		}
	}
	return ActionSpec{}, false
}

// ActionTypes lists every action type of the table, in its order.
func ActionTypes() []ActionType {
	out := make([]ActionType, len(Actions))
	for i, s := range Actions {
		out[i] = s.Type
	}
	return out
}

// FinalStatuses lists the statuses no officer action takes a complaint out
// of (Status.Final), in queue order.
func FinalStatuses() []Status {
	var out []Status
	for _, s := range Statuses {
		if s.Final() {
			out = append(out, s)
		}
	}
	return out
}
