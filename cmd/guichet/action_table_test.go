package main

import (
	"encoding/json"
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/complaint/actiontest"
)

// TestFakeActionSubcommand adds an action to complaint's table (in this
// test only): guichet has its subcommand with a flag per input, checks its
// input, and the real portal applies it — with no edit of cmd/guichet or
// portal.
func TestFakeActionSubcommand(t *testing.T) {
	spec := actiontest.Add(t)
	d := newDesk(t, 2)
	o := d.officer("Inspecteur Dupont")
	o.must("sync")
	ref := d.refs[0]
	help := o.must(spec.Command, "--help").stdout
	if !strings.Contains(help, "--reason ") || !strings.Contains(help, "--json ") {
		t.Fatalf("guichet %s --help:\n%s", spec.Command, help)
	}
	decode := func(r result) actionResult {
		t.Helper()
		var res actionResult
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
			t.Fatalf("not JSON (%v): %q %q", err, r.stdout, r.stderr)
		}
		return res
	}
	if r := o.run(spec.Command, ref, "--reason", "Quelle marque ?"); r.code != exitConflict {
		t.Fatalf("on a complaint nobody claimed: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	o.must("claim", ref)
	r := o.run(spec.Command, ref, "--json")
	if res := decode(r); r.code != exitUsage || res.Fields["reason"] == "" {
		t.Fatalf("without its reason: %d %+v", r.code, res)
	}
	res := decode(o.must(spec.Command, ref, "--reason", "Quelle marque ?", "--json"))
	if res.Outcome != "confirmed" || res.Action != spec.Type || res.Status != complaint.StatusClaimed {
		t.Fatalf("%s --json: %+v", spec.Command, res)
	}
	rec := o.serverRecord(ref)
	last := rec.History[len(rec.History)-1]
	if last.Action != string(spec.Type) || last.Reason != "Quelle marque ?" || rec.ClaimedBy == nil || rec.ClaimedBy.ID != o.id.ID {
		t.Fatalf("the portal's record: %+v, last %+v", rec, last)
	}
}

// TestHelpListsEveryAction: guichet help has a line per action of
// complaint's table, made from its entry (subcommand, an argument per
// input, optional ones in brackets, the help text of its key): the fake
// action appears with no edit of cmd/guichet or of the messages.
func TestHelpListsEveryAction(t *testing.T) {
	spec := actiontest.Add(t)
	want := map[string][]string{
		"en": {"guichet ask-citizen REF --reason R ", "guichet forward REF --zone Z [--reason R] ", "guichet handle REF --pv PV ", "guichet claim REF ", "guichet release REF "},
		"fr": {"guichet ask-citizen REF --reason MOTIF ", "guichet forward REF --zone Z [--reason MOTIF] ", "guichet take-over REF --reason MOTIF "},
		"de": {"guichet ask-citizen REF --reason GRUND ", "guichet reject REF --reason GRUND "},
		"nl": {"guichet ask-citizen REF --reason REDEN ", "guichet correct-pv REF --pv PV "},
	}
	for lang, lines := range want {
		var out, errb strings.Builder
		if code := run([]string{"--lang", lang, "help"}, func(string) string { return "" }, &out, &errb); code != exitOK {
			t.Fatalf("%s: exit %d %s", lang, code, errb.String())
		}
		help := out.String()
		for _, l := range lines {
			if !strings.Contains(help, l) {
				t.Errorf("%s: the help has no %q:\n%s", lang, l, help)
			}
		}
		for _, s := range complaint.Actions {
			if !strings.Contains(help, "  guichet "+s.Command+" REF") {
				t.Errorf("%s: the help has no line for %s:\n%s", lang, s.Command, help)
			}
		}
		// The action's line ends with its key's help text (here the label
		// key itself: the fake action has no messages), before the rest.
		i, j := strings.Index(help, "guichet "+spec.Command), strings.Index(help, "guichet conflicts")
		if i < 0 || j < i || !strings.Contains(help[i:j], "key.askcitizen") {
			t.Errorf("%s: the fake action's line is not among the actions, with its key's text:\n%s", lang, help)
		}
	}
}
