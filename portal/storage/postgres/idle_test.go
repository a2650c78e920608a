package postgres

import (
	"context"
	"testing"
	"time"

	"guichet/portal/storage/postgres/pgtest"
)

// TestIdleStoreSendsNothing: a node's store that nobody uses sends no
// statement to the database: no poller, lease renewal, horizon check or
// pool health query runs on a timer (each would cost the server once per
// node, twice with two nodes). Measured on guichetd serve processes (30 s
// idle, one and two nodes): no statement and 10-20 ms of CPU per node; the
// portal's confirmation sender asks when the next confirmation is due
// once a minute, and nothing else runs.
func TestIdleStoreSendsNothing(t *testing.T) {
	ctx := context.Background()
	reads, writes := &statementCounter{}, &statementCounter{}
	s, err := Open(ctx, pgtest.NewDatabase(t), Options{MaxConns: 4, readTracer: reads, writeTracer: writes})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// What opening sent (migrations, the epoch) is done once Open returns.
	reads.n.Store(0)
	writes.n.Store(0)
	time.Sleep(3 * time.Second)
	if r, w := reads.n.Load(), writes.n.Load(); r != 0 || w != 0 {
		t.Errorf("an idle store sent %d statements on the read pool and %d on the writers' in 3 s, want none", r, w)
	}
}
