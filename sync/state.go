package sync

import (
	stdsync "sync"
	"time"
)

// State is what the workstation shows about synchronisation. It is a value:
// a subscriber owns the copy it receives.
type State struct {
	// Online is true after the last exchange with the portal succeeded
	// and false after a network error, a 5xx or a refused token.
	Online bool
	// Syncing is true while a sync round runs.
	Syncing bool
	// Pulled counts feed items applied in the current (or last) round;
	// Total is how many the round will bring when known, else 0 (the
	// portal says how many follow its first page).
	Pulled int
	Total  int
	// PullStarted is when the round's pull asked for its first page and
	// PulledAt when it applied its last one: the rate of the pull.
	PullStarted, PulledAt time.Time
	// Pending is the number of actions waiting in the outbox; Conflicts
	// the number of refused actions the officer has not dismissed.
	Pending   int
	Conflicts int
	// LastSync is when a round last completed without error; before one
	// did in this run, when the cache last applied a feed page (zero:
	// never synced).
	LastSync time.Time
	// Err is the error of the last round (nil after a good round).
	Err error
	// AuthFailed says the portal refused the token (revoked, or for
	// another zone); syncing stops until the officer gives a new token.
	AuthFailed bool
}

// stateHub holds the current State and hands copies to subscribers with
// latest-value semantics: each subscriber has a one-slot channel; a new
// value replaces an unread old one, so a slow subscriber never blocks the
// engine and always ends up with the latest state.
type stateHub struct {
	mu   stdsync.Mutex
	cur  State
	subs map[int]chan State
	next int
}

func (h *stateHub) get() State {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cur
}

// update changes the state under the lock and publishes the result.
func (h *stateHub) update(f func(*State)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f(&h.cur)
	for _, ch := range h.subs {
		offer(ch, h.cur)
	}
}

// offer puts s in the one-slot channel ch, replacing an unread value.
// Called with the hub lock held, so nobody else sends on ch meanwhile.
func offer(ch chan State, s State) {
	for {
		select {
		case ch <- s:
			return
		default:
		}
		select {
		case <-ch: // drop the stale value
		default:
		}
	}
}

// subscribe returns a channel that holds the current state at once and
// then the latest state after each change, and a cancel func that closes it.
func (h *stateHub) subscribe() (<-chan State, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = make(map[int]chan State)
	}
	id := h.next
	h.next++
	ch := make(chan State, 1)
	ch <- h.cur
	h.subs[id] = ch
	var once stdsync.Once
	return ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, id)
			close(ch) // ends a range over the channel
			h.mu.Unlock()
		})
	}
}

// Progress is the pull's rate (items per second) and the time left at that
// rate; ok is false until both can be told (a page applied, Total known).
func (s State) Progress() (rate float64, left time.Duration, ok bool) {
	el := s.PulledAt.Sub(s.PullStarted)
	if s.Pulled <= 0 || s.Total <= 0 || el <= 0 {
		return 0, 0, false
	}
	rate = float64(s.Pulled) / el.Seconds()
	left = time.Duration(float64(max(s.Total-s.Pulled, 0)) / rate * float64(time.Second))
	return rate, left, true
}
