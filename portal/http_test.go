package portal

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
)

// TestBearerSchemeCaseInsensitive: RFC 9110 makes the scheme
// case-insensitive.
func TestBearerSchemeCaseInsensitive(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	h := tp.srv.Handler()
	for auth, want := range map[string]int{
		"Bearer " + tok:     200,
		"bearer " + tok:     200,
		"BEARER " + tok:     200,
		"bEaReR  " + tok:    200,
		"Basic " + tok:      401,
		"Bearer" + tok:      401,
		"Bearer ":           401,
		tok:                 401,
		"Bearer x" + tok:    401,
		"bearer " + tok[1:]: 401,
	} {
		if got := serve(h, "GET", "/v1/me", "192.0.2.3:1", auth, nil).Code; got != want {
			t.Errorf("%.12q...: %d, want %d", auth, got, want)
		}
	}
}

// TestMethodNotAllowed: a known path asked with another method is 405 with
// Allow (not the 404 of an unknown path); both answer JSON.
func TestMethodNotAllowed(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	for _, c := range []struct {
		method, path string
		want         int
		allow        string
	}{
		{"GET", "/v1/complaints", 405, "POST"},
		{"DELETE", "/v1/zones/5275/feed", 405, "GET, HEAD"},
		{"PUT", "/v1/zones/5275/complaints/2026-AAAA-BBBB/actions", 405, "POST"},
		{"POST", "/v1/healthz", 405, "GET, HEAD"},
		{"GET", "/v1/zones/5275/audit", 405, "POST"},
		{"GET", "/v1/nope", 404, ""},
		{"POST", "/", 404, ""},
	} {
		req, _ := http.NewRequest(c.method, tp.http.URL+c.path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q, want %d Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.want, c.allow)
		}
		r := reply{Status: resp.StatusCode, Body: body}
		if ae := r.apiError(t); ae.Code == "" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: body %s", c.method, c.path, body)
		}
	}
}

// TestMalformedVersusInvalid: a body that is not JSON is 400; a JSON body
// that breaks the rules is 422 with the field.
func TestMalformedVersusInvalid(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	ref := tp.seed("5275", 1)[0]
	actions := "/v1/zones/5275/complaints/" + ref + "/actions"
	for _, c := range []struct {
		name, path, body string
		want             int
		field            string
	}{
		{"intake not JSON", "/v1/complaints", `{"fact_type":`, 400, ""},
		{"intake two values", "/v1/complaints", `{} {}`, 400, ""},
		{"intake valid JSON, invalid complaint", "/v1/complaints", `{"fact_type":"murder"}`, 422, "fact_type"},
		{"action not JSON", actions, `{"type":"claim"`, 400, ""},
		{"action valid JSON, unknown type", actions, `{"type":"explode"}`, 422, "type"},
		{"action wrong type", actions, `{"type":1}`, 422, "type"},
	} {
		r := tp.do("POST", c.path, tok, "key-"+strings.ReplaceAll(c.name, " ", "-"), []byte(c.body))
		if r.Status != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, r.Status, c.want, r.Body)
			continue
		}
		if ae := r.apiError(t); c.field != "" && ae.Fields[c.field] == "" {
			t.Errorf("%s: no error on %s: %s", c.name, c.field, r.Body)
		}
	}
}

// rawPost sends a POST of size bytes with Expect: 100-continue the way
// curl does: headers, then the body once the server says 100 Continue (or
// at once when waitForContinue is false); while sending it stops as soon
// as an answer arrives. A write that fails before any final answer was
// read is what the client reports: a reset without a status.
func rawPost(addr, path string, size int, waitForContinue bool) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", path, addr, size)
	br := bufio.NewReader(conn)
	answered := func() bool {
		conn.SetReadDeadline(time.Now().Add(time.Millisecond))
		defer conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, err := br.Peek(1)
		return err == nil
	}
	sendBody := func() error {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for sent := 0; sent < size && !answered(); sent += len(chunk) {
			if _, err := conn.Write(chunk[:min(len(chunk), size-sent)]); err != nil {
				return fmt.Errorf("reset while sending, no status: %w", err)
			}
		}
		return nil
	}
	if !waitForContinue {
		if err := sendBody(); err != nil {
			return 0, err
		}
	}
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusContinue {
			return resp.StatusCode, nil
		}
		if err := sendBody(); err != nil {
			return 0, err
		}
	}
}

// TestOversizedBodyAlways413: 10 MB with Expect: 100-continue gets 413,
// 20 times out of 20, whether the client waits for 100 Continue or sends
// the body at once; never a reset without a status.
func TestOversizedBodyAlways413(t *testing.T) {
	tp := newTestPortal(t, Options{IntakeLimit: RateLimit{Burst: -1}})
	tok, _ := tp.officer("5275", "Agent")
	addr := strings.TrimPrefix(tp.http.URL, "http://")
	for _, wait := range []bool{true, false} {
		got := map[string]int{}
		for i := 0; i < 20; i++ {
			status, err := rawPost(addr, "/v1/complaints", 10<<20, wait)
			if err != nil {
				got["error: "+err.Error()]++
				continue
			}
			got[http.StatusText(status)]++
		}
		if got[http.StatusText(http.StatusRequestEntityTooLarge)] != 20 {
			t.Errorf("waiting for 100 Continue %v: %v", wait, got)
		}
	}
	// The limit is per endpoint: an action body of 20 kB is too large too.
	if r := tp.do("POST", "/v1/zones/5275/complaints/x/actions", tok, "k", bytes.Repeat([]byte(" "), MaxActionBody+1)); r.Status != 413 {
		t.Errorf("action: %d", r.Status)
	}
	if r := tp.do("POST", "/v1/complaints", "", "", bytes.Repeat([]byte(" "), MaxIntakeBody+1)); r.Status != 413 || r.apiError(t).Code != complaint.CodeTooLarge {
		t.Errorf("intake: %d %s", r.Status, r.Body)
	}
}
