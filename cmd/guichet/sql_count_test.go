package main

import (
	"strings"
	stdsync "sync"
	"sync/atomic"
	"testing"

	"modernc.org/sqlite"
)

// sqlRecorder counts what the SQLite connections opened while it is
// installed (recordSQL) do: connections, and the reads of each table
// column as SQLite's authorizer sees them when it compiles a statement
// (one per statement that reads it).
type sqlRecorder struct {
	conns atomic.Int64
	mu    stdsync.Mutex
	reads map[string]int // "table.column"
}

var currentSQL atomic.Pointer[sqlRecorder]

func init() {
	sqlite.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, _ string) error {
		r := currentSQL.Load()
		if r == nil {
			return nil
		}
		r.conns.Add(1)
		a, ok := c.(sqlite.AuthorizerRegisterer)
		if !ok {
			return nil
		}
		return a.RegisterAuthorizer(func(action sqlite.AuthorizerActionCode, arg1, arg2, _, _ string) sqlite.AuthorizerReturnCode {
			if action == sqlite.AuthRead {
				r.mu.Lock()
				r.reads[arg1+"."+arg2]++
				r.mu.Unlock()
			}
			return sqlite.AuthorizerOK
		})
	})
}

// recordSQL counts the SQL of the connections opened by fn.
func recordSQL(t *testing.T, fn func()) *sqlRecorder {
	t.Helper()
	r := &sqlRecorder{reads: map[string]int{}}
	if !currentSQL.CompareAndSwap(nil, r) {
		t.Fatal("recordSQL: another recording is under way")
	}
	defer currentSQL.Store(nil)
	fn()
	return r
}

func (r *sqlRecorder) readsOf(table string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for k, v := range r.reads {
		if strings.HasPrefix(k, table+".") && strings.HasSuffix(k, ".key") {
			n += v
		}
	}
	return n
}

// TestListReadsIdentityOnceOnOneConnection: `guichet list` on the only
// cache of its directory opens one connection and reads the cache's
// identity (the meta table) once, for its audit event; looking for other
// caches with work waiting reads it only when there are other caches.
func TestListReadsIdentityOnceOnOneConnection(t *testing.T) {
	d := newDesk(t, 3)
	o := d.officer("Inspecteur Lemaire")
	o.must("sync")
	r := recordSQL(t, func() { o.must("list") })
	if n := r.conns.Load(); n != 1 {
		t.Errorf("guichet list opened %d connections, want 1", n)
	}
	if n := r.readsOf("meta"); n != 1 {
		t.Errorf("guichet list read the meta table in %d statements, want 1 (its audit's identity)", n)
	}
}
