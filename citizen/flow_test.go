package citizen

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal"
)

// TestFormAndAPIFileEqualRecords files one bicycle theft through the form
// and the same one through POST /v1/complaints: the zone's officer gets
// the same record, but for what the portal gives each filing (reference,
// times, history).
func TestFormAndAPIFileEqualRecords(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	token := ts.officer("5275")
	ref := ts.browser().fileBicycleTheft("fr")

	resp, err := http.Post(ts.http.URL+"/v1/complaints", "application/json", bytes.NewBufferString(bicycleTheftJSON("fr")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("API intake: %d", resp.StatusCode)
	}
	var apiRef string
	for _, it := range ts.feedRefs("5275", token) {
		if it != ref {
			apiRef = it
		}
	}
	viaForm, viaAPI := ts.record("5275", token, ref), ts.record("5275", token, apiRef)
	for _, r := range []*complaint.Record{&viaForm, &viaAPI} {
		r.Reference, r.ReceivedAt, r.UpdatedAt, r.History, r.Verification.VerifiedAt = "", time.Time{}, time.Time{}, nil, time.Time{}
	}
	if a, b := compactRecord(viaForm), compactRecord(viaAPI); a != b {
		t.Errorf("records differ:\nform: %s\nAPI:  %s", a, b)
	}
}
