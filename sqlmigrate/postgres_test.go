package sqlmigrate

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"testing/fstest"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"guichet/portal/storage/postgres/pgtest"
)

// TestPostgresConcurrentNodes: nodes that start at once against one new
// PostgreSQL database each succeed, and every migration runs once (the
// second one would fail: its table exists).
func TestPostgresConcurrentNodes(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ms, err := Load(fstest.MapFS{
		"m/0001_a.sql": {Data: []byte(`CREATE TABLE a (x integer); INSERT INTO a VALUES (1);`)},
		"m/0002_b.sql": {Data: []byte(`CREATE TABLE b (y text); INSERT INTO a SELECT x + 1 FROM a;`)},
		"m/0003_c.sql": {Data: []byte(`SELECT pg_sleep(0.2); INSERT INTO a SELECT max(x) + 1 FROM a;`)},
	}, "m")
	if err != nil {
		t.Fatal(err)
	}
	const nodes = 4
	var wg sync.WaitGroup
	errs := make([]error, nodes)
	dbs := make([]*sql.DB, nodes)
	for i := range dbs {
		if dbs[i], err = sql.Open("pgx", url); err != nil {
			t.Fatal(err)
		}
		defer dbs[i].Close()
	}
	for i := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Up(context.Background(), dbs[i], Postgres{}, ms)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
	}
	var rows, sum, v int
	if err := dbs[0].QueryRow(`SELECT count(*), sum(x) FROM a`).Scan(&rows, &sum); err != nil {
		t.Fatal(err)
	}
	dbs[0].QueryRow(`SELECT version FROM schema_version`).Scan(&v)
	if rows != 3 || sum != 6 || v != 3 {
		t.Fatalf("a has %d rows (sum %d), version %d; want 3 rows (6), version 3", rows, sum, v)
	}
	if r, err := Up(context.Background(), dbs[1], Postgres{}, ms[:2]); err == nil {
		t.Fatalf("an older node migrated a newer database: %+v", r)
	}
}
