package sync

import (
	"context"
	"fmt"

	"guichet/store"
)

// Rebuilt says what Rebuild did with a damaged cache.
type Rebuilt struct {
	Aside    string // where the damaged file now is
	Actions  int    // queued actions read from it and queued again
	Audit    int    // unsent audit events read from it and queued again
	Complete bool   // every queued action and audit event could be read
	// Relisted is true when the zone was pulled again whole; false when the
	// portal could not be reached (SyncErr): the next sync does it.
	Relisted bool
	SyncErr  error
}

// Rebuild replaces the damaged cache at path: it saves what can still be
// read (store.Salvage moves the file aside), opens a new cache at path,
// queues the saved actions and audit events again with their idempotency
// keys, and runs one sync round, which delivers them and pulls the whole
// zone from the portal. The new cache is returned open, also when the
// portal cannot be reached (Relisted false: the saved work is safe in it
// and the next sync finishes the job). An error means no new cache could
// be made; the saved work is then still in the file moved aside.
func Rebuild(ctx context.Context, opts Options, path string) (*store.Store, Rebuilt, error) {
	var r Rebuilt
	sv, err := store.Salvage(path)
	if err != nil {
		return nil, r, err
	}
	r.Aside, r.Complete = sv.Aside, sv.Complete
	if base, err := checkServer(opts.Server, opts.Insecure); err != nil || sv.Identity.ServerURL != base.String() {
		// Another portal address: the engine learns the identity anew.
		sv.Identity = store.Identity{}
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, r, fmt.Errorf("sync: new cache after damage: %w", err)
	}
	if r.Actions, r.Audit, err = st.Requeue(ctx, sv); err != nil {
		st.Close()
		return nil, r, fmt.Errorf("sync: queue the saved actions again: %w", err)
	}
	eng, err := New(opts, st)
	if err != nil {
		r.SyncErr = err
		return st, r, nil
	}
	if err := eng.SyncOnce(ctx); err != nil {
		r.SyncErr = err
		return st, r, nil
	}
	r.Relisted = true
	// Actions the portal could not settle yet stay queued: show them on
	// the complaints the relist brought back.
	if err := st.ReplayQueued(ctx); err != nil {
		r.SyncErr = err
	}
	return st, r, nil
}
