package sync

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
)

// Every failed round is told to the officer in their language with what to
// do, never as a Go error; the raw error goes to the debug log.
func TestFailedRoundsExplainedNotRaw(t *testing.T) {
	tp := newTestPortal(t)
	tp.seed(2, 21)
	tok, o := tp.officer("Inspecteur Dupont")
	ctx := context.Background()

	// A closed port: nothing listens.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()

	cases := []struct {
		name   string
		server string
		token  string
		fault  *fault
		want   Problem
		fr     string // part of the French message
	}{
		{"nothing listens", closed, tok, nil, ProblemUnreachable, "portail injoignable"},
		{"connection dropped", "", tok, &fault{match: "/v1/me", kind: faultDropRequest}, ProblemUnreachable, "portail injoignable"},
		{"portal 503", "", tok, &fault{match: "/v1/me", kind: faultStatus, n: 503}, ProblemPortalDown, "indisponible"},
		{"revoked token", "", "not-a-token", nil, ProblemAuth, "jeton refusé"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			server := c.server
			if server == "" {
				server = tp.proxy.URL()
			}
			if c.fault != nil {
				tp.proxy.add(*c.fault)
			}
			ws := newWorkstation(t, tp, c.token, o, 50)
			var logBuf bytes.Buffer
			eng, err := New(Options{Server: server, Token: c.token, HTTPClient: noKeepAlive(), Lang: "fr",
				DebugLog: NewDebugLog(&logBuf)}, ws.st)
			if err != nil {
				t.Fatal(err)
			}
			err = eng.SyncOnce(ctx)
			if err == nil {
				t.Fatal("round succeeded")
			}
			if got := Classify(err); got != c.want {
				t.Fatalf("Classify(%v) = %s, want %s", err, got, c.want)
			}
			for _, lang := range []string{"fr", "nl", "de", "en"} {
				msg := Explain(err, lang)
				if msg == "" || strings.Contains(msg, "http") || strings.Contains(msg, "dial") || strings.Contains(msg, "127.0.0.1") {
					t.Errorf("%s: message %q", lang, msg)
				}
			}
			if msg := Explain(err, "fr"); !strings.Contains(msg, c.fr) {
				t.Errorf("fr message %q lacks %q", msg, c.fr)
			}
			if !strings.Contains(logBuf.String(), err.Error()) || !strings.Contains(logBuf.String(), string(c.want)) {
				t.Errorf("debug log %q lacks the raw error %q", logBuf.String(), err)
			}
		})
	}
	if Explain(nil, "fr") != "" {
		t.Error("Explain(nil) is not empty")
	}
}
