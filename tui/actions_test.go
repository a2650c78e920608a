package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/store/storetest"
)

// pick returns the first record matching cond.
func pick(t *testing.T, recs []complaint.Record, cond func(complaint.Record) bool) complaint.Record {
	t.Helper()
	for _, r := range recs {
		if cond(r) {
			return r
		}
	}
	t.Fatal("no such record in the fixtures")
	return complaint.Record{}
}

// openDetail shows ref's detail on top of the queue.
func (h *harness) openDetail(ref string) {
	h.run(h.app.Push(newDetail(h.app.c, ref)))
}

func (h *harness) rec(ref string) Complaint {
	h.t.Helper()
	c, err := h.src.Get(context.Background(), ref)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func heldByColleague(r complaint.Record) bool {
	return r.Status == complaint.StatusClaimed && r.ClaimedBy != nil && r.ClaimedBy.ID != testOfficer.ID
}

// h, x, f on a complaint the officer cannot act on say why at once; no
// dialog opens whose input would be lost.
func TestActionKeysRefusedBeforeTyping(t *testing.T) {
	recs := storetest.Records(60, 2)
	other := pick(t, recs, heldByColleague)
	closed := pick(t, recs, func(r complaint.Record) bool { return r.Status.Final() })
	cases := []struct {
		ref, keys, want string
	}{
		{other.Reference, "h", "held by " + other.ClaimedBy.Name + " — T to take it over"},
		{other.Reference, "x", "held by " + other.ClaimedBy.Name},
		{other.Reference, "f", "held by " + other.ClaimedBy.Name},
		{other.Reference, "u", "held by " + other.ClaimedBy.Name},
		{closed.Reference, "h", "already closed"},
		{closed.Reference, "x", "already closed"},
		{closed.Reference, "T", "already closed"},
	}
	for _, c := range cases {
		h := newHarness(t, recs, "en", 120, 30)
		h.openDetail(c.ref)
		h.keys(c.keys)
		if _, ok := h.app.Top().(*detailModel); !ok {
			t.Errorf("%s on %s opened %T", c.keys, c.ref, h.app.Top())
		}
		if !strings.Contains(h.app.status, c.want) || !strings.Contains(h.app.status, "refused") {
			t.Errorf("%s on %s: status %q, want %q", c.keys, c.ref, h.app.status, c.want)
		}
	}
}

// Forward: nothing preselected, search by municipality, postal code and
// other-language names, own zone refused, confirmation names the zone.
func TestForwardZoneSearch(t *testing.T) {
	h := newHarness(t, storetest.Records(60, 2), "en", 120, 30)
	h.keys("<enter>cf")
	d, ok := h.app.Top().(*dialogModel)
	if !ok {
		t.Fatalf("top %T", h.app.Top())
	}
	ref := d.ref
	h.keys("<enter><enter>")
	if h.app.Top() != Screen(d) || d.confirming || h.rec(ref).Status != complaint.StatusClaimed {
		t.Fatalf("enter on an empty search did something:\n%s", h.view())
	}
	if !strings.Contains(h.view(), "Type a code, zone name, municipality or postal code") {
		t.Fatalf("no hint on an empty search:\n%s", h.view())
	}
	search := func(q string) {
		d.fields[0].SetValue("")
		h.keys(q)
	}
	for q, want := range map[string]string{"Anvers": "5345", "antwerp": "5345", "Luik": "5277", "Elsene": "5339", "1050": "5339", "Louvain": "5388"} {
		search(q)
		if m, ok := d.selectedZone(); !ok || m.Zone.Code != want {
			t.Errorf("%q selects %+v, want %s", q, m, want)
		}
	}
	search("5275")
	h.keys("<enter>")
	if d.confirming || !strings.Contains(h.view(), "That is your own zone") {
		t.Fatalf("own zone:\n%s", h.view())
	}
	search("Anvers")
	h.keys("<enter>")
	if !d.confirming || !strings.Contains(h.view(), "Forward to zone 5345 Antwerpen?") {
		t.Fatalf("confirmation does not name the zone:\n%s", h.view())
	}
	h.keys("<enter>")
	if c := h.rec(ref); c.Status != complaint.StatusForwarded || c.ForwardedTo != "5345" {
		t.Fatalf("forwarded %s to %q", c.Status, c.ForwardedTo)
	}
}

// A refusal after the officer typed keeps the dialog and the text; the
// draft comes back when the dialog opens again.
func TestDialogKeepsInputOnRefusal(t *testing.T) {
	recs := storetest.Records(60, 2)
	h := newHarness(t, recs, "en", 120, 30)
	h.keys("<enter>ch")
	d := h.app.Top().(*dialogModel)
	ref := d.ref
	h.keys("NI.55.L5.012345/2026<enter>")
	// Meanwhile a colleague's claim arrives from the portal.
	cur := h.rec(ref).Record
	next := cur
	next.Version = cur.Version + 10
	next.Status, next.ClaimedBy = complaint.StatusClaimed, &storetest.Officers[1]
	if err := h.st.ApplyFeedPage(context.Background(), []complaint.FeedItem{{Reference: ref, Version: next.Version, Record: &next}}, "c1"); err != nil {
		t.Fatal(err)
	}
	// The portal's state wins only when our queued claim is settled: drop it.
	pending, _ := h.st.PendingActions(context.Background(), 10)
	for _, p := range pending {
		if err := h.st.RejectAction(context.Background(), p.ID, &next, complaint.ConflictClaimedByOther, "held"); err != nil {
			t.Fatal(err)
		}
	}
	h.keys("<enter>")
	if h.app.Top() != Screen(d) {
		t.Fatalf("the dialog closed on a refusal: top %T", h.app.Top())
	}
	if d.fields[0].Value() != "NI.55.L5.012345/2026" || !strings.Contains(h.view(), "✗ held by Inspectrice Van den Bossche") {
		t.Fatalf("after the refusal: input %q\n%s", d.fields[0].Value(), h.view())
	}
	again := newDialog(h.app.c, specOf(t, complaint.ActionHandle), ref)
	if again.fields[0].Value() != "NI.55.L5.012345/2026" {
		t.Fatalf("draft not kept: %q", again.fields[0].Value())
	}
}

// With rows marked, x and f act on the marked set through the bulk
// confirmation; h refuses with a message; ctrl+t puts a reason template.
func TestMarkedRowsRejectForwardAndHandle(t *testing.T) {
	recs := storetest.Records(60, 2)
	h := newHarness(t, recs, "en", 120, 30)
	ctx := context.Background()
	var refs []string
	for _, r := range recs {
		if r.Status == complaint.StatusNew && len(refs) < 3 {
			refs = append(refs, r.Reference)
			if _, err := h.st.Act(ctx, r.Reference, complaint.Action{Type: complaint.ActionClaim}, testOfficer, "en"); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.keys("2") // Mine
	h.keys("<space><space>")
	if h.queue().bulk.count() != 2 {
		t.Fatalf("marked %d", h.queue().bulk.count())
	}
	h.keys("h")
	if _, ok := h.app.Top().(*queueModel); !ok || !strings.Contains(h.app.status, "One PV number per complaint") {
		t.Fatalf("h with marks: top %T, status %q", h.app.Top(), h.app.status)
	}
	marked := h.queue().bulk.refs()
	h.keys("x")
	d, ok := h.app.Top().(*dialogModel)
	if !ok || len(d.refs) != 2 {
		t.Fatalf("x with marks: top %T", h.app.Top())
	}
	h.send(tea.KeyMsg{Type: tea.KeyCtrlT})
	if d.fields[0].Value() != "outside our competence" {
		t.Fatalf("template: %q", d.fields[0].Value())
	}
	h.send(tea.KeyMsg{Type: tea.KeyCtrlT})
	if d.fields[0].Value() != "duplicate" {
		t.Fatalf("second template: %q", d.fields[0].Value())
	}
	h.keys("<enter>")
	bc, ok := h.app.Top().(*bulkConfirmModel)
	if !ok || !strings.Contains(h.view(), "Reject 2 complaint(s)?") || !strings.Contains(h.view(), "Reason: duplicate") {
		t.Fatalf("bulk confirmation: top %T\n%s", h.app.Top(), h.view())
	}
	h.keys("y")
	if bc.result == nil || bc.result.queued != 2 {
		t.Fatalf("bulk result %+v", bc.result)
	}
	for _, ref := range marked {
		if c := h.rec(ref); c.Status != complaint.StatusRejected || c.Reason != "duplicate" {
			t.Fatalf("%s: %s %q", ref, c.Status, c.Reason)
		}
	}
	if !strings.Contains(h.app.status, "Bulk reject") && !strings.Contains(h.app.status, "2 complaint(s) queued") {
		t.Fatalf("summary %q", h.app.status)
	}
}

// T takes over a colleague's claim with a reason; P corrects the PV
// number of a handled complaint.
func TestTakeOverAndCorrectPVKeys(t *testing.T) {
	recs := storetest.Records(60, 2)
	other := pick(t, recs, heldByColleague)
	handled := pick(t, recs, func(r complaint.Record) bool { return r.Status == complaint.StatusHandled && r.PVNumber != "" })
	h := newHarness(t, recs, "fr", 120, 30)
	h.openDetail(other.Reference)
	h.keys("T")
	if _, ok := h.app.Top().(*dialogModel); !ok {
		t.Fatalf("T: top %T, status %q", h.app.Top(), h.app.status)
	}
	h.keys("<enter>")
	if !strings.Contains(h.view(), "obligatoire") {
		t.Fatalf("take-over without a reason:\n%s", h.view())
	}
	h.keys("fin de service<enter><enter>")
	c := h.rec(other.Reference)
	if c.ClaimedBy == nil || c.ClaimedBy.ID != testOfficer.ID || !c.Pending {
		t.Fatalf("after take-over: %+v pending %v", c.ClaimedBy, c.Pending)
	}
	if !strings.Contains(h.app.status, "Reprise de "+other.Reference+" enregistrée") {
		t.Fatalf("status %q", h.app.status)
	}
	h.keys("<esc>")
	h.openDetail(handled.Reference)
	h.keys("P")
	d, ok := h.app.Top().(*dialogModel)
	if !ok || !strings.Contains(h.view(), "PV actuel : "+handled.PVNumber) {
		t.Fatalf("P: top %T\n%s", h.app.Top(), h.view())
	}
	h.keys(handled.PVNumber + "<enter>")
	if d.confirming || !strings.Contains(h.view(), "déjà le numéro de PV") {
		t.Fatalf("same PV:\n%s", h.view())
	}
	d.fields[0].SetValue("")
	h.keys("NI.55.L5.999999/2026<enter><enter>")
	c = h.rec(handled.Reference)
	if c.PVNumber != "NI.55.L5.999999/2026" || c.Status != complaint.StatusHandled {
		t.Fatalf("after correction: %s %s", c.Status, c.PVNumber)
	}
	last := c.History[len(c.History)-1]
	if last.PreviousPV != handled.PVNumber {
		t.Fatalf("history %+v", last)
	}
	if !strings.Contains(h.app.status, "Correction du PV de "+handled.Reference+" enregistrée") {
		t.Fatalf("status %q", h.app.status)
	}
}

// French status sentences agree with the action's noun.
func TestActionSentencesAgreeInFrench(t *testing.T) {
	h := newHarness(t, storetest.Records(3, 1), "fr", 120, 30)
	ref := "2026-AAAA-BBBB"
	cases := []struct {
		m    actionDoneMsg
		want string
	}{
		{actionDoneMsg{ref: ref, action: complaint.Action{Type: complaint.ActionHandle}}, "Traitement de " + ref + " enregistré —"},
		{actionDoneMsg{ref: ref, action: complaint.Action{Type: complaint.ActionClaim}}, "Prise en charge de " + ref + " enregistrée —"},
		{actionDoneMsg{ref: ref, action: complaint.Action{Type: complaint.ActionReject}}, "Refus de " + ref + " enregistré —"},
		{actionDoneMsg{ref: ref, action: complaint.Action{Type: complaint.ActionForward}}, "Transfert de " + ref + " enregistré —"},
		{actionDoneMsg{ref: ref, action: complaint.Action{Type: complaint.ActionClaim}, err: &complaint.ConflictError{Code: complaint.ConflictFinal}}, "Prise en charge de " + ref + " refusée : "},
		{actionDoneMsg{ref: ref, action: complaint.Action{Type: complaint.ActionHandle}, err: &complaint.ConflictError{Code: complaint.ConflictFinal}}, "Traitement de " + ref + " refusé : "},
	}
	for _, c := range cases {
		if got, _ := h.app.actionText(c.m); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: %q, want %q…", c.m.action.Type, got, c.want)
		}
	}
}
