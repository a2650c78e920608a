package portal

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"guichet/complaint"
	"guichet/i18n"
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

// loadRecord reads a complaint inside tx.
func (s *Server) loadRecord(tx *sql.Tx, ref string) (complaint.Record, bool, error) {
	var raw []byte
	err := s.txQueryRow(tx, qLoadRecord, ref).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return complaint.Record{}, false, nil
	}
	if err != nil {
		return complaint.Record{}, false, err
	}
	var rec complaint.Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return rec, false, fmt.Errorf("complaint %s: %w", ref, err)
	}
	return rec, true, nil
}

func (s *Server) saveRecord(tx *sql.Tx, rec complaint.Record) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = s.txExec(tx, qSaveRecord,
		rec.Zone.Code, rec.Status, rec.Version, raw, rec.Reference)
	return err
}

// applyAction runs inside the writer: replay, zone isolation, status rules,
// storage, feed, confirmation queue, audit and idempotency record, all in
// one transaction.
func (s *Server) applyAction(tx *sql.Tx, req actionRequest) (storedResponse, error) {
	scope := scopeOfficer(req.officer.ID)
	if r, err := lookupIdem(tx, scope, req.key, req.hash, req.lang); err != nil || r != nil {
		if r == nil {
			return storedResponse{}, err
		}
		return *r, nil
	}
	audit := auditEntry{Officer: req.officer.ID, Zone: req.zone, Kind: "action", Ref: req.ref, Field: string(req.action.Type)}
	finish := func(resp storedResponse, outcome string) (storedResponse, error) {
		audit.Outcome = outcome
		if err := s.auditTx(tx, audit); err != nil {
			return storedResponse{}, err
		}
		return resp, s.saveIdem(tx, scope, req.key, req.hash, resp)
	}
	rec, found, err := s.loadRecord(tx, req.ref)
	if err != nil {
		return storedResponse{}, err
	}
	if !found || rec.Zone.Code != req.zone {
		// Another zone's complaint looks exactly like a missing one.
		return finish(storedResponse{Status: http.StatusNotFound, Body: errorJSON(complaint.CodeNotFound, i18n.For(req.lang).Portal.Officer.NotFound, nil, nil)}, "not_found")
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
		return storedResponse{}, err
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
			return storedResponse{}, fmt.Errorf("forward to unknown zone %q", req.action.ToZone)
		}
		// The complaint moves: the source zone keeps a tombstone, the
		// target zone gets it as new, the history keeps the forward.
		moved := next
		moved.Zone = target
		moved.Status = complaint.StatusNew
		moved.ClaimedBy = nil
		moved.ForwardedTo = ""
		moved.Reason = ""
		if err := s.saveRecord(tx, moved); err != nil {
			return storedResponse{}, err
		}
		if err := s.putFeed(tx, req.zone, rec.Reference, next.Version, true); err != nil {
			return storedResponse{}, err
		}
		if err := s.putFeed(tx, target.Code, rec.Reference, moved.Version, false); err != nil {
			return storedResponse{}, err
		}
		audit.Detail = "to_zone=" + target.Code
	} else {
		switch last := next.History[len(next.History)-1]; {
		case last.FromOfficer != nil:
			audit.Detail = "from_officer=" + last.FromOfficer.ID
		case last.PreviousPV != "":
			audit.Detail = "pv=" + last.PreviousPV + "->" + last.PVNumber
		}
		if err := s.saveRecord(tx, next); err != nil {
			return storedResponse{}, err
		}
		if err := s.putFeed(tx, req.zone, rec.Reference, next.Version, false); err != nil {
			return storedResponse{}, err
		}
	}
	// The citizen hears once that the complaint was handled or rejected: a
	// later PV number correction is not a second outcome (the action
	// table says which actions notify).
	if spec.NotifiesCitizen {
		if err := s.queueConfirmation(tx, next); err != nil {
			return storedResponse{}, err
		}
	}
	body, err := json.Marshal(next)
	if err != nil {
		return storedResponse{}, err
	}
	return finish(storedResponse{Status: http.StatusOK, Body: body}, "ok")
}
