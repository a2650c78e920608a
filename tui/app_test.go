package tui

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"guichet/clip"
	"guichet/complaint"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/store"
	gsync "guichet/sync"
)

// TestWholeApp runs the program (teatest) against the real portal over
// HTTP and a real cache file: start, sync, open a complaint, copy a field
// (OSC 52, asserted on the terminal output), claim, handle with a PV
// number, and the portal has it handled.
func TestWholeApp(t *testing.T) {
	if testing.Short() {
		t.Skip("whole-app test")
	}
	dir := t.TempDir()
	srv, err := portal.Open(filepath.Join(dir, "portal.db"), portal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if _, err := demodata.Seed(ctx, srv, "5275", 25, 42); err != nil {
		t.Fatal(err)
	}
	token, officer, err := srv.AddOfficer("5275", "Inspectrice Öztürk")
	if err != nil {
		t.Fatal(err)
	}
	zone, _ := srv.Router().Zone("5275")
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	st, err := store.Open(filepath.Join(dir, "cache", "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	eng, err := gsync.New(gsync.Options{Server: hs.URL, Token: token, Lang: "en"}, st)
	if err != nil {
		t.Fatal(err)
	}
	runDone := make(chan struct{})
	go func() { defer close(runDone); _ = eng.Run(ctx, time.Hour) }()
	// Cleanups run last-in first-out: stop the engine before the cache
	// and the server close, also when the test fails half-way.
	t.Cleanup(func() { cancel(); <-runDone })

	pw := &ProgramWriter{}
	env := map[string]string{"SSH_TTY": "/dev/pts/9"} // over SSH: OSC 52
	cb := clip.New(clip.Options{Out: pw, Env: func(k string) string { return env[k] }, ClearAfter: -1})
	app := New(Options{Ctx: ctx, Source: NewStoreSource(st, officer, "en", nil), Sync: EngineSyncer{E: eng, Lang: "en"},
		Clipboard: cb, Lang: "en", Officer: officer, Zone: zone, ClearAfter: time.Minute})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(120, 40))
	pw.Attach(tm.GetProgram())
	wait := func(what string, cond func(b []byte) bool) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), cond, teatest.WithDuration(patience(t)), teatest.WithCheckInterval(20*time.Millisecond))
	}
	wait("synced", func(b []byte) bool { return bytes.Contains(b, []byte("synced")) && bytes.Contains(b, []byte("New 25")) })

	rows, err := st.Page(ctx, store.Query{Statuses: []complaint.Status{complaint.StatusNew}, Sort: store.SortReceived, Desc: true}, nil, 1)
	if err != nil || len(rows) != 1 {
		t.Fatal(err, len(rows))
	}
	ref := rows[0].Reference
	rec, _ := st.Get(ctx, ref)
	fields := complaintFields(rec, "en")

	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("detail", func(b []byte) bool { return bytes.Contains(b, []byte(fields[0].Label)) })

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("W")}) // the fact type, the first field
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(fields[0].Value)) + "\a"
	wait("osc52", func(b []byte) bool { return bytes.Contains(b, []byte(want)) })

	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("c")})
	wait("claimed", func(b []byte) bool { return bytes.Contains(b, []byte("Claim of "+ref+" queued")) })
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("h")})
	tm.Type("NI.55.L5.012345/2026")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("confirm", func(b []byte) bool { return bytes.Contains(b, []byte("Press enter to confirm")) })
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("handled", func(b []byte) bool { return bytes.Contains(b, []byte("Handle of "+ref+" queued")) })

	// The portal has it handled, with the PV number, once sync pushed it.
	deadline := time.Now().Add(patience(t))
	for {
		req, _ := http.NewRequest(http.MethodGet, hs.URL+"/v1/zones/5275/complaints/"+ref, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got complaint.Record
		_ = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if got.Status == complaint.StatusHandled {
			if got.PVNumber != "NI.55.L5.012345/2026" || got.ClaimedBy == nil || got.ClaimedBy.ID != officer.ID {
				t.Fatalf("portal record %+v", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("portal still has %s as %s", ref, got.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The engine acknowledges the push (outbox emptied) after the portal's
	// answer; wait for it so the check below is about delivery, not timing.
	for d := time.Now().Add(patience(t)); ; time.Sleep(20 * time.Millisecond) {
		if p, _ := st.PendingActions(ctx, 10); len(p) == 0 {
			break
		}
		if time.Now().After(d) {
			t.Fatal("the engine never acknowledged the push")
		}
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}) // back from the detail
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}) // nothing queued: quits at once
	tm.WaitFinished(t, teatest.WithFinalTimeout(patience(t)))
	cancel()
	<-runDone
	if n, _ := st.PendingActions(context.Background(), 10); len(n) != 0 {
		t.Fatalf("outbox not empty: %d", len(n))
	}
}

// patience is how long a wait of the whole-app test may last: until
// shortly before the test's deadline (go test -timeout), not a fixed
// 5, 10 or 15 s that a loaded machine under -race exceeds.
func patience(t *testing.T) time.Duration {
	if dl, ok := t.Deadline(); ok {
		return max(time.Until(dl)-10*time.Second, time.Second)
	}
	return time.Hour
}
