package main

import (
	"context"
	"errors"

	"guichet/store"
	"guichet/sync"
)

// openStore opens the cache at path. A damaged cache is rebuilt from the
// portal with the work it still holds (rebuild); a read-only one is
// explained in the officer's language. A cache written by an older guichet
// is migrated first, which takes seconds for a large zone: the officer is
// told why nothing shows yet (on stderr, before the TUI takes the screen).
func (a *app) openStore(path string) (*store.Store, error) {
	st, err := store.OpenWith(path, store.OpenOptions{Migrating: func(from, to int) {
		a.warn(a.m().CacheMigrating, path)
	}})
	if err == nil {
		return st, nil
	}
	if store.IsCorrupt(err) {
		a.warn(a.m().CacheDamaged, err)
		return a.rebuild(path)
	}
	return nil, a.storeError(err)
}

// storeError says in the officer's language what a cache error means when
// it is one guichet can explain.
func (a *app) storeError(err error) error {
	var ro *store.ReadOnlyError
	if errors.As(err, &ro) {
		if ro.Dir {
			return errors.New(a.t(a.m().CacheReadonlyDir, ro.Path, ro.Path))
		}
		return errors.New(a.t(a.m().CacheReadonlyFile, ro.Path, ro.Path))
	}
	return err
}

// syncOptions are the engine's options of this run.
func (a *app) syncOptions() sync.Options {
	return sync.Options{Server: a.cfg.Server, Token: a.cfg.Token, Insecure: a.cfg.Insecure, Lang: a.cfg.Lang}
}

// rebuild replaces the damaged cache at path (sync.Rebuild: the file is
// moved aside, the queued actions and audit events it still holds are
// queued again in a new cache, the zone is pulled again) and tells the
// officer what happened and what was kept. The messages also go to the
// TUI's first screen (a.notices).
func (a *app) rebuild(path string) (*store.Store, error) {
	// Even a command that only reads writes now, for minutes maybe: an
	// interrupt ends the rebuild cleanly, not the process.
	a.catchSignals()
	ctx, cancel := context.WithTimeout(a.ctx, syncTimeout)
	defer cancel()
	st, r, err := sync.Rebuild(ctx, a.syncOptions(), path)
	if err != nil {
		return nil, errors.New(a.t(a.m().CacheRebuildFailed, err))
	}
	complaints := 0
	if c, err := st.Counts(a.ctx, ""); err == nil {
		complaints = c.All
	}
	a.warn(a.m().CacheMovedAside, r.Aside)
	a.warn(a.m().CacheKept, r.Actions, r.Audit)
	if !r.Complete {
		a.warn(a.m().CachePartlyUnreadable)
	}
	short := a.m().TUICacheRebuilt
	if r.Relisted {
		a.warn(a.m().CacheRefilled, complaints)
	} else {
		a.warn(a.m().CacheNotRefilled, r.SyncErr)
		short = a.m().TUICacheOffline
	}
	if !r.Complete && r.Relisted {
		short = a.m().TUICachePartly
	}
	a.notices = append(a.notices, a.t(short, r.Actions))
	return st, nil
}

// noteDamage records that an error said the cache is damaged; withCache
// then rebuilds it once the command is over.
// It returns the error that said so (nil: none did).
func (a *app) noteDamage(args []any) error {
	for _, v := range args {
		if err, ok := v.(error); ok && store.IsCorrupt(err) {
			a.damaged = true
			return err
		}
	}
	return nil
}

// afterDamage ends a command that met a damaged cache: the cache is closed
// and rebuilt, and the command is run once more on the new one when it is
// safe to (rerun: sync), else the officer is told to run it again (an
// action may or may not have been queued before the damage was met).
func (a *app) afterDamage(st *store.Store, fn func(*store.Store) int) int {
	path := st.Path()
	st.Close()
	a.damaged = false
	fresh, err := a.rebuild(path)
	if err != nil {
		return a.fail(a.m().Error, err)
	}
	defer fresh.Close()
	if !a.rerun {
		a.warn(a.m().CacheRunAgain)
		return exitFailure
	}
	code := fn(fresh)
	if a.damaged { // damaged again at once: do not loop
		return exitFailure
	}
	return code
}
