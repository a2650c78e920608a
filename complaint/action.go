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
)

// ActionTypes lists every action.
var ActionTypes = []ActionType{ActionClaim, ActionRelease, ActionHandle, ActionReject, ActionForward}

// MaxReasonLen bounds a reject or forward reason, in characters.
const MaxReasonLen = 1000

// Action is the body of POST /v1/zones/{zone}/complaints/{ref}/actions.
type Action struct {
	Type     ActionType `json:"type"`
	PVNumber string     `json:"pv_number,omitempty"`
	Reason   string     `json:"reason,omitempty"`
	ToZone   string     `json:"to_zone,omitempty"`
}

// Check validates the shape of an action on its own (known type, valid PV
// number for handle, a reason for reject and forward, a target zone for
// forward) and returns it normalised (canonical PV number, trimmed text).
// Whether the target zone exists is the caller's question (it has the zone
// table). Messages are in lang.
func (a Action) Check(lang string) (Action, FieldErrors) {
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
	case ActionHandle:
		pv, err := ParsePVNumber(a.PVNumber)
		if !ValidText(strings.TrimSpace(a.PVNumber), TextName) {
			errs.Add(lang, "pv_number", ErrInvalidText)
		} else if err != nil {
			errs.Add(lang, "pv_number", codeOf(err, ErrInvalidPV))
		} else {
			a.PVNumber = pv.String()
		}
	case ActionReject:
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
)

// Apply applies an already checked action by officer at time at, following the
// status rules: new → claimed(officer) → handled | rejected | forwarded;
// claimed → new by release; only the claimer may release, handle, reject or
// forward. Claiming a complaint one already holds is a no-op success. It
// returns the new record (History appended, UpdatedAt set; Version is the
// caller's) or a *ConflictError. The input record is not modified.
func Apply(r Record, a Action, by Officer, at time.Time) (Record, error) {
	conflict := func(code string) error {
		return &ConflictError{Code: code, Holder: r.ClaimedBy, Status: r.Status}
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
