package tui

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"guichet/store/storetest"
	gsync "guichet/sync"
)

// A sync round that cannot reach the portal shows, in the status bar, what
// happened and what to do in the officer's language — not "Get http://…:
// dial tcp …"; the raw error is in the debug log.
func TestSyncErrorInOfficerWords(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	st := openStore(t, nil)
	var logBuf bytes.Buffer
	eng, err := gsync.New(gsync.Options{Server: closed, Token: "t", Lang: "fr", DebugLog: gsync.NewDebugLog(&logBuf)}, st)
	if err != nil {
		t.Fatal(err)
	}
	es := EngineSyncer{E: eng, Lang: "fr"}
	ch, cancel := es.Subscribe()
	defer cancel()
	if err := eng.SyncOnce(context.Background()); err == nil {
		t.Fatal("round succeeded")
	}
	var state SyncState
	deadline := time.After(patience(t))
	for state.Err == "" {
		select {
		case state = <-ch:
		case <-deadline:
			t.Fatal("no state with an error")
		}
	}
	h := newHarness(t, storetest.Records(3, 1), "fr", 200, 24)
	done := make(chan SyncState)
	close(done)
	h.send(syncStateMsg{state: state, ch: done})
	bar := h.app.statusBar()
	if !strings.Contains(bar, "portail injoignable") || strings.Contains(bar, "dial") || strings.Contains(bar, "127.0.0.1") {
		t.Fatalf("status bar: %q", bar)
	}
	if !strings.Contains(logBuf.String(), "dial tcp") {
		t.Fatalf("debug log lacks the raw error: %q", logBuf.String())
	}
}

// A complaint that cannot be read from the cache shows the problem and
// what to do, not SQL.
func TestCacheErrorInOfficerWords(t *testing.T) {
	h := newHarness(t, storetest.Records(3, 1), "fr", 120, 24)
	var logBuf bytes.Buffer
	h.app.c.DebugLog = gsync.NewDebugLog(&logBuf)
	h.st.Close()
	h.keys("<enter>")
	v := h.view()
	if !strings.Contains(v, "cache local inaccessible") || strings.Contains(v, "sql") {
		t.Fatalf("queue after the cache failed:\n%s", v)
	}
	if !strings.Contains(logBuf.String(), "sql") {
		t.Fatalf("debug log lacks the raw error: %q", logBuf.String())
	}
}
