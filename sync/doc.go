// Package sync is the officer workstation's client of the portal API.
//
// An Engine moves data between the local cache (package store) and the
// portal: it pushes the outbox of officer actions in order (each with the
// idempotency key made once when the action was queued), pulls the zone feed
// page by page (each page and its cursor applied in one store transaction)
// and pushes the local audit log in batches. Run repeats this in the
// background with exponential backoff and jitter on network errors and 5xx
// answers; a revoked token (401/403) stops it with ErrAuth.
//
// Rebuild replaces a damaged cache: what it still holds of the officer's
// work is saved and queued again under the same idempotency keys, and the
// zone is pulled again whole, so each saved action reaches the portal once.
//
// The workstation UI never reads printed text from here: it subscribes to
// State values (online, syncing, progress, pending, conflicts, last sync,
// last error).
//
// Import it under another name where the standard library's sync is also
// needed, e.g. gsync "guichet/sync".
package sync
