package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // the source of a copy: database/sql driver "sqlite"
)

// CopyCounts says how many rows of each kind a copy holds.
type CopyCounts struct {
	Complaints  int64 `json:"complaints"`
	FeedEntries int64 `json:"feed_entries"`
	Officers    int64 `json:"officers"`
	Audit       int64 `json:"audit_events"`
	Outbox      int64 `json:"confirmations"`
	Idempotency int64 `json:"idempotency_records"`
	ZoneTable   bool  `json:"zone_table"`
}

func (c CopyCounts) String() string {
	return fmt.Sprintf("%d complaints, %d feed entries, %d officers, %d audit events, %d confirmations, %d idempotency records, zone table imported: %v",
		c.Complaints, c.FeedEntries, c.Officers, c.Audit, c.Outbox, c.Idempotency, c.ZoneTable)
}

// CopyFromSQLite copies the SQLite portal database at sqlitePath (opened
// read-only; migrate it first by opening it with this guichetd) into the
// store s, which must hold no complaint, officer, audit event, confirmation
// or idempotency record. Everything is copied in one transaction: the
// complaints and each zone's feed in its order, officers with their token
// hashes (their tokens keep working), the audit trail in its order, the
// outbox with its state and ids, the idempotency records (a workstation's
// retry after the move is still answered with the first answer) and the
// imported zone table. The feed starts a new epoch (the store's own):
// cursors of the old database are refused (410) and workstations list
// again. After the commit the counts of both databases are compared.
// DryRunCopy says what would be copied.
func (s *Store) CopyFromSQLite(ctx context.Context, sqlitePath string) (CopyCounts, error) {
	src, err := openSQLiteSource(sqlitePath)
	if err != nil {
		return CopyCounts{}, err
	}
	defer src.Close()
	want, err := sourceCounts(ctx, src)
	if err != nil {
		return CopyCounts{}, err
	}
	have, err := s.counts(ctx)
	if err != nil {
		return want, err
	}
	if have.Complaints+have.Officers+have.Audit+have.Outbox+have.Idempotency > 0 {
		return want, fmt.Errorf("the PostgreSQL database is not empty (%s): copy only into a new database", have)
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error { return copyAll(ctx, src, tx) })
	if err != nil {
		return want, fmt.Errorf("copy: %w", err)
	}
	got, err := s.counts(ctx)
	if err != nil {
		return want, err
	}
	if got != want {
		return got, fmt.Errorf("copied %s, but the SQLite database holds %s", got, want)
	}
	return got, nil
}

// DryRunCopy says what CopyFromSQLite would copy from the SQLite portal
// database at sqlitePath into the PostgreSQL database at url, without
// writing to either (the schema is not created): the source's counts, or
// an error if the target holds data already.
func DryRunCopy(ctx context.Context, sqlitePath, url string) (CopyCounts, error) {
	src, err := openSQLiteSource(sqlitePath)
	if err != nil {
		return CopyCounts{}, err
	}
	defer src.Close()
	want, err := sourceCounts(ctx, src)
	if err != nil {
		return CopyCounts{}, err
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return want, fmt.Errorf("postgres: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('complaints') IS NOT NULL`).Scan(&exists); err != nil {
		return want, err
	}
	if !exists {
		return want, nil
	}
	var n int64
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM complaints) + (SELECT count(*) FROM officers) + (SELECT count(*) FROM audit)
		+ (SELECT count(*) FROM outbox) + (SELECT count(*) FROM idempotency)`).Scan(&n); err != nil {
		return want, err
	}
	if n > 0 {
		return want, fmt.Errorf("the PostgreSQL database is not empty (%d rows): copy only into a new database", n)
	}
	return want, nil
}

// openSQLiteSource opens a portal database read-only.
func openSQLiteSource(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "query_only(1)")
	q.Set("mode", "ro")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	var tables int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('complaints', 'feed', 'officers', 'audit', 'outbox', 'idempotency', 'meta')`).Scan(&tables); err != nil {
		db.Close()
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if tables != 7 {
		db.Close()
		return nil, fmt.Errorf("%s is not a guichet portal database", path)
	}
	return db, nil
}

func sourceCounts(ctx context.Context, db *sql.DB) (CopyCounts, error) {
	var c CopyCounts
	var zones int
	err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM complaints), (SELECT count(*) FROM feed),
		(SELECT count(*) FROM officers), (SELECT count(*) FROM audit), (SELECT count(*) FROM outbox),
		(SELECT count(*) FROM idempotency), (SELECT count(*) FROM meta WHERE key = 'zones_csv')`).
		Scan(&c.Complaints, &c.FeedEntries, &c.Officers, &c.Audit, &c.Outbox, &c.Idempotency, &zones)
	c.ZoneTable = zones > 0
	return c, err
}

func (s *Store) counts(ctx context.Context) (CopyCounts, error) {
	var c CopyCounts
	err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM complaints), (SELECT count(*) FROM feed),
		(SELECT count(*) FROM officers), (SELECT count(*) FROM audit), (SELECT count(*) FROM outbox),
		(SELECT count(*) FROM idempotency), EXISTS (SELECT 1 FROM meta WHERE key = 'zones_csv')`).
		Scan(&c.Complaints, &c.FeedEntries, &c.Officers, &c.Audit, &c.Outbox, &c.Idempotency, &c.ZoneTable)
	return c, err
}

// sqliteRows feeds CopyFrom from a SQLite query, converting each row.
type sqliteRows struct {
	rows    *sql.Rows
	dest    []any
	convert func() ([]any, error)
	vals    []any
	err     error
}

func (r *sqliteRows) Next() bool {
	if r.err != nil || !r.rows.Next() {
		return false
	}
	if r.err = r.rows.Scan(r.dest...); r.err != nil {
		return false
	}
	r.vals, r.err = r.convert()
	return r.err == nil
}

func (r *sqliteRows) Values() ([]any, error) { return r.vals, r.err }

func (r *sqliteRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}

// copyTable copies the rows of query into table's columns.
func copyTable(ctx context.Context, src *sql.DB, tx pgx.Tx, query, table string, columns []string, dest []any, convert func() ([]any, error)) error {
	rows, err := src.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, &sqliteRows{rows: rows, dest: dest, convert: convert}); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// copyAll copies every table inside tx.
func copyAll(ctx context.Context, src *sql.DB, tx pgx.Tx) error {
	// Complaints keep their SQLite row ids (the feed refers to them).
	var id, version, received int64
	var ref, zone, status string
	var record []byte
	if err := copyTable(ctx, src, tx, `SELECT id, ref, zone, status, version, received_at, record FROM complaints ORDER BY id`,
		"complaints", []string{"id", "ref", "zone", "status", "version", "received_at", "record"},
		[]any{&id, &ref, &zone, &status, &version, &received, &record},
		func() ([]any, error) { return []any{id, ref, zone, status, version, received, record}, nil }); err != nil {
		return err
	}
	// The feed: positions 1, 2, … in the old order of changes. They are
	// below the horizon of every later transaction (a transaction id is
	// at least a few hundred, and positions start at id << 20), so new
	// changes follow them.
	var pos int64
	var cid sql.NullInt64
	var tomb bool
	if err := copyTable(ctx, src, tx, `SELECT f.zone, f.ref, coalesce(f.cid, c.id), f.version, f.tombstone
		FROM feed f LEFT JOIN complaints c ON c.ref = f.ref ORDER BY f.seq`,
		"feed", []string{"zone", "ref", "pos", "cid", "version", "tombstone"},
		[]any{&zone, &ref, &cid, &version, &tomb},
		func() ([]any, error) {
			if !cid.Valid {
				return nil, fmt.Errorf("feed entry of %s in zone %s has no complaint", ref, zone)
			}
			pos++
			return []any{zone, ref, pos, cid.Int64, version, tomb}, nil
		}); err != nil {
		return err
	}
	var horizon int64
	if err := tx.QueryRow(ctx, `SELECT pg_current_xact_id()::text::bigint`).Scan(&horizon); err != nil {
		return err
	}
	if pos >= horizon<<20 {
		return fmt.Errorf("%d feed entries are more than this cluster's transaction ids leave room for (%d)", pos, horizon<<20)
	}
	var name, tokenHash = "", []byte(nil)
	var created int64
	var revoked sql.NullInt64
	if err := copyTable(ctx, src, tx, `SELECT id, zone, name, token_hash, created_at, revoked_at FROM officers ORDER BY created_at, id`,
		"officers", []string{"id", "zone", "name", "token_hash", "created_at", "revoked_at"},
		[]any{&ref, &zone, &name, &tokenHash, &created, &revoked},
		func() ([]any, error) { return []any{ref, zone, name, tokenHash, created, nullInt(revoked)}, nil }); err != nil {
		return err
	}
	var origin, officer, kind, field, outcome, detail string
	var at int64
	var claimed sql.NullInt64
	if err := copyTable(ctx, src, tx, `SELECT origin, id, at, officer, zone, kind, ref, field, outcome, detail, received_at, claimed_at FROM audit ORDER BY seq`,
		"audit", []string{"origin", "id", "at", "officer", "zone", "kind", "ref", "field", "outcome", "detail", "received_at", "claimed_at"},
		[]any{&origin, &name, &at, &officer, &zone, &kind, &ref, &field, &outcome, &detail, &received, &claimed},
		func() ([]any, error) {
			return []any{origin, name, at, officer, zone, kind, ref, field, outcome, detail, received, nullInt(claimed)}, nil
		}); err != nil {
		return err
	}
	// The outbox keeps its ids: a letter names the e-mail it replaces.
	createdCol := "next_attempt"
	var hasCreated int
	if err := src.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'created_at'`).Scan(&hasCreated); err != nil {
		return err
	}
	if hasCreated == 1 {
		createdCol = "coalesce(created_at, next_attempt)"
	}
	var channel, lastError string
	var payload []byte
	var attempts int
	var next int64
	var sent, failed, replaces sql.NullInt64
	if err := copyTable(ctx, src, tx, `SELECT id, ref, channel, payload, attempts, next_attempt, sent_at, failed_at, last_error, replaces, `+createdCol+` FROM outbox ORDER BY id`,
		"outbox", []string{"id", "ref", "channel", "payload", "attempts", "next_attempt", "sent_at", "failed_at", "last_error", "replaces", "created_at"},
		[]any{&id, &ref, &channel, &payload, &attempts, &next, &sent, &failed, &lastError, &replaces, &created},
		func() ([]any, error) {
			return []any{id, ref, channel, payload, attempts, next, nullInt(sent), nullInt(failed), lastError, nullInt(replaces), created}, nil
		}); err != nil {
		return err
	}
	var scope, key string
	var hash, response []byte
	var code int
	if err := copyTable(ctx, src, tx, `SELECT scope, key, request_hash, status, response, created_at FROM idempotency`,
		"idempotency", []string{"scope", "key", "request_hash", "status", "response", "created_at"},
		[]any{&scope, &key, &hash, &code, &response, &created},
		func() ([]any, error) { return []any{scope, key, hash, code, response, created}, nil }); err != nil {
		return err
	}
	var csv []byte
	err := src.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'zones_csv'`).Scan(&csv)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		if _, err := tx.Exec(ctx, `INSERT INTO meta (key, value) VALUES ('zones_csv', $1)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, csv); err != nil {
			return err
		}
	}
	// The identity columns continue after the copied ids.
	for _, t := range []string{"complaints", "outbox"} {
		if _, err := tx.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), coalesce((SELECT max(id) FROM %s), 0) + 1, false)`, t, t)); err != nil {
			return err
		}
	}
	return nil
}
