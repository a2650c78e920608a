package pgtest

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestDecide(t *testing.T) {
	cases := []struct {
		name            string
		env             map[string]string
		url, skip, fail bool
	}{
		{"server given", map[string]string{EnvURL: "postgres://x@127.0.0.1:1/postgres"}, true, false, false},
		{"server given in CI", map[string]string{EnvURL: "postgres://x@127.0.0.1:1/postgres", "CI": "true"}, true, false, false},
		{"no server locally: skip", map[string]string{}, false, true, false},
		{"no server in CI: fail", map[string]string{"CI": "true"}, false, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, skip, fail := decide(func(k string) string { return c.env[k] })
			if (u != "") != c.url || (skip != "") != c.skip || (fail != "") != c.fail {
				t.Fatalf("decide = %q, %q, %q", u, skip, fail)
			}
			if skip != "" && !strings.Contains(skip, ".ci/postgres start") {
				t.Errorf("the skip message does not say how to start a server: %q", skip)
			}
		})
	}
}

// TestNewDatabase: each test gets an empty database of its own (a schema,
// where its tables are created), which is gone after the test.
func TestNewDatabase(t *testing.T) {
	server := ServerURL(t)
	var name string
	t.Run("inside", func(t *testing.T) {
		dbURL := NewDatabase(t)
		u, _ := url.Parse(dbURL)
		name = u.Query().Get("search_path")
		conn, err := pgx.Connect(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var tables int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_tables WHERE schemaname = $1`, name).Scan(&tables); err != nil || tables != 0 {
			t.Fatalf("new database has %d tables (%v)", tables, err)
		}
		if _, err := conn.Exec(context.Background(), `CREATE TABLE probe (x int)`); err != nil {
			t.Fatal(err)
		}
		var schema string
		conn.QueryRow(context.Background(), `SELECT schemaname FROM pg_tables WHERE tablename = 'probe'`).Scan(&schema)
		if schema != name {
			t.Fatalf("a table was created in schema %q, want %q", schema, name)
		}
	})
	if name == "" {
		t.Fatal("no schema name in the URL")
	}
	conn, err := pgx.Connect(context.Background(), server)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_namespace WHERE nspname = $1`, name).Scan(&n)
	if n != 0 {
		t.Fatalf("schema %s is still there after its test", name)
	}
}
