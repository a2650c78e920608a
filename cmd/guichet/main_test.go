package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"guichet/complaint"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/store"
	"guichet/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const zone = "5275"

// desk is a real portal over HTTP with officers, and the environment of a
// guichet run against it. The server can be taken "down": every connection
// is then cut before an answer, as when the network drops.
type desk struct {
	t      *testing.T
	portal *portal.Server
	srv    *httptest.Server
	down   atomic.Bool
	refs   []string
}

func newDesk(t *testing.T, seeded int) *desk {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data")) // store.DefaultPath reads it
	p, err := portal.Open(filepath.Join(dir, "portal.db"), portal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := &desk{t: t, portal: p}
	h := p.Handler()
	d.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d.down.Load() {
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { d.srv.Close(); p.Close() })
	if seeded > 0 {
		d.refs, err = demodata.Seed(context.Background(), p, zone, seeded, 7)
		if err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// officer is one officer's workstation: token and environment.
type officer struct {
	d     *desk
	token string
	id    complaint.Officer
	env   map[string]string
	term  bytes.Buffer // what OSC 52 wrote to the terminal
}

func (d *desk) officer(name string, extraEnv ...string) *officer {
	d.t.Helper()
	tok, who, err := d.portal.AddOfficer(zone, name)
	if err != nil {
		d.t.Fatal(err)
	}
	o := &officer{d: d, token: tok, id: who, env: map[string]string{
		"GUICHET_SERVER": d.srv.URL, "GUICHET_TOKEN": tok, "GUICHET_LANG": "en",
	}}
	for i := 0; i+1 < len(extraEnv); i += 2 {
		o.env[extraEnv[i]] = extraEnv[i+1]
	}
	return o
}

type result struct {
	stdout, stderr string
	code           int
}

func (o *officer) run(args ...string) result {
	o.d.t.Helper()
	var out, errb bytes.Buffer
	cfg := Config{Env: func(k string) string { return o.env[k] }, Stdout: &out, Stderr: &errb, Terminal: &o.term}
	code := runConfig(context.Background(), cfg, args)
	return result{out.String(), errb.String(), code}
}

func (o *officer) must(args ...string) result {
	o.d.t.Helper()
	r := o.run(args...)
	if r.code != exitOK {
		o.d.t.Fatalf("guichet %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

// serverRecord reads a complaint as the portal holds it, over HTTP.
func (o *officer) serverRecord(ref string) complaint.Record {
	o.d.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, o.d.srv.URL+"/v1/zones/"+zone+"/complaints/"+ref, nil)
	req.Header.Set("Authorization", "Bearer "+o.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o.d.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		o.d.t.Fatalf("GET complaint %s: %s", ref, resp.Status)
	}
	var rec complaint.Record
	if err := json.NewDecoder(resp.Body).Decode(&rec); err != nil {
		o.d.t.Fatal(err)
	}
	return rec
}

func countActions(rec complaint.Record, action string) int {
	n := 0
	for _, h := range rec.History {
		if h.Action == action {
			n++
		}
	}
	return n
}

func TestListShowClaimHandle(t *testing.T) {
	d := newDesk(t, 12)
	o := d.officer("Inspecteur Dupont")
	if r := o.must("list"); !strings.Contains(r.stdout, "never been synced") {
		t.Fatalf("list before any sync said %q", r.stdout)
	}
	r := o.must("sync")
	if !strings.Contains(r.stdout, "synced: 12 complaint(s)") {
		t.Fatalf("sync said %q", r.stdout)
	}
	r = o.must("list", "--status", "new")
	for _, ref := range d.refs {
		if !strings.Contains(r.stdout, ref) {
			t.Fatalf("list lacks %s:\n%s", ref, r.stdout)
		}
	}
	var rows []listRow
	if err := json.Unmarshal([]byte(o.must("list", "--json").stdout), &rows); err != nil || len(rows) != 12 {
		t.Fatalf("list --json: %d rows, %v", len(rows), err)
	}
	ref := d.refs[0]
	r = o.must("show", ref)
	for _, want := range []string{"Facts", "Complainant", "Reference: " + ref} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("show lacks %q:\n%s", want, r.stdout)
		}
	}

	r = o.must("claim", ref)
	if !strings.Contains(r.stdout, "confirmed by the portal, status Claimed") && !strings.Contains(r.stdout, "confirmed by the portal") {
		t.Fatalf("claim said %q / %q", r.stdout, r.stderr)
	}
	if got := o.serverRecord(ref); got.Status != complaint.StatusClaimed || got.ClaimedBy == nil || got.ClaimedBy.ID != o.id.ID {
		t.Fatalf("portal state after claim: %s %+v", got.Status, got.ClaimedBy)
	}

	// A malformed PV number never leaves the workstation: usage error.
	r = o.run("handle", ref, "--pv", "12345")
	if r.code != exitUsage || !strings.Contains(r.stderr, "pv_number") {
		t.Fatalf("bad PV: exit %d, stderr %q", r.code, r.stderr)
	}
	r = o.must("handle", ref, "--pv", "NI.55.L5.012345/2026")
	if !strings.Contains(r.stdout, "confirmed") {
		t.Fatalf("handle said %q", r.stdout)
	}
	got := o.serverRecord(ref)
	if got.Status != complaint.StatusHandled || got.PVNumber != "NI.55.L5.012345/2026" {
		t.Fatalf("portal after handle: %s %q", got.Status, got.PVNumber)
	}
	if countActions(got, "claim") != 1 || countActions(got, "handle") != 1 {
		t.Fatalf("history: %+v", got.History)
	}
	// Handling it again: the status rules refuse it locally: conflict.
	if r := o.run("release", ref); r.code != exitConflict {
		t.Fatalf("release of a handled complaint: exit %d %q", r.code, r.stderr)
	}
	// Unknown complaint: failure.
	if r := o.run("show", "5275-0000-NOPE"); r.code != exitFailure {
		t.Fatalf("unknown ref: exit %d", r.code)
	}
}

func TestOfflineQueueDeliversOnce(t *testing.T) {
	d := newDesk(t, 5)
	o := d.officer("Inspecteur Dupont")
	o.must("sync")
	ref := d.refs[1]
	d.down.Store(true)
	r := o.must("claim", ref)
	if !strings.Contains(r.stdout, "queued, will be sent at next sync") {
		t.Fatalf("offline claim said %q / %q", r.stdout, r.stderr)
	}
	if r := o.must("list", "--status", "claimed"); !strings.Contains(r.stdout, ref) || !strings.Contains(r.stdout, "*") {
		t.Fatalf("the queued claim is not shown as pending:\n%s", r.stdout)
	}
	if r := o.run("sync"); r.code != exitFailure || !strings.Contains(r.stderr, "1 action(s) queued") {
		t.Fatalf("sync while down: exit %d %q", r.code, r.stderr)
	}
	d.down.Store(false)
	o.must("sync")
	o.must("sync") // a second sync must not send it again
	got := o.serverRecord(ref)
	if got.Status != complaint.StatusClaimed || countActions(got, "claim") != 1 {
		t.Fatalf("portal: %s, %d claims", got.Status, countActions(got, "claim"))
	}
	if r := o.must("list", "--status", "claimed"); strings.Contains(r.stdout, "*") {
		t.Fatalf("still pending after delivery:\n%s", r.stdout)
	}
}

func TestTwoOfficersConflict(t *testing.T) {
	d := newDesk(t, 3)
	dir := t.TempDir()
	a := d.officer("Agent Alpha", "GUICHET_DB", filepath.Join(dir, "a", "cache.db"))
	b := d.officer("Agent Bravo", "GUICHET_DB", filepath.Join(dir, "b", "cache.db"))
	a.must("sync")
	b.must("sync")
	ref := d.refs[0]
	d.down.Store(true)
	a.must("claim", ref)
	b.must("claim", ref)
	d.down.Store(false)
	a.must("sync")
	r := b.run("sync")
	if r.code != exitConflict || !strings.Contains(r.stderr, "Agent Alpha") {
		t.Fatalf("second claimer: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := b.must("conflicts"); !strings.Contains(r.stdout, ref) || !strings.Contains(r.stdout, "Agent Alpha") {
		t.Fatalf("conflicts: %q", r.stdout)
	}
	// Online, the local rules already know who holds it: conflict at once.
	if r := b.run("claim", ref); r.code != exitConflict || !strings.Contains(r.stderr, "Agent Alpha") {
		t.Fatalf("claim of a held complaint: exit %d %q", r.code, r.stderr)
	}
}

func TestUsage(t *testing.T) {
	d := newDesk(t, 0)
	o := d.officer("Inspecteur Dupont")
	for _, args := range [][]string{
		{"frobnicate"},
		{"show"},
		{"show", "a", "b"},
		{"list", "--status", "lost"},
		{"list", "--nope"},
		{"handle"},
		{"forward", "X", "--zone", "9999"},
		{"--demo", "list"},
		{"purge", "--days", "-1"},
	} {
		if r := o.run(args...); r.code != exitUsage {
			t.Errorf("guichet %v: exit %d, want %d (stderr %q)", args, r.code, exitUsage, r.stderr)
		}
	}
	r := o.must("help")
	if !strings.Contains(r.stdout, "guichet handle REF --pv PV") {
		t.Fatalf("help: %q", r.stdout)
	}
	o.env["GUICHET_LANG"] = "nl"
	if r := o.must("--lang", "de", "help"); !strings.Contains(r.stdout, "Exit-Codes") {
		t.Fatalf("--lang must beat GUICHET_LANG: %q", r.stdout)
	}
}

func TestNoServerRunsTUIExplanation(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(nil, func(string) string { return "" }, &out, &errb)
	// The TUI's own setup screen (tui.go belongs to the TUI) explains it.
	if all := out.String() + errb.String(); code == exitOK || !strings.Contains(all, "--demo") || strings.Contains(all, "goroutine") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

func TestFlagsBeatEnvironment(t *testing.T) {
	var g globalFlags
	fs := newFlagSet("t")
	g.register(fs)
	if err := fs.Parse([]string{"--server", "https://flag.example.be", "--db", "/tmp/x.db"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GUICHET_SERVER": "https://env.example.be", "GUICHET_TOKEN": "tok", "GUICHET_DB": "/env.db", "GUICHET_LANG": "fr", "HOME": t.TempDir()}
	cfg := Config{Env: func(k string) string { return env[k] }}
	if err := g.resolve(&cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Server != "https://flag.example.be" || cfg.DB != "/tmp/x.db" || cfg.Token != "tok" || cfg.Lang != "fr" {
		t.Fatalf("resolved %s", cfg)
	}
}

// hostileRecords are complaints whose text tries to drive the terminal.
func hostileRecords(t *testing.T) []complaint.Record {
	recs := storetest.Records(3, 11)
	h := &recs[0]
	h.Facts.Description = "Vol\x1b]52;c;ZXZpbA==\a\x1b[2J\rEFFACÉ\bX\u202Eesrever\x9b31m\xff fin\nligne 2"
	h.Complainant.LastName = "Dubois\x1b[31m\u202E"
	h.Complainant.FirstName = "Marc\r\x07"
	return recs
}

// cacheWith makes a cache file holding recs, as the given officer.
func cacheWith(t *testing.T, recs []complaint.Record) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache", "guichet.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.SetIdentity(ctx, store.Identity{ServerURL: "https://portal.example.be", Zone: zone, OfficerID: "off-1", OfficerName: "Inspecteur Dupont"}); err != nil {
		t.Fatal(err)
	}
	if err := st.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	return path
}

var rawControl = regexp.MustCompile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]")

func TestHostileTextNeverReachesTerminalRaw(t *testing.T) {
	recs := hostileRecords(t)
	db := cacheWith(t, recs)
	ref := recs[0].Reference
	env := map[string]string{"GUICHET_DB": db, "GUICHET_LANG": "fr", "SSH_TTY": "/dev/pts/1"}
	var term bytes.Buffer
	runIt := func(args ...string) result {
		var out, errb bytes.Buffer
		cfg := Config{Env: func(k string) string { return env[k] }, Stdout: &out, Stderr: &errb, Terminal: &term}
		code := runConfig(context.Background(), cfg, args)
		return result{out.String(), errb.String(), code}
	}
	for _, args := range [][]string{
		{"list"}, {"list", "--json"}, {"show", ref}, {"show", ref, "--json"},
		{"copy", ref, "description", "--stdout"}, {"copy", ref, "last_name", "--stdout"},
		{"list", "--search", "Dubois"},
	} {
		r := runIt(args...)
		if r.code != exitOK {
			t.Fatalf("guichet %v: exit %d %q", args, r.code, r.stderr)
		}
		for name, s := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
			if loc := rawControl.FindStringIndex(s); loc != nil {
				t.Errorf("guichet %v: raw control %q in %s:\n%q", args, s[loc[0]:loc[1]], name, s)
			}
			if !strings.Contains(s, "\n") && name == "stdout" {
				t.Errorf("guichet %v printed nothing", args)
			}
		}
		if args[0] == "show" && len(args) == 2 && !strings.Contains(r.stdout, "␛]52;c;") {
			t.Errorf("show must display the escape as a visible placeholder:\n%s", r.stdout)
		}
	}
	// The JSON keeps the real text (escaped), for scripts.
	var rec complaint.Record
	if err := json.Unmarshal([]byte(runIt("show", ref, "--json").stdout), &rec); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rec.Facts.Description, "\x1b]52;c;") || !strings.Contains(rec.Complainant.LastName, "\u202E") {
		t.Fatalf("JSON lost the data: %q", rec.Facts.Description)
	}

	// Copy through OSC 52 (over SSH): only the sanitized text is sent.
	term.Reset()
	r := runIt("copy", ref, "facts.description", "--clear-after", "1ms")
	if r.code != exitOK {
		t.Fatalf("copy: %d %q", r.code, r.stderr)
	}
	seqs := regexp.MustCompile("\x1b\\]52;c;([A-Za-z0-9+/=]*)\a").FindAllStringSubmatch(term.String(), -1)
	if len(seqs) != 2 || seqs[1][1] != "" {
		t.Fatalf("want a copy then a clear, terminal got %q", term.String())
	}
	payload, err := base64.StdEncoding.DecodeString(seqs[0][1])
	if err != nil {
		t.Fatal(err)
	}
	if loc := rawControl.FindIndex(payload); loc != nil || !strings.Contains(string(payload), "␛]52;c;") {
		t.Fatalf("clipboard payload not sanitized: %q", payload)
	}
	if !strings.Contains(r.stdout, "presse-papiers du terminal") || !strings.Contains(r.stdout, "effacement demandé au terminal") {
		t.Fatalf("copy said %q", r.stdout)
	}
}

func TestCopyFieldNames(t *testing.T) {
	recs := storetest.Records(2, 5)
	db := cacheWith(t, recs)
	ref := recs[0].Reference
	env := map[string]string{"GUICHET_DB": db, "GUICHET_LANG": "en"}
	runIt := func(args ...string) result {
		var out, errb bytes.Buffer
		code := run(args, func(k string) string { return env[k] }, &out, &errb)
		return result{out.String(), errb.String(), code}
	}
	nn := recs[0].Complainant.Identification.NationalNumber
	if nn == "" {
		t.Skip("fixture without national number")
	}
	full := runIt("copy", ref, "complainant.identification.national_number", "--stdout")
	short := runIt("copy", ref, "national_number", "--stdout")
	if full.code != exitOK || full.stdout != short.stdout || !strings.Contains(strings.NewReplacer(".", "", "-", "", " ", "").Replace(full.stdout), nn) {
		t.Fatalf("full %q (%d) short %q", full.stdout, full.code, short.stdout)
	}
	r := runIt("copy", ref, "street", "--stdout") // place and address both have one
	if r.code != exitUsage || !strings.Contains(r.stderr, "facts.place.street") || !strings.Contains(r.stderr, "complainant.address.street") {
		t.Fatalf("ambiguous field: %d %q", r.code, r.stderr)
	}
	r = runIt("copy", ref, "shoe_size", "--stdout")
	if r.code != exitUsage || !strings.Contains(r.stderr, "facts.description") {
		t.Fatalf("unknown field must list the keys: %d %q", r.code, r.stderr)
	}
	// Every show and copy is in the audit log, with the field.
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs, err := st.PendingAudit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var copies []string
	for _, e := range evs {
		if e.Kind == store.AuditCopy && e.Reference == ref {
			copies = append(copies, e.Field)
		}
	}
	if strings.Join(copies, ",") != "complainant.identification.national_number,complainant.identification.national_number" {
		t.Fatalf("audited copies: %v", copies)
	}
}

// TestJSONGolden pins the --json schema of list and show.
func TestJSONGolden(t *testing.T) {
	recs := storetest.Records(4, 3)
	db := cacheWith(t, recs)
	env := map[string]string{"GUICHET_DB": db}
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"list.json", []string{"list", "--json"}},
		{"show.json", []string{"show", recs[1].Reference, "--json"}},
		{"conflicts.json", []string{"conflicts", "--json"}},
	} {
		var out, errb bytes.Buffer
		if code := run(tc.args, func(k string) string { return env[k] }, &out, &errb); code != exitOK {
			t.Fatalf("%v: exit %d %q", tc.args, code, errb.String())
		}
		path := filepath.Join("testdata", tc.golden)
		if *update {
			os.MkdirAll("testdata", 0o755)
			if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create)", err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%v differs from %s:\n%s", tc.args, path, out.String())
		}
	}
}

func TestRevokedTokenKeepsQueue(t *testing.T) {
	d := newDesk(t, 2)
	o := d.officer("Inspecteur Dupont")
	o.must("sync")
	d.down.Store(true)
	o.must("claim", d.refs[0])
	d.down.Store(false)
	if err := d.portal.RevokeOfficer(o.id.ID); err != nil {
		t.Fatal(err)
	}
	r := o.run("sync")
	if r.code != exitFailure || !strings.Contains(r.stderr, "token revoked or for another zone") || !strings.Contains(r.stderr, "1 action(s) queued") {
		t.Fatalf("revoked: exit %d %q", r.code, r.stderr)
	}
	if r := o.must("list", "--status", "claimed"); !strings.Contains(r.stdout, d.refs[0]) || !strings.Contains(r.stdout, "*") {
		t.Fatalf("the queued claim was lost:\n%s", r.stdout)
	}
}
