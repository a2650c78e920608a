package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal"
)

// TestSeedHistory: the demo's past is filed through the real portal at past
// times, colleagues' actions follow the status rules in time order, and the
// clock is the real one afterwards.
func TestSeedHistory(t *testing.T) {
	clock := &demoClock{}
	srv, err := portal.Open(filepath.Join(t.TempDir(), "p.db"), portal.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	start := time.Now()
	if err := seedHistory(context.Background(), srv, clock, 120, 42); err != nil {
		t.Fatal(err)
	}
	if d := clock.Now().Sub(time.Now()); d > time.Second || d < -time.Second {
		t.Fatalf("clock not back to real time: off by %v", d)
	}
	tok, _, err := srv.AddOfficer(demoZone, "Test")
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/v1/zones/"+demoZone+"/feed?limit=1000", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	var page complaint.FeedPage
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		t.Fatalf("feed: %v (%d)", err, rec.Code)
	}
	if len(page.Items) != 120 {
		t.Fatalf("%d complaints filed, want 120", len(page.Items))
	}
	byStatus := map[complaint.Status]int{}
	oldest := start
	for _, it := range page.Items {
		r := it.Record
		byStatus[r.Status]++
		if r.ReceivedAt.Before(oldest) {
			oldest = r.ReceivedAt
		}
		prev := r.ReceivedAt
		for _, h := range r.History {
			if h.At.Before(prev) || h.At.After(start) {
				t.Fatalf("%s: history out of order or in the future: %+v after %v", r.Reference, h, prev)
			}
			prev = h.At
		}
		if r.Facts.EndedAt.After(r.ReceivedAt) {
			t.Fatalf("%s: facts end after filing", r.Reference)
		}
	}
	if start.Sub(oldest) < 30*24*time.Hour {
		t.Errorf("oldest complaint only %v old; the past should span weeks", start.Sub(oldest))
	}
	for _, s := range []complaint.Status{complaint.StatusNew, complaint.StatusClaimed, complaint.StatusHandled} {
		if byStatus[s] == 0 {
			t.Errorf("no %s complaint in the demo's past: %v", s, byStatus)
		}
	}
}
