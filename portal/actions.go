package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/portal/storage"
)

// actionRequest is a checked action of an officer on a complaint.
type actionRequest struct {
	officer complaint.Officer
	zone    string // the officer's zone (the path's, already checked)
	ref     string
	action  complaint.Action // checked and normalised
	key     string
	hash    []byte
	lang    string
}

// maxActionTries bounds how often an action is decided again because
// another action changed the complaint between its read and its commit.
// Each retry follows another action's success, and a decision that loses
// the race is a conflict that writes no complaint, so few are needed.
const maxActionTries = 20

// applyAction applies an officer's action: zone isolation, status rules,
// then one commit of the record, feed, confirmation, audit and idempotency
// record. When another action changed the complaint since it was read
// (storage.ErrVersion) it is decided again on the new version. A replay is
// answered by the commit, which looks the key up before it writes
// anything (storage.Change.Idempotency): the first answer, whatever the
// action would decide now. Reading the key before deciding as well cost
// every action one more query.
func (s *Server) applyAction(ctx context.Context, req actionRequest) (storedResponse, error) {
	scope := scopeOfficer(req.officer.ID)
	for try := 1; ; try++ {
		c, resp, err := s.decideAction(ctx, req)
		if err != nil {
			// A replay still gets its first answer when the action
			// cannot be decided any more.
			if r, lerr := s.lookupIdem(ctx, scope, req.key, req.hash, req.lang); lerr == nil && r != nil {
				return *r, nil
			}
			return storedResponse{}, err
		}
		resp, err = s.commitWithKey(ctx, c, scope, req.key, req.hash, req.lang, resp)
		if errors.Is(err, storage.ErrVersion) && try < maxActionTries {
			continue
		}
		return resp, err
	}
}

// decideAction reads the complaint and decides what the action writes and
// answers.
func (s *Server) decideAction(ctx context.Context, req actionRequest) (storage.Change, storedResponse, error) {
	audit := auditEntry{Officer: req.officer.ID, Zone: req.zone, Kind: "action", Ref: req.ref, Field: string(req.action.Type)}
	var c storage.Change
	finish := func(resp storedResponse, outcome string) (storage.Change, storedResponse, error) {
		audit.Outcome = outcome
		c.Audit = append(c.Audit, s.auditRecord(audit))
		return c, resp, nil
	}
	stored, err := s.st.Complaint(ctx, req.ref)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return c, storedResponse{}, err
	}
	if err != nil || stored.Zone != req.zone {
		// Another zone's complaint looks exactly like a missing one.
		return finish(storedResponse{Status: http.StatusNotFound, Body: errorJSON(complaint.CodeNotFound, i18n.For(req.lang).Portal.Officer.NotFound, nil, nil)}, "not_found")
	}
	rec, err := stored.Record()
	if err != nil {
		return c, storedResponse{}, fmt.Errorf("complaint %s: %w", req.ref, err)
	}
	now := s.now().UTC()
	next, err := complaint.Apply(rec, req.action, req.officer, now)
	var ce *complaint.ConflictError
	if errors.As(err, &ce) {
		// The message is in the officer's language; Reason names the rule
		// so the workstation can say it in its own words.
		cur := rec
		body, _ := json.Marshal(complaint.ErrorBody{Error: complaint.APIError{Code: complaint.CodeConflict,
			Message: i18n.For(req.lang).Message(ce.Code), Reason: ce.Code, Current: &cur}})
		return finish(storedResponse{Status: http.StatusConflict, Body: body}, "conflict:"+ce.Code)
	}
	if err != nil {
		return c, storedResponse{}, err
	}
	if len(next.History) == len(rec.History) {
		// Nothing changed (claiming a complaint one already holds).
		body, _ := json.Marshal(rec)
		return finish(storedResponse{Status: http.StatusOK, Body: body}, "ok_unchanged")
	}
	next.Version = rec.Version + 1
	spec, _ := complaint.ActionSpecOf(req.action.Type)
	if spec.Moves {
		target, ok := s.Router().Zone(req.action.ToZone)
		if !ok {
			return c, storedResponse{}, fmt.Errorf("forward to unknown zone %q", req.action.ToZone)
		}
		// The complaint moves: the source zone keeps a tombstone, the
		// target zone gets it as new, the history keeps the forward.
		moved := next
		moved.Zone = target
		moved.Status = complaint.StatusNew
		moved.ClaimedBy = nil
		moved.ForwardedTo = ""
		moved.Reason = ""
		c.Complaint = &storage.ComplaintWrite{Record: moved, Previous: rec.Version}
		c.Feed = []storage.FeedChange{{Zone: req.zone, Tombstone: true}, {Zone: target.Code}}
		audit.Detail = "to_zone=" + target.Code
	} else {
		switch last := next.History[len(next.History)-1]; {
		case last.FromOfficer != nil:
			audit.Detail = "from_officer=" + last.FromOfficer.ID
		case last.PreviousPV != "":
			audit.Detail = "pv=" + last.PreviousPV + "->" + last.PVNumber
		}
		c.Complaint = &storage.ComplaintWrite{Record: next, Previous: rec.Version}
		c.Feed = []storage.FeedChange{{Zone: req.zone}}
	}
	// The citizen hears once that the complaint was handled or rejected: a
	// later PV number correction is not a second outcome (the action
	// table says which actions notify).
	if spec.NotifiesCitizen {
		conf, err := s.confirmationFor(next)
		if err != nil {
			return c, storedResponse{}, err
		}
		c.Outbox = append(c.Outbox, conf)
	}
	body, err := json.Marshal(next)
	if err != nil {
		return c, storedResponse{}, err
	}
	return finish(storedResponse{Status: http.StatusOK, Body: body}, "ok")
}
