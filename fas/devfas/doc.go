// Package devfas is a development OpenID provider standing in for the
// federal authentication service (FAS), so that the citizen's whole
// identification flow runs on one machine: guichetd mounts it with
// "guichetd serve --dev-fas" and the relying party of package fas logs in
// against it exactly as against the real FAS.
//
// NOT FOR PRODUCTION. It certifies whichever fictitious person the visitor
// picks. Every page says so, guichetd says so at start-up, and New refuses
// an issuer that is not on a loopback address (CheckListener refuses a
// listener that is not).
//
// It serves, under the issuer's path:
//
//	/.well-known/openid-configuration  discovery document
//	/jwks                              the signing key (ES256, new in every process)
//	/authorize                         GET: the page to pick a test person and a method;
//	                                   POST: the choice, answered by a redirect with a code
//	/token                             the code exchange: client secret (basic or post),
//	                                   redirect URI and PKCE S256 verifier checked; codes
//	                                   are single-use and live CodeTTL
//
// The ID token carries iss, sub, aud, exp, iat, auth_time, nonce, acr ("eid",
// "token" or "itsme"), given_name, family_name, birthdate and
// national_number.
package devfas
