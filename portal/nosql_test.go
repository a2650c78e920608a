package portal

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// SQL belongs to the storage packages: portal/storage/... and the
// PostgreSQL tooling in portal/postgres/.... Everything else under portal/
// (the HTTP layer, demo data, their tests) talks to a storage.Store.
var sqlAllowedDirs = []string{"storage", "postgres"}

// sqlImports are packages that give a file its own way into a database.
var sqlImports = []string{"database/sql", "modernc.org/sqlite", "github.com/jackc/pgx"}

// sqlStatements match SQL statements in a string: the upper-case keywords
// SQL is written with here, and the lower-case forms prose never takes.
var sqlStatements = []*regexp.Regexp{
	regexp.MustCompile(`(?s)\b(SELECT\s.+\sFROM\s|INSERT\s+(OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|(CREATE|ALTER|DROP)\s+(TABLE|INDEX|TRIGGER|VIEW|SCHEMA|DATABASE)\s|PRAGMA\s+\w|BEGIN\s+(IMMEDIATE|EXCLUSIVE|TRANSACTION)|SAVEPOINT\s+\w|ON\s+CONFLICT\b)`),
	regexp.MustCompile(`(?is)\b(insert\s+into\s+\w+\s*\(|update\s+\w+\s+set\s+\w+\s*=|delete\s+from\s+\w+\s+where\s|select\s+[\w.*,()\s]*\sfrom\s+\w+\s+where\s)`),
}

// sqlProblems lists where the Go source src (named name) imports a
// database package or holds an SQL statement in a string literal.
func sqlProblems(name string, src []byte) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		for _, bad := range sqlImports {
			if path == bad || strings.HasPrefix(path, bad+"/") {
				out = append(out, fset.Position(imp.Pos()).String()+": imports "+path)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			s = lit.Value
		}
		for _, re := range sqlStatements {
			if m := re.FindString(s); m != "" {
				out = append(out, fset.Position(lit.Pos()).String()+": SQL in a string: "+strings.Join(strings.Fields(m), " "))
				break
			}
		}
		return true
	})
	return out, nil
}

// TestNoSQLOutsideStorage: no Go file under portal/ outside the storage
// packages imports database/sql or a driver, or writes an SQL statement.
func TestNoSQLOutsideStorage(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			for _, dir := range sqlAllowedDirs {
				if path == dir {
					return filepath.SkipDir
				}
			}
			if path != "." && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(path) != ".go" || path == "nosql_test.go" { // this file's examples
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		problems, err := sqlProblems(path, src)
		if err != nil {
			return err
		}
		checked++
		for _, p := range problems {
			t.Errorf("portal/%s (SQL belongs to portal/storage)", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("only %d Go files checked: the walk is wrong", checked)
	}
}

// TestSQLProblemsFinds: the check finds what it is for and lets the
// portal's own words pass.
func TestSQLProblemsFinds(t *testing.T) {
	tests := []struct {
		name, src string
		want      int
	}{
		{"import database/sql", `package p; import _ "database/sql"`, 1},
		{"import the driver", `package p; import _ "modernc.org/sqlite"`, 1},
		{"import pgx", `package p; import _ "github.com/jackc/pgx/v5/pgxpool"`, 1},
		{"select", "package p; var q = `SELECT record FROM complaints WHERE ref = ?`", 1},
		{"select over lines", "package p; var q = `SELECT channel,\n\tcount(*)\n\tFROM outbox`", 1},
		{"insert", `package p; var q = "INSERT INTO audit (id) VALUES (?)"`, 1},
		{"lower case update", `package p; var q = "update outbox set sent_at = ? where id = ?"`, 1},
		{"lower case select", `package p; var q = "select count(*) from complaints where zone = ?"`, 1},
		{"delete", `package p; func f() { exec("DELETE FROM idempotency WHERE created_at < ?") }`, 1},
		{"schema", "package p; var q = `CREATE TABLE meta (key TEXT)`", 1},
		{"upsert", "package p; var q = `ON CONFLICT (key) DO NOTHING`", 1},
		{"route", `package p; var r = "DELETE /v1/me"`, 0},
		{"words", `package p; var m = "Select the complaint to update from the list, then delete it."`, 0},
		{"officer's text", `package p; var m = "Sélectionnez une plainte dans la liste."`, 0},
		{"other import", `package p; import _ "net/http"`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sqlProblems("x.go", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Fatalf("%d problems %q, want %d", len(got), got, tt.want)
			}
		})
	}
}
