package sync

import (
	"context"
	"errors"
	"testing"
)

// TestWhoAmI: the token's officer and zone without a cache, with the
// engine's rules for refused tokens and clear-text URLs.
func TestWhoAmI(t *testing.T) {
	tp := newTestPortal(t)
	token, officer := tp.officer("Inspecteur Dupont")
	ctx := context.Background()

	me, err := WhoAmI(ctx, Options{Server: tp.directURL(), Token: token})
	if err != nil || me.Officer != officer || me.Zone.Code != "5275" {
		t.Fatalf("WhoAmI = %+v, %v; want %+v in 5275", me, err, officer)
	}
	if _, err := WhoAmI(ctx, Options{Server: tp.directURL(), Token: "not-a-token"}); !errors.Is(err, ErrAuth) {
		t.Fatalf("unknown token: %v, want ErrAuth", err)
	}
	if _, err := WhoAmI(ctx, Options{Server: "http://portal.example.be", Token: token}); !errors.Is(err, ErrInsecureURL) {
		t.Fatalf("clear text to another host: %v, want ErrInsecureURL", err)
	}
}
