package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"guichet/store"
)

// Another address for the same portal (another host name, http → https)
// makes another cache file: the actions queued in the old one would wait
// there for ever. Each command and the TUI look for such caches beside the
// one in use (waitingElsewhere) and say how to deliver their work:
// `guichet sync --from OLDCACHE` (handover).

// elsewhere is a cache beside the one in use with work for the portal.
type elsewhere struct {
	path string
	w    store.Waiting
}

// waitingElsewhere lists the other caches in the directory of st that
// belong to the same zone and officer and hold queued actions or unsent
// audit events. Files that are not caches are left alone (store.Peek
// never writes). The identity of st is read only when there are other
// caches to compare it with: with one cache, a command reads nothing more.
func waitingElsewhere(ctx context.Context, st *store.Store) []elsewhere {
	matches, _ := filepath.Glob(filepath.Join(store.GlobQuote(filepath.Dir(st.Path())), "*.db"))
	matches = slices.DeleteFunc(matches, func(m string) bool { return m == st.Path() })
	if len(matches) == 0 {
		return nil
	}
	id, err := st.Identity(ctx)
	if err != nil || id.Zone == "" || id.OfficerID == "" {
		return nil
	}
	sort.Strings(matches)
	var out []elsewhere
	for _, m := range matches {
		w, err := store.Peek(m)
		if err != nil || w.Identity.Zone != id.Zone || w.Identity.OfficerID != id.OfficerID {
			continue
		}
		if w.Actions > 0 || w.Audit > 0 {
			out = append(out, elsewhere{m, w})
		}
	}
	return out
}

// tellWaitingElsewhere says, on stderr and on the TUI's first screen,
// which other caches hold work for the portal and how to deliver it.
func (a *app) tellWaitingElsewhere(st *store.Store) {
	for _, e := range waitingElsewhere(a.ctx, st) {
		a.warn(a.m().WaitingElsewhere, e.path, e.w.Actions, e.w.Audit, e.w.Identity.ServerURL, e.path)
		a.notices = append(a.notices, a.t(a.m().TUIWaitingElsewhere, e.w.Actions))
	}
}

// handover moves the queued actions and unsent audit events of the cache
// at from into st (store.Handover), after checking it is a cache of the
// same zone whose actions are all this officer's. The sync that follows
// delivers them.
func (a *app) handover(st *store.Store, from string) error {
	abs, err := filepath.Abs(from)
	if err != nil {
		return err
	}
	if abs == st.Path() {
		return errors.New(a.t(a.m().FromSame, from))
	}
	if _, err := os.Stat(abs); err != nil {
		return errors.New(a.t(a.m().FromNotCache, from, err))
	}
	w, err := store.Peek(abs)
	if err != nil {
		return errors.New(a.t(a.m().FromNotCache, from, err))
	}
	id, err := st.Identity(a.ctx)
	if err != nil {
		return err
	}
	if w.Identity.Zone != id.Zone {
		return errors.New(a.t(a.m().FromOtherZone, from, w.Identity.Zone, id.Zone))
	}
	old, err := store.Open(abs)
	if err != nil {
		return a.storeError(err)
	}
	defer old.Close()
	queued, err := old.PendingActions(a.ctx, 0)
	if err != nil {
		return err
	}
	for _, q := range queued {
		if q.By.ID != id.OfficerID {
			return errors.New(a.t(a.m().FromOtherOfficer, from, q.By.Name, id.OfficerName))
		}
	}
	sv, err := old.Handover(a.ctx, st)
	if err != nil {
		return err
	}
	a.say(a.m().FromMoved, len(sv.Actions), len(sv.Audit), from)
	return nil
}
