package tui

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/store/storetest"
)

// TestRunEndsOnSignalAndCancel: a SIGTERM reaches the program twice — its
// context (guichet's main cancels it on SIGINT, SIGTERM and SIGHUP) and,
// unless Run turns it off, Bubble Tea's own signal handler. Bubble Tea's
// handler sends its quit message on an unbuffered channel without
// watching the context: when the event loop had already ended on the
// cancelled context, the handler waited for ever, and so did the
// program's shutdown, which waits for its handlers (seen: a workstation
// that never ended after a kill). Run leaves signals to its context.
func TestRunEndsOnSignalAndCancel(t *testing.T) {
	st := openStore(t, storetest.Records(20, 3))
	// The test process itself must survive the SIGTERMs it sends.
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs, syscall.SIGTERM)
	defer signal.Stop(sigs)

	for i := range 30 {
		ctx, cancel := context.WithCancel(context.Background())
		src := NewStoreSource(st, testOfficer, "en", nil)
		inR, inW := io.Pipe()
		done := make(chan error, 1)
		go func() {
			done <- Run(ctx, Options{Source: src, Lang: "en", Officer: testOfficer, Zone: storetest.Zone, Loc: time.UTC},
				io.Discard, nil, tea.WithInput(inR), tea.WithoutRenderer())
		}()
		time.Sleep(20 * time.Millisecond) // running, its handlers installed
		// A signal, as main sees it: the context ends at the same moment.
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		cancel()
		// Delivered before going on: a SIGTERM still pending when the test
		// stops catching it would end the test process.
		select {
		case <-sigs:
		case <-time.After(30 * time.Second):
			t.Fatal("SIGTERM not delivered")
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: %v", i, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("run %d: the program did not end 30 s after SIGTERM and its context's end", i)
		}
		inW.Close()
	}
}
