package lock

import "time"

// DefaultIdle is the idle time before the screen locks when Idle.Timeout
// is not set (CJIS asks for at most 30 minutes).
const DefaultIdle = 15 * time.Minute

// Idle tracks the time since the officer's last key. It is a plain value:
// no goroutine, no clock of its own; the TUI calls Touch on each key and
// Expired on its own tea.Tick.
//
// A tracker never touched counts as expired, so a screen that forgets to
// start it locks rather than stays open.
type Idle struct {
	// Timeout is how long without a key before the lock; 0 or less means
	// DefaultIdle (the lock cannot be switched off).
	Timeout time.Duration
	last    time.Time
}

// Touch records activity at now. Pass time.Now() values: their monotonic
// reading keeps a wall-clock change from moving the lock.
func (i *Idle) Touch(now time.Time) { i.last = now }

// Expired reports whether the timeout has passed since the last Touch.
func (i Idle) Expired(now time.Time) bool {
	return i.Remaining(now) == 0
}

// Remaining is the time left before Expired (0 once expired), for the TUI
// to schedule its next tick.
func (i Idle) Remaining(now time.Time) time.Duration {
	if i.last.IsZero() {
		return 0
	}
	left := i.timeout() - now.Sub(i.last)
	return min(max(left, 0), i.timeout())
}

func (i Idle) timeout() time.Duration {
	if i.Timeout <= 0 {
		return DefaultIdle
	}
	return i.Timeout
}
