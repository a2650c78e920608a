package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"guichet/complaint"
	"guichet/store"
)

// A damaged cache — each way the review damaged one — is moved aside and
// rebuilt from the portal: the new cache equals the portal's zone, and every
// queued action that could be read is delivered exactly once (counted in
// the portal's own audit), including one the portal had already applied
// while its answer was lost.
func TestRebuildDamagedCacheDeliversSavedActionsOnce(t *testing.T) {
	damages := []struct {
		name string
		do   func([]byte) []byte
	}{
		{"garbage mid-file", func(d []byte) []byte {
			for i := len(d) / 2; i < len(d)/2+8192 && i < len(d); i++ {
				d[i] = byte(i*7 + 3)
			}
			return d
		}},
		{"truncated to half", func(d []byte) []byte { return d[:len(d)/2] }},
		{"garbage header", func(d []byte) []byte {
			for i := 0; i < 100; i++ {
				d[i] = byte(i*13 + 1)
			}
			return d
		}},
		{"zero bytes", func([]byte) []byte { return nil }},
	}
	for i, dmg := range damages {
		t.Run(dmg.name, func(t *testing.T) {
			ctx := context.Background()
			tp := newTestPortal(t)
			refs := tp.seed(300, int64(40+i))
			tok, o := tp.officer("Inspecteur Dupont")
			ws := newWorkstation(t, tp, tok, o, 100)
			if err := ws.eng.SyncOnce(ctx); err != nil {
				t.Fatal(err)
			}
			// Delivered before the damage.
			for _, ref := range refs[:3] {
				if err := ws.act(ref, complaint.Action{Type: complaint.ActionClaim}); err != nil {
					t.Fatal(err)
				}
			}
			if err := ws.eng.SyncOnce(ctx); err != nil {
				t.Fatal(err)
			}
			// Queued while offline; the first one reached the portal but
			// its answer was lost (it is still in the outbox).
			var queued []string
			for _, ref := range refs[10:14] {
				if err := ws.act(ref, complaint.Action{Type: complaint.ActionClaim}); err != nil {
					t.Fatal(err)
				}
				queued = append(queued, ref)
			}
			out, err := ws.st.PendingActions(ctx, 0)
			if err != nil || len(out) != 4 {
				t.Fatalf("outbox %d %v", len(out), err)
			}
			postLost(t, tp, tok, out[0])
			if err := ws.st.Close(); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(ws.path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(ws.path, dmg.do(data), 0o600); err != nil {
				t.Fatal(err)
			}

			st, r, err := Rebuild(ctx, Options{Server: tp.directURL(), Token: tok, HTTPClient: noKeepAlive(), Lang: "fr", PageSize: 100}, ws.path)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if !r.Relisted || r.SyncErr != nil {
				t.Fatalf("not relisted: %+v", r)
			}
			if _, err := os.Stat(r.Aside); err != nil {
				t.Fatalf("damaged file not kept aside: %v", err)
			}
			t.Logf("%s: saved %d actions, %d audit events, complete %v", dmg.name, r.Actions, r.Audit, r.Complete)
			if err := st.Check(ctx); err != nil {
				t.Fatal(err)
			}
			assertCacheEqualsServer(t, tp, st)
			d := tp.deliveries()
			for _, ref := range refs[:3] {
				if n := d[ref+" claim "+o.ID]; n != 1 {
					t.Errorf("%s delivered before the damage: %d times on the portal", ref, n)
				}
			}
			delivered := 0
			for j, ref := range queued {
				n := d[ref+" claim "+o.ID]
				if n > 1 {
					t.Errorf("%s delivered %d times", ref, n)
				}
				if j > 0 {
					delivered += n
				}
			}
			// Every saved action (but the one the portal already had) is
			// one more delivery; nothing is delivered that was not saved.
			if want := r.Actions; delivered != want && delivered != want-1 {
				t.Errorf("saved %d actions, portal applied %d of the queued ones", r.Actions, delivered)
			}
			if dmg.name == "garbage header" && (r.Actions != 4 || delivered != 3) {
				t.Errorf("header damage: the pages behind it hold every queued action: %+v, %d delivered", r, delivered)
			}
			if dmg.name == "garbage mid-file" && (r.Actions != 4 || delivered != 3 || !r.Complete) {
				t.Errorf("mid-file damage must keep every queued action: %+v, %d delivered", r, delivered)
			}
		})
	}
}

// postLost sends a queued action to the portal as the engine would, and
// forgets the answer (as when the connection dropped after the commit).
func postLost(t *testing.T, tp *testPortal, tok string, e store.OutboxEntry) {
	t.Helper()
	body, _ := json.Marshal(e.Action)
	req, _ := http.NewRequest(http.MethodPost, tp.directURL()+"/v1/zones/"+testZone+"/complaints/"+e.Reference+"/actions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", e.Key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("direct POST: %d", resp.StatusCode)
	}
}
