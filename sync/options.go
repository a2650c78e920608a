package sync

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Options configures an Engine.
type Options struct {
	// Server is the portal's base URL, e.g. https://guichet.example.be.
	// Plain http:// is accepted only for a loopback host unless Insecure.
	Server string
	// Token is the officer's bearer token (one officer of one zone).
	Token string
	// Insecure allows plain http:// to a non-loopback host (--insecure).
	Insecure bool
	// HTTPClient sends the requests; a client with sane timeouts when nil.
	HTTPClient *http.Client
	// Lang is the officer's language (one of i18n.Languages()) for messages the
	// engine produces and asks the portal for.
	Lang string
	// PageSize is how many feed items one request asks for (default 500).
	PageSize int
	// AuditBatch is how many audit events one POST carries (default 500).
	AuditBatch int
	// DebugLog receives the raw error of every failed round (nil: none).
	// The officer sees Explain's message instead.
	DebugLog *DebugLog
}

// Defaults.
const (
	DefaultPageSize   = 500
	DefaultAuditBatch = 500
	maxPageSize       = 1000
)

// ErrInsecureURL refuses plain http:// to a host that is not loopback.
var ErrInsecureURL = errors.New("plain http:// is only allowed to this machine (loopback); use https:// or --insecure")

// checkServer validates the server URL and returns it without a trailing
// slash.
func checkServer(raw string, insecure bool) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, errors.New("no portal server given (--server or GUICHET_SERVER)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("portal server URL: %w", err)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("portal server URL %q: want scheme://host[:port][/path]", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !insecure && !isLoopback(u.Hostname()) {
			return nil, ErrInsecureURL
		}
	default:
		return nil, fmt.Errorf("portal server URL %q: scheme must be https (or http to loopback)", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// isLoopback reports whether host is localhost, 127.0.0.0/8 or ::1. Names
// other than localhost are not resolved: a DNS answer must not decide
// whether a token travels in clear.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// defaultHTTPClient bounds every phase of a request except reading a long
// feed body, which the request context bounds instead.
func defaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 30 * time.Second
	tr.TLSHandshakeTimeout = 10 * time.Second
	tr.MaxIdleConnsPerHost = 4
	return &http.Client{
		Transport: tr,
		// A redirect could carry the bearer token elsewhere: never follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
