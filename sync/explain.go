package sync

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"guichet/i18n"
	"io"
	"log"
	"net"
	"net/url"
	"syscall"
	"time"
)

// Problem is what an error of a sync round means for the officer: a kind
// with a message that says what happened and what to do, in their
// language. The raw error, which names URLs, sockets and SQL, goes to the
// debug log only (Options.DebugLog).
type Problem string

// Kinds of problems.
const (
	ProblemNone        Problem = ""
	ProblemUnreachable Problem = "unreachable"  // no answer: network, DNS, refused connection, cut
	ProblemTimeout     Problem = "timeout"      // the portal was too slow
	ProblemCertificate Problem = "certificate"  // TLS: the portal's certificate is not trusted
	ProblemAuth        Problem = "auth"         // token refused
	ProblemAuthLimited Problem = "auth_limited" // token refused, and too many refusals from this address (429)
	ProblemZone        Problem = "zone"         // the cache belongs to another zone
	ProblemPortalDown  Problem = "portal_down"  // 5xx, 429, 408: the portal is in trouble
	ProblemRefused     Problem = "refused"      // another answer the workstation did not expect
	ProblemCache       Problem = "cache"        // the local cache could not be read or written
	ProblemConfig      Problem = "config"       // the portal address is not usable
	ProblemCancelled   Problem = "cancelled"    // the program is stopping
)

// Classify tells which Problem err is.
func Classify(err error) Problem {
	var se *StatusError
	var ue *url.Error
	var ne net.Error
	var ce *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case err == nil:
		return ProblemNone
	case errors.Is(err, context.Canceled):
		return ProblemCancelled
	case errors.Is(err, ErrZoneMismatch):
		return ProblemZone
	case errors.Is(err, ErrAuthLimited):
		return ProblemAuthLimited
	case errors.Is(err, ErrAuth):
		return ProblemAuth
	case errors.Is(err, ErrInsecureURL):
		return ProblemConfig
	case errors.As(err, &ce), errors.As(err, &ua), errors.As(err, &hn), errors.As(err, &ci):
		return ProblemCertificate
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return ProblemTimeout
	case errors.As(err, &se):
		if se.transient() {
			return ProblemPortalDown
		}
		return ProblemRefused
	case errors.As(err, &ue), errors.As(err, &ne), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return ProblemUnreachable
	}
	return ProblemCache
}

// Explain is the officer's message for err in lang (package i18n, Sync;
// English for a language without it): what happened and what to do, never the raw error.
// "" for nil.
func Explain(err error, lang string) string {
	p := Classify(err)
	if p == ProblemNone {
		return ""
	}
	m := i18n.For(lang)
	if p == ProblemAuthLimited {
		return m.Sync.Problems.AuthLimited.F(retryMinutes(err))
	}
	return m.Message("sync.problem." + string(p))
}

// retryMinutes is err's Retry-After in whole minutes, rounded up, at least 1.
func retryMinutes(err error) int {
	var se *StatusError
	if !errors.As(err, &se) || se.RetryAfter <= 0 {
		return 1
	}
	return max(1, int((se.RetryAfter+time.Minute-1)/time.Minute))
}

// DebugLog keeps raw errors for support, one line each with the time.
// A nil *DebugLog discards.
type DebugLog struct {
	l *log.Logger
}

// NewDebugLog logs to w (a file beside the cache, mode 0600).
func NewDebugLog(w io.Writer) *DebugLog {
	return &DebugLog{l: log.New(w, "", 0)}
}

// Error records what failed and the raw error.
func (d *DebugLog) Error(what string, err error) {
	if d == nil || err == nil {
		return
	}
	d.l.Print(fmt.Sprintf("%s %s [%s]: %v", time.Now().UTC().Format(time.RFC3339), what, Classify(err), err))
}
