package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	gosync "sync"
	"sync/atomic"
	"time"

	"guichet/complaint"
	"guichet/portal"
	"guichet/portal/demodata"
)

// demoClock is the embedded portal's clock: while the demo builds its past
// it says "then", afterwards it is the real time.
type demoClock struct{ at atomic.Pointer[time.Time] }

func (c *demoClock) Now() time.Time {
	if t := c.at.Load(); t != nil {
		return *t
	}
	return time.Now()
}

func (c *demoClock) set(t time.Time) { c.at.Store(&t) }
func (c *demoClock) real()           { c.at.Store(nil) }

// Shape of the demo's past: complaints filed over eight weeks, three times
// a day, and two colleagues who take most of the older ones in charge and
// handle or reject them, so every tab and the statistics have real content.
const (
	demoDays  = 56
	demoSlots = 3 // filing and working times per day
)

var demoSlotHours = [demoSlots]int{9, 14, 19}

var demoRejectReasons = []string{
	"Faits non constitutifs d'une infraction pénale.",
	"Plainte déjà enregistrée sous un autre numéro de PV.",
	"Geen strafbaar feit: burgerlijk geschil.",
	"Doppelte Anzeige, bereits bearbeitet.",
}

// demoAction is one colleague's action at one time.
type demoAction struct {
	ref   string
	token string
	act   complaint.Action
}

// seedHistory files count complaints through the portal's own intake at
// past times and applies the colleagues' actions through its HTTP API, each
// at its time. Actions of one time slot touch different complaints and run
// together (the portal groups their commits).
func seedHistory(ctx context.Context, srv *portal.Server, clock *demoClock, count int, seed int64) error {
	defer clock.real()
	r := rand.New(rand.NewPCG(uint64(seed), 0x5275))
	var tokens []string
	for _, name := range []string{"Agent Peeters", "Inspectrice Lambert"} {
		tok, _, err := srv.AddOfficer(demoZone, name)
		if err != nil {
			return err
		}
		tokens = append(tokens, tok)
	}
	handler := srv.Handler()
	now := time.Now()
	day0 := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local).AddDate(0, 0, -demoDays)
	slotTime := func(s int) time.Time {
		d, h := s/demoSlots, demoSlotHours[s%demoSlots]
		return day0.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour + time.Duration(r.IntN(50))*time.Minute)
	}
	last := demoDays * demoSlots // slots before today
	later := make(map[int][]demoAction)
	pv := 0
	filed := 0
	for s := 0; s < last && filed < count; s++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		at := slotTime(s)
		if !at.Before(now) {
			break
		}
		clock.set(at)
		if err := runDemoActions(ctx, handler, later[s]); err != nil {
			return err
		}
		delete(later, s)
		// Spread what is left over the slots left, with some noise.
		n := (count - filed) / (last - s)
		n += r.IntN(3) - 1
		if s == last-1 {
			n = count - filed
		}
		n = max(0, min(n, count-filed))
		if n == 0 {
			continue
		}
		refs, err := demodata.Seed(ctx, srv, demoZone, n, seed+int64(s))
		if err != nil {
			return err
		}
		filed += len(refs)
		for _, ref := range refs {
			tok := tokens[r.IntN(len(tokens))]
			age := last - s
			// Recent complaints mostly wait in New; older ones are worked.
			if r.IntN(100) >= min(85, age*4) {
				continue
			}
			claim := s + 1 + r.IntN(4)
			if claim >= last {
				continue
			}
			later[claim] = append(later[claim], demoAction{ref, tok, complaint.Action{Type: complaint.ActionClaim}})
			done := claim + 1 + r.IntN(9)
			if done >= last || r.IntN(100) < 6 {
				continue // still in progress
			}
			if r.IntN(100) < 12 {
				reason := demoRejectReasons[r.IntN(len(demoRejectReasons))]
				later[done] = append(later[done], demoAction{ref, tok, complaint.Action{Type: complaint.ActionReject, Reason: reason}})
				continue
			}
			pv++
			year := slotTime(done).Year()
			later[done] = append(later[done], demoAction{ref, tok, complaint.Action{Type: complaint.ActionHandle,
				PVNumber: fmt.Sprintf("NI.55.L5.%06d/%d", 10000+pv, year)}})
		}
	}
	// Actions planned after the last slot filed (none expected) run now.
	var rest []int
	for s := range later {
		rest = append(rest, s)
	}
	sort.Ints(rest)
	for _, s := range rest {
		at := slotTime(s)
		if at.After(now) {
			at = now
		}
		clock.set(at)
		if err := runDemoActions(ctx, handler, later[s]); err != nil {
			return err
		}
	}
	return nil
}

// runDemoActions posts one slot's actions to the portal's handler in
// process, concurrently.
func runDemoActions(ctx context.Context, h http.Handler, acts []demoAction) error {
	errs := make([]error, len(acts))
	var wg gosync.WaitGroup
	for i, a := range acts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(a.act)
			req := httptest.NewRequestWithContext(ctx, "POST", "/v1/zones/"+demoZone+"/complaints/"+a.ref+"/actions", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+a.token)
			req.Header.Set("Idempotency-Key", fmt.Sprintf("demo-%s-%s", a.ref, a.act.Type))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				errs[i] = fmt.Errorf("demo %s %s: %d %s", a.act.Type, a.ref, rec.Code, rec.Body.String())
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
