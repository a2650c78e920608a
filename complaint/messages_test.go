package complaint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// checkLanguages fails when labels lacks one of the four languages, has an
// empty one or one more.
func checkLanguages(t *testing.T, what string, labels map[string]string) {
	t.Helper()
	for _, lang := range Languages {
		if strings.TrimSpace(labels[lang]) == "" {
			t.Errorf("%s: missing or empty in %s", what, lang)
		}
	}
	if len(labels) != len(Languages) {
		t.Errorf("%s: %d languages, want %v", what, len(labels), Languages)
	}
}

func TestEveryMessageInEveryLanguage(t *testing.T) {
	for key, m := range messages {
		checkLanguages(t, "message "+key, m)
	}
}

func TestEveryCatalogLabelInEveryLanguage(t *testing.T) {
	var walk func(where string, fields []DetailField)
	walk = func(where string, fields []DetailField) {
		for _, f := range fields {
			checkLanguages(t, "label of "+where+"."+f.Key, f.Labels)
			walk(where+"."+f.Key, f.Item)
		}
	}
	for _, ft := range catalog {
		checkLanguages(t, "label of fact type "+ft.Key, ft.Labels)
		walk(ft.Key, ft.Fields)
	}
}

// TestEveryCodeHasAMessage reads the package's source for every constant
// whose name says it is a message key — Err*, Conflict* and the Check*
// verification keys — so a code added in any file, by anyone, without its
// four translations fails here.
func TestEveryCodeHasAMessage(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, ident := range vs.Names {
					prefix := ""
					switch {
					case strings.HasPrefix(ident.Name, "Err"), strings.HasPrefix(ident.Name, "Conflict"):
					case strings.HasPrefix(ident.Name, "Check"):
						prefix = "check."
					default:
						continue
					}
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					value, _ := strconv.Unquote(lit.Value)
					found++
					m, ok := messages[prefix+value]
					if !ok {
						t.Errorf("%s (%s) = %q has no message", ident.Name, name, prefix+value)
						continue
					}
					checkLanguages(t, ident.Name, m)
				}
			}
		}
	}
	if found < 30 {
		t.Errorf("only %d message-key constants found: is the scan broken?", found)
	}
	// And every code the rule cases expect.
	for _, code := range ruleCaseCodes(t) {
		if _, ok := messages[code]; !ok {
			t.Errorf("code %q expected by a rule case has no message", code)
		}
	}
	for _, s := range Statuses {
		if _, ok := messages["status."+string(s)]; !ok {
			t.Errorf("status %s has no label", s)
		}
	}
	for _, m := range []string{MethodThreeNumbers, MethodEID, MethodToken} {
		if _, ok := messages["method."+m]; !ok {
			t.Errorf("method %s has no label", m)
		}
	}
	for _, c := range []string{ChannelEmail, ChannelPost} {
		if _, ok := messages["channel."+c]; !ok {
			t.Errorf("channel %s has no label", c)
		}
	}
}

func TestMessageFallback(t *testing.T) {
	if got := Message("es", ErrRequired); got != messages[ErrRequired]["en"] {
		t.Errorf("unsupported language: %q, want the English message", got)
	}
	if got := Message("fr", "no_such_key"); got != "no_such_key" {
		t.Errorf("unknown key: %q", got)
	}
	var keys []string
	for k := range messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, lang := range Languages {
			if Message(lang, k) != messages[k][lang] {
				t.Errorf("Message(%s, %s) does not return its message", lang, k)
			}
		}
	}
}
