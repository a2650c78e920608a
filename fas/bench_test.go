package fas

import (
	"context"
	"testing"
	"time"

	"guichet/fas/devfas"
)

// BenchmarkLogin is one whole login over real HTTP: Begin, the provider's
// page and choice, the code exchange and the ID token's verification.
func BenchmarkLogin(b *testing.B) {
	w := newWorld(b)
	ctx := context.Background()
	for b.Loop() {
		authURL, p, err := w.rp.Begin(ctx, "fr")
		if err != nil {
			b.Fatal(err)
		}
		cb, err := devfas.Login(authURL, devfas.People[0], "eid", false)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.rp.Finish(ctx, p, cb.Query()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyIDToken is the relying party's check of one ID token
// (ES256 signature with the cached key, claims, national number).
func BenchmarkVerifyIDToken(b *testing.B) {
	w := newWorld(b)
	ctx := context.Background()
	if _, _, err := w.rp.Begin(ctx, "fr"); err != nil {
		b.Fatal(err)
	}
	raw, err := w.provider.SignIDToken(devfas.IDToken{ClientID: testClientID, Nonce: "n", Person: devfas.People[0], Method: "eid", IssuedAt: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := w.rp.identify(ctx, raw, "n"); err != nil {
			b.Fatal(err)
		}
	}
}
