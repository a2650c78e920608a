package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"guichet/complaint"
	"guichet/portal"
	"guichet/portal/demodata"
)

// refusingRelay is a real SMTP server that refuses every recipient with
// 550 and the address in its text, as relays do.
type refusingRelay struct{}

func (refusingRelay) NewSession(*smtp.Conn) (smtp.Session, error) { return refusingSession{}, nil }

type refusingSession struct{}

func (refusingSession) Reset()                               {}
func (refusingSession) Logout() error                        { return nil }
func (refusingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (refusingSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: Recipient address rejected"}
}
func (refusingSession) Data(io.Reader) error { return nil }

// TestOutboxCommand: after the relay refused an e-mail for good, `guichetd
// outbox` shows it failed and its letter waiting (no spool configured),
// and neither the counts nor the lists hold the citizen's personal data.
func TestOutboxCommand(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	relay := smtp.NewServer(refusingRelay{})
	relay.Domain = "relay.example"
	go relay.Serve(ln)
	defer relay.Close()

	db := filepath.Join(t.TempDir(), "p.db")
	srv, err := portal.Open(db, portal.Options{SMTPAddr: ln.Addr().String(), MailFrom: "noreply@police.example.be"})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := srv.AddOfficer("5275", "Agent")
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := demodata.Seed(context.Background(), srv, "5275", 20, 7)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	get := func(ref string) (rec complaint.Record) {
		req, _ := http.NewRequest("GET", hs.URL+"/v1/zones/5275/complaints/"+ref, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(&rec)
		return rec
	}
	// A complaint to confirm by e-mail.
	var refs []string
	var rec complaint.Record
	for _, ref := range seeded {
		if rec = get(ref); rec.Confirmation == complaint.ChannelEmail && rec.Complainant.Email != "" {
			refs = append(refs, ref)
			break
		}
	}
	if len(refs) == 0 {
		t.Fatal("no seeded complaint confirmed by e-mail")
	}
	for i, a := range []complaint.Action{{Type: complaint.ActionClaim}, {Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"}} {
		req, _ := http.NewRequest("POST", hs.URL+"/v1/zones/5275/complaints/"+refs[0]+"/actions", bytes.NewReader(mustJSON(t, a)))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", "k"+string(rune('0'+i)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("action %d: %v %v", i, err, resp)
		}
		resp.Body.Close()
	}
	hs.Close()
	c := rec.Complainant
	if c.Email == "" || c.LastName == "" {
		t.Fatalf("seeded complaint %+v", rec)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Run(ctx); close(done) }()
	// Run refuses the e-mail for good, queues the letter that replaces it,
	// then tries that letter once (no spool: it waits, retrying). Wait for
	// that whole state, the one checked below, not for the letter to exist:
	// on a loaded machine Run may not have tried it yet. No wall-clock
	// limit: the test's own deadline (go test -timeout) ends a run that
	// never gets there, with the counts it saw.
	for {
		counts, err := srv.OutboxCounts()
		if err == nil && len(counts) == 2 && counts[0].Failed == 1 && counts[1].Pending == 1 && counts[1].Retrying == 1 {
			break
		}
		if dl, ok := t.Deadline(); ok && time.Until(dl) < 10*time.Second {
			t.Fatalf("counts %+v, err %v", counts, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	srv.Close()

	out, _, err := runCmd(t, "outbox", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(out)
	want := strings.Fields("CHANNEL PENDING RETRYING FAILED SENT email 0 0 1 0 post 1 1 0 0")
	if strings.Join(fields, " ") != strings.Join(want, " ") {
		t.Errorf("outbox:\n%s", out)
	}
	failed, _, err := runCmd(t, "outbox", "--db", db, "--failed")
	if err != nil || !strings.Contains(failed, refs[0]) || !strings.Contains(failed, "smtp RCPT: 550 5.1.1") {
		t.Errorf("outbox --failed: %v\n%s", err, failed)
	}
	pending, _, err := runCmd(t, "outbox", "--db", db, "--pending", "--json")
	var items []portal.OutboxItem
	if err != nil || json.Unmarshal([]byte(pending), &items) != nil || len(items) != 1 || items[0].Channel != "post" || items[0].Replaces == 0 {
		t.Errorf("outbox --pending --json: %v\n%s", err, pending)
	}
	// Whose complaint it is appears nowhere.
	for _, text := range []string{out, failed, pending} {
		for _, secret := range []string{c.Email, c.FirstName, c.LastName, c.Phone, c.Identification.NationalNumber, c.Address.Street, "@"} {
			if secret != "" && strings.Contains(text, secret) {
				t.Errorf("%q in the output:\n%s", secret, text)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestServeLimitFlags: the limits are read as N/DURATION or off; anything
// else stops serve before it opens anything.
func TestServeLimitFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	for _, args := range [][]string{
		{"--auth-fail-limit", "many"},
		{"--intake-limit", "0/1h"},
		{"--intake-limit", "60"},
		{"--trusted-proxy", "proxy.example"},
	} {
		_, stderr, err := runCmd(t, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"}, args...)...)
		if err == nil || !strings.Contains(stderr+err.Error(), "N/DURATION") && !strings.Contains(err.Error(), "trusted proxy") {
			t.Errorf("%v: %v %q", args, err, stderr)
		}
	}
}
