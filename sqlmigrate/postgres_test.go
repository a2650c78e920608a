package sqlmigrate

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"guichet/portal/storage/postgres/pgtest"
)

// TestPostgresConcurrentUp: nodes starting at once on one new PostgreSQL
// database (several pools, as several processes) each succeed, and every
// migration runs once: the advisory lock makes them take turns. Without
// it, the second CREATE TABLE a fails or INSERT INTO a runs twice.
func TestPostgresConcurrentUp(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ms, err := Load(threeFiles, "m")
	if err != nil {
		t.Fatal(err)
	}
	// The migrations without their SQLite types.
	ms[0].SQL = `CREATE TABLE a (x integer); INSERT INTO a VALUES (1);`
	ms[1].SQL = `CREATE TABLE b (y text);`
	const n = 6
	dbs := make([]*sql.DB, n)
	for i := range dbs {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range dbs {
		wg.Go(func() { _, errs[i] = Up(context.Background(), dbs[i], PostgresTable{Key: 42}, ms) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
	}
	if rows, sum := countA(t, dbs[0]); rows != 2 || sum != 3 {
		t.Fatalf("a has %d rows (sum %d) after %d concurrent runs, want 2 (3)", rows, sum, n)
	}
	if r, err := Up(context.Background(), dbs[1], PostgresTable{Key: 42}, ms); err != nil || r != (Result{3, 3}) {
		t.Fatalf("again: %+v %v", r, err)
	}
	// The lock is released: a session can take it at once.
	var got bool
	if err := dbs[2].QueryRow(`SELECT pg_try_advisory_lock(42)`).Scan(&got); err != nil || !got {
		t.Fatalf("advisory lock still held after Up: %v %v", got, err)
	}
}
