package portal

import (
	"context"
	"io"
	"mime/quotedprintable"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"guichet/complaint"
)

// mailbox is a real SMTP server (go-smtp) that keeps what it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []receivedMail
}

type receivedMail struct {
	from, to string
	data     string
}

func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{box: m}, nil }

type mailSession struct {
	box      *mailbox
	from, to string
}

func (s *mailSession) Reset()        {}
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}
func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, receivedMail{from: s.from, to: s.to, data: string(b)})
	s.box.mu.Unlock()
	return nil
}

func (m *mailbox) all() []receivedMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]receivedMail(nil), m.msgs...)
}

func (m *mailbox) serve(t *testing.T, addr string) *smtp.Server {
	t.Helper()
	srv := smtp.NewServer(m)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port was ours a moment ago
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("listen smtp: %v", err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return srv
}

// freeAddr returns a local address nobody listens on (the SMTP server "down").
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func runNotifier(t *testing.T, s *Server) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func TestConfirmationsSurviveSMTPOutage(t *testing.T) {
	addr := freeAddr(t)
	tp := newTestPortal(t, Options{SMTPAddr: addr, MailFrom: "noreply@police.example.be",
		RetryBase: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond})
	tok, _ := tp.officer("5275", "Agent")
	runNotifier(t, tp.srv)

	langs := []string{"fr", "nl", "de", "en"}
	var refs []string
	for i := 0; i < 20; i++ {
		sub := sampleSubmission(time.Now())
		sub.Language = langs[i%4]
		rc, err := tp.srv.Intake(context.Background(), sub, "")
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, rc.Reference)
		tp.action("5275", rc.Reference, tok, "c"+rc.Reference, complaint.Action{Type: complaint.ActionClaim})
		a := complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.012345/2026"}
		if i%5 == 0 {
			a = complaint.Action{Type: complaint.ActionReject, Reason: "Les faits ne constituent pas une infraction."}
		}
		if r := tp.action("5275", rc.Reference, tok, "h"+rc.Reference, a); r.Status != 200 {
			t.Fatalf("handle: %d %s", r.Status, r.Body)
		}
	}
	// The server is down: every confirmation fails at least once and waits.
	waitFor(t, func() bool {
		items, _ := tp.srv.OutboxItems("pending", 0)
		n := 0
		for _, it := range items {
			if it.Attempts >= 1 {
				n++
			}
		}
		return n == 20
	}, "20 failed attempts")

	box := &mailbox{}
	box.serve(t, addr)
	waitFor(t, func() bool { return len(box.all()) >= 20 }, "20 mails after the server came back")
	time.Sleep(300 * time.Millisecond) // longer than RetryMax: a duplicate would show
	msgs := box.all()
	if len(msgs) != 20 {
		t.Fatalf("%d mails, want 20", len(msgs))
	}
	refRE := regexp.MustCompile(`\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`)
	got := map[string]int{}
	for _, m := range msgs {
		body, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(m.data[strings.Index(m.data, "\r\n\r\n")+4:])))
		ref := refRE.FindString(string(body))
		got[ref]++
		if m.to != "marc.dubois@example.be" || !strings.Contains(m.data, "Message-ID: <confirmation-") {
			t.Errorf("mail to %q: %s", m.to, m.data[:200])
		}
		if !strings.Contains(string(body), "NI.55.L5.012345/2026") && !strings.Contains(string(body), "Les faits ne constituent pas une infraction.") {
			t.Errorf("mail without PV number or reason: %s", body)
		}
	}
	for i, ref := range refs {
		if got[ref] != 1 {
			t.Errorf("complaint %d %s: %d mails", i, ref, got[ref])
		}
	}
}

func TestConfirmationLanguages(t *testing.T) {
	c := confirmation{Reference: "2026-AAAA-BBBB", Zone: complaint.Zone{Code: "5275", Name: "Ottignies-Louvain-la-Neuve"},
		Status: complaint.StatusHandled, PVNumber: "NI.55.L5.012345/2026"}
	want := map[string]string{"fr": "procès-verbal", "nl": "proces-verbaal", "de": "Protokoll", "en": "police report"}
	for lang, word := range want {
		c.Language = lang
		subject, body := confirmationText(c)
		if !strings.Contains(body, word) || !strings.Contains(body, c.PVNumber) || !strings.Contains(subject, c.Reference) || !strings.Contains(body, "5275") {
			t.Errorf("%s: %s / %s", lang, subject, body)
		}
	}
}

func TestPostConfirmationWritesOneLetter(t *testing.T) {
	dir := t.TempDir()
	tp := newTestPortal(t, Options{LettersDir: dir})
	tok, _ := tp.officer("5275", "Agent")
	runNotifier(t, tp.srv)
	sub := sampleSubmission(time.Now())
	sub.Confirmation = "post"
	sub.Complainant.Email = ""
	sub.Language = "nl"
	rc, err := tp.srv.Intake(context.Background(), sub, "")
	if err != nil {
		t.Fatal(err)
	}
	tp.action("5275", rc.Reference, tok, "c", complaint.Action{Type: complaint.ActionClaim})
	if r := tp.action("5275", rc.Reference, tok, "h", complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.000042/2026"}); r.Status != 200 {
		t.Fatalf("handle: %d %s", r.Status, r.Body)
	}
	name := filepath.Join(dir, LetterName(rc.Reference, complaint.StatusHandled))
	waitFor(t, func() bool { _, err := os.Stat(name); return err == nil }, "letter file")
	time.Sleep(100 * time.Millisecond)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files in spool, want 1", len(entries))
	}
	b, _ := os.ReadFile(name)
	letter := string(b)
	for _, want := range []string{"Marc Dubois", "Rue Haute 12", "1000 Bruxelles", rc.Reference, "NI.55.L5.000042/2026", "politiezone"} {
		if !strings.Contains(letter, want) {
			t.Errorf("letter lacks %q:\n%s", want, letter)
		}
	}
}
