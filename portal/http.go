package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/portal/storage"
)

// Request body limits.
const (
	MaxIntakeBody = 1 << 20  // a complaint: generous for long descriptions
	MaxActionBody = 16 << 10 // an action
	MaxAuditBody  = 4 << 20  // a batch of audit events
	maxKeyLen     = 200      // Idempotency-Key
)

// Handler is the HTTP API, described by docs/openapi.json.
func (s *Server) Handler() http.Handler {
	return s.middleware(jsonMuxErrors(s.routes().ServeMux))
}

// routes registers every endpoint. Each one is documented in
// docs/openapi.json (TestOpenAPIRoutesMatchMux).
func (s *Server) routes() *routeMux {
	mux := newRouteMux()
	mux.HandleFunc("GET /v1/healthz", s.handleHealth)
	mux.HandleFunc("GET /v1/readyz", s.handleReady)
	mux.HandleFunc("GET /v1/zones", s.handleZones)
	mux.HandleFunc("GET /v1/catalog", s.handleCatalog)
	mux.HandleFunc("GET /v1/me", s.handleMe)
	mux.HandleFunc("GET /v1/openapi.json", s.handleOpenAPI)
	mux.HandleFunc("POST /v1/complaints", carriedThrough(s.handleIntake))
	mux.HandleFunc("GET /v1/zones/{zone}/feed", s.officer(s.handleFeed))
	mux.HandleFunc("GET /v1/zones/{zone}/complaints/{ref}", s.officer(s.handleGetComplaint))
	mux.HandleFunc("POST /v1/zones/{zone}/complaints/{ref}/actions", carriedThrough(s.officer(s.handleAction)))
	mux.HandleFunc("POST /v1/zones/{zone}/audit", carriedThrough(s.officer(s.handleAudit)))
	return mux
}

// jsonMuxErrors answers what the mux itself refuses in JSON like every
// other error: 404 for an unknown path, 405 with Allow for a known path
// asked with another method. (A "/" catch-all pattern would turn every
// 405 into a 404.)
func jsonMuxErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// Let the mux decide between 404 and 405 (and set Allow), then
		// write our own body.
		rec := &mutedWriter{header: w.Header()}
		h.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusMethodNotAllowed:
			writeError(w, http.StatusMethodNotAllowed, complaint.CodeMethodNotAllowed,
				"method not allowed here; see the Allow header", nil)
		case http.StatusNotFound, 0:
			writeError(w, http.StatusNotFound, complaint.CodeNotFound, "no such endpoint", nil)
		default: // a redirect to the clean path
			w.WriteHeader(rec.status)
		}
	})
}

// mutedWriter keeps the status and headers of a response and drops its body.
type mutedWriter struct {
	header http.Header
	status int
}

func (m *mutedWriter) Header() http.Header { return m.header }
func (m *mutedWriter) WriteHeader(code int) {
	if m.status == 0 {
		m.status = code
	}
}
func (m *mutedWriter) Write(b []byte) (int, error) {
	m.WriteHeader(http.StatusOK)
	return len(b), nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// writeTimeout bounds a write that is carried through after its client
// left.
const writeTimeout = 30 * time.Second

// carriedThrough serves a write without the client's cancellation: once its
// body has arrived, a complaint, an action or an audit batch is stored even
// if the client hangs up before the answer (a citizen closing the tab, a
// cut network), so the retry with the same Idempotency-Key finds it instead
// of the outcome depending on when the server noticed the hang-up.
func carriedThrough(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), writeTimeout)
		defer cancel()
		h(w, r.WithContext(ctx))
	}
}

// middleware logs each request (route pattern, never the path's values,
// headers or body), recovers panics and sets safe response headers.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		ri := &requestInfo{id: requestID(r)}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, ri))
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Request-Id", ri.id)
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "panic in handler", "pattern", r.Pattern, "panic", fmt.Sprint(p))
				writeError(rec, http.StatusInternalServerError, complaint.CodeInternal, "internal error", nil)
			}
			d := time.Since(start)
			s.observe(ri, r.Pattern, rec.status, d)
			s.log.InfoContext(r.Context(), "request", "method", r.Method, "pattern", r.Pattern, "status", rec.status, "ms", d.Milliseconds())
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
	// A known length ends the answer where its body ends, also when the
	// handler goes on (see refuseTooLarge).
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

func writeError(w http.ResponseWriter, status int, code, msg string, fields map[string]string) {
	writeRaw(w, status, errorJSON(code, msg, fields, nil))
}

func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "request failed", "pattern", r.Pattern, "err", err)
	writeError(w, http.StatusInternalServerError, complaint.CodeInternal, "internal error, please retry", nil)
}

// A body over its limit is answered 413 at once; then what the client is
// still sending is read and dropped (at most maxDiscard bytes, for at most
// discardTime) before the connection closes, so that the client reads the
// answer instead of a connection reset.
const (
	maxDiscard  = 16 << 20
	discardTime = 2 * time.Second
)

// readBody reads at most limit bytes; false when it answered the request.
// A body announced larger than limit is refused before any of it is read:
// a client that sent "Expect: 100-continue" is never asked for it.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	raw := r.Body
	if r.ContentLength > limit {
		refuseTooLarge(w, raw, limit)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, raw, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			refuseTooLarge(w, raw, limit)
		} else {
			writeError(w, http.StatusBadRequest, complaint.CodeMalformed, "could not read the request body", nil)
		}
		return nil, false
	}
	return body, true
}

// refuseTooLarge answers 413 and closes the connection after dropping what
// follows of the body (see maxDiscard).
func refuseTooLarge(w http.ResponseWriter, rest io.Reader, limit int64) {
	w.Header().Set("Connection", "close")
	writeError(w, http.StatusRequestEntityTooLarge, complaint.CodeTooLarge, fmt.Sprintf("request body larger than %d bytes", limit), nil)
	// Once the answer is written the server no longer sends 100 Continue:
	// a client that waits for it sends nothing and this read ends with
	// the connection or the deadline.
	rc := http.NewResponseController(w)
	if rc.Flush() != nil {
		return
	}
	rc.SetReadDeadline(time.Now().Add(discardTime))
	io.Copy(io.Discard, io.LimitReader(rest, maxDiscard))
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
	if err := s.st.Ping(r.Context()); err != nil {
		s.log.Error("health check", "err", err)
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
	lang := i18n.Pick(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	dry := r.URL.Query().Get("dry_run")
	dryRun := dry == "1" || dry == "true"
	requestInfoFrom(r.Context()).dryRun = dryRun
	if !dryRun {
		// Only filings count: a dry run fills no queue.
		if ok, retry := s.intakeLimit.allow(sourceKey(r, s.opts.TrustedProxies), s.now()); !ok {
			writeTooMany(w, retry, i18n.For(lang).Portal.Errors.RateLimited)
			return
		}
	}
	key, ok := idempotencyKey(r)
	if !ok {
		writeError(w, http.StatusBadRequest, complaint.CodeMalformed, "Idempotency-Key must be 1-200 printable ASCII characters", nil)
		return
	}
	body, ok := readBody(w, r, MaxIntakeBody)
	if !ok {
		return
	}
	if dryRun {
		p, errs := s.prepareIntake(body, lang)
		if len(errs) > 0 {
			resp := fieldErrorResponse(errs, lang)
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
	noteReplay(r, resp)
	writeRaw(w, resp.Status, resp.Body)
}

// officerHandler handles a request of an authenticated officer of the
// path's zone.
type officerHandler func(w http.ResponseWriter, r *http.Request, o complaint.Officer, zone, lang string)

// officer authenticates the bearer token and checks the zone of the path:
// no or unknown or revoked token → 401, another zone → 403, too many
// refusals from one address → 429. Refusals are audited in aggregates (see
// refuseAuth).
func (s *Server) officer(h officerHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := i18n.Pick(r.Header.Get("Accept-Language"))
		pathZone := r.PathValue("zone")
		auditZone := pathZone
		if !checkAuditText(auditZone, 40) {
			auditZone = "(invalid)"
		}
		o, tokenZone, outcome, err := s.authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if outcome == authOK && pathZone != tokenZone {
			outcome = authOtherZone
		}
		if outcome != authOK {
			s.refuseAuth(w, r, o.ID, auditZone, outcome)
			return
		}
		h(w, r, o, tokenZone, lang)
	}
}

// handleFeed answers a page of the zone's feed. The audit record of the
// reading (what the officer asked for: the zone, the cursor and the limit)
// is stored while the page is read, and the page leaves only once both
// are done: the officer waits for the longer of the two, not for their
// sum. The page is read on the request's own goroutine (on a busy
// machine, a goroutine started for it waited for a core behind the
// intakes' before it began). A read that fails leaves the record of the
// request, and a cursor refused records why as well.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request, o complaint.Officer, zone, lang string) {
	q := r.URL.Query()
	limit, ok := parseLimit(q.Get("limit"))
	if !ok {
		writeError(w, http.StatusBadRequest, complaint.CodeMalformed, "limit must be a positive integer", nil)
		return
	}
	cursor := q.Get("cursor")
	durable := s.startConsultationAudit(context.WithoutCancel(r.Context()),
		auditEntry{Officer: o.ID, Zone: zone, Kind: "feed_read", Outcome: "ok", Detail: feedReadDetail(cursor, limit)})
	page, err := s.st.FeedPage(r.Context(), zone, cursor, limit, q.Get("count") == "1")
	audited := durable()
	if errors.Is(err, storage.ErrEpoch) {
		s.auditAsync(auditEntry{Officer: o.ID, Zone: zone, Kind: "feed_read", Outcome: "cursor_gone"})
		writeError(w, http.StatusGone, complaint.CodeCursorGone, "this cursor is not valid here any more: list again from the start", nil)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if audited != nil {
		s.internalError(w, r, audited)
		return
	}
	writeFeedPage(w, page)
}

// feedReadDetail describes a feed read for its audit record: the limit,
// and the cursor it starts after (an opaque, authenticated position; a
// cursor that is not plain short text is recorded as invalid, and the read
// refuses it).
func feedReadDetail(cursor string, limit int) string {
	if cursor == "" {
		return fmt.Sprintf("limit=%d", limit)
	}
	if !checkAuditText(cursor, 200) {
		cursor = "(invalid)"
	}
	return fmt.Sprintf("limit=%d cursor=%s", limit, cursor)
}

// handleGetComplaint answers one complaint of the officer's zone. A missing
// complaint and another zone's look the same (404); a failing database is
// 500, never a 404 that would tell the officer the complaint is gone.
func (s *Server) handleGetComplaint(w http.ResponseWriter, r *http.Request, o complaint.Officer, zone, lang string) {
	ref := r.PathValue("ref")
	c, err := s.st.Complaint(r.Context(), ref)
	auditRef := ref
	if !checkAuditText(auditRef, 40) {
		auditRef = "(invalid)"
	}
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.auditAsync(auditEntry{Officer: o.ID, Zone: zone, Kind: "view", Ref: auditRef, Outcome: "error"})
		s.internalError(w, r, err)
		return
	}
	if err != nil || c.Zone != zone {
		s.auditAsync(auditEntry{Officer: o.ID, Zone: zone, Kind: "view", Ref: auditRef, Outcome: "not_found"})
		writeError(w, http.StatusNotFound, complaint.CodeNotFound, i18n.For(lang).Portal.Officer.NotFound, nil)
		return
	}
	if err := s.auditConsultation(r.Context(), auditEntry{Officer: o.ID, Zone: zone, Kind: "view", Ref: ref, Outcome: "ok"}); err != nil {
		s.internalError(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, c.JSON)
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
	checked, errs := a.CheckAt(lang, s.now())
	for _, path := range complaint.LoneSurrogatePaths(body) {
		// encoding/json made it U+FFFD, which Check cannot tell from a
		// character the officer typed.
		if !errs.Has(path) {
			errs.Add(lang, path, complaint.ErrInvalidText)
		}
	}
	spec, _ := complaint.ActionSpecOf(checked.Type)
	if _, takesZone := spec.Input(complaint.InputZone); takesZone && checked.ToZone != "" && !errs.Has("to_zone") {
		if _, ok := s.Router().Zone(checked.ToZone); !ok {
			addField(&errs, lang, "to_zone", msgUnknownZone)
		}
	}
	if len(errs) > 0 {
		resp := fieldErrorResponse(errs, lang)
		writeRaw(w, resp.Status, resp.Body)
		return
	}
	requestInfoFrom(r.Context()).action = string(checked.Type)
	ref := r.PathValue("ref")
	if !utf8.ValidString(ref) || len(ref) > 40 || strings.ContainsRune(ref, 0) {
		writeError(w, http.StatusNotFound, complaint.CodeNotFound, i18n.For(lang).Portal.Officer.NotFound, nil)
		return
	}
	req := actionRequest{officer: o, zone: zone, ref: ref, action: checked, key: key, lang: lang,
		hash: requestHash([]byte(zone), []byte(ref), body)}
	resp, err := s.applyAction(r.Context(), req)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	noteReplay(r, resp)
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
	n, err := s.storeAuditBatch(r.Context(), o, zone, batch.Events)
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

// handleReady is GET /v1/readyz, for a load balancer: the database answers
// and its schema is the one this guichetd was built for (a node of another
// version, or a database not yet migrated, gets no traffic). healthz says
// the process is alive.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	have, want, err := s.schemaVersions(ctx)
	if err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		writeError(w, http.StatusServiceUnavailable, complaint.CodeInternal, "database unavailable", nil)
		return
	}
	if have != want {
		writeError(w, http.StatusServiceUnavailable, complaint.CodeInternal,
			fmt.Sprintf("database schema version %d, this guichetd needs %d", have, want), nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ready", "schema_version": have, "expected_schema_version": want})
}
