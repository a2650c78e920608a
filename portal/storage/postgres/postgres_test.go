package postgres

import (
	"context"
	"testing"

	"guichet/portal/storage"
	"guichet/portal/storage/postgres/pgtest"
	"guichet/portal/storage/storagetest"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.NewDatabase(t), Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConformance runs the storage conformance suite on PostgreSQL.
func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return openTest(t) })
}
