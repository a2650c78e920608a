package sqlmigrate

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	_ "modernc.org/sqlite"
)

func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var threeFiles = fstest.MapFS{
	"m/0001_first.sql":  {Data: []byte(`CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);`)},
	"m/0002_second.sql": {Data: []byte(`CREATE TABLE b (y TEXT);`)},
	"m/0003_third.sql":  {Data: []byte(`INSERT INTO a SELECT x + 1 FROM a;`)},
	"m/README":          {Data: []byte(`not a migration`)},
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []string
		wantErr string
	}{
		{"ordered", threeFiles, []string{"0001_first.sql", "0002_second.sql", "0003_third.sql"}, ""},
		{"gap", fstest.MapFS{"m/0001_a.sql": {}, "m/0003_c.sql": {}}, nil, "expected migration 0002"},
		{"repeat", fstest.MapFS{"m/0001_a.sql": {}, "m/0001_b.sql": {}}, nil, "expected migration 0002"},
		{"misnamed", fstest.MapFS{"m/0001_a.sql": {}, "m/2_b.sql": {}}, nil, "named NNNN_what.sql"},
		{"upper case", fstest.MapFS{"m/0001_A.sql": {}}, nil, "named NNNN_what.sql"},
		{"empty", fstest.MapFS{"m/x.txt": {}}, nil, "no migration"},
		{"no directory", fstest.MapFS{}, nil, "m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Load(tt.files, "m")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load: %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, m := range ms {
				if m.Version != i+1 {
					t.Fatalf("%s has version %d", m.Name, m.Version)
				}
				got = append(got, m.Name)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("loaded %v, want %v", got, tt.want)
			}
		})
	}
}

func countA(t *testing.T, db *sql.DB) (rows, sum int) {
	t.Helper()
	if err := db.QueryRow(`SELECT count(*), coalesce(sum(x), 0) FROM a`).Scan(&rows, &sum); err != nil {
		t.Fatal(err)
	}
	return
}

// TestUpAppliesOnceAndResumes: a second run changes nothing; a database
// stopped at version 1 gets 2 and 3 only.
func TestUpAppliesOnceAndResumes(t *testing.T) {
	ms, err := Load(threeFiles, "m")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []Dialect{SQLiteTable{}, SQLiteUserVersion{}} {
		db := openSQLite(t, filepath.Join(t.TempDir(), "x.db"))
		ctx := context.Background()
		if r, err := Up(ctx, db, d, ms[:1]); err != nil || r != (Result{0, 1}) {
			t.Fatalf("%T: first: %+v %v", d, r, err)
		}
		if r, err := Up(ctx, db, d, ms); err != nil || r != (Result{1, 3}) {
			t.Fatalf("%T: resume: %+v %v", d, r, err)
		}
		if r, err := Up(ctx, db, d, ms); err != nil || r != (Result{3, 3}) {
			t.Fatalf("%T: again: %+v %v", d, r, err)
		}
		if n, sum := countA(t, db); n != 2 || sum != 3 {
			t.Fatalf("%T: a has %d rows (sum %d), want 2 (3): a migration ran twice or not at all", d, n, sum)
		}
	}
}

// TestUpFailureKeepsEarlierMigrations: a failing migration leaves the
// database at the version before it, with nothing of it applied, and the
// Go step runs in the migration's transaction.
func TestUpFailureKeepsEarlierMigrations(t *testing.T) {
	ms, err := Load(threeFiles, "m")
	if err != nil {
		t.Fatal(err)
	}
	ms[2].Go = func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO b VALUES ('from go')`); err != nil {
			return err
		}
		return errors.New("backfill failed")
	}
	db := openSQLite(t, filepath.Join(t.TempDir(), "x.db"))
	r, err := Up(context.Background(), db, SQLiteTable{}, ms)
	if err == nil || !strings.Contains(err.Error(), "0003_third.sql: backfill failed") {
		t.Fatalf("Up: %v", err)
	}
	if r.To != 2 {
		t.Fatalf("result %+v, want To 2", r)
	}
	var v, nb int
	db.QueryRow(`SELECT version FROM schema_version`).Scan(&v)
	db.QueryRow(`SELECT count(*) FROM b`).Scan(&nb)
	if n, _ := countA(t, db); v != 2 || n != 1 || nb != 0 {
		t.Fatalf("version %d, a %d rows, b %d rows: want 2, 1, 0", v, n, nb)
	}
	ms[2].Go = nil
	if _, err := Up(context.Background(), db, SQLiteTable{}, ms); err != nil {
		t.Fatal(err)
	}
}

func TestUpRefusesNewerDatabase(t *testing.T) {
	ms, _ := Load(threeFiles, "m")
	db := openSQLite(t, filepath.Join(t.TempDir(), "x.db"))
	if _, err := Up(context.Background(), db, SQLiteUserVersion{}, ms); err != nil {
		t.Fatal(err)
	}
	_, err := Up(context.Background(), db, SQLiteUserVersion{}, ms[:2])
	if !errors.Is(err, ErrNewer) {
		t.Fatalf("older program on a newer database: %v, want ErrNewer", err)
	}
}

// TestUpConcurrentOpeners: several openers of one new file (as two
// processes starting at once) each succeed and every migration runs once.
func TestUpConcurrentOpeners(t *testing.T) {
	ms, _ := Load(threeFiles, "m")
	path := filepath.Join(t.TempDir(), "x.db")
	const n = 6
	dbs := make([]*sql.DB, n)
	for i := range dbs {
		dbs[i] = openSQLite(t, path)
	}
	// The file is created and put in WAL mode once, as a cache or portal
	// is before anyone migrates it: turning a new file to WAL from six
	// connections at once answers SQLITE_BUSY without waiting, which is
	// not what this test is about.
	if err := dbs[0].Ping(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Up(context.Background(), dbs[i], SQLiteTable{}, ms)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("opener %d: %v", i, err)
		}
	}
	if rows, sum := countA(t, dbs[0]); rows != 2 || sum != 3 {
		t.Fatalf("a has %d rows (sum %d) after %d concurrent runs, want 2 (3)", rows, sum, n)
	}
}
