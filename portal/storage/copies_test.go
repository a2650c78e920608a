package storage

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// maxSharedRun is the longest run of tokens a function of the SQLite store
// may share with the function of the same name in the PostgreSQL store.
// Longer runs are the same code written twice: it belongs here, in
// package storage, once.
const maxSharedRun = 45

// TestNoNearCopiesBetweenStores compares the methods of the two SQL stores
// (their SQL normalised to one placeholder style and spacing) and names
// those sharing a long run of tokens.
func TestNoNearCopiesBetweenStores(t *testing.T) {
	lite := funcTokens(t, "sqlite")
	pg := funcTokens(t, "postgres")
	if len(lite) == 0 || len(pg) == 0 {
		t.Fatalf("no functions read (sqlite %d, postgres %d)", len(lite), len(pg))
	}
	for name, a := range lite {
		b, ok := pg[name]
		if !ok {
			continue
		}
		if n, at := longestSharedRun(a, b); n > maxSharedRun {
			t.Errorf("%s: the SQLite and PostgreSQL stores share %d tokens in a row (%s …): move the common part to package storage",
				name, n, strings.Join(a[at:at+n], " "))
		}
	}
}

func TestLongestSharedRun(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"a b c d", "x b c y", 2},
		{"a b c d", "a b c d", 4},
		{"a", "b", 0},
	}
	for _, c := range cases {
		if n, _ := longestSharedRun(strings.Fields(c.a), strings.Fields(c.b)); n != c.want {
			t.Errorf("longestSharedRun(%q, %q) = %d, want %d", c.a, c.b, n, c.want)
		}
	}
}

var (
	sqlParam = regexp.MustCompile(`\$\d+|\?\d*`)
	spaces   = regexp.MustCompile(`\s+`)
)

// funcTokens reads the functions of package dir (tests excluded), each as
// its body's tokens, keyed by receiver-less name.
func funcTokens(t *testing.T, dir string) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			body := src[fset.Position(fd.Body.Pos()).Offset:fset.Position(fd.Body.End()).Offset]
			out[fd.Name.Name] = tokens(body)
		}
	}
	return out
}

// tokens lists the tokens of Go source, string literals normalised.
func tokens(src []byte) []string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		switch {
		case tok == token.EOF:
			return out
		case tok == token.SEMICOLON && lit == "\n":
			continue
		case tok == token.STRING:
			lit = strings.TrimSpace(spaces.ReplaceAllString(sqlParam.ReplaceAllString(lit, "?"), " "))
		case lit == "":
			lit = tok.String()
		}
		out = append(out, lit)
	}
}

// longestSharedRun is the length of the longest run of tokens a and b
// share, and where it starts in a.
func longestSharedRun(a, b []string) (n, at int) {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
				if cur[j+1] > n {
					n, at = cur[j+1], i-cur[j+1]+1
				}
			} else {
				cur[j+1] = 0
			}
		}
		prev, cur = cur, prev
	}
	return n, at
}
