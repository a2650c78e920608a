package portal

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"guichet/complaint"
)

// relay is a real SMTP server (go-smtp) that refuses like a real relay:
// refuse(stage, recipient) returns the reply for RCPT or DATA (nil
// accepts). It counts what it was asked.
type relay struct {
	refuse func(stage, to string) *smtp.SMTPError
	mu     sync.Mutex
	rcpts  map[string]int
	mails  []string
}

func (r *relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }

type relaySession struct {
	r  *relay
	to string
}

func (s *relaySession) Reset()                               {}
func (s *relaySession) Logout() error                        { return nil }
func (s *relaySession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	s.r.rcpts[to]++
	s.r.mu.Unlock()
	s.to = to
	if e := s.r.refuse("RCPT", to); e != nil {
		return e
	}
	return nil
}
func (s *relaySession) Data(rd io.Reader) error {
	b, _ := io.ReadAll(rd)
	if e := s.r.refuse("DATA", s.to); e != nil {
		return e
	}
	s.r.mu.Lock()
	s.r.mails = append(s.r.mails, string(b))
	s.r.mu.Unlock()
	return nil
}

func (r *relay) rcptCount(to string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rcpts[to]
}

func startRelay(t *testing.T, refuse func(stage, to string) *smtp.SMTPError) (*relay, string) {
	r := &relay{refuse: refuse, rcpts: map[string]int{}}
	srv := smtp.NewServer(r)
	srv.Domain = "relay.example"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r, ln.Addr().String()
}

// fileAndClose files the sample complaint, claims it and handles it, so a
// confirmation is queued.
// retryingMailPortal is a test portal that sends its confirmations by
// SMTP to addr and writes its letters in letters, retrying after 10 to 40
// ms, with its notifier running; and the token of an officer of zone
// 5275. logger may be nil.
func retryingMailPortal(t *testing.T, addr, letters string, logger *slog.Logger) (*testPortal, string) {
	t.Helper()
	tp := newTestPortal(t, Options{SMTPAddr: addr, MailFrom: "noreply@police.example.be", LettersDir: letters, Logger: logger,
		RetryBase: 10 * time.Millisecond, RetryMax: 40 * time.Millisecond})
	tok, _ := tp.officer("5275", "Agent")
	runNotifier(t, tp.srv)
	return tp, tok
}

func fileAndHandle(t *testing.T, tp *testPortal, tok string, sub *complaint.Submission) string {
	t.Helper()
	rc, err := tp.srv.Intake(context.Background(), sub, "")
	if err != nil {
		t.Fatal(err)
	}
	tp.action("5275", rc.Reference, tok, "c-"+rc.Reference, complaint.Action{Type: complaint.ActionClaim})
	if r := tp.action("5275", rc.Reference, tok, "h-"+rc.Reference, complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"}); r.Status != 200 {
		t.Fatalf("handle: %d %s", r.Status, r.Body)
	}
	return rc.Reference
}

// TestRelayRefusalKeepsNoPersonalData: a relay that answers 550 with the
// address in its text, on every try: no log line and no stored error holds
// the complainant's address, name, national number or phone.
func TestRelayRefusalKeepsNoPersonalData(t *testing.T) {
	for _, code := range []int{550, 450} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			refuse := func(stage, to string) *smtp.SMTPError {
				if stage != "RCPT" {
					return nil
				}
				return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1},
					Message: "<" + to + ">: Recipient address rejected: User unknown in virtual mailbox table (Marc Dubois, +32470123456, 85073003328)"}
			}
			rl, addr := startRelay(t, refuse)
			logs := &lockedBuffer{}
			tp, tok := retryingMailPortal(t, addr, t.TempDir(), slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
			sub := sampleSubmission(time.Now())
			fileAndHandle(t, tp, tok, sub)
			waitFor(t, func() bool { return rl.rcptCount(sub.Complainant.Email) >= 1 }, "a refusal")
			time.Sleep(200 * time.Millisecond) // several retries for 4xx
			tp.stop()

			c := sub.Complainant
			secrets := []string{c.Email, "marc.dubois", c.FirstName, c.LastName, c.Identification.NationalNumber, "85.07.30", c.Phone, "470123456"}
			var stored []string
			db, err := Open(tp.path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, state := range []string{"pending", "failed"} {
				items, err := db.OutboxItems(state, 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					stored = append(stored, it.LastError)
				}
			}
			events, err := db.Audit(AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				stored = append(stored, e.Detail)
			}
			lines := strings.Split(logs.String(), "\n")
			var relayed int
			for _, l := range lines {
				if strings.Contains(l, "RCPT") {
					relayed++
				}
			}
			if relayed == 0 || !slicesContainsSubstr(stored, fmt.Sprintf("smtp RCPT: %d %d.1.1", code, code/100)) {
				t.Fatalf("the refusal is neither logged nor stored as its code:\n%s\n%q", logs, stored)
			}
			for _, secret := range secrets {
				for i, l := range lines {
					if strings.Contains(l, secret) {
						t.Errorf("log line %d holds %q: %s", i, secret, l)
					}
				}
				for _, s := range stored {
					if strings.Contains(s, secret) {
						t.Errorf("stored error holds %q: %s", secret, s)
					}
				}
			}
		})
	}
}

func slicesContainsSubstr(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestPermanentRelayRefusalFallsBackToLetter: a 5xx to RCPT or to DATA is
// not retried; the e-mail is marked failed, a letter is written instead,
// and the operator's counts say so. A 4xx keeps being retried.
func TestPermanentRelayRefusalFallsBackToLetter(t *testing.T) {
	for _, tc := range []struct {
		name, stage string
		code        int
	}{
		{"550 on RCPT", "RCPT", 550},
		{"554 on DATA", "DATA", 554},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rl, addr := startRelay(t, func(stage, to string) *smtp.SMTPError {
				if stage == tc.stage {
					return &smtp.SMTPError{Code: tc.code, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "refused: " + to}
				}
				return nil
			})
			letters := t.TempDir()
			tp, tok := retryingMailPortal(t, addr, letters, nil)
			sub := sampleSubmission(time.Now())
			ref := fileAndHandle(t, tp, tok, sub)
			letter := filepath.Join(letters, LetterName(ref, complaint.StatusHandled))
			waitFor(t, func() bool { _, err := os.Stat(letter); return err == nil }, "the letter that replaces the e-mail")
			time.Sleep(300 * time.Millisecond) // many retry periods
			if n := rl.rcptCount(sub.Complainant.Email); n != 1 {
				t.Errorf("the relay was asked %d times, want once", n)
			}
			b, _ := os.ReadFile(letter)
			if !strings.Contains(string(b), "Rue Haute 12") || !strings.Contains(string(b), ref) {
				t.Errorf("letter:\n%s", b)
			}
			counts, err := tp.srv.OutboxCounts()
			if err != nil {
				t.Fatal(err)
			}
			want := []OutboxCount{{Channel: "email", Failed: 1}, {Channel: "post", Sent: 1}}
			if fmt.Sprint(counts) != fmt.Sprint(want) {
				t.Errorf("counts %+v, want %+v", counts, want)
			}
			failed, _ := tp.srv.OutboxItems("failed", 0)
			if len(failed) != 1 || failed[0].Reference != ref || failed[0].Attempts != 1 ||
				failed[0].LastError != fmt.Sprintf("smtp %s: %d 5.7.1", tc.stage, tc.code) {
				t.Errorf("failed items %+v", failed)
			}
			if n := countAudit(t, tp.srv, "confirmation", "failed"); n != 1 {
				t.Errorf("%d audit rows of the failure", n)
			}
		})
	}
	t.Run("450 on RCPT is retried", func(t *testing.T) {
		rl, addr := startRelay(t, func(stage, to string) *smtp.SMTPError {
			if stage == "RCPT" {
				return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "try later"}
			}
			return nil
		})
		tp, tok := retryingMailPortal(t, addr, t.TempDir(), nil)
		sub := sampleSubmission(time.Now())
		fileAndHandle(t, tp, tok, sub)
		waitFor(t, func() bool { return rl.rcptCount(sub.Complainant.Email) >= 3 }, "three tries")
		counts, _ := tp.srv.OutboxCounts()
		if counts[0].Failed != 0 || counts[0].Pending != 1 || counts[0].Retrying != 1 || counts[1] != (OutboxCount{Channel: "post"}) {
			t.Errorf("counts %+v", counts)
		}
	})
	t.Run("no postal address", func(t *testing.T) {
		_, addr := startRelay(t, func(stage, to string) *smtp.SMTPError {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no"}
		})
		tp, tok := retryingMailPortal(t, addr, t.TempDir(), nil)
		sub := sampleSubmission(time.Now())
		sub.Complainant.Address = complaint.Address{}
		fileAndHandle(t, tp, tok, sub)
		waitFor(t, func() bool {
			counts, _ := tp.srv.OutboxCounts()
			return counts[0].Failed == 1 && counts[1].Failed == 1
		}, "both the e-mail and its letter failed, for the operator to see")
	})
}
