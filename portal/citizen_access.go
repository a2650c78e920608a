package portal

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
)

// What the citizen's web form (package citizen) needs from the portal. The
// form files through Intake and checks its pages through CheckSubmission:
// the same decoding, validation, routing and identification as
// POST /v1/complaints, so a complaint filed through the form and through the
// API gives the same record.

// CheckSubmission validates sub exactly as POST /v1/complaints?dry_run=1
// does (the submission is encoded to JSON and read back through the same
// decoder), identification included. It stores nothing. The zone is the
// zone of the place of the facts, also when other fields have problems (the
// zero Zone when the place does not route).
func (s *Server) CheckSubmission(sub *complaint.Submission) (complaint.Zone, complaint.FieldErrors) {
	body, err := json.Marshal(sub)
	if err != nil {
		var errs complaint.FieldErrors
		errs.Add(sub.Language, complaint.BodyPath, complaint.ErrMalformedJSON)
		return complaint.Zone{}, errs
	}
	p, zone, errs := s.checkIntake(body, sub.Language)
	if len(errs) > 0 {
		return zone, errs
	}
	return p.zone, nil
}

// AllowIntake takes one filing from the intake limit of the request's
// source address (the limit of POST /v1/complaints: a form and the API
// share it). When none is left it returns false and when to retry.
func (s *Server) AllowIntake(r *http.Request) (bool, time.Duration) {
	return s.intakeLimit.allow(sourceKey(r, s.opts.TrustedProxies), s.now())
}

// AllowStatusLookup takes one lookup from the status lookup limit of the
// request's source address (Options.StatusLookupLimit).
func (s *Server) AllowStatusLookup(r *http.Request) (bool, time.Duration) {
	return s.statusLimit.allow(sourceKey(r, s.opts.TrustedProxies), s.now())
}

// CitizenStatus is what a citizen may see of their complaint: nothing they
// did not file themself but its status, the zone that has it and, when
// closed, the PV number, the reason or the zone it went to. No officer's
// name, no internal history.
type CitizenStatus struct {
	Reference  string
	FactType   string
	Language   string
	ReceivedAt time.Time
	Zone       complaint.Zone
	Status     complaint.Status
	PVNumber   string // handled
	Reason     string // rejected, forwarded
	// ForwardedTo is the zone that received the complaint (forwarded).
	ForwardedTo complaint.Zone
}

// ErrStatusNotFound is LookupStatus's answer to an unknown reference and
// to a birth date that is not the complainant's, alike, so that the answer
// tells nothing about references someone merely guessed.
var ErrStatusNotFound = errors.New("no complaint with this reference and birth date")

// LookupStatus finds the complaint ref whose complainant was born on
// birthDate (YYYY-MM-DD). ref is read as NormalizeReference reads it.
func (s *Server) LookupStatus(ref, birthDate string) (CitizenStatus, error) {
	ref, ok := complaint.NormalizeReference(ref)
	if !ok {
		return CitizenStatus{}, ErrStatusNotFound
	}
	c, err := s.st.Complaint(context.Background(), ref)
	if errors.Is(err, storage.ErrNotFound) {
		return CitizenStatus{}, ErrStatusNotFound
	}
	if err != nil {
		return CitizenStatus{}, err
	}
	rec, err := c.Record()
	if err != nil {
		return CitizenStatus{}, err
	}
	if rec.Complainant.BirthDate != birthDate {
		return CitizenStatus{}, ErrStatusNotFound
	}
	st := CitizenStatus{
		Reference: rec.Reference, FactType: rec.FactType, Language: rec.Language,
		ReceivedAt: rec.ReceivedAt, Zone: rec.Zone, Status: rec.Status,
	}
	if n := len(rec.History); rec.Status == complaint.StatusNew && n > 0 {
		// A forwarded complaint is new in the zone it went to: until that
		// zone takes it up, the citizen is told where it went and why.
		if last := rec.History[n-1]; last.Action == string(complaint.ActionForward) && last.ToZone == rec.Zone.Code {
			st.Status = complaint.StatusForwarded
			rec.Reason, rec.ForwardedTo = last.Reason, last.ToZone
		}
	}
	switch st.Status {
	case complaint.StatusHandled:
		st.PVNumber = rec.PVNumber
	case complaint.StatusRejected:
		st.Reason = rec.Reason
	case complaint.StatusForwarded:
		st.Reason = rec.Reason
		st.ForwardedTo = complaint.Zone{Code: rec.ForwardedTo}
		if z, ok := s.Router().Zone(rec.ForwardedTo); ok {
			st.ForwardedTo = z
		}
	}
	return st, nil
}

// FormSessions is where the citizen's form keeps its sessions: the
// portal's database, so that every node of the portal serves them.
func (s *Server) FormSessions() storage.FormSessions { return s.st }
