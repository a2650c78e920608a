package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"guichet/clip"
	"guichet/complaint"
	"guichet/config"
	"guichet/lock"
	"guichet/store"
	gsync "guichet/sync"
	"guichet/tui"
)

// session is the workstation's session lock: the PIN store and the notices
// of the first screen (the demo's PIN and form address).
type session struct {
	lock    tui.Locker
	notices []string
}

// openLock opens the officer's PIN file beside the configuration; the TUI
// asks for a first PIN when none is set.
func openLock(cfg Config) (*lock.Lock, error) {
	env := cfg.Env
	if env == nil {
		env = os.Getenv
	}
	dir := config.Dir(env)
	if dir == "" {
		return nil, errors.New(lock.Localized(cfg.Lang, &lock.FileError{Path: "$XDG_CONFIG_HOME/guichet/pin", Code: lock.ErrCodeFileWrite}))
	}
	lk, err := lock.Open(lock.DefaultPath(dir))
	if err != nil {
		return nil, errors.New(lock.Localized(cfg.Lang, err))
	}
	return lk, nil
}

// runTUI starts the interactive workstation: --demo runs it on an embedded
// portal; without a configured portal one screen says how to configure it.
func runTUI(ctx context.Context, cfg Config) int {
	if cfg.Demo {
		return runDemo(ctx, cfg)
	}
	if cfg.Server == "" || cfg.Token == "" {
		fmt.Fprint(cfg.Stdout, tui.SetupText(cfg.Lang))
		return exitUsage
	}
	if _, err := checkKeys(cfg.Settings, cfg.Lang); err != nil {
		fmt.Fprintln(cfg.Stderr, err)
		return exitUsage
	}
	lk, err := openLock(cfg)
	if err != nil {
		fmt.Fprintln(cfg.Stderr, err)
		return exitFailure
	}
	a := &app{ctx: ctx, cfg: cfg}
	st, err := a.openCache()
	if err != nil {
		fmt.Fprintln(cfg.Stderr, err)
		return exitFailure
	}
	for rebuilt := false; ; rebuilt = true {
		code, damage := a.session(st, lk)
		if damage == nil || rebuilt {
			// Damaged again right after a rebuild: the disk itself is
			// suspect; say so rather than loop.
			if damage != nil {
				a.warn(a.m().CacheDamaged, damage)
			}
			st.Close()
			return code
		}
		// The cache turned out damaged while the TUI ran: the TUI was
		// ended, the cache is rebuilt and the TUI starts again on it,
		// saying what happened on its first screen.
		path := st.Path()
		st.Close()
		a.notices = nil
		a.warn(a.m().CacheDamaged, damage)
		if st, err = a.rebuild(path); err != nil {
			fmt.Fprintln(cfg.Stderr, err)
			return exitFailure
		}
	}
}

// session runs the TUI on the open cache st; a non-nil error says the
// cache was found damaged meanwhile (the TUI was ended for a rebuild).
func (a *app) session(st *store.Store, lk tui.Locker) (int, error) {
	ctx, cfg := a.ctx, a.cfg
	eng, err := a.engine(st)
	if err != nil {
		fmt.Fprintln(cfg.Stderr, err)
		return exitFailure, nil
	}
	// Learn who we are; offline, the identity stored by the last contact
	// is enough to work on the cache.
	hctx, cancel := context.WithTimeout(ctx, helloTimeout)
	_, herr := eng.Hello(hctx)
	cancel()
	if errors.Is(herr, gsync.ErrAuth) {
		fmt.Fprintln(cfg.Stderr, gsync.Explain(herr, cfg.Lang))
		return exitFailure, nil
	}
	officer, zoneCode, err := a.officer(st)
	if err != nil {
		if store.IsCorrupt(err) {
			return exitFailure, err
		}
		if herr != nil {
			err = errors.New(a.t(a.m().FirstSyncNeedsPortal, gsync.Explain(herr, cfg.Lang)))
		}
		fmt.Fprintln(cfg.Stderr, err)
		return exitFailure, nil
	}
	// What the officer was told while the cache was opened (a damaged
	// cache rebuilt) stays on the first screen, with work waiting in a
	// cache of another address of the portal.
	a.tellWaitingElsewhere(st)
	return workstation(ctx, cfg, st, eng, officer, zoneCode, session{lock: lk, notices: a.notices})
}

// workstation runs the background sync and the TUI until the officer quits.
// Meanwhile the whole cache is read once in the background unless it is as
// guichet last closed it (store.CheckIfChanged)
// and the sync rounds' errors are watched: a damaged cache ends the TUI,
// and the damage is returned so the caller rebuilds the cache.
func workstation(ctx context.Context, cfg Config, st *store.Store, eng *gsync.Engine, officer complaint.Officer, zoneCode string, sess session) (int, error) {
	env := cfg.Env
	if env == nil {
		env = os.Getenv
	}
	set := cfg.Settings
	keys, err := checkKeys(set, cfg.Lang)
	if err != nil {
		fmt.Fprintln(cfg.Stderr, err)
		return exitUsage, nil
	}
	interval := set.SyncInterval
	if interval <= 0 {
		interval = config.DefaultSyncInterval
	}
	// The workstation names its zone by code: the zone table (tens of
	// milliseconds to read) is read when a forward needs it, not at start.
	zone := complaint.Zone{Code: zoneCode}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	syncDone := make(chan struct{})
	go func() {
		defer close(syncDone)
		_ = eng.Run(runCtx, interval) // its state, errors included, reaches the status bar
	}()
	damage := make(chan error, 1)
	found := func(err error) {
		select {
		case damage <- err:
		default:
		}
		stop()
	}
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		if err := st.CheckIfChanged(runCtx); store.IsCorrupt(err) {
			found(err)
			return
		}
		states, cancel := eng.Subscribe()
		defer cancel()
		for {
			select {
			case <-runCtx.Done():
				return
			case s := <-states:
				if store.IsCorrupt(s.Err) {
					found(s.Err)
					return
				}
			}
		}
	}()
	pw := &tui.ProgramWriter{}
	// The TUI times the clear itself, to say on the status line what it did.
	cb := clip.New(clip.Options{Out: pw, ClearAfter: -1, System: cfg.Clipboard, Env: env})
	clearAfter := cfg.ClearAfter
	if clearAfter == 0 {
		clearAfter = clip.DefaultClearAfter
	}
	loc := complaint.Brussels()
	err = tui.Run(runCtx, tui.Options{
		Source:     tui.NewStoreSource(st, officer, cfg.Lang, nil),
		Sync:       tui.EngineSyncer{E: eng, Lang: cfg.Lang},
		Clipboard:  cb,
		Lang:       cfg.Lang,
		Theme:      set.Theme,
		Accessible: set.Accessible,
		Keys:       keys,
		Officer:    officer,
		Zone:       zone,
		ClearAfter: clearAfter,
		CopyFormat: tui.CopyFormat{
			DateAsShown:   set.CopyFormat.Date == config.CopyDisplay,
			AmountAsShown: set.CopyFormat.Amount == config.CopyDisplay,
		},
		Loc:             loc,
		Lock:            sess.lock,
		IdleLock:        set.IdleLock,
		Notices:         sess.notices,
		StatePath:       statePath(cfg),
		DebugLog:        eng.DebugLog(),
		ReasonTemplates: set.ReasonTemplates,
	}, frameOutput(env, cfg.Stdout), pw)
	stop()
	<-syncDone
	<-watchDone
	if clearAfter > 0 {
		_, _ = cb.ClearNow() // personal data does not outlive the session
	}
	select {
	case d := <-damage:
		return exitFailure, d
	default:
	}
	if err != nil {
		fmt.Fprintln(cfg.Stderr, err)
		return exitFailure, nil
	}
	return exitOK, nil
}

// statePath is where the workstation remembers its tab, sort and date
// display: beside the configuration ("" when there is no such directory).
func statePath(cfg Config) string {
	env := cfg.Env
	if env == nil {
		env = os.Getenv
	}
	if dir := config.Dir(env); dir != "" {
		return filepath.Join(dir, "state.json")
	}
	return ""
}
