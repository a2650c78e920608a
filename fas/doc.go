// Package fas identifies citizens through the federal authentication
// service (FAS) as an OpenID Connect relying party: authorization code flow
// with PKCE (S256), a fresh state and nonce per login, both checked, and
// the ID token verified by github.com/coreos/go-oidc/v3 (signature against
// the provider's JWKS, issuer, audience, expiry) before its claims become an
// Identity.
//
// # Use from the web layer
//
//	rp, err := fas.New(fas.Config{
//		Issuer:       "https://fas.example.be",          // or devfas's issuer
//		ClientID:     "guichet",
//		ClientSecret: secret,                            // read from a file, never a flag
//		RedirectURL:  "https://guichet.example.be/auth/callback",
//	})
//
//	// GET /fr/identify/fas → start a login:
//	authURL, pending, err := rp.Begin(ctx, "fr")
//	// store pending in the citizen's server-side session (never in a URL
//	// or a cookie value), then redirect the browser to authURL (303).
//
//	// GET /auth/callback?code=…&state=… → finish it:
//	id, err := rp.Finish(ctx, pending, r.URL.Query())
//	// delete pending from the session whatever the outcome: it is single-use.
//	var fe *fas.Error
//	if errors.As(err, &fe) {
//		// fe.Reason says what went wrong, fe.Message(lang) says it in the
//		// citizen's words; log fe (its Error() has the technical detail),
//		// never show it.
//	}
//	// id.NationalNumber (11 digits), id.FirstName, id.LastName,
//	// id.BirthDate ("YYYY-MM-DD" or ""), id.Method (eid, token, itsme),
//	// id.ComplaintMethod() (complaint.MethodEID or complaint.MethodToken).
//
// Begin does not contact the provider once its discovery document has been
// read (the first Begin reads it, so guichetd can start before the provider
// answers, as the development provider mounted in guichetd itself does).
//
// # Errors
//
// Every error of Finish is a *Error whose Reason is one of the Reason
// constants; errors.Is(err, fas.ErrCancelled) and the like work. Reasons
// are distinct for logs and tests; several share the citizen's message
// (a wrong state and a wrong nonce both mean "this answer does not belong
// to your login: start again").
//
// # The portal's assertion (API path)
//
// The API intake (POST /v1/complaints) accepts eid/token identifications
// as an Ed25519-signed portal.Assertion, verified with the FAS's key
// (portal.Options.FASPublicKey). A login through this package produces the
// same assertion: Identity.Assertion states its facts (itsme counts as
// token, the complaint record knowing eid and token only), guichetd signs
// it with a key it makes at start-up and hands the portal as
// portal.Options.FormAssertionKey, and the form files it through the same
// intake as the API. The record then holds the certified national number
// and the same verification checks as an API complaint.
//
// # Development provider
//
// Package fas/devfas is an OpenID provider for demos and tests, mounted
// in guichetd by "guichetd serve --dev-fas". NOT FOR PRODUCTION: it hands
// out identities of fictitious people to whoever asks. devfas.Login plays
// the citizen's browser on its page (tests of the form use it to run the
// whole flow without a browser).
//
// # In guichetd
//
// cmd/guichetd's newIdentification builds the relying party from the
// flags (--oidc-issuer, --oidc-client-id, --oidc-client-secret-file,
// --oidc-redirect-url, or --dev-fas) with the callback /auth/callback
// of the citizen's form.
package fas
