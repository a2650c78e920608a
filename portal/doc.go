// Package portal is guichetd, the e-guichet portal server: it takes
// complaints from citizens (validation, identification, routing to the zone
// of the place of the facts), serves each zone's feed to that zone's
// officers only, applies their actions under the shared status rules with
// idempotency keys, sends confirmations to citizens from a persistent queue,
// and keeps the append-only audit trail.
//
// It keeps its data in a storage.Store (package portal/storage): Open uses
// the SQLite store of package portal/storage/sqlite, New takes any store.
// The package holds HTTP, authentication, the status rules' application and
// notification; it writes no SQL.
package portal
