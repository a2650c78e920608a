package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
)

// Every global flag works before and after the subcommand: given before,
// it is not reset when the subcommand registers it again.
func TestGlobalFlagsBeforeAndAfterSubcommand(t *testing.T) {
	values := map[string]string{
		"server": "https://flag.example.be", "token": "tok-flag", "db": "/tmp/guichet-flag.db", "lang": "de",
		"config": "/tmp/guichet-flag.conf", "theme": "high-contrast",
		"insecure": "", "demo": "", "accessible": "",
	}
	var all globalFlags
	fs := newFlagSet("guichet")
	all.register(fs)
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := values[f.Name]; !ok {
			t.Errorf("global flag --%s has no case in this test", f.Name)
		}
	})
	got := func(g *globalFlags, name string) string {
		return map[string]string{"server": g.server, "token": g.token, "db": g.db, "lang": g.lang,
			"config": g.configFile, "theme": g.theme, "insecure": fmt.Sprint(g.insecure),
			"demo": fmt.Sprint(g.demo), "accessible": fmt.Sprint(g.accessible)}[name]
	}
	for name, v := range values {
		arg := []string{"--" + name}
		want := v
		if v == "" {
			want = "true"
		} else {
			arg = append(arg, v)
		}
		for _, order := range []string{"before", "after"} {
			var g globalFlags
			top := newFlagSet("guichet")
			g.register(top)
			args := append(append([]string{}, arg...), "sync")
			if order == "after" {
				args = append([]string{"sync"}, arg...)
			}
			if err := top.Parse(args); err != nil {
				t.Fatal(err)
			}
			sub := newFlagSet("sync")
			g.register(sub)
			if err := sub.Parse(top.Args()[1:]); err != nil {
				t.Fatal(err)
			}
			if got(&g, name) != want {
				t.Errorf("--%s %s the subcommand: %q, want %q", name, order, got(&g, name), want)
			}
		}
	}
}

// The whole program: --server and --token before "sync" reach the sync.
func TestServerAndTokenBeforeSubcommand(t *testing.T) {
	d := newDesk(t, 3)
	o := d.officer("Inspecteur Dupont")
	env := o.env
	o.env = map[string]string{"GUICHET_LANG": "en"}
	defer func() { o.env = env }()
	for _, args := range [][]string{
		{"--server", d.srv.URL, "--token", o.token, "sync"},
		{"sync", "--server", d.srv.URL, "--token", o.token},
		{"--server", d.srv.URL, "sync", "--token", o.token},
	} {
		r := o.run(args...)
		if r.code != exitOK || !strings.Contains(r.stdout, "synced") {
			t.Fatalf("guichet %v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	d := newDesk(t, 1)
	o := d.officer("Inspecteur Dupont")
	commands := map[string][]string{
		"":           {"accessible", "theme", "config", "server", "token", "db", "lang", "insecure", "demo"},
		"list":       {"status", "type", "search", "limit", "json", "accessible", "theme", "config"},
		"copy":       {"stdout", "clear-after", "config"},
		"handle":     {"pv", "json"},
		"forward":    {"zone", "reason", "json"},
		"correct-pv": {"pv", "json"},
		"take-over":  {"reason", "json"},
		"purge":      {"days"},
		"sync":       {"from"},
	}
	for _, lang := range []string{"fr", "nl", "de", "en"} {
		o.env["GUICHET_LANG"] = lang
		for cmd, flags := range commands {
			args := []string{"--help"}
			if cmd != "" {
				args = []string{cmd, "--help"}
			}
			r := o.run(args...)
			if r.code != exitOK {
				t.Fatalf("%s %v: exit %d %s", lang, args, r.code, r.stderr)
			}
			for _, f := range flags {
				if !strings.Contains(r.stdout, "--"+f+" ") {
					t.Errorf("%s: guichet %s --help does not list --%s:\n%s", lang, cmd, f, r.stdout)
				}
			}
			if strings.Contains(r.stdout, "flag_") {
				t.Errorf("%s: guichet %s --help has a flag without a description:\n%s", lang, cmd, r.stdout)
			}
		}
	}
	o.env["GUICHET_LANG"] = "fr"
	r := o.run("list", "--nope")
	if r.code != exitUsage || !strings.Contains(r.stderr, "option inconnue : --nope") || strings.Contains(r.stderr, "provided") {
		t.Fatalf("unknown flag in French: %d %q", r.code, r.stderr)
	}
	r = o.run("list", "--limit", "abc")
	if r.code != exitUsage || !strings.Contains(r.stderr, "valeur non valide pour --limit") {
		t.Fatalf("bad value in French: %d %q", r.code, r.stderr)
	}
	r = o.run("handle", "2026-AAAA-BBBB", "--pv")
	if r.code != exitUsage || !strings.Contains(r.stderr, "demande une valeur") {
		t.Fatalf("missing value in French: %d %q", r.code, r.stderr)
	}
}

func TestListTypesReferencesAndJSONActions(t *testing.T) {
	d := newDesk(t, 12)
	o := d.officer("Inspecteur Dupont")
	o.must("sync")
	o.env["GUICHET_LANG"] = "fr"
	r := o.must("list")
	if strings.Contains(r.stdout, "bicycle_theft") || strings.Contains(r.stdout, "shoplifting") {
		t.Fatalf("list shows type keys:\n%s", r.stdout)
	}
	labels := 0
	for _, ft := range complaint.Catalog() {
		labels += strings.Count(r.stdout, ft.Label("fr"))
	}
	if labels < 12 {
		t.Fatalf("list shows %d French type labels for 12 complaints:\n%s", labels, r.stdout)
	}
	// --type: a key or a label in any language; unknown is a usage error.
	byKey := o.must("list", "--type", "bicycle_theft").stdout
	for _, label := range []string{"vélo", "fiets", "Fahrrad", "bicycle"} {
		if got := o.must("list", "--type", label).stdout; got != byKey {
			t.Errorf("--type %s lists another set than bicycle_theft", label)
		}
	}
	if r := o.run("list", "--type", "licorne"); r.code != exitUsage || !strings.Contains(r.stderr, "type de faits inconnu licorne") {
		t.Fatalf("--type licorne: %d %q", r.code, r.stderr)
	}
	// References: any case; not a reference at all is its own usage error.
	ref := d.refs[0]
	if r := o.run("show", strings.ToLower(ref)); r.code != exitOK || !strings.Contains(r.stdout, ref) {
		t.Fatalf("show in lower case: %d %s", r.code, r.stderr)
	}
	if r := o.run("copy", strings.ToLower(ref), "description", "--stdout"); r.code != exitOK {
		t.Fatalf("copy in lower case: %d %s", r.code, r.stderr)
	}
	r = o.run("show", "n'importe quoi")
	if r.code != exitUsage || !strings.Contains(r.stderr, "n'est pas une référence") || strings.Contains(r.stderr, "absente du cache") {
		t.Fatalf("show of a non-reference: %d %q", r.code, r.stderr)
	}
	// --json on actions: one object with the outcome.
	var res actionResult
	decode := func(r result) actionResult {
		t.Helper()
		var res actionResult
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
			t.Fatalf("not JSON (%v): %q %q", err, r.stdout, r.stderr)
		}
		return res
	}
	res = decode(o.must("claim", strings.ToLower(ref), "--json"))
	if res.Reference != ref || res.Action != complaint.ActionClaim || res.Outcome != "confirmed" || res.Status != complaint.StatusClaimed || res.Record == nil {
		t.Fatalf("claim --json: %+v", res)
	}
	year := time.Now().Year()
	r = o.run("handle", ref, "--pv", fmt.Sprintf("NI.55.L5.000001/%d", year+1), "--json")
	res = decode(r)
	if r.code != exitUsage || res.Outcome != "refused" || res.Fields["pv_number"] == "" {
		t.Fatalf("handle with next year's PV --json: %d %+v", r.code, res)
	}
	res = decode(o.must("handle", ref, "--pv", fmt.Sprintf("NI.55.L5.000001/%d", year), "--json"))
	if res.Outcome != "confirmed" || res.Status != complaint.StatusHandled {
		t.Fatalf("handle --json: %+v", res)
	}
	res = decode(o.must("correct-pv", ref, "--pv", fmt.Sprintf("NI.55.L5.000002/%d", year), "--json"))
	if res.Outcome != "confirmed" || res.Record.PVNumber != fmt.Sprintf("NI.55.L5.000002/%d", year) {
		t.Fatalf("correct-pv --json: %+v", res)
	}
	if rec := o.serverRecord(ref); rec.PVNumber != fmt.Sprintf("NI.55.L5.000002/%d", year) {
		t.Fatalf("portal PV after correct-pv: %s", rec.PVNumber)
	}
	// History: the same line as the workstation's (complaint.HistoryLine).
	show := o.must("show", ref).stdout
	if !strings.Contains(show, "correction du PV") || !strings.Contains(show, fmt.Sprintf("PV NI.55.L5.000001/%d → NI.55.L5.000002/%d", year, year)) {
		t.Fatalf("history of show:\n%s", show)
	}
	// A colleague takes over a claim; refused on a complaint nobody holds.
	// Her own workstation: another cache file.
	b := d.officer("Inspectrice Janssens", "GUICHET_DB", filepath.Join(t.TempDir(), "janssens", "cache.db"))
	b.must("sync")
	ref2 := d.refs[1]
	o.must("claim", ref2)
	b.must("sync")
	r = b.run("take-over", ref2, "--json")
	if res := decode(r); r.code != exitUsage || res.Fields["reason"] == "" {
		t.Fatalf("take-over without a reason: %d %+v", r.code, res)
	}
	res = decode(b.must("take-over", ref2, "--reason", "fin de service", "--json"))
	if res.Outcome != "confirmed" || res.Record.ClaimedBy == nil || res.Record.ClaimedBy.ID != b.id.ID {
		t.Fatalf("take-over --json: %+v", res)
	}
	r = o.run("sync")
	if r.code != exitConflict || !strings.Contains(r.stderr, ref2) {
		t.Fatalf("A's sync after the take-over: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// copy without a terminal and without a clipboard refuses, and writes no
// OSC 52 anywhere (stdout may be a file).
func TestCopyWithoutTerminalWritesNoOSC52(t *testing.T) {
	path := cacheWith(t, hostileRecords(t))
	var out, errb bytes.Buffer
	env := map[string]string{"GUICHET_LANG": "en", "GUICHET_DB": path, "SSH_TTY": "/dev/pts/3"}
	cfg := Config{Env: func(k string) string { return env[k] }, Stdout: &out, Stderr: &errb}
	recs := hostileRecords(t)
	code := runConfig(context.Background(), cfg, []string{"copy", recs[1].Reference, "description", "--clear-after", "0s"})
	if code != exitFailure || !strings.Contains(errb.String(), "use --stdout") {
		t.Fatalf("copy without terminal: %d %q %q", code, out.String(), errb.String())
	}
	if strings.Contains(out.String()+errb.String(), "\x1b]52") {
		t.Fatalf("OSC 52 written to a non-terminal output: %q %q", out.String(), errb.String())
	}
}

// A cache that fails under a command is said in words with what to do,
// not as SQL; the raw error is in the debug log beside the cache (0600).
func TestCacheErrorExplainedWithDebugLog(t *testing.T) {
	path := cacheWith(t, hostileRecords(t))
	env := map[string]string{"GUICHET_LANG": "fr", "GUICHET_DB": path}
	var out, errb bytes.Buffer
	a := &app{ctx: context.Background(), cfg: Config{Env: func(k string) string { return env[k] }, Stdout: &out, Stderr: &errb, Lang: "fr", DB: path}}
	st, err := a.openCache()
	if err != nil {
		t.Fatal(err)
	}
	a.debug = openDebugLog(st)
	st.Close()
	_, code := a.getRecord(st, hostileRecords(t)[0].Reference)
	if code != exitFailure || !strings.Contains(errb.String(), "cache local inaccessible") || strings.Contains(errb.String(), "sql") {
		t.Fatalf("exit %d, said %q", code, errb.String())
	}
	logPath := filepath.Join(filepath.Dir(path), debugLogName)
	fi, err := os.Stat(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("debug log mode %v", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(logPath)
	if !strings.Contains(string(raw), "sql") {
		t.Fatalf("debug log: %q", raw)
	}
}
