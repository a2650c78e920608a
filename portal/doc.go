// Package portal is guichetd, the e-guichet portal server: it takes
// complaints from citizens (validation, identification, routing to the zone
// of the place of the facts), keeps them in SQLite, serves each zone's feed
// to that zone's officers only, applies their actions under the shared
// status rules with idempotency keys, sends confirmations to citizens from a
// persistent queue, and keeps the append-only audit trail.
//
// All writes go through one writer goroutine that groups concurrent requests
// into one transaction (group commit): each request runs inside its own
// savepoint, so one failing request never affects another, and the answer is
// given only after the shared commit (synchronous=FULL) succeeded.
package portal
