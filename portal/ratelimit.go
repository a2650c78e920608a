package portal

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
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
// the TCP peer's IP address; for IPv6 its /64 network, which one subscriber
// usually holds whole.
func sourceKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return "(unknown)"
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
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
