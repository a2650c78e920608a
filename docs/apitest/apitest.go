// Package apitest holds HTTP exchanges with the portal against the API
// document, docs/openapi.json, in tests: each request and each answer is
// validated with kin-openapi (which validates OpenAPI 3.1 documents with a
// JSON Schema 2020-12 validator), a query parameter the document does not
// declare is refused, and the documented answers seen are counted so a test
// can ask which ones it never produced. Only tests import it.
package apitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"guichet/docs"
)

// Load parses and validates docs/openapi.json.
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(docs.OpenAPI))
	if err != nil {
		return nil, fmt.Errorf("load docs/openapi.json: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("docs/openapi.json is not a valid OpenAPI document: %w", err)
	}
	return doc, nil
}

// Contract checks exchanges with a portal at one base URL.
type Contract struct {
	Doc    *openapi3.T
	router routers.Router

	mu   sync.Mutex
	seen map[string]bool // "GET /v1/me 200"
}

// New loads the document for a portal reached at base ("http://127.0.0.1:1234").
func New(base string) (*Contract, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: base}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &Contract{Doc: doc, router: router, seen: map[string]bool{}}, nil
}

// Options are the validation options: undocumented answer statuses fail,
// every problem is reported, and a bearer token satisfies the security
// requirement (the portal, not the document, decides whether it is good).
var Options = &openapi3filter.Options{
	IncludeResponseStatus: true,
	MultiError:            true,
	AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
		if !strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
			return errors.New("no bearer token")
		}
		return nil
	},
}

// Exchange is one request and its answer as they travelled.
type Exchange struct {
	Method, URL string
	Header      http.Header // the request's
	Body        []byte      // the request's

	Status     int
	RespHeader http.Header
	RespBody   []byte
}

func (x Exchange) request() (*http.Request, error) {
	req, err := http.NewRequest(x.Method, x.URL, bytes.NewReader(x.Body))
	if err != nil {
		return nil, err
	}
	if x.Header != nil {
		req.Header = x.Header.Clone()
	}
	return req, nil
}

// Check validates x against the document: the request too unless
// requestOK is false (a request that breaks the document on purpose, to see
// the portal refuse it). It returns the operation ("GET /v1/me").
func (c *Contract) Check(x Exchange, requestOK bool) (string, error) {
	what := x.Method + " " + x.URL
	req, err := x.request()
	if err != nil {
		return "", err
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return "", fmt.Errorf("%s: not in docs/openapi.json: %w", what, err)
	}
	op := route.Method + " " + route.Path
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: Options}
	var errs []error
	if requestOK {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			errs = append(errs, fmt.Errorf("%s: the request breaks docs/openapi.json: %w", what, err))
		}
		declared := map[string]bool{}
		for _, ps := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
			for _, p := range ps {
				if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
					declared[p.Value.Name] = true
				}
			}
		}
		for name := range req.URL.Query() {
			if !declared[name] {
				errs = append(errs, fmt.Errorf("%s: query parameter %q is not declared in docs/openapi.json", what, name))
			}
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.Status, Header: x.RespHeader, Options: Options}
	out.SetBodyBytes(x.RespBody)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		errs = append(errs, fmt.Errorf("%s → %d: the answer breaks docs/openapi.json: %w\n%s", what, x.Status, err, x.RespBody))
	}
	c.mu.Lock()
	c.seen[op+" "+strconv.Itoa(x.Status)] = true
	c.mu.Unlock()
	return op, errors.Join(errs...)
}

// Unseen lists the documented answers ("POST /v1/complaints 422") that no
// checked exchange produced.
func (c *Contract) Unseen() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for path, item := range c.Doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status := range op.Responses.Map() {
				if k := method + " " + path + " " + status; !c.seen[k] {
					out = append(out, k)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Seen reports whether an answer of operation op ("GET /v1/me") with status
// was checked.
func (c *Contract) Seen(op string, status int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[op+" "+strconv.Itoa(status)]
}

// Middleware checks every exchange that goes through h (requests as the
// client sent them, answers as h wrote them) and gives each failure to
// report. base is the URL the client used.
func (c *Contract) Middleware(base string, h http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			report(fmt.Errorf("%s %s: reading the request: %w", r.Method, r.URL, err))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		tw := &teeWriter{ResponseWriter: w}
		h.ServeHTTP(tw, r)
		if tw.status == 0 {
			tw.status = http.StatusOK
		}
		x := Exchange{Method: r.Method, URL: base + r.URL.RequestURI(), Header: r.Header, Body: body,
			Status: tw.status, RespHeader: tw.header, RespBody: tw.buf.Bytes()}
		if tw.header == nil {
			x.RespHeader = w.Header().Clone()
		}
		if _, err := c.Check(x, true); err != nil {
			report(err)
		}
	})
}

// teeWriter passes an answer on and keeps a copy.
type teeWriter struct {
	http.ResponseWriter
	status int
	header http.Header
	buf    bytes.Buffer
}

func (t *teeWriter) WriteHeader(code int) {
	if t.status == 0 {
		t.status = code
		t.header = t.ResponseWriter.Header().Clone()
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *teeWriter) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.WriteHeader(http.StatusOK)
	}
	t.buf.Write(b)
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (t *teeWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
