package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/portal/storage"
	"guichet/privatefile"
)

// confirmation is what an outbox row carries: everything needed to write
// the message without reading the complaint again.
type confirmation struct {
	Reference string            `json:"reference"`
	Language  string            `json:"language"`
	Zone      complaint.Zone    `json:"zone"`
	Status    complaint.Status  `json:"status"`
	PVNumber  string            `json:"pv_number,omitempty"`
	Reason    string            `json:"reason,omitempty"`
	Email     string            `json:"email,omitempty"`
	FirstName string            `json:"first_name"`
	LastName  string            `json:"last_name"`
	Address   complaint.Address `json:"address"`
}

// confirmationFor is the citizen's confirmation of rec's outcome, queued
// in the commit of the action that caused it.
func (s *Server) confirmationFor(rec complaint.Record) (storage.NewConfirmation, error) {
	c := confirmation{
		Reference: rec.Reference, Language: i18n.Pick(rec.Language), Zone: rec.Zone, Status: rec.Status,
		PVNumber: rec.PVNumber, Reason: rec.Reason, Email: rec.Complainant.Email,
		FirstName: rec.Complainant.FirstName, LastName: rec.Complainant.LastName, Address: rec.Complainant.Address,
	}
	channel := rec.Confirmation
	if channel != complaint.ChannelPost && channel != complaint.ChannelEmail {
		channel = complaint.ChannelEmail
	}
	if channel == complaint.ChannelEmail && c.Email == "" {
		channel = complaint.ChannelPost
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return storage.NewConfirmation{}, err
	}
	return storage.NewConfirmation{Reference: rec.Reference, Channel: channel, Payload: payload, Due: s.now()}, nil
}

// defaultOutboxLease is how long a sender holds the confirmations it took
// (Options.OutboxLease): longer than any send (the relay's dial and
// answers time out well before), so that only a sender that died loses
// them to another.
const defaultOutboxLease = 10 * time.Minute

// dueConfirmation is one outbox row to send.
type dueConfirmation struct {
	id       int64
	channel  string
	attempts int
	c        confirmation
}

// sendDue sends every confirmation that is due and returns how long until
// the next retry (0 when nothing waits).
func (s *Server) sendDue(ctx context.Context) time.Duration {
	s.senderMu.Lock()
	defer s.senderMu.Unlock()
	for ctx.Err() == nil {
		leased, err := s.st.LeaseConfirmations(ctx, s.now(), s.opts.OutboxLease, 100)
		if err != nil {
			s.log.Error("read outbox", "err", err)
			return time.Minute
		}
		if len(leased) == 0 {
			break
		}
		for _, l := range leased {
			if ctx.Err() != nil {
				break
			}
			d := dueConfirmation{id: l.ID, channel: l.Channel, attempts: l.Attempts}
			if err := json.Unmarshal(l.Payload, &d.c); err != nil {
				d.c.Reference = l.Reference
				s.failConfirmation(d, permanentError("stored confirmation unreadable: "+err.Error()))
				continue
			}
			s.sendOne(ctx, d)
		}
	}
	next, ok, err := s.st.NextConfirmation(ctx)
	if err != nil || !ok {
		return 0
	}
	return max(time.Until(next), 10*time.Millisecond)
}

// errChannelOff: the channel is not configured; the confirmation waits.
var errChannelOff = errors.New("channel not configured")

func (s *Server) sendOne(ctx context.Context, d dueConfirmation) {
	var err error
	switch d.channel {
	case complaint.ChannelPost:
		err = s.writeLetter(d.id, d.c)
	default:
		err = s.sendMail(d.id, d.c)
	}
	if err == nil {
		err := s.st.ConfirmationSent(context.WithoutCancel(ctx), d.id, s.now(),
			s.auditRecord(auditEntry{Zone: d.c.Zone.Code, Kind: "confirmation", Ref: d.c.Reference, Field: d.channel, Outcome: "sent"}))
		if err != nil {
			s.log.Error("mark confirmation sent", "ref", d.c.Reference, "err", err)
		} else {
			s.log.Info("confirmation sent", "ref", d.c.Reference, "channel", d.channel)
		}
		return
	}
	if isPermanent(err) {
		s.failConfirmation(d, err)
		return
	}
	// Exponential backoff with jitter, capped.
	delay := s.opts.RetryBase << min(d.attempts, 20)
	if delay <= 0 || delay > s.opts.RetryMax {
		delay = s.opts.RetryMax
	}
	delay = delay/2 + rand.N(delay/2+1)
	msg := errorText(err)
	if err := s.st.ConfirmationRetry(context.WithoutCancel(ctx), d.id, s.now().Add(delay), msg); err != nil {
		s.log.Error("delay confirmation", "ref", d.c.Reference, "err", err)
	}
	s.log.Warn("confirmation delayed", "ref", d.c.Reference, "channel", d.channel, "attempt", d.attempts+1, "retry_in", delay.Round(time.Millisecond).String(), "err", msg)
}

// failConfirmation ends a confirmation that can never be delivered as it
// is. A failed e-mail is replaced by a letter (the citizen still gets a
// confirmation); a failed letter stays failed for the operator (guichetd
// outbox).
func (s *Server) failConfirmation(d dueConfirmation, cause error) {
	msg := errorText(cause)
	fallback := d.channel == complaint.ChannelEmail
	detail, replaceBy := msg, ""
	if fallback {
		detail += "; letter queued instead"
		replaceBy = complaint.ChannelPost
	}
	err := s.st.ConfirmationFailed(context.Background(), d.id, s.now(), msg, replaceBy,
		s.auditRecord(auditEntry{Zone: d.c.Zone.Code, Kind: "confirmation", Ref: d.c.Reference, Field: d.channel, Outcome: "failed", Detail: detail}))
	if err != nil {
		s.log.Error("mark confirmation failed", "ref", d.c.Reference, "err", err)
		return
	}
	s.log.Warn("confirmation failed for good", "ref", d.c.Reference, "channel", d.channel, "err", msg, "letter_queued", fallback)
}

// sendError is a refusal by the mail relay, kept without the relay's free
// text: a reply such as "550 5.1.1 <someone@example.be>: Recipient address
// rejected" repeats the citizen's address, and what is logged or stored
// must not.
type sendError struct {
	stage    string // MAIL, RCPT, DATA
	code     int    // SMTP reply code
	enhanced string // RFC 3463 enhanced status code, when the reply has one
}

func (e *sendError) Error() string {
	if e.enhanced != "" {
		return fmt.Sprintf("smtp %s: %d %s", e.stage, e.code, e.enhanced)
	}
	return fmt.Sprintf("smtp %s: %d", e.stage, e.code)
}

// permanent: a 5xx reply to RCPT or DATA will be the same next time. (A
// 5xx to MAIL FROM is about our sender, a setting to fix: it is retried.)
func (e *sendError) permanent() bool {
	return e.code >= 500 && e.code < 600 && (e.stage == "RCPT" || e.stage == "DATA")
}

// permanentError is a confirmation that cannot be sent as it is (no usable
// address).
type permanentError string

func (e permanentError) Error() string   { return string(e) }
func (e permanentError) permanent() bool { return true }

func isPermanent(err error) bool {
	var p interface{ permanent() bool }
	return errors.As(err, &p) && p.permanent()
}

// enhancedCode matches an enhanced status code; compiled at the first SMTP
// failure, not at every start of the programs linking the portal (the
// workstation links it for its demo).
var enhancedCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[245]\.[0-9]{1,3}\.[0-9]{1,3}$`)
})

// smtpFailure turns an error of the SMTP conversation at stage into one
// that holds no free text of the relay: its reply code and enhanced status
// code for a reply, a transport error otherwise.
func smtpFailure(stage string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		e := &sendError{stage: stage, code: te.Code}
		if first, _, _ := strings.Cut(te.Msg, " "); enhancedCode().MatchString(first) {
			e.enhanced = first
		}
		return e
	}
	return fmt.Errorf("smtp %s: %s", stage, errorText(err))
}

// addressLike matches what could be an e-mail address in an error's text
// (compiled at its first use, as enhancedCode).
var addressLike = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[^\s<>"',;:()\[\]]*@[^\s<>"',;:()\[\]]*`)
})

// errorText is the text of an error as it may be logged and stored: at
// most 300 bytes, with anything that looks like an e-mail address removed
// (transport errors name hosts and ports, not citizens; this is the last
// guard).
func errorText(err error) string {
	msg := addressLike().ReplaceAllString(err.Error(), "<address>")
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return msg
}

// confirmationText renders the subject and the body of a confirmation.
func confirmationText(c confirmation) (subject, body string) {
	t := i18n.For(c.Language).Portal.Confirmation
	zone := c.Zone.Name + " (" + c.Zone.Code + ")"
	r := strings.NewReplacer("{ref}", c.Reference, "{zone}", zone, "{pv}", c.PVNumber, "{reason}", c.Reason)
	main := t.Handled
	if c.Status == complaint.StatusRejected {
		main = t.Rejected
	}
	return r.Replace(t.Subject), t.Greeting + "\n\n" + r.Replace(main) + "\n\n" + r.Replace(t.Closing) + "\n"
}

// noCRLF removes line breaks from a value placed in a mail header.
func noCRLF(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return -1
		}
		return r
	}, s)
}

// sendMail delivers one e-mail. The Message-ID is derived from the outbox
// row so a receiver can drop a duplicate if the portal stopped between the
// server's acceptance and marking the row sent.
func (s *Server) sendMail(id int64, c confirmation) error {
	if s.opts.SMTPAddr == "" || s.opts.MailFrom == "" {
		return errChannelOff
	}
	to := noCRLF(c.Email)
	if to == "" || strings.ContainsAny(to, "<> ,") {
		return permanentError("unusable e-mail address")
	}
	subject, text := confirmationText(c)
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "From: %s\r\n", noCRLF(s.opts.MailFrom))
	fmt.Fprintf(&msg, "To: %s\r\n", to)
	fmt.Fprintf(&msg, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", noCRLF(subject)))
	fmt.Fprintf(&msg, "Date: %s\r\n", s.now().Format(time.RFC1123Z))
	fmt.Fprintf(&msg, "Message-ID: <confirmation-%d.%s@guichet>\r\n", id, noCRLF(c.Reference))
	msg.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&msg)
	qp.Write([]byte(strings.ReplaceAll(text, "\n", "\r\n")))
	qp.Close()

	conn, err := net.DialTimeout("tcp", s.opts.SMTPAddr, 10*time.Second)
	if err != nil {
		return smtpFailure("connect", err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	host, _, _ := net.SplitHostPort(s.opts.SMTPAddr)
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return smtpFailure("greeting", err)
	}
	defer cl.Close()
	if err := cl.Mail(noCRLF(s.opts.MailFrom)); err != nil {
		return smtpFailure("MAIL", err)
	}
	if err := cl.Rcpt(to); err != nil {
		return smtpFailure("RCPT", err)
	}
	w, err := cl.Data()
	if err != nil {
		return smtpFailure("DATA", err)
	}
	if _, err := w.Write(msg.Bytes()); err != nil {
		return smtpFailure("DATA", err)
	}
	if err := w.Close(); err != nil {
		return smtpFailure("DATA", err)
	}
	if err := cl.Quit(); err != nil {
		// The message was accepted: a failed QUIT changes nothing.
		s.log.Warn("smtp QUIT", "err", errorText(err))
	}
	return nil
}

// prepareSpool creates the letter spool 0700 when it does not exist. An
// existing spool other users can enter is used (the print run may need a
// group), but said: the letters in it are 0600, their names are references.
func (s *Server) prepareSpool(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return privatefile.MkdirPrivate(dir)
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("letter spool %s is not a directory", dir)
	case st.Mode().Perm()&0o077 != 0:
		s.log.Warn("the letter spool is open to other users; letters are written 0600, but consider chmod 700",
			"dir", dir, "mode", fmt.Sprintf("%04o", st.Mode().Perm()))
	}
	return nil
}

// LetterName is the file name of the letter confirming ref.
func LetterName(ref string, status complaint.Status) string {
	return ref + "-" + string(status) + ".txt"
}

// writeLetter writes a printable letter into the spool folder, atomically
// (temporary file, fsync, rename), so the print run never sees half a letter.
func (s *Server) writeLetter(id int64, c confirmation) error {
	if s.opts.LettersDir == "" {
		return errChannelOff
	}
	_, text := confirmationText(c)
	a := c.Address
	if strings.TrimSpace(a.Street) == "" || strings.TrimSpace(a.PostalCode) == "" || strings.TrimSpace(a.Municipality) == "" {
		// An e-mail confirmation that failed, for a complainant who gave
		// no postal address: nothing can be printed.
		return permanentError("no postal address")
	}
	var b strings.Builder
	b.WriteString(c.FirstName + " " + c.LastName + "\n")
	line := a.Street + " " + a.Number
	if a.Box != "" {
		line += " bte/bus " + a.Box
	}
	b.WriteString(line + "\n")
	b.WriteString(a.PostalCode + " " + a.Municipality + "\n")
	if a.Country != "" && a.Country != "BE" {
		b.WriteString(a.Country + "\n")
	}
	b.WriteString("\n" + s.now().Format("2006-01-02") + "\n\n")
	b.WriteString(text)
	// Names and addresses are the citizen's own text: keep it printable.
	letter := strings.Map(func(r rune) rune {
		if r == '\n' || r >= 0x20 && r != 0x7f && !(r >= 0x80 && r < 0xa0) {
			return r
		}
		return ' '
	}, b.String())
	if _, err := os.Stat(s.opts.LettersDir); errors.Is(err, os.ErrNotExist) {
		// Removed since the start: made again, private.
		if err := privatefile.MkdirPrivate(s.opts.LettersDir); err != nil {
			return err
		}
	}
	final := filepath.Join(s.opts.LettersDir, LetterName(c.Reference, c.Status))
	tmp, err := os.CreateTemp(s.opts.LettersDir, ".letter-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(letter); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), final)
}
