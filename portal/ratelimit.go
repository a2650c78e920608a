package portal

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"guichet/complaint"
)

// RateLimit allows Burst events at once per source address, refilled at
// Burst per Per (a token bucket): "20 a minute" is {20, time.Minute}. The
// zero value means the default of the option; Burst < 0 turns the limit off.
type RateLimit struct {
	Burst int
	Per   time.Duration
}

// Default limits (see README, "Limits").
var (
	// DefaultAuthFailureLimit: failed authentications per source address.
	DefaultAuthFailureLimit = RateLimit{Burst: 20, Per: time.Minute}
	// DefaultIntakeLimit: complaints filed per source address. Generous:
	// a municipal help desk or a carrier-grade NAT files for many people.
	DefaultIntakeLimit = RateLimit{Burst: 60, Per: time.Hour}
	// DefaultStatusLookupLimit: citizens' status lookups per source
	// address. A reference has 40 random bits and the birth date must match
	// too; the limit makes guessing pointless.
	DefaultStatusLookupLimit = RateLimit{Burst: 20, Per: time.Hour}
)

func (l RateLimit) off() bool { return l.Burst < 0 }

func (l RateLimit) orDefault(d RateLimit) RateLimit {
	if l.Burst == 0 || l.Per <= 0 && !l.off() {
		return d
	}
	return l
}

// String is the form ParseRateLimit reads: "20/1m0s", or "off".
func (l RateLimit) String() string {
	if l.off() {
		return "off"
	}
	return fmt.Sprintf("%d/%s", l.Burst, l.Per)
}

// ParseRateLimit reads "N/DURATION" (N events per DURATION: "20/1m",
// "60/1h") or "off".
func ParseRateLimit(s string) (RateLimit, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return RateLimit{Burst: -1}, nil
	}
	n, d, ok := strings.Cut(s, "/")
	burst, err1 := strconv.Atoi(n)
	per, err2 := time.ParseDuration(d)
	if !ok || err1 != nil || err2 != nil || burst < 1 || per <= 0 {
		return RateLimit{}, errors.New(`a rate limit is N/DURATION, such as "20/1m" or "60/1h", or "off"`)
	}
	return RateLimit{Burst: burst, Per: per}, nil
}

// maxLimiterKeys bounds the memory of a limiter; sources beyond it share
// one bucket (and are limited together).
const maxLimiterKeys = 100_000

// limiter is a token bucket per source address.
type limiter struct {
	rate      RateLimit
	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate RateLimit) *limiter {
	return &limiter{rate: rate, buckets: map[string]*bucket{}}
}

// allow takes one token of key's bucket at now. When there is none it
// returns false and how long until there is.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	if l == nil || l.rate.off() {
		return true, 0
	}
	perToken := float64(l.rate.Per) / float64(l.rate.Burst)
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > l.rate.Per || len(l.buckets) >= maxLimiterKeys {
		l.sweep(now, perToken)
	}
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxLimiterKeys {
			key = "(overflow)"
			b = l.buckets[key]
		}
		if b == nil {
			b = &bucket{tokens: float64(l.rate.Burst), at: now}
			l.buckets[key] = b
		}
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = math.Min(float64(l.rate.Burst), b.tokens+float64(elapsed)/perToken)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) * perToken)
}

// sweep forgets the buckets that are full again: they are as good as new.
func (l *limiter) sweep(now time.Time, perToken float64) {
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.tokens+float64(now.Sub(b.at))/perToken >= float64(l.rate.Burst) {
			delete(l.buckets, k)
		}
	}
}

// sourceKey is the source address a request is limited and audited under:
// the TCP peer's IP address or, when the peer is one of trusted (a reverse
// proxy that terminates TLS), the address that proxy saw — the right-most
// address of X-Forwarded-For that is not itself a trusted proxy. An IPv6
// address counts as its /64 network, which one subscriber usually holds
// whole.
func sourceKey(r *http.Request, trusted []netip.Prefix) string {
	addr := sourceAddr(r, trusted)
	switch {
	case !addr.IsValid():
		return "(unknown)"
	case addr.Is4():
		return addr.String()
	}
	p, _ := addr.Prefix(64)
	return p.String()
}

func sourceAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer := parseAddr(r.RemoteAddr)
	if !isTrusted(peer, trusted) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a := parseAddr(strings.TrimSpace(hops[i]))
		if !a.IsValid() {
			break // a hop the proxies did not write: trust nothing before it
		}
		if !isTrusted(a, trusted) {
			return a
		}
		peer = a
	}
	return peer
}

// parseAddr reads "ip", "ip:port" or "[ipv6]:port"; an IPv4-mapped IPv6
// address is its IPv4 address.
func parseAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of addresses or
// networks ("127.0.0.1,10.0.0.0/8").
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: an address or a network such as 10.0.0.0/8", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// writeTooMany answers 429 with Retry-After (whole seconds, at least 1).
func writeTooMany(w http.ResponseWriter, retry time.Duration, msg string) {
	secs := int64(math.Ceil(retry.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	writeError(w, http.StatusTooManyRequests, complaint.CodeRateLimited, msg, nil)
}
