package portal

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"guichet/complaint"
)

// TestStorageFailureIsNotNotFound: only storage.ErrNotFound is a 404. When
// the database fails, the officer gets 500 (retry), never a 404 that says
// the complaint does not exist, and the cause is logged.
func TestStorageFailureIsNotNotFound(t *testing.T) {
	logs := &lockedBuffer{}
	tp := newTestPortal(t, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	tok, _ := tp.officer("5275", "Agent")
	ref := tp.seed("5275", 1)[0]
	claim := mustJSON(complaint.Action{Type: complaint.ActionClaim})
	tests := []struct {
		name         string
		method, path string
		body         []byte
	}{
		{"view", "GET", "/v1/zones/5275/complaints/" + ref, nil},
		{"view of a missing complaint", "GET", "/v1/zones/5275/complaints/2026-ZZZZ-ZZZZ", nil},
		{"action", "POST", "/v1/zones/5275/complaints/" + ref + "/actions", claim},
	}
	// Before the failure: the real answers.
	if r := tp.do("GET", tests[0].path, tok, "", nil); r.Status != http.StatusOK {
		t.Fatalf("view before the failure: %d %s", r.Status, r.Body)
	}
	if r := tp.do("GET", tests[1].path, tok, "", nil); r.Status != http.StatusNotFound {
		t.Fatalf("missing complaint before the failure: %d %s", r.Status, r.Body)
	}
	tp.store.fail("Complaint")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tp.do(tt.method, tt.path, tok, "key-"+itoa(i), tt.body)
			if r.Status != http.StatusInternalServerError || r.apiError(t).Code != complaint.CodeInternal {
				t.Fatalf("with the database failing: %d %s, want 500 %s", r.Status, r.Body, complaint.CodeInternal)
			}
		})
	}
	if !strings.Contains(logs.String(), errStorageDown.Error()) {
		t.Errorf("the cause is not logged:\n%s", logs)
	}
}
