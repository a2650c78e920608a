package sync

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Backoff bounds.
const (
	backoffBase = time.Second
	backoffMax  = 60 * time.Second
)

// backoff is exponential with full jitter: the n-th consecutive failure waits
// a random time in [d/2, d] with d = base·2ⁿ capped at max, so workstations
// that lost the portal together do not come back together.
type backoff struct {
	base, max time.Duration
	failures  int
	rnd       func() float64
}

func (b *backoff) next() time.Duration {
	d := b.base
	for i := 0; i < b.failures && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	b.failures++
	r := rand.Float64
	if b.rnd != nil {
		r = b.rnd
	}
	return d/2 + time.Duration(r()*float64(d/2))
}

func (b *backoff) reset() { b.failures = 0 }

// Trigger asks a running Run loop for a round now ("sync now", or a new
// action queued). It never blocks; triggers during a round coalesce into one
// round after it.
func (e *Engine) Trigger() {
	select {
	case e.trigger <- struct{}{}:
	default:
	}
}

// Run syncs every interval until ctx ends, at once when triggered, and after
// a backoff with jitter when a round fails on the network or a 5xx. It
// returns ctx.Err() when ctx ends, or ErrAuth (wrapped) when the portal
// refuses the token: the officer must give a new token; nothing queued is
// lost meanwhile.
func (e *Engine) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	bo := backoff{base: backoffBase, max: backoffMax}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		case <-e.trigger:
		}
		err := e.SyncOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := interval
		switch {
		case err == nil:
			bo.reset()
		case errors.Is(err, ErrAuth):
			return err
		default:
			wait = retryWait(err, &bo)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
	}
}
