// Package storage is what the portal needs from its database, in the
// portal's own terms: complaints and the feed of each zone, idempotency
// records, officers and their hashed tokens, the append-only audit trail,
// the outbox of confirmations to citizens, the imported zone table, and the
// sessions of the citizen's web form.
//
// Store is implemented by package portal/storage/sqlite (the default: one
// file, one writer) and package portal/storage/postgres (several nodes on
// one database), and checked by package portal/storage/storagetest, which
// every implementation must pass. What the two SQL stores share, the
// cursors, the assembly of a feed page and the reading of rows into these
// types, is here once (TestNoNearCopiesBetweenStores keeps it so). Signatures hold domain types only;
// errors a caller acts on are the sentinel errors below (errors.Is), every
// other error is a failure of the database to be logged and answered 500.
package storage

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"guichet/complaint"
)

// Errors a caller acts on.
var (
	// ErrNotFound: no such complaint, idempotency record, officer or
	// zone table.
	ErrNotFound = errors.New("storage: not found")
	// ErrConflict: the idempotency key of a change was already used for
	// another request (another request hash); nothing was written.
	ErrConflict = errors.New("storage: idempotency key used for another request")
	// ErrDuplicate: a new complaint's reference, or a new officer's id or
	// token hash, is taken; nothing was written.
	ErrDuplicate = errors.New("storage: already exists")
	// ErrVersion: the complaint changed since the version the change was
	// computed from (another officer's action won the race); nothing was
	// written. Read it again and decide again.
	ErrVersion = errors.New("storage: complaint changed meanwhile")
	// ErrEpoch: a feed cursor was not issued by this database for this
	// zone (another or a restored database, another zone, tampered, or
	// ahead of the database). The reader lists again from the start.
	ErrEpoch = errors.New("storage: cursor not valid for this database")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("storage: closed")
)

// Store is the portal's storage. Every method is safe for concurrent use.
type Store interface {
	FormSessions

	// Complaint reads a complaint by reference (ErrNotFound).
	Complaint(ctx context.Context, ref string) (Complaint, error)
	// Commit writes a change atomically: all of it or nothing. See Change
	// for the checks that refuse it.
	Commit(ctx context.Context, c Change) (replay *Idempotency, err error)
	// CommitAll commits many changes without idempotency keys (demo data,
	// bulk loads), each atomic on its own, faster than one Commit each.
	// It returns one error per change, nil for each change stored.
	CommitAll(ctx context.Context, cs []Change) []error
	// FeedPage reads up to limit changes of zone after cursor ("" is the
	// start), in the order they were committed, with no gap: a change
	// committed after a reader passed its position is never skipped.
	// Remaining is set when count is.
	FeedPage(ctx context.Context, zone, cursor string, limit int, count bool) (FeedPage, error)

	// Idempotency reads the stored answer of (scope, key) (ErrNotFound).
	Idempotency(ctx context.Context, scope, key string) (Idempotency, error)
	// PurgeIdempotency deletes the records created before cutoff.
	PurgeIdempotency(ctx context.Context, cutoff time.Time) (int64, error)

	// AddOfficer stores a new officer account and its audit event
	// (ErrDuplicate when the id or token hash is taken).
	AddOfficer(ctx context.Context, o Officer, audit AuditRecord) error
	// RevokeOfficer stops an officer's token from at (ErrNotFound). A
	// revoked officer stays revoked at its first revocation time.
	RevokeOfficer(ctx context.Context, id string, at time.Time, audit AuditRecord) error
	// Officer reads an account by id (ErrNotFound).
	Officer(ctx context.Context, id string) (Officer, error)
	// OfficerByToken reads the account of a token hash (ErrNotFound),
	// revoked or not.
	OfficerByToken(ctx context.Context, tokenHash []byte) (Officer, error)
	// Officers lists every account by zone and creation.
	Officers(ctx context.Context) ([]Officer, error)

	// AppendAudit stores events; an event whose (Origin, ID) is stored
	// already is skipped. It returns how many were new. Stored events
	// are never changed or deleted.
	AppendAudit(ctx context.Context, events []AuditRecord) (int, error)
	// AppendAuditLater stores events without waiting (a refused
	// authentication, a read that showed nothing: a read that shows
	// complaints waits for AppendAudit); errors are logged by the store.
	// Events given before Close are stored by Close.
	AppendAuditLater(events []AuditRecord)
	// Audit lists events in the order they were stored.
	Audit(ctx context.Context, f AuditFilter) ([]AuditRecord, error)

	// LeaseConfirmations takes up to limit confirmations due at now that
	// no one else holds, and holds them until now+lease: a sender that
	// dies lets another take them after the lease. Oldest first.
	LeaseConfirmations(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Confirmation, error)
	// NextConfirmation is when the next pending confirmation is due
	// (false when none waits).
	NextConfirmation(ctx context.Context) (time.Time, bool, error)
	// ConfirmationSent marks a confirmation sent for good (ErrNotFound).
	ConfirmationSent(ctx context.Context, id int64, at time.Time, audit AuditRecord) error
	// ConfirmationRetry counts a failed attempt and sets the next one.
	ConfirmationRetry(ctx context.Context, id int64, next time.Time, lastError string) error
	// ConfirmationFailed ends a confirmation that can never be delivered;
	// with replaceBy set, a confirmation on that channel with the same
	// payload is queued in its place (due at once, Replaces = id).
	ConfirmationFailed(ctx context.Context, id int64, at time.Time, lastError, replaceBy string, audit AuditRecord) error
	// OutboxCounts counts confirmations per channel.
	OutboxCounts(ctx context.Context) ([]OutboxCount, error)
	// OutboxItems lists confirmations in state "pending" or "failed",
	// oldest first, at most limit (0: all).
	OutboxItems(ctx context.Context, state string, limit int) ([]OutboxItem, error)

	// ZoneTable reads the imported zone table, a CSV (ErrNotFound when
	// none was imported).
	ZoneTable(ctx context.Context) ([]byte, error)
	// SaveZoneTable replaces the imported zone table.
	SaveZoneTable(ctx context.Context, csv []byte, audit AuditRecord) error

	// OutboxBacklog says, per channel (email and post always), how many
	// confirmations wait and when the oldest of them was queued.
	OutboxBacklog(ctx context.Context) ([]OutboxBacklog, error)

	// Ping checks the database answers.
	Ping(ctx context.Context) error
	// SchemaVersion is the database's schema version and the one this
	// build migrates to.
	SchemaVersion(ctx context.Context) (have, want int, err error)
	// PoolStats describes the connection pools (for metrics).
	PoolStats() []PoolStats
	// Close stores what is pending and closes the database.
	Close() error

	ConsultationJournal
}

// ConsultationJournal makes the audit record of a consultation (a feed
// page, a complaint shown) durable without waiting for the commit of the
// writes of the moment (the SQLite store syncs it to a journal file of its
// own beside the database, the PostgreSQL store commits it on a connection
// of its own). JournalConsultation queues the record and returns at once,
// so that the caller reads what it will show meanwhile; durable waits
// until the record is durable (nil) or cannot be (the answer must not be
// given). Audit lists it once durable returned nil.
type ConsultationJournal interface {
	JournalConsultation(ctx context.Context, rec AuditRecord) (durable func() error)
}

// Complaint is a stored complaint: its record and the record's JSON as
// stored (served as is).
type Complaint struct {
	Zone    string
	Version int64
	JSON    json.RawMessage
}

// Record decodes the stored record.
func (c Complaint) Record() (complaint.Record, error) {
	var r complaint.Record
	err := json.Unmarshal(c.JSON, &r)
	return r, err
}

// Change is what one request writes, atomically. Commit refuses it, writing
// nothing, when:
//   - Idempotency is set and (Scope, Key) is stored already: with the same
//     RequestHash Commit returns the stored record as replay (nil error);
//     with another hash, ErrConflict;
//   - Complaint is a new complaint (Previous 0) whose reference exists:
//     ErrDuplicate;
//   - Complaint replaces version Previous but the stored version differs:
//     ErrVersion (ErrNotFound when the complaint does not exist).
type Change struct {
	Idempotency *Idempotency
	Complaint   *ComplaintWrite
	// Feed lists the zones whose feed gets the complaint's new version
	// (Complaint must be set): a tombstone in the zone it left on a
	// forward, the record everywhere else.
	Feed   []FeedChange
	Outbox []NewConfirmation
	Audit  []AuditRecord
}

// ComplaintWrite stores Record (its Reference, Zone, Status and Version)
// as a new complaint (Previous 0) or in place of version Previous.
type ComplaintWrite struct {
	Record   complaint.Record
	Previous int64
}

// FeedChange puts the complaint's new version in Zone's feed, after every
// change committed before.
type FeedChange struct {
	Zone      string
	Tombstone bool // the complaint left Zone (its record is no longer served there)
}

// FeedItem is one complaint's latest change in a zone's feed. Record is the
// stored JSON (nil for a tombstone).
type FeedItem struct {
	Reference string
	Version   int64
	Tombstone bool
	Record    json.RawMessage
}

// FeedPage is one page of a zone's feed.
type FeedPage struct {
	Items  []FeedItem
	Cursor string // after the last item (the request's cursor when none)
	More   bool   // more changes follow
	// Remaining is how many changes follow the page, when asked.
	Remaining *int64
}

// Idempotency is the first answer to a request with an Idempotency-Key,
// replayed for the same key. Scope separates the keys of intake from
// those of each officer.
type Idempotency struct {
	Scope, Key  string
	RequestHash []byte
	Status      int    // HTTP status
	Response    []byte // HTTP body
	CreatedAt   time.Time
}

// Officer is an officer account. TokenHash is the SHA-256 of its bearer
// token; the token itself is never stored.
type Officer struct {
	complaint.Officer
	Zone      string
	TokenHash []byte
	CreatedAt time.Time
	RevokedAt *time.Time
}

// AuditRecord is one stored audit event.
type AuditRecord struct {
	complaint.AuditEvent
	Origin     string    `json:"origin"` // "portal" or the posting officer's id
	ReceivedAt time.Time `json:"received_at"`
	// ClaimedAt is the impossible time a workstation gave the event (At is
	// then its receipt); nil for every plausible event.
	ClaimedAt *time.Time `json:"claimed_at,omitempty"`
}

// AuditFilter selects audit events; empty fields match everything.
type AuditFilter struct {
	Zone, Ref, Officer string
	Limit              int // 0: no limit
}

// NewConfirmation is a confirmation to queue for a citizen. Payload is
// the portal's, opaque to the store.
type NewConfirmation struct {
	Reference string
	Channel   string
	Payload   []byte
	Due       time.Time
}

// Confirmation is a queued confirmation taken for sending.
type Confirmation struct {
	ID        int64
	Reference string
	Channel   string
	Attempts  int // failed attempts so far
	Payload   []byte
}

// OutboxCount says how many confirmations of one channel wait (Pending,
// of which Retrying have failed at least once), failed for good, or were
// sent. A failed e-mail is replaced by a letter, counted under post.
type OutboxCount struct {
	Channel  string `json:"channel"`
	Pending  int    `json:"pending"`
	Retrying int    `json:"retrying"`
	Failed   int    `json:"failed"`
	Sent     int    `json:"sent"`
}

// OrderOutboxCounts lists counts (one per channel, in name order) with
// e-mail and post always first, even when empty, then the other channels:
// the order every implementation answers OutboxCounts in.
func OrderOutboxCounts(counts []OutboxCount) []OutboxCount {
	out := []OutboxCount{{Channel: complaint.ChannelEmail}, {Channel: complaint.ChannelPost}}
	for _, c := range counts {
		switch c.Channel {
		case complaint.ChannelEmail:
			out[0] = c
		case complaint.ChannelPost:
			out[1] = c
		default:
			out = append(out, c)
		}
	}
	return out
}

// OutboxItem is one confirmation as the operator sees it: its reference,
// channel and state, never the citizen's name or address. LastError holds
// the relay's reply code and enhanced status code, or a transport error.
type OutboxItem struct {
	ID          int64      `json:"id"`
	Reference   string     `json:"reference"`
	Channel     string     `json:"channel"`
	State       string     `json:"state"` // pending, failed, sent
	Attempts    int        `json:"attempts"`
	LastError   string     `json:"last_error,omitempty"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"`
	FailedAt    *time.Time `json:"failed_at,omitempty"`
	Replaces    int64      `json:"replaces,omitempty"` // the failed e-mail a letter replaces
}

// OutboxBacklog is what waits in one channel of the outbox.
type OutboxBacklog struct {
	Channel string
	Pending int
	Oldest  time.Time // when the oldest waiting confirmation was queued
}

// PoolStats describes one connection pool of the database.
type PoolStats struct {
	Pool                 string // e.g. "read", "write"
	MaxOpen, Open, InUse int
	Idle                 int
	WaitCount            int64
	WaitDuration         time.Duration
}
