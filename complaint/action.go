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

// ActionTypes lists every action.
var ActionTypes = []ActionType{ActionClaim, ActionRelease, ActionHandle, ActionReject, ActionForward,
	ActionCorrectPV, ActionTakeOver}

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
	switch a.Type {
	case ActionClaim, ActionRelease:
	case ActionHandle, ActionCorrectPV:
		pv, err := ParsePVNumber(a.PVNumber)
		switch {
		case !ValidText(strings.TrimSpace(a.PVNumber), TextName):
			errs.Add(lang, "pv_number", ErrInvalidText)
		case err != nil:
			errs.Add(lang, "pv_number", codeOf(err, ErrInvalidPV))
		case pv.Year > now.UTC().Add(pvYearSlack).Year():
			errs.Add(lang, "pv_number", ErrPVYearFuture)
		default:
			a.PVNumber = pv.String()
		}
	case ActionReject, ActionTakeOver:
		checkReason(true)
	case ActionForward:
		checkReason(false)
		if a.ToZone == "" {
			errs.Add(lang, "to_zone", ErrRequired)
		}
	default:
		errs.Add(lang, "type", ErrUnknownAction)
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

// Apply applies an already checked action by officer at time at, following the
// status rules: new → claimed(officer) → handled | rejected | forwarded;
// claimed → new by release; only the claimer may release, handle, reject or
// forward; a colleague's claim may be taken over (claimed → claimed(by),
// with a reason); a handled complaint's PV number may be corrected by any
// officer of its zone (handled → handled). Claiming a complaint one already
// holds, taking over one's own claim and correcting a PV number to the
// same number are no-op successes. It
// returns the new record (History appended, UpdatedAt set; Version is the
// caller's) or a *ConflictError. The input record is not modified.
func Apply(r Record, a Action, by Officer, at time.Time) (Record, error) {
	conflict := func(code string) error {
		return &ConflictError{Code: code, Holder: r.ClaimedBy, Status: r.Status}
	}
	if a.Type == ActionCorrectPV {
		return correctPV(r, a, by, at)
	}
	if r.Status.Final() {
		return r, conflict(ConflictFinal)
	}
	held := r.Status == StatusClaimed && r.ClaimedBy != nil
	mine := held && r.ClaimedBy.ID == by.ID
	from := r.Status
	change := StatusChange{At: at.UTC(), From: from, Action: string(a.Type), By: &by}
	switch a.Type {
	case ActionClaim:
		if mine {
			return r, nil
		}
		if held {
			return r, conflict(ConflictClaimedByOther)
		}
		r.Status, r.ClaimedBy = StatusClaimed, &by
	case ActionTakeOver:
		if mine {
			return r, nil
		}
		if !held {
			return r, conflict(ConflictNotHeldByOther)
		}
		prev := *r.ClaimedBy
		change.FromOfficer, change.Reason = &prev, a.Reason
		r.ClaimedBy = &by
	case ActionRelease, ActionHandle, ActionReject, ActionForward:
		if held && !mine {
			return r, conflict(ConflictClaimedByOther)
		}
		if !held {
			return r, conflict(ConflictNotClaimed)
		}
		switch a.Type {
		case ActionRelease:
			r.Status, r.ClaimedBy = StatusNew, nil
		case ActionHandle:
			r.Status, r.PVNumber = StatusHandled, a.PVNumber
			change.PVNumber = a.PVNumber
		case ActionReject:
			r.Status, r.Reason = StatusRejected, a.Reason
			change.Reason = a.Reason
		case ActionForward:
			if a.ToZone == r.Zone.Code {
				return r, conflict(ConflictSameZone)
			}
			r.Status, r.ForwardedTo, r.Reason = StatusForwarded, a.ToZone, a.Reason
			change.Reason, change.FromZone, change.ToZone = a.Reason, r.Zone.Code, a.ToZone
		}
	default:
		return r, &ConflictError{Code: ErrUnknownAction, Status: r.Status}
	}
	change.To = r.Status
	r.History = append(append([]StatusChange(nil), r.History...), change)
	r.UpdatedAt = at.UTC()
	return r, nil
}

// correctPV applies a PV number correction: only on a handled complaint;
// the previous number is kept in the history entry.
func correctPV(r Record, a Action, by Officer, at time.Time) (Record, error) {
	if r.Status != StatusHandled {
		return r, &ConflictError{Code: ConflictNotHandled, Holder: r.ClaimedBy, Status: r.Status}
	}
	if r.PVNumber == a.PVNumber {
		return r, nil
	}
	change := StatusChange{At: at.UTC(), From: r.Status, To: r.Status, Action: string(a.Type), By: &by,
		PVNumber: a.PVNumber, PreviousPV: r.PVNumber}
	r.PVNumber = a.PVNumber
	r.History = append(append([]StatusChange(nil), r.History...), change)
	r.UpdatedAt = at.UTC()
	return r, nil
}
