// Package pgtest gives each test a PostgreSQL database of its own, created
// on the throwaway server that .ci/postgres starts (its URL in
// GUICHET_TEST_POSTGRES) and dropped when the test ends.
//
// Without that variable the PostgreSQL tests are skipped with a message
// saying how to start a server, except in CI (CI set), where they fail:
// .ci/run always starts one.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the server's URL (a database its user
// may create databases from).
const EnvURL = "GUICHET_TEST_POSTGRES"

// decide says what a test does given the environment: use url, skip with
// a message, or fail with a message.
func decide(getenv func(string) string) (serverURL, skip, fail string) {
	if u := getenv(EnvURL); u != "" {
		return u, "", ""
	}
	if getenv("CI") != "" {
		return "", "", EnvURL + " is not set although CI is: .ci/run starts a throwaway PostgreSQL (.ci/postgres) and exports it; the PostgreSQL tests cannot run"
	}
	return "", "no PostgreSQL server for this test: run eval \"$(.ci/postgres start)\" first (see README, PostgreSQL tests), or set " + EnvURL, ""
}

// ServerURL is the test server's URL; it skips (locally) or fails (in CI)
// the test when there is none.
func ServerURL(t testing.TB) string {
	t.Helper()
	u, skip, fail := decide(os.Getenv)
	switch {
	case fail != "":
		t.Fatal(fail)
	case skip != "":
		t.Skip(skip)
	}
	return u
}

// NewDatabase returns the URL of an empty database for t: a schema of its
// own on the test server, first in the connection's search_path (creating
// a whole database costs seconds, a schema nothing). The schema and all in
// it are dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	u, drop, err := CreateSchema(server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return u
}

// CreateSchema makes an empty database on the server at server (a schema
// of its own, first in the returned URL's search_path) that outlives any
// one test: benchmarks share a big one across runs. drop removes it.
func CreateSchema(server string) (dbURL string, drop func() error, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", nil, fmt.Errorf("connect to the test PostgreSQL (%s): %w", EnvURL, err)
	}
	defer admin.Close(context.Background())
	var b [6]byte
	rand.Read(b[:])
	name := "guichet_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", nil, fmt.Errorf("create test schema: %w", err)
	}
	drop = func() error { return dropSchema(server, name) }
	u, err := url.Parse(server)
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("%s: %w", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// dropSchema removes schema name and everything in it.
func dropSchema(server, name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		return fmt.Errorf("drop test schema %s: %w", name, err)
	}
	defer admin.Close(context.Background())
	if _, err := admin.Exec(ctx, fmt.Sprintf("DROP SCHEMA IF EXISTS %s CASCADE", pgx.Identifier{name}.Sanitize())); err != nil {
		return fmt.Errorf("drop test schema %s: %w", name, err)
	}
	return nil
}
