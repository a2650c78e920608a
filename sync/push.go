package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"guichet/complaint"
	"guichet/store"
)

// outboxBatch is how many outbox rows are read from the cache at a time.
const outboxBatch = 100

// pushOutbox delivers queued actions in the order they were taken. It
// stops at the first action that cannot be decided now (network error, 5xx,
// refused token) so later actions never overtake it.
func (e *Engine) pushOutbox(ctx context.Context) error {
	done := map[int64]bool{}
	for {
		entries, err := e.st.PendingActions(ctx, outboxBatch)
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			return nil
		}
		for _, ent := range entries {
			if done[ent.ID] {
				// The cache still lists a row it acknowledged: do not loop.
				return fmt.Errorf("sync: outbox row %d still pending after it was settled", ent.ID)
			}
			if err := e.pushAction(ctx, ent); err != nil {
				return err
			}
			done[ent.ID] = true
			e.hub.update(func(s *State) {
				if s.Pending > 0 {
					s.Pending--
				}
			})
		}
	}
}

// pushAction sends one action with its own idempotency key and settles the
// outbox row with the answer. It returns an error only when the row stays
// queued.
func (e *Engine) pushAction(ctx context.Context, ent store.OutboxEntry) error {
	body, err := json.Marshal(ent.Action)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("POST %s action %s", ent.Reference, ent.Action.Type)
	path := e.zonePath() + "/complaints/" + url.PathEscape(ent.Reference) + "/actions"
	resp, err := e.do(ctx, http.MethodPost, path, body, ent.Key)
	if err != nil {
		e.noteAttempt(ctx, ent, err)
		e.noteNetwork(err)
		return fmt.Errorf("%s: %w", op, err)
	}
	defer drainClose(resp.Body)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		var rec complaint.Record
		if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&rec); err != nil {
			// Cut while reading the answer: the server may have committed;
			// the retry with the same key gets the same answer.
			err = fmt.Errorf("%s: reading the answer: %w", op, err)
			e.noteAttempt(ctx, ent, err)
			e.noteNetwork(err)
			return err
		}
		if rec.Reference != ent.Reference {
			err := fmt.Errorf("%s: answer is about %q", op, rec.Reference)
			e.noteAttempt(ctx, ent, err)
			return err
		}
		e.hub.update(func(s *State) { s.Online = true })
		// A forward's answer is stored too: the feed's tombstone for it
		// carries the same version, and the cache applies a tombstone of
		// the version it holds, so the pull that follows removes it.
		return e.st.AckAction(ctx, ent.ID, &rec)
	}
	se := e.statusError(op, resp)
	e.noteNetwork(se)
	switch {
	case se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden:
		e.noteAttempt(ctx, ent, se)
		return se
	case se.transient():
		e.noteAttempt(ctx, ent, se)
		return se
	case se.Status == http.StatusConflict && se.API.Current == nil:
		// A 409 must say what the complaint is now; without it we would
		// show the officer a conflict we cannot explain. Keep the row.
		err := fmt.Errorf("%s: 409 without the current state", op)
		e.noteAttempt(ctx, ent, err)
		return err
	case se.Status >= 400 && se.Status < 500:
		// A final refusal: 409 conflict (the server's state is applied
		// and the officer sees why), 404 (not or no longer in this zone),
		// 422 (refused by the rules), other 4xx.
		// The rule behind a 409 (conflict_claimed_by_other, …) when the
		// portal names it: the workstation says it in the officer's words.
		code := se.API.Code
		if se.API.Reason != "" {
			code = se.API.Reason
		}
		if code == "" {
			code = fmt.Sprintf("http_%d", se.Status)
		}
		msg := se.API.Message
		if msg == "" {
			msg = http.StatusText(se.Status)
		}
		if len(se.API.Fields) > 0 {
			for k, v := range se.API.Fields {
				msg += " " + k + ": " + v
			}
		}
		return e.st.RejectAction(ctx, ent.ID, se.API.Current, code, msg)
	default:
		// 1xx/3xx: not an answer we can settle a row with.
		e.noteAttempt(ctx, ent, se)
		return se
	}
}

// noteAttempt counts a failed delivery on the row (best effort: the row
// stays queued whatever happens here).
func (e *Engine) noteAttempt(ctx context.Context, ent store.OutboxEntry, cause error) {
	if errors.Is(cause, context.Canceled) {
		return
	}
	_ = e.st.NoteAttempt(context.WithoutCancel(ctx), ent.ID, cause)
}

// pushAudit sends the local audit log in batches; the portal stores each
// event once by its id, so a batch resent after a cut is harmless.
func (e *Engine) pushAudit(ctx context.Context) error {
	for {
		events, err := e.st.PendingAudit(ctx, e.opts.AuditBatch)
		if err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		body, err := json.Marshal(auditBatch{Events: events})
		if err != nil {
			return err
		}
		resp, err := e.do(ctx, http.MethodPost, e.zonePath()+"/audit", body, "")
		if err != nil {
			e.noteNetwork(err)
			return fmt.Errorf("POST audit: %w", err)
		}
		if resp.StatusCode < 200 || resp.StatusCode >= 300 {
			se := e.statusError("POST audit", resp)
			drainClose(resp.Body)
			e.noteNetwork(se)
			return se
		}
		drainClose(resp.Body)
		ids := make([]string, len(events))
		for i, ev := range events {
			ids[i] = ev.ID
		}
		if err := e.st.AckAudit(ctx, ids); err != nil {
			return err
		}
		if len(events) < e.opts.AuditBatch {
			return nil
		}
	}
}

// auditBatch is the body of POST /v1/zones/{zone}/audit.
type auditBatch struct {
	Events []complaint.AuditEvent `json:"events"`
}
