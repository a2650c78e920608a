package portal

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/complaint"
)

// Request body limits.
const (
	MaxIntakeBody = 1 << 20  // a complaint: generous for long descriptions
	MaxActionBody = 16 << 10 // an action
	MaxAuditBody  = 4 << 20  // a batch of audit events
	maxKeyLen     = 200      // Idempotency-Key
)

// Handler is the HTTP API (see DESIGN.md).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/healthz", s.handleHealth)
	mux.HandleFunc("GET /v1/zones", s.handleZones)
	mux.HandleFunc("GET /v1/catalog", s.handleCatalog)
	mux.HandleFunc("GET /v1/me", s.handleMe)
	mux.HandleFunc("POST /v1/complaints", s.handleIntake)
	mux.HandleFunc("GET /v1/zones/{zone}/feed", s.officer(s.handleFeed))
	mux.HandleFunc("GET /v1/zones/{zone}/complaints/{ref}", s.officer(s.handleGetComplaint))
	mux.HandleFunc("POST /v1/zones/{zone}/complaints/{ref}/actions", s.officer(s.handleAction))
	mux.HandleFunc("POST /v1/zones/{zone}/audit", s.officer(s.handleAudit))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, complaint.CodeNotFound, "no such endpoint", nil)
	})
	return s.middleware(mux)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// middleware logs each request (route pattern, never the path's values,
// headers or body), recovers panics and sets safe response headers.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic in handler", "pattern", r.Pattern, "panic", fmt.Sprint(p))
				writeError(rec, http.StatusInternalServerError, complaint.CodeInternal, "internal error", nil)
			}
			s.log.Info("request", "method", r.Method, "pattern", r.Pattern, "status", rec.status, "ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, errorJSON(complaint.CodeInternal, "internal error", nil, nil)
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

func writeError(w http.ResponseWriter, status int, code, msg string, fields map[string]string) {
	writeRaw(w, status, errorJSON(code, msg, fields, nil))
}

func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "pattern", r.Pattern, "err", err)
	writeError(w, http.StatusInternalServerError, complaint.CodeInternal, "internal error, please retry", nil)
}

// readBody reads at most limit bytes; false when it answered the request.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, complaint.CodeTooLarge, fmt.Sprintf("request body larger than %d bytes", limit), nil)
		} else {
			writeError(w, http.StatusBadRequest, complaint.CodeMalformed, "could not read the request body", nil)
		}
		return nil, false
	}
	return body, true
}

// idempotencyKey reads the Idempotency-Key header: printable ASCII, at most
// maxKeyLen characters.
func idempotencyKey(r *http.Request) (string, bool) {
	k := r.Header.Get("Idempotency-Key")
	if len(k) > maxKeyLen {
		return "", false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return "", false
		}
	}
	return k, true
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.rdb.PingContext(r.Context()); err != nil {
		writeError(w, http.StatusServiceUnavailable, complaint.CodeInternal, "database unavailable", nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleZones(w http.ResponseWriter, r *http.Request) {
	zones := s.Router().Zones()
	if zones == nil {
		zones = []complaint.Zone{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"zones": zones})
}

// handleIntake is POST /v1/complaints[?dry_run=1].
func (s *Server) handleIntake(w http.ResponseWriter, r *http.Request) {
	lang := pickLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	key, ok := idempotencyKey(r)
	if !ok {
		writeError(w, http.StatusBadRequest, complaint.CodeMalformed, "Idempotency-Key must be 1-200 printable ASCII characters", nil)
		return
	}
	body, ok := readBody(w, r, MaxIntakeBody)
	if !ok {
		return
	}
	if dry := r.URL.Query().Get("dry_run"); dry == "1" || dry == "true" {
		p, errs := s.prepareIntake(body, lang)
		if len(errs) > 0 {
			resp := fieldErrorResponse(errs, pickLang(lang))
			writeRaw(w, resp.Status, resp.Body)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"dry_run": true, "zone": p.zone, "verification": p.ver, "complaint": p.sub,
		})
		return
	}
	resp, err := s.intake(r.Context(), body, lang, key)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeRaw(w, resp.Status, resp.Body)
}

// officerHandler handles a request of an authenticated officer of the
// path's zone.
type officerHandler func(w http.ResponseWriter, r *http.Request, o complaint.Officer, zone, lang string)

// officer authenticates the bearer token and checks the zone of the path:
// no or unknown or revoked token → 401, another zone → 403. Every refusal
// is audited.
func (s *Server) officer(h officerHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := pickLang(r.Header.Get("Accept-Language"))
		pathZone := r.PathValue("zone")
		auditZone := pathZone
		if !checkAuditText(auditZone, 40) {
			auditZone = "(invalid)"
		}
		o, tokenZone, outcome, err := s.authenticate(r.Header.Get("Authorization"))
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if outcome != authOK {
			s.auditAsync(auditEntry{Officer: o.ID, Zone: auditZone, Kind: "auth", Field: r.Method + " " + r.Pattern, Outcome: string(outcome)})
			w.Header().Set("WWW-Authenticate", `Bearer realm="guichet"`)
			writeError(w, http.StatusUnauthorized, complaint.CodeUnauthorized, "missing, unknown or revoked token", nil)
			return
		}
		if pathZone != tokenZone {
			s.auditAsync(auditEntry{Officer: o.ID, Zone: auditZone, Kind: "auth", Field: r.Method + " " + r.Pattern, Outcome: "denied_other_zone"})
			writeError(w, http.StatusForbidden, complaint.CodeForbidden, "this token is not for that zone", nil)
			return
		}
		h(w, r, o, tokenZone, lang)
	}
}

func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request, o complaint.Officer, zone, lang string) {
	q := r.URL.Query()
	limit, ok := parseLimit(q.Get("limit"))
	if !ok {
		writeError(w, http.StatusBadRequest, complaint.CodeMalformed, "limit must be a positive integer", nil)
		return
	}
	page, err := s.feedPage(zone, q.Get("cursor"), limit)
	if errors.Is(err, errCursorGone) {
		s.auditAsync(auditEntry{Officer: o.ID, Zone: zone, Kind: "feed_read", Outcome: "cursor_gone"})
		writeError(w, http.StatusGone, complaint.CodeCursorGone, "this cursor is not valid here any more: list again from the start", nil)
		return
	}
	if err == nil && q.Get("count") == "1" {
		err = s.countRemaining(zone, &page)
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.auditAsync(auditEntry{Officer: o.ID, Zone: zone, Kind: "feed_read", Outcome: "ok", Detail: fmt.Sprintf("items=%d", len(page.Items))})
	size := 64
	for _, it := range page.Items {
		size += len(it.Record) + 64
	}
	writeRaw(w, http.StatusOK, page.appendJSON(make([]byte, 0, size)))
}

func (s *Server) handleGetComplaint(w http.ResponseWriter, r *http.Request, o complaint.Officer, zone, lang string) {
	ref := r.PathValue("ref")
	var raw []byte
	var recZone string
	err := s.rdb.QueryRow(`SELECT zone, record FROM complaints WHERE ref = ?`, ref).Scan(&recZone, &raw)
	auditRef := ref
	if !checkAuditText(auditRef, 40) {
		auditRef = "(invalid)"
	}
	if err != nil || recZone != zone {
		s.auditAsync(auditEntry{Officer: o.ID, Zone: zone, Kind: "view", Ref: auditRef, Outcome: "not_found"})
		writeError(w, http.StatusNotFound, complaint.CodeNotFound, notFoundMessage(lang), nil)
		return
	}
	s.auditAsync(auditEntry{Officer: o.ID, Zone: zone, Kind: "view", Ref: ref, Outcome: "ok"})
	writeRaw(w, http.StatusOK, raw)
}

// decodeStrict decodes one JSON value, refusing unknown fields and
// trailing data. It returns a field error for a wrong type.
func decodeStrict(body []byte, v any) (field string, err error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return te.Field, err
		}
		return "", err
	}
	if dec.More() {
		return "", errors.New("trailing data after the JSON value")
	}
	return "", nil
}

func (s *Server) handleAction(w http.ResponseWriter, r *http.Request, o complaint.Officer, zone, lang string) {
	key, ok := idempotencyKey(r)
	if !ok || key == "" {
		writeError(w, http.StatusBadRequest, complaint.CodeMalformed, "an Idempotency-Key header (1-200 printable ASCII characters) is required", nil)
		return
	}
	body, ok := readBody(w, r, MaxActionBody)
	if !ok {
		return
	}
	var a complaint.Action
	if field, err := decodeStrict(body, &a); err != nil {
		if field != "" {
			var errs complaint.FieldErrors
			errs.Add(lang, field, complaint.ErrWrongType)
			resp := fieldErrorResponse(errs, lang)
			writeRaw(w, resp.Status, resp.Body)
			return
		}
		writeError(w, http.StatusBadRequest, complaint.CodeMalformed, "the body is not a valid action: "+err.Error(), nil)
		return
	}
	checked, errs := a.Check(lang)
	if checked.Type == complaint.ActionForward && checked.ToZone != "" && !errs.Has("to_zone") {
		if _, ok := s.Router().Zone(checked.ToZone); !ok {
			addField(&errs, lang, "to_zone", msgUnknownZone)
		}
	}
	if len(errs) > 0 {
		resp := fieldErrorResponse(errs, lang)
		writeRaw(w, resp.Status, resp.Body)
		return
	}
	ref := r.PathValue("ref")
	if !utf8.ValidString(ref) || len(ref) > 40 || strings.ContainsRune(ref, 0) {
		writeError(w, http.StatusNotFound, complaint.CodeNotFound, notFoundMessage(lang), nil)
		return
	}
	req := actionRequest{officer: o, zone: zone, ref: ref, action: checked, key: key, lang: lang,
		hash: requestHash([]byte(zone), []byte(ref), body)}
	v, err := s.write(func(tx *sql.Tx) (any, error) { return s.applyAction(tx, req) })
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	resp := v.(storedResponse)
	writeRaw(w, resp.Status, resp.Body)
}

// auditBatch is the body of POST /v1/zones/{zone}/audit; a bare JSON array
// of events is accepted too.
type auditBatch struct {
	Events []complaint.AuditEvent `json:"events"`
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request, o complaint.Officer, zone, lang string) {
	body, ok := readBody(w, r, MaxAuditBody)
	if !ok {
		return
	}
	var batch auditBatch
	var err error
	var field string
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		field, err = decodeStrict(body, &batch.Events)
	} else {
		field, err = decodeStrict(body, &batch)
	}
	if err != nil {
		msg := "the body is not a valid audit batch"
		if field != "" {
			msg += ": wrong type for " + field
		}
		writeError(w, http.StatusBadRequest, complaint.CodeMalformed, msg, nil)
		return
	}
	if len(batch.Events) > maxAuditBatch {
		writeError(w, http.StatusRequestEntityTooLarge, complaint.CodeTooLarge, fmt.Sprintf("at most %d events per batch", maxAuditBatch), nil)
		return
	}
	var errs complaint.FieldErrors
	for i, e := range batch.Events {
		p := fmt.Sprintf("events[%d].", i)
		if e.ID == "" {
			errs.Add(lang, p+"id", complaint.ErrRequired)
		} else if !checkAuditText(e.ID, maxKeyLen) {
			errs.Add(lang, p+"id", complaint.ErrInvalidText)
		}
		if e.Kind == "" {
			errs.Add(lang, p+"kind", complaint.ErrRequired)
		}
		if e.At.IsZero() {
			errs.Add(lang, p+"at", complaint.ErrRequired)
		}
		for name, v := range map[string]string{"kind": e.Kind, "reference": e.Reference, "field": e.Field, "outcome": e.Outcome, "detail": e.Detail} {
			if !checkAuditText(v, maxAuditText) {
				errs.Add(lang, p+name, complaint.ErrInvalidText)
			}
		}
	}
	if len(errs) > 0 {
		resp := fieldErrorResponse(errs, lang)
		writeRaw(w, resp.Status, resp.Body)
		return
	}
	n, err := s.storeAuditBatch(o, zone, batch.Events)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"received": len(batch.Events), "stored": n})
}

// handleCatalog serves the fact-type catalog for the citizen's form.
func (s *Server) handleCatalog(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"fact_types": complaint.Catalog()})
}
