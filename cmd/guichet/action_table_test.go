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
