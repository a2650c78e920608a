package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	stdsync "sync"
	"time"

	"guichet/complaint"
	"guichet/store"
	"guichet/sync"
)

// helloTimeout bounds the "who am I" request made to find the cache of a
// zone the workstation has never cached.
const helloTimeout = 10 * time.Second

// openCache opens the local cache: --db / GUICHET_DB when given; else the
// default file of this portal and the token's zone. The zone is learnt from
// the one cache of this portal already on disk (works offline) or, when
// there is none or several, by asking the portal who the token belongs to.
func (a *app) openCache() (*store.Store, error) {
	if a.cfg.DB != "" {
		return a.openStore(a.cfg.DB)
	}
	if a.cfg.Server == "" {
		return nil, errors.New(a.t(a.m().NoServer))
	}
	if a.cfg.Zone != "" { // the configuration names the zone: no need to ask
		path, err := store.DefaultPath(a.cfg.Server, a.cfg.Zone)
		if err != nil {
			return nil, err
		}
		return a.openStore(path)
	}
	found, err := cachesOf(a.cfg.Server)
	if err != nil {
		return nil, err
	}
	if len(found) == 1 {
		return a.openStore(found[0])
	}
	if a.cfg.Token == "" {
		return nil, errors.New(a.t(a.m().NoToken))
	}
	ctx, cancel := context.WithTimeout(a.ctx, helloTimeout)
	defer cancel()
	me, err := sync.WhoAmI(ctx, sync.Options{Server: a.cfg.Server, Token: a.cfg.Token, Insecure: a.cfg.Insecure, Lang: a.cfg.Lang})
	if err != nil {
		if len(found) > 1 {
			return nil, errors.New(a.t(a.m().SeveralCaches, strings.Join(found, ", "), err))
		}
		return nil, errors.New(a.t(a.m().FirstSyncNeedsPortal, err))
	}
	path, err := store.DefaultPath(a.cfg.Server, me.Zone.Code)
	if err != nil {
		return nil, err
	}
	return a.openStore(path)
}

// cachesOf lists the cache files of serverURL, one per zone.
func cachesOf(serverURL string) ([]string, error) {
	const probe = "ZONEPROBE"
	p, err := store.DefaultPath(serverURL, probe)
	if err != nil {
		return nil, err
	}
	prefix := strings.TrimSuffix(filepath.Base(p), probe+".db")
	matches, err := filepath.Glob(filepath.Join(filepath.Dir(p), store.GlobQuote(prefix)+"*.db"))
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	return matches, nil
}

// engine makes the sync engine over st, or explains why it cannot.
func (a *app) engine(st *store.Store) (*sync.Engine, error) {
	if a.cfg.Server == "" {
		return nil, errors.New(a.t(a.m().NoServer))
	}
	if a.cfg.Token == "" {
		return nil, errors.New(a.t(a.m().NoToken))
	}
	return sync.New(sync.Options{Server: a.cfg.Server, Token: a.cfg.Token, Insecure: a.cfg.Insecure, Lang: a.cfg.Lang,
		DebugLog: openDebugLog(st)}, st)
}

// debugLogName is the debug log's file name, beside the cache.
const debugLogName = "guichet-debug.log"

// maxDebugLog is the size beyond which the debug log starts again (the
// previous one is kept as .1).
const maxDebugLog = 1 << 20

// openDebugLog is the debug log beside the cache (mode 0600: raw errors
// may name the portal and the cache). The officer sees errors in words;
// support reads this file. The file is opened at the first line written,
// not before: a command that fails in nothing (a listing) touches no file
// for it. The debug log is never a reason to stop working: a file that
// cannot be opened loses its lines.
// The store's background work (search hashes, search index merge) reports
// its errors there too.
func openDebugLog(st *store.Store) *sync.DebugLog {
	d := sync.NewDebugLog(&debugLogFile{path: filepath.Join(filepath.Dir(st.Path()), debugLogName)})
	st.ReportBackgroundErrors(d.Error)
	return d
}

// debugLogFile opens the debug log at its first write and keeps it open
// for the life of the process; each line is one write, so nothing is
// lost when it ends.
type debugLogFile struct {
	path string
	once stdsync.Once
	f    *os.File
}

func (d *debugLogFile) Write(p []byte) (int, error) {
	d.once.Do(func() {
		if fi, err := os.Stat(d.path); err == nil && fi.Size() > maxDebugLog {
			_ = os.Rename(d.path, d.path+".1")
		}
		f, err := os.OpenFile(d.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return
		}
		_ = f.Chmod(0o600)
		d.f = f
	})
	if d.f == nil {
		return len(p), nil
	}
	return d.f.Write(p)
}

// officer is who acts from this workstation: the identity stored in the
// cache by the last successful contact with the portal.
func (a *app) officer(st *store.Store) (complaint.Officer, string, error) {
	id, err := st.Identity(a.ctx)
	if err != nil {
		return complaint.Officer{}, "", err
	}
	if id.OfficerID == "" {
		return complaint.Officer{}, "", errors.New(a.t(a.m().NoIdentity))
	}
	return complaint.Officer{ID: id.OfficerID, Name: id.OfficerName}, id.Zone, nil
}
