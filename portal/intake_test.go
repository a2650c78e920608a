package portal

import (
	"net/http"
	"testing"
	"time"

	"guichet/complaint"
)

func TestIntakeRoutesByPlaceOfFacts(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok5275, _ := tp.officer("5275", "Inspecteur Dupont")
	tok5339, _ := tp.officer("5339", "Agent Bruxelles")

	body := mustJSON(sampleSubmission(time.Now()))
	dry := tp.do("POST", "/v1/complaints?dry_run=1", "", "", body)
	if dry.Status != http.StatusOK {
		t.Fatalf("dry run: %d %s", dry.Status, dry.Body)
	}
	var recap struct {
		Zone complaint.Zone `json:"zone"`
	}
	dry.decode(t, &recap)
	if recap.Zone.Code != "5275" {
		t.Fatalf("dry run zone = %+v, want 5275", recap.Zone)
	}
	r := tp.do("POST", "/v1/complaints", "", "k1", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("intake: %d %s", r.Status, r.Body)
	}
	var rc complaint.IntakeReceipt
	r.decode(t, &rc)
	if rc.Zone.Code != "5275" || rc.Status != complaint.StatusNew || rc.Reference == "" {
		t.Fatalf("receipt %+v", rc)
	}
	page, fr := tp.feed("5275", tok5275, "", 100)
	if fr.Status != 200 || len(page.Items) != 1 || page.Items[0].Reference != rc.Reference {
		t.Fatalf("5275 feed: %d %+v", fr.Status, page)
	}
	rec := page.Items[0].Record
	if rec.Verification.Method != "three_numbers" || len(rec.Verification.Checks) == 0 {
		t.Errorf("verification not kept: %+v", rec.Verification)
	}
	// Brussels' officers (where the complainant lives) see nothing.
	page, fr = tp.feed("5339", tok5339, "", 100)
	if fr.Status != 200 || len(page.Items) != 0 {
		t.Fatalf("5339 feed: %d %+v", fr.Status, page)
	}
}

func TestSeed(t *testing.T) {
	tp := newTestPortal(t, Options{})
	refs := tp.seed("5275", 300)
	if len(refs) != 300 {
		t.Fatalf("got %d refs", len(refs))
	}
	seen := map[string]bool{}
	for _, r := range refs {
		if seen[r] {
			t.Fatalf("duplicate ref %s", r)
		}
		seen[r] = true
	}
}
