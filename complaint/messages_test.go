package complaint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"guichet/i18n"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// checkLanguages fails when labels lacks one of the languages, has an
// empty one or one more.
func checkLanguages(t *testing.T, what string, labels map[string]string) {
	t.Helper()
	langs := i18n.Languages()
	for _, lang := range langs {
		if strings.TrimSpace(labels[lang]) == "" {
			t.Errorf("%s: missing or empty in %s", what, lang)
		}
	}
	if len(labels) != len(langs) {
		t.Errorf("%s: %d languages, want %v", what, len(labels), langs)
	}
}

// messageOf is the message of code in every language, "" where a
// language has none.
func messageOf(code string) map[string]string {
	m := map[string]string{}
	for _, lang := range i18n.Languages() {
		m[lang], _ = i18n.For(lang).Code(code)
	}
	return m
}

func hasMessage(code string) bool {
	_, ok := i18n.For("en").Code(code)
	return ok
}

func TestEveryCatalogLabelInEveryLanguage(t *testing.T) {
	var walk func(where string, fields []DetailField)
	walk = func(where string, fields []DetailField) {
		for _, f := range fields {
			checkLanguages(t, "label of "+where+"."+f.Key, f.Labels)
			walk(where+"."+f.Key, f.Item)
		}
	}
	for _, ft := range catalog() {
		checkLanguages(t, "label of fact type "+ft.Key, ft.Labels)
		walk(ft.Key, ft.Fields)
	}
}

// TestEveryCodeHasAMessage reads the package's source for every constant
// whose name says it is a message key — Err*, Conflict* and the Check*
// verification keys — so a code added in any file, by anyone, without its
// message in package i18n, in every language, fails here.
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
					if !hasMessage(prefix + value) {
						t.Errorf("%s (%s) = %q has no message", ident.Name, name, prefix+value)
						continue
					}
					checkLanguages(t, ident.Name, messageOf(prefix+value))
				}
			}
		}
	}
	if found < 30 {
		t.Errorf("only %d message-key constants found: is the scan broken?", found)
	}
	// And every code the rule cases expect.
	for _, code := range ruleCaseCodes(t) {
		if !hasMessage(code) {
			t.Errorf("code %q expected by a rule case has no message", code)
		}
	}
	for _, s := range Statuses {
		if !hasMessage("status." + string(s)) {
			t.Errorf("status %s has no label", s)
		}
	}
	for _, m := range []string{MethodThreeNumbers, MethodEID, MethodToken} {
		if !hasMessage("method." + m) {
			t.Errorf("method %s has no label", m)
		}
	}
	for _, c := range []string{ChannelEmail, ChannelPost} {
		if !hasMessage("channel." + c) {
			t.Errorf("channel %s has no label", c)
		}
	}
}

// TestSpanishCitizenMessages: a complaint in Spanish is accepted and its
// problems are told in Spanish, like the four other languages.
func TestSpanishCitizenMessages(t *testing.T) {
	body := strings.Replace(string(complaintBody(t, "graffiti")), `"language":"fr"`, `"language":"es"`, 1)
	body = strings.Replace(body, `"surface":`, `"surfacex":`, 1)
	_, errs := Decode([]byte(body), "fr")
	if len(errs) != 0 {
		t.Fatalf("decode: %v", errs.Codes())
	}
	s, _ := Decode([]byte(body), "fr")
	if s.Language != "es" {
		t.Fatalf("language = %q", s.Language)
	}
	_, verrs := Validate(s, DefaultRouter(), testNow)
	got := map[string]string{}
	for _, e := range verrs {
		got[e.Path] = e.Message
	}
	if got["language"] != "" {
		t.Errorf("es refused: %q", got["language"])
	}
	if got["details.surface"] != "Este campo es obligatorio." {
		t.Errorf("required in es = %q (all: %v)", got["details.surface"], got)
	}
	if l := DisplayFields(&Record{Submission: *s}, "es"); len(l) == 0 || l[0].GroupLabel != "Hechos" {
		t.Errorf("display in es: %+v", l)
	}
}
