package apitest

import (
	"net/http"
	"strings"
	"testing"
)

const base = "http://portal.test"

func newContract(t *testing.T) *Contract {
	t.Helper()
	c, err := New(base)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var jsonHeader = http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Www-Authenticate": {`Bearer realm="guichet"`}}

// TestRejectsWrongAnswers shows that the validation above
// can fail: answers that break the document (OpenAPI 3.1 keywords such as
// const and oneOf included) are rejected, and a right one passes.
func TestRejectsWrongAnswers(t *testing.T) {
	c := newContract(t)
	tests := []struct {
		name   string
		method string
		path   string
		status int
		body   string
	}{
		{"const", "GET", "/v1/healthz", 200, `{"status":"down"}`},
		{"undocumented status", "GET", "/v1/healthz", 418, `{"status":"ok"}`},
		{"undocumented member", "GET", "/v1/zones", 200, `{"zones":[],"total":0}`},
		{"tombstone with personal data", "GET", "/v1/zones/5275/feed", 200,
			`{"items":[{"reference":"2026-K7M4-Q9XT","version":2,"tombstone":true,"record":{}}],"cursor":"x","more":false}`},
		{"unknown status", "GET", "/v1/zones/5275/feed", 200,
			`{"items":[{"reference":"2026-K7M4-Q9XT","version":2,"tombstone":false}],"cursor":"x","more":false}`},
		{"unknown error code", "GET", "/v1/me", 401, `{"error":{"code":"nope","message":"x"}}`},
		{"conflict without current", "POST", "/v1/zones/5275/complaints/2026-K7M4-Q9XT/actions", 409, `{"error":{"code":"conflict","message":"x"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, err := c.Check(Exchange{Method: tt.method, URL: base + tt.path, Header: http.Header{"Authorization": {"Bearer t"}},
				Status: tt.status, RespHeader: jsonHeader, RespBody: []byte(tt.body)}, false)
			if op == "" {
				t.Fatal(err)
			}
			if err == nil {
				t.Errorf("%s → %d %s passed validation", tt.path, tt.status, tt.body)
			}
		})
	}
	right := Exchange{Method: "GET", URL: base + "/v1/me", Header: http.Header{"Authorization": {"Bearer t"}},
		Status: 401, RespHeader: jsonHeader, RespBody: []byte(`{"error":{"code":"unauthorized","message":"x"}}`)}
	if _, err := c.Check(right, true); err != nil {
		t.Errorf("a right answer failed: %v", err)
	}
	if !c.Seen("GET /v1/me", 401) || c.Seen("GET /v1/me", 200) {
		t.Error("Seen does not say which answers were checked")
	}
}

// TestUndeclaredQueryParameter: a request with a query parameter the
// document does not declare fails the check, so a parameter a handler
// starts reading cannot stay out of the document.
func TestUndeclaredQueryParameter(t *testing.T) {
	c := newContract(t)
	h := jsonHeader
	x := Exchange{Method: "GET", URL: base + "/v1/healthz?verbose=1", Status: 200, RespHeader: h, RespBody: []byte(`{"status":"ok"}`)}
	if _, err := c.Check(x, true); err == nil || !strings.Contains(err.Error(), `"verbose" is not declared`) {
		t.Errorf("undeclared query parameter: %v", err)
	}
	x.URL = base + "/v1/healthz"
	if _, err := c.Check(x, true); err != nil {
		t.Errorf("healthz without parameters: %v", err)
	}
}
