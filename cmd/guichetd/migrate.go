package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres"
	"guichet/portal/storage/sqlite"
)

// cmdMigrate copies a SQLite portal into a new PostgreSQL database.
func cmdMigrate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the SQLite portal database `FILE` to copy")
	to := fs.String("to", "", "the PostgreSQL database `URL` (postgres://…) to copy into: new, or holding no data")
	dryRun := fs.Bool("dry-run", false, "say what would be copied; write nothing")
	asJSON := fs.Bool("json", false, "print the counts as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return errors.New("--from FILE and --to postgres://… are required")
	}
	if kind, _ := dbKind(*to); kind != "postgres" {
		return fmt.Errorf("--to must be a PostgreSQL URL (postgres://…), not %q", *to)
	}
	kind, path := dbKind(*from)
	if kind != "sqlite" {
		return errors.New("--from must be a SQLite portal database file")
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	ctx := context.Background()
	print := func(what string, c postgres.CopyCounts) error {
		if *asJSON {
			return json.NewEncoder(stdout).Encode(map[string]any{"dry_run": *dryRun, "counts": c})
		}
		_, err := fmt.Fprintf(stdout, "%s: %s\n", what, c)
		return err
	}
	if *dryRun {
		c, err := postgres.DryRunCopy(ctx, path, *to)
		if err != nil {
			return err
		}
		return print("would copy", c)
	}
	// Opening the SQLite file brings it to this guichetd's schema (and
	// checks its permissions) before it is read.
	src, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		return err
	}
	if err := src.Close(); err != nil {
		return err
	}
	dst, err := postgres.Open(ctx, *to, postgres.Options{})
	if err != nil {
		return err
	}
	defer dst.Close()
	c, err := dst.CopyFromSQLite(ctx, path)
	if err != nil {
		return err
	}
	var id [8]byte
	rand.Read(id[:])
	now := time.Now().UTC()
	if _, err := dst.AppendAudit(ctx, []storage.AuditRecord{{AuditEvent: complaint.AuditEvent{
		ID: "migrate-" + hex.EncodeToString(id[:]), At: now, Kind: "migrate", Outcome: "ok",
		Detail: fmt.Sprintf("from=sqlite complaints=%d feed=%d officers=%d audit=%d outbox=%d idempotency=%d", c.Complaints, c.FeedEntries, c.Officers, c.Audit, c.Outbox, c.Idempotency),
	}, Origin: "portal", ReceivedAt: now}}); err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintln(stderr, "counts verified in both databases; the feed starts a new epoch: workstations list their queue again")
	}
	return print("copied", c)
}
