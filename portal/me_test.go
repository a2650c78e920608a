package portal

import (
	"net/http"
	"testing"
)

func TestMe(t *testing.T) {
	tp := newTestPortal(t, Options{})
	token, officer := tp.officer("5275", "Inspecteur Dupont")

	var me Me
	r := tp.do("GET", "/v1/me", token, "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /v1/me: %d %s", r.Status, r.Body)
	}
	r.decode(t, &me)
	if me.Officer != officer || me.Zone.Code != "5275" || me.Zone.Name != "Ottignies-Louvain-la-Neuve" {
		t.Fatalf("me = %+v, want officer %+v in zone 5275 Ottignies-Louvain-la-Neuve", me, officer)
	}

	for name, tok := range map[string]string{"no token": "", "wrong token": "not-a-token"} {
		if r := tp.do("GET", "/v1/me", tok, "", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, r.Status)
		}
	}
	if err := tp.srv.RevokeOfficer(officer.ID); err != nil {
		t.Fatal(err)
	}
	if r := tp.do("GET", "/v1/me", token, "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("revoked token: status %d, want 401", r.Status)
	}
}
