package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is guichetd's stderr, written by the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// logLines parses the JSON log lines written so far.
func (l *lockedBuffer) logLines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(l.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("guichetd wrote a log line that is not JSON: %q", sc.Text())
		}
		out = append(out, m)
	}
	return out
}

// startServe runs `guichetd serve` with args in the test's process and
// returns the addresses it logged (by message) and a stop function.
func startServe(t *testing.T, args ...string) (addrs map[string]string, logs *lockedBuffer, stop func() error) {
	t.Helper()
	logs = &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmdServe(ctx, args, logs) }()
	addrs = map[string]string{}
	deadline := time.Now().Add(30 * time.Second)
	for addrs["guichetd listening"] == "" {
		select {
		case err := <-done:
			cancel()
			t.Fatalf("guichetd serve ended: %v\n%s", err, logs.b.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("guichetd serve did not say where it listens:\n%s", logs.b.String())
		}
		time.Sleep(10 * time.Millisecond)
		for _, l := range logs.logLines(t) {
			if a, ok := l["addr"].(string); ok {
				addrs[l["msg"].(string)] = a
			}
		}
	}
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { stop() })
	return addrs, logs, stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeMetricsOnTheirOwnListener(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	addrs, logs, stop := startServe(t, "--db", db, "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	api, metrics := "http://"+addrs["guichetd listening"], "http://"+addrs["metrics listening"]
	if addrs["metrics listening"] == "" {
		t.Fatalf("no metrics listener logged: %v", addrs)
	}
	if code, _ := get(t, api+"/v1/readyz"); code != http.StatusOK {
		t.Fatalf("readyz: %d", code)
	}
	code, body := get(t, metrics+"/metrics")
	if code != http.StatusOK || !strings.Contains(body, `guichet_http_requests_total{code="200",route="GET /v1/readyz"} 1`) ||
		!strings.Contains(body, "guichet_db_pool_open_connections") {
		t.Fatalf("GET /metrics: %d\n%s", code, body)
	}
	// The API's listener does not serve the metrics, the metrics' listener
	// does not serve the API.
	if code, _ := get(t, api+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the API's listener: %d", code)
	}
	if code, _ := get(t, metrics+"/v1/healthz"); code != http.StatusNotFound {
		t.Errorf("GET /v1/healthz on the metrics' listener: %d", code)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	// Every line is JSON (logLines fails otherwise); the request's line
	// carries its id.
	found := false
	for _, l := range logs.logLines(t) {
		if l["msg"] == "request" && l["pattern"] == "GET /v1/readyz" {
			found = true
			if id, _ := l["request_id"].(string); id == "" {
				t.Errorf("request line without request_id: %v", l)
			}
		}
	}
	if !found {
		t.Error("no log line for the readyz request")
	}
}

func TestServeWithoutMetricsListener(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	addrs, _, stop := startServe(t, "--db", db, "--addr", "127.0.0.1:0", "--metrics-addr", "")
	if _, ok := addrs["metrics listening"]; ok {
		t.Errorf("a metrics listener was opened: %v", addrs)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
