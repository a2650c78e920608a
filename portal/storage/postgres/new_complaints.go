package postgres

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"guichet/portal/storage"
)

// newComplaintSet gathers the new complaints of one group commit, written
// by one call of guichet_commit_new (migration 0003): column arrays, one
// item per change, and the feed rows, confirmations and audit events of
// all of them with the item they belong to.
type newComplaintSet struct {
	ops  []int // the group's index of each item
	refs map[string]bool

	iScope, iKey         []*string
	iHash, iResponse     [][]byte
	iStatus              []*int32
	iCreated             []*int64
	cRef, cZone, cStatus []string
	cVersion, cReceived  []int64
	cRecord              [][]byte
	fOwner               []int32
	fZones               []string
	fTombstones          []bool
	oOwner               []int32
	oRefs, oChannels     []string
	oPayloads            [][]byte
	oDue                 []int64
	aOwner               []int32
	audit                []storage.AuditRecord
	feedRows             int
}

// add takes c, the group's change i, when it is a new complaint that can
// be written with the others: not a change of a stored complaint, valid,
// and of a reference no other item has. It says whether it took it.
func (s *newComplaintSet) add(c storage.Change, i int) bool {
	w := c.Complaint
	if w == nil || w.Previous != 0 || checkChange(c) != nil {
		return false
	}
	rec := w.Record
	if rec.Reference == "" || rec.Version < 1 || s.refs[rec.Reference] || s.feedRows+len(c.Feed) > 1<<20 {
		return false
	}
	zones := map[string]bool{}
	for _, f := range c.Feed {
		if zones[f.Zone] {
			return false // guichet_commit's upsert takes the last; keep its answer
		}
		zones[f.Zone] = true
	}
	body, err := json.Marshal(rec)
	if err != nil {
		return false // guichet_commit's path reports it
	}
	if s.refs == nil {
		s.refs = map[string]bool{}
	}
	s.refs[rec.Reference] = true
	s.ops = append(s.ops, i)
	n := int32(len(s.ops)) // the item, from 1 as in SQL
	if k := c.Idempotency; k != nil {
		status, created := int32(k.Status), ms(k.CreatedAt)
		s.iScope, s.iKey = append(s.iScope, &k.Scope), append(s.iKey, &k.Key)
		s.iHash, s.iResponse = append(s.iHash, k.RequestHash), append(s.iResponse, k.Response)
		s.iStatus, s.iCreated = append(s.iStatus, &status), append(s.iCreated, &created)
	} else {
		s.iScope, s.iKey = append(s.iScope, nil), append(s.iKey, nil)
		s.iHash, s.iResponse = append(s.iHash, nil), append(s.iResponse, nil)
		s.iStatus, s.iCreated = append(s.iStatus, nil), append(s.iCreated, nil)
	}
	s.cRef, s.cZone, s.cStatus = append(s.cRef, rec.Reference), append(s.cZone, rec.Zone.Code), append(s.cStatus, string(rec.Status))
	s.cVersion, s.cReceived, s.cRecord = append(s.cVersion, rec.Version), append(s.cReceived, ms(rec.ReceivedAt)), append(s.cRecord, body)
	for _, f := range c.Feed {
		s.fOwner, s.fZones, s.fTombstones = append(s.fOwner, n), append(s.fZones, f.Zone), append(s.fTombstones, f.Tombstone)
	}
	s.feedRows += len(c.Feed)
	for _, o := range c.Outbox {
		s.oOwner, s.oRefs, s.oChannels = append(s.oOwner, n), append(s.oRefs, o.Reference), append(s.oChannels, o.Channel)
		s.oPayloads, s.oDue = append(s.oPayloads, o.Payload), append(s.oDue, ms(o.Due))
	}
	for _, e := range c.Audit {
		s.aOwner = append(s.aOwner, n)
		s.audit = append(s.audit, e)
	}
	return true
}

const qCommitNew = `SELECT n, outcome, r_hash, r_status, r_response, r_created FROM guichet_commit_new(
	$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
	$17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)`

// args are guichet_commit_new's arguments; the feed rows take the
// group's first positions.
func (s *newComplaintSet) args() ([]any, error) {
	if len(s.ops) == 0 {
		return nil, errors.New("postgres: no new complaints to write")
	}
	args := []any{s.iScope, s.iKey, s.iHash, s.iStatus, s.iResponse, s.iCreated,
		s.cRef, s.cZone, s.cStatus, s.cVersion, s.cReceived, s.cRecord,
		nonNil(s.fOwner), nonNil(s.fZones), nonNil(s.fTombstones), int64(0),
		nonNil(s.oOwner), nonNil(s.oRefs), nonNil(s.oChannels), nonNil(s.oPayloads), nonNil(s.oDue),
		nonNil(s.aOwner)}
	return append(args, auditArrays(s.audit)...), nil
}

// nonNil is v, or an empty slice for nil (an empty array, not NULL).
func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// read sets the results of the set's changes from guichet_commit_new's
// answer: the changes it lists were not written (a replay, a taken
// reference), the others were.
func (s *newComplaintSet) read(rows pgx.Rows, group []commitOp, results []commitResult) error {
	answered := make([]bool, len(s.ops))
	for rows.Next() {
		var n int32
		var o outcomeRow
		if err := rows.Scan(&n, &o.outcome, &o.hash, &o.status, &o.response, &o.created); err != nil {
			return err
		}
		if n < 1 || int(n) > len(s.ops) || answered[n-1] {
			return fmt.Errorf("postgres: guichet_commit_new answered for change %d of %d", n, len(s.ops))
		}
		if o.outcome == "replay" && o.created == nil {
			// The key's record vanished between the wait and the read
			// (purged meanwhile): the request cannot be answered.
			return errors.New("postgres: idempotency record not found for a replay")
		}
		answered[n-1] = true
		i := s.ops[n-1]
		results[i].replay, results[i].err = o.result(group[i].c)
	}
	return rows.Err()
}
