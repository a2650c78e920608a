package portal

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/portal/storage"
)

// preparedIntake is a submission that passed every check, ready to store.
type preparedIntake struct {
	sub  *complaint.Submission
	zone complaint.Zone
	ver  complaint.Verification
}

// prepareIntake decodes, validates, routes and identifies a submission. It
// stores nothing. lang is the language of decoding errors (the submission's
// own language is used for the rest).
func (s *Server) prepareIntake(body []byte, lang string) (preparedIntake, complaint.FieldErrors) {
	p, _, errs := s.checkIntake(body, lang)
	return p, errs
}

// checkIntake is prepareIntake that also returns the zone of the place of
// the facts when other fields have problems (a form shows it).
func (s *Server) checkIntake(body []byte, lang string) (preparedIntake, complaint.Zone, complaint.FieldErrors) {
	now := s.now()
	sub, zone, errs := complaint.DecodeValidate(body, lang, s.Router(), now)
	if len(errs) > 0 {
		return preparedIntake{}, zone, errs
	}
	ver, errs := s.identify(sub, now)
	if len(errs) > 0 {
		return preparedIntake{}, zone, errs
	}
	return preparedIntake{sub: sub, zone: zone, ver: ver}, zone, nil
}

// identify records how the complainant was identified. three_numbers was
// checked by complaint.Validate (checksums, birth date); eid and token carry
// an FAS assertion that is verified here against the configured key and
// compared with the complainant's names. On success the identification
// kept on the record holds the certified national number, not the
// assertion itself.
func (s *Server) identify(sub *complaint.Submission, now time.Time) (complaint.Verification, complaint.FieldErrors) {
	id := &sub.Complainant.Identification
	lang := sub.Language
	const path = "complainant.identification"
	v := complaint.Verification{Method: id.Method, VerifiedAt: now.UTC()}
	var errs complaint.FieldErrors
	switch id.Method {
	case complaint.MethodThreeNumbers:
		v.Checks = []string{complaint.CheckNationalNumber, complaint.CheckIDCard, complaint.CheckSISCard, complaint.CheckBirthDate}
		return v, nil
	case complaint.MethodEID, complaint.MethodToken:
	default:
		addField(&errs, lang, path+".method", complaint.ErrRequired)
		return v, errs
	}
	a, err := s.verifyAssertion(id.Assertion, now)
	if err != nil {
		code := msgAssertionMalformed
		switch {
		case errors.Is(err, ErrAssertionSignature):
			code = msgAssertionSignature
		case errors.Is(err, ErrAssertionExpired):
			code = msgAssertionExpired
		case errors.Is(err, ErrAssertionNoKey):
			code = msgAssertionNoKey
		}
		addField(&errs, lang, path, code)
		return v, errs
	}
	switch {
	case a.Method != id.Method:
		addField(&errs, lang, path, msgAssertionMethod)
	case !sameName(a.FirstName, sub.Complainant.FirstName) || !sameName(a.LastName, sub.Complainant.LastName):
		addField(&errs, lang, path, msgAssertionMismatch)
	}
	if len(errs) > 0 {
		return v, errs
	}
	if msg := s.checkAssertedNationalNumber(a.NationalNumber, sub.Complainant.BirthDate); msg != "" {
		addField(&errs, lang, path, msg)
		return v, errs
	}
	nn, _ := complaint.ParseNationalNumber(a.NationalNumber)
	id.NationalNumber = nn.Digits()
	id.Assertion = ""
	v.Checks = []string{complaint.CheckAssertionSig, complaint.CheckAssertionValidity, complaint.CheckAssertionIdentity}
	return v, nil
}

// sameName compares names as a person would: case, surrounding and repeated
// spaces do not matter; accents do.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// Reference alphabet: Crockford base 32 (no I, L, O, U), so a reference read
// over the phone cannot be mistaken.
const refAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newReference makes a reference like "2026-K7M4-Q9XT" (year of receipt and
// 40 random bits).
func newReference(at time.Time) string {
	b := make([]byte, 8)
	rand.Read(b)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%04d-", at.UTC().Year())
	for i, c := range b {
		if i == 4 {
			sb.WriteByte('-')
		}
		sb.WriteByte(refAlphabet[c&31])
	}
	return sb.String()
}

// storedResponse is an HTTP answer as kept for idempotent replay.
type storedResponse struct {
	Status int
	Body   []byte
	// Replayed: the answer is the stored one of an earlier request with
	// the same key (not stored itself; for the metrics).
	Replayed bool
}

// Idempotency scopes.
const scopeIntake = "intake"

func scopeOfficer(id string) string { return "officer:" + id }

// lookupIdem returns the stored answer for (scope, key), or nil. If the key
// was used for another request it returns the key_reused answer.
func (s *Server) lookupIdem(ctx context.Context, scope, key string, hash []byte, lang string) (*storedResponse, error) {
	r, err := s.st.Idempotency(ctx, scope, key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(r.RequestHash, hash) {
		return keyReused(lang), nil
	}
	return &storedResponse{Status: r.Status, Body: r.Response, Replayed: true}, nil
}

func keyReused(lang string) *storedResponse {
	return &storedResponse{Status: http.StatusUnprocessableEntity, Body: errorJSON(complaint.CodeKeyReused, i18n.For(lang).Portal.Errors.KeyReused, nil, nil)}
}

// commitWithKey commits c with the request's idempotency record (none
// without a key) and answers resp, or the first answer to the key.
func (s *Server) commitWithKey(ctx context.Context, c storage.Change, scope, key string, hash []byte, lang string, resp storedResponse) (storedResponse, error) {
	if key != "" {
		c.Idempotency = &storage.Idempotency{Scope: scope, Key: key, RequestHash: hash,
			Status: resp.Status, Response: resp.Body, CreatedAt: s.now()}
	}
	replay, err := s.st.Commit(ctx, c)
	switch {
	case errors.Is(err, storage.ErrConflict):
		return *keyReused(lang), nil
	case err != nil:
		return storedResponse{}, err
	case replay != nil:
		return storedResponse{Status: replay.Status, Body: replay.Response, Replayed: true}, nil
	}
	if len(c.Outbox) > 0 {
		// Confirmations were queued: wake the sender.
		select {
		case s.outboxKick <- struct{}{}:
		default:
		}
	}
	return resp, nil
}

// intakeChange is what storing a prepared complaint writes, under a new
// reference, and the answer.
func (s *Server) intakeChange(p preparedIntake) (storage.Change, storedResponse) {
	now := s.now().UTC()
	rec := complaint.Record{
		Submission:   *p.sub,
		Reference:    newReference(now),
		Zone:         p.zone,
		Status:       complaint.StatusNew,
		Version:      1,
		ReceivedAt:   now,
		UpdatedAt:    now,
		Verification: p.ver,
		History:      []complaint.StatusChange{{At: now, To: complaint.StatusNew, Action: "intake"}},
	}
	receipt, _ := json.Marshal(complaint.IntakeReceipt{Reference: rec.Reference, Zone: rec.Zone, Status: rec.Status})
	return storage.Change{
		Complaint: &storage.ComplaintWrite{Record: rec},
		Feed:      []storage.FeedChange{{Zone: rec.Zone.Code}},
		Audit: []storage.AuditRecord{s.auditRecord(auditEntry{Zone: rec.Zone.Code, Kind: "intake", Ref: rec.Reference, Outcome: "ok",
			Detail: "fact_type=" + rec.FactType + " method=" + rec.Verification.Method})},
	}, storedResponse{Status: http.StatusCreated, Body: receipt}
}

// maxReferenceTries bounds the draws of a free reference (40 random bits:
// a second draw is already rare).
const maxReferenceTries = 10

// commitIntake stores a prepared complaint. With a key, a replay returns
// the first answer.
func (s *Server) commitIntake(ctx context.Context, p preparedIntake, key string, hash []byte) (storedResponse, error) {
	for try := 1; ; try++ {
		c, resp := s.intakeChange(p)
		resp, err := s.commitWithKey(ctx, c, scopeIntake, key, hash, p.sub.Language, resp)
		if errors.Is(err, storage.ErrDuplicate) && try < maxReferenceTries {
			continue
		}
		return resp, err
	}
}

func requestHash(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return h.Sum(nil)
}

// IntakeError is returned by Intake when the submission is refused.
type IntakeError struct {
	Status int
	Body   complaint.ErrorBody
}

func (e *IntakeError) Error() string {
	return fmt.Sprintf("intake refused (%d %s): %s", e.Status, e.Body.Error.Code, e.Body.Error.Message)
}

// Intake files a complaint through the same path as POST /v1/complaints
// (for the demo and tests). idemKey may be empty.
func (s *Server) Intake(ctx context.Context, sub *complaint.Submission, idemKey string) (complaint.IntakeReceipt, error) {
	body, err := json.Marshal(sub)
	if err != nil {
		return complaint.IntakeReceipt{}, err
	}
	resp, err := s.intake(ctx, body, sub.Language, idemKey)
	if err != nil {
		return complaint.IntakeReceipt{}, err
	}
	return decodeReceipt(resp)
}

func decodeReceipt(resp storedResponse) (complaint.IntakeReceipt, error) {
	var rc complaint.IntakeReceipt
	if resp.Status != http.StatusCreated {
		ie := &IntakeError{Status: resp.Status}
		json.Unmarshal(resp.Body, &ie.Body)
		return rc, ie
	}
	err := json.Unmarshal(resp.Body, &rc)
	return rc, err
}

// intake is the whole intake path: idempotent replay, validation, commit.
func (s *Server) intake(ctx context.Context, body []byte, lang, key string) (storedResponse, error) {
	hash := requestHash(body)
	p, errs := s.prepareIntake(body, lang)
	if len(errs) > 0 {
		if key != "" {
			// A replay answers from the record even if the submission
			// would no longer pass (an assertion that expired since the
			// first try).
			if r, err := s.lookupIdem(ctx, scopeIntake, key, hash, lang); err != nil || r != nil {
				if r == nil {
					return storedResponse{}, err
				}
				return *r, nil
			}
		}
		return fieldErrorResponse(errs, lang), nil
	}
	// The key of a valid submission is looked up inside the commit's
	// transaction (storage.Change.Idempotency), which answers a replay with
	// the first answer: reading it before as well cost every intake one
	// more query.
	return s.commitIntake(ctx, p, key, hash)
}

// fieldErrorResponse is 422 with the fields, or 400 when the body is not
// well-formed JSON at all (nothing could be validated).
func fieldErrorResponse(errs complaint.FieldErrors, lang string) storedResponse {
	for _, e := range errs {
		if e.Path == complaint.BodyPath && (e.Code == complaint.ErrMalformedJSON || e.Code == complaint.ErrInvalidText) {
			return storedResponse{Status: http.StatusBadRequest, Body: errorJSON(complaint.CodeMalformed, e.Message, errs.Map(), nil)}
		}
		if e.Path == complaint.BodyPath && e.Code == complaint.ErrBodyTooLarge {
			return storedResponse{Status: http.StatusRequestEntityTooLarge, Body: errorJSON(complaint.CodeTooLarge, e.Message, errs.Map(), nil)}
		}
	}
	return storedResponse{Status: http.StatusUnprocessableEntity, Body: errorJSON(complaint.CodeInvalid, i18n.For(lang).Portal.Errors.Invalid, errs.Map(), nil)}
}

func errorJSON(code, msg string, fields map[string]string, current *complaint.Record) []byte {
	b, _ := json.Marshal(complaint.ErrorBody{Error: complaint.APIError{Code: code, Message: msg, Fields: fields, Current: current}})
	return b
}
