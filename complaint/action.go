package complaint

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// ActionType names an officer action on a complaint.
type ActionType string

const (
	ActionClaim   ActionType = "claim"
	ActionRelease ActionType = "release"
	ActionHandle  ActionType = "handle"
	ActionReject  ActionType = "reject"
	ActionForward ActionType = "forward"
	// ActionCorrectPV replaces the PV number of a handled complaint (a
	// typing error found later). The status stays handled; the history
	// keeps both numbers; the citizen is not notified again.
	ActionCorrectPV ActionType = "correct_pv"
	// ActionTakeOver moves a colleague's claim to the officer (a shift
	// ended, the colleague is absent). A reason is required; the colleague
	// is told on their workstation.
	ActionTakeOver ActionType = "take_over"
)

// pvYearSlack lets a PV number carry the next calendar year while it is
// already that year somewhere in Belgium's time zone but not yet in UTC.
const pvYearSlack = 14 * time.Hour

// MaxReasonLen bounds a reject or forward reason, in characters.
const MaxReasonLen = 1000

// Action is the body of POST /v1/zones/{zone}/complaints/{ref}/actions.
type Action struct {
	Type     ActionType `json:"type"`
	PVNumber string     `json:"pv_number,omitempty"`
	Reason   string     `json:"reason,omitempty"`
	ToZone   string     `json:"to_zone,omitempty"`
}

// Check is CheckAt at the current time.
func (a Action) Check(lang string) (Action, FieldErrors) { return a.CheckAt(lang, time.Now()) }

// CheckAt validates the shape of an action on its own (known type, valid PV
// number for handle and correct_pv — its year not after the year of now —,
// a reason for reject, forward and take_over, a target zone for forward)
// and returns it normalised (canonical PV number, trimmed text). Whether
// the target zone exists is the caller's question (it has the zone table).
// Messages are in lang.
func (a Action) CheckAt(lang string, now time.Time) (Action, FieldErrors) {
	var errs FieldErrors
	// An officer's text reaches the citizen's letter or e-mail and other
	// officers' screens: the rules of citizen text apply (see TextKind).
	reason, reasonOK := CleanText(a.Reason, TextLine)
	a.Reason = reason
	a.ToZone = strings.TrimSpace(a.ToZone)
	checkReason := func(required bool) {
		switch {
		case a.Reason == "" && required:
			errs.Add(lang, "reason", ErrRequired)
		case !reasonOK:
			errs.Add(lang, "reason", ErrInvalidText)
		case utf8.RuneCountInString(a.Reason) > MaxReasonLen:
			errs.Add(lang, "reason", ErrTooLong)
		}
	}
	spec, ok := ActionSpecOf(a.Type)
	if !ok {
		errs.Add(lang, "type", ErrUnknownAction)
		return a, errs
	}
	// One order whatever the table's: the PV number, the reason, the zone.
	if _, ok := spec.Input(InputPV); ok {
		pv, err := ParsePVNumber(a.PVNumber)
		switch {
		case !ValidText(strings.TrimSpace(a.PVNumber), TextName):
			errs.Add(lang, string(InputPV), ErrInvalidText)
		case err != nil:
			errs.Add(lang, string(InputPV), codeOf(err, ErrInvalidPV))
		case pv.Year > now.UTC().Add(pvYearSlack).Year():
			errs.Add(lang, string(InputPV), ErrPVYearFuture)
		default:
			a.PVNumber = pv.String()
		}
	}
	if in, ok := spec.Input(InputReason); ok {
		checkReason(in.Required)
	}
	if in, ok := spec.Input(InputZone); ok && in.Required && a.ToZone == "" {
		errs.Add(lang, string(InputZone), ErrRequired)
	}
	return a, errs
}

// ConflictError says why the status rules refuse an action on a complaint
// in its current state. Code is a message key (see Message).
type ConflictError struct {
	Code   string
	Holder *Officer // who holds the complaint, when that is the reason
	Status Status
}

func (e *ConflictError) Error() string {
	if e.Holder != nil {
		return fmt.Sprintf("%s (status %s, held by %s)", e.Code, e.Status, e.Holder.Name)
	}
	return fmt.Sprintf("%s (status %s)", e.Code, e.Status)
}

// Conflict reasons.
const (
	ConflictFinal          = "conflict_final" // the complaint is handled, rejected or forwarded
	ConflictClaimedByOther = "conflict_claimed_by_other"
	ConflictNotClaimed     = "conflict_not_claimed" // handle/reject/forward/release need a claim first
	ConflictSameZone       = "conflict_same_zone"   // forward to the zone it is already in
	ConflictNotHandled     = "conflict_not_handled" // correct_pv on a complaint that is not handled
	ConflictNotHeldByOther = "conflict_not_held"    // take_over of a complaint no colleague holds
	// ConflictTakenOver is not a refusal of the status rules: it is the
	// line a workstation shows its officer when a colleague took over one
	// of their claims.
	ConflictTakenOver = "conflict_taken_over"
)

// Apply applies an already checked action by officer at time at, following
// its entry in the action table (ActionSpecOf): the status must be one the
// action applies to, the holder rule must allow the officer, and the
// action's inputs go to the record and the history entry. Claiming a
// complaint one already holds, taking over one's own claim, and an action
// that would change nothing on the record and has no input for the history
// alone (correcting a PV number to the same number) are no-op successes. It returns the new record (History appended,
// UpdatedAt set; Version is the caller's) or a *ConflictError. The input
// record is not modified.
func Apply(r Record, a Action, by Officer, at time.Time) (Record, error) {
	spec, ok := ActionSpecOf(a.Type)
	if !ok {
		return r, &ConflictError{Code: ErrUnknownAction, Status: r.Status}
	}
	code, noop := spec.refusal(r, by)
	if code != "" {
		return r, &ConflictError{Code: code, Holder: r.ClaimedBy, Status: r.Status}
	}
	if noop {
		return r, nil
	}
	if _, ok := spec.Input(InputZone); ok && a.ToZone == r.Zone.Code {
		return r, &ConflictError{Code: ConflictSameZone, Holder: r.ClaimedBy, Status: r.Status}
	}
	next := r
	change := StatusChange{At: at.UTC(), From: r.Status, To: spec.To, Action: string(a.Type), By: &by}
	next.Status = spec.To
	switch spec.Holds {
	case HolderTake:
		if r.ClaimedBy != nil && r.ClaimedBy.ID != by.ID {
			prev := *r.ClaimedBy
			change.FromOfficer = &prev
		}
		next.ClaimedBy = &by
	case HolderDrop:
		next.ClaimedBy = nil
	}
	for _, in := range spec.Inputs {
		switch in.Input {
		case InputPV:
			change.PVNumber = a.PVNumber
			if r.PVNumber != "" && r.PVNumber != a.PVNumber {
				change.PreviousPV = r.PVNumber
			}
			if in.OnRecord {
				next.PVNumber = a.PVNumber
			}
		case InputReason:
			change.Reason = a.Reason
			if in.OnRecord {
				next.Reason = a.Reason
			}
		case InputZone:
			change.FromZone, change.ToZone = r.Zone.Code, a.ToZone
			if in.OnRecord {
				next.ForwardedTo = a.ToZone
			}
		}
	}
	if sameState(r, next) && !spec.historyOnly() {
		return r, nil
	}
	next.History = append(append([]StatusChange(nil), r.History...), change)
	next.UpdatedAt = at.UTC()
	return next, nil
}

// sameState reports whether an action left everything an officer or a
// citizen sees of a record as it was.
func sameState(a, b Record) bool {
	holder := func(o *Officer) string {
		if o == nil {
			return ""
		}
		return o.ID
	}
	return a.Status == b.Status && holder(a.ClaimedBy) == holder(b.ClaimedBy) && a.PVNumber == b.PVNumber &&
		a.Reason == b.Reason && a.ForwardedTo == b.ForwardedTo
}
