package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"guichet/portal"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres"
	"guichet/portal/storage/sqlite"
)

// dbKind is what --db names: a PostgreSQL database (a postgres:// or
// postgresql:// URL) or a SQLite file (a path, or sqlite:PATH).
func dbKind(db string) (kind, target string) {
	switch {
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		return "postgres", db
	case strings.HasPrefix(db, "sqlite:"):
		return "sqlite", strings.TrimPrefix(db, "sqlite:")
	}
	return "sqlite", db
}

// openStore opens the storage --db names.
func openStore(ctx context.Context, db string, logger *slog.Logger) (storage.Store, error) {
	if db == "" {
		return nil, errors.New("--db FILE or postgres://… (or GUICHETD_DB) is required")
	}
	kind, target := dbKind(db)
	if target == "" {
		return nil, fmt.Errorf("--db %q names no file", db)
	}
	if kind == "postgres" {
		return postgres.Open(ctx, target, postgres.Options{Logger: logger})
	}
	return sqlite.Open(target, sqlite.Options{Logger: logger})
}

// openDB opens the portal on the storage --db names.
func openDB(db string, opts portal.Options) (*portal.Server, error) {
	st, err := openStore(context.Background(), db, opts.Logger)
	if err != nil {
		return nil, err
	}
	srv, err := portal.New(st, opts)
	if err != nil {
		st.Close()
		return nil, err
	}
	return srv, nil
}
