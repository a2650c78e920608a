package demodata

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"guichet/complaint"
	"guichet/portal"
)

// openPortal opens a real portal on a real SQLite file.
func openPortal(t *testing.T) *portal.Server {
	t.Helper()
	srv, err := portal.Open(filepath.Join(t.TempDir(), "portal.db"), portal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// zoneFeed reads the first 1000 complaints of zone as one of its officers
// does, over HTTP.
func zoneFeed(t *testing.T, srv *portal.Server, zone string) complaint.FeedPage {
	t.Helper()
	tok, _, err := srv.AddOfficer(zone, "Agent Test")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/v1/zones/"+zone+"/feed?limit=1000", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("feed of %s: %d", zone, resp.StatusCode)
	}
	var page complaint.FeedPage
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	return page
}
