package tui

import (
	"context"
	"time"

	"guichet/clip"
	"guichet/complaint"
)

// Tab is one queue tab.
type Tab int

// Tabs in display order.
const (
	TabNew Tab = iota
	TabMine
	TabInProgress // claimed by other officers
	TabDone       // handled, rejected, forwarded
	TabAll
	tabCount
)

// Column is a queue column; the sortable ones are the sort keys.
type Column int

// Columns in display order.
const (
	ColReference Column = iota
	ColReceived
	ColType
	ColMunicipality
	ColComplainant
	ColStatus
	ColClaimedBy
	colCount
)

// Query selects and orders the queue rows.
type Query struct {
	Tab     Tab
	Officer string // the officer's ID: Mine and In progress depend on it
	Filter  Filter
	Sort    Column
	Desc    bool
}

// Direction says where a page starts relative to a row key.
type Direction int

// Directions of a page request.
const (
	FromFirst Direction = iota // the first rows in query order
	FromLast                   // the last rows (returned in query order)
	After                      // rows strictly after Key
	Before                     // rows strictly before Key (returned in query order)
	AtOrAfter                  // Key's row and the rows after it
)

// Anchor places a page request.
type Anchor struct {
	Dir Direction
	Key any // a Row.Key from an earlier page
}

// Row is one light queue row (no personal data beyond the name shown).
type Row struct {
	Key          any // opaque keyset position, given back in Anchor
	Reference    string
	ReceivedAt   time.Time
	FactType     string
	Municipality string
	Complainant  string
	Status       complaint.Status
	ClaimedBy    string // officer name, "" when not claimed
	ClaimedByID  string
	Pending      bool // a local action awaits the portal's confirmation
	Conflict     bool // the portal refused the last local action
}

// Complaint is one complaint of the cache with its local state.
type Complaint struct {
	complaint.Record
	Pending bool // a local action awaits the portal's confirmation
}

// Counts are the number of rows of each tab for the current filter.
type Counts [tabCount]int

// Conflict is a local action the portal refused, with its reason.
type Conflict struct {
	ID        string
	Reference string
	Action    complaint.Action
	Reason    string // the server's reason, already in words
	At        time.Time
}

// Source is what the workstation reads and writes in the local cache. The
// adapter over store.Store lives in backend.go; tests use the same adapter
// over a real SQLite file.
type Source interface {
	Page(ctx context.Context, q Query, at Anchor, limit int) ([]Row, error)
	Counts(ctx context.Context, q Query) (Counts, error)
	// OneMunicipality is the municipality of every cached complaint when
	// they share one ("" otherwise): the queue then leaves the column out.
	OneMunicipality(ctx context.Context) (string, error)
	// Arrivals counts the complaints in status new that entered the cache
	// after mark (0: ever) and returns the mark to ask from next time.
	Arrivals(ctx context.Context, mark int64) (n int, next int64, err error)
	// ArrivalsMark is the mark now, counting nothing: the start of the
	// first count.
	ArrivalsMark(ctx context.Context) (int64, error)
	// Locate is the position of ref in q's order and its row key (for an
	// AtOrAfter page).
	Locate(ctx context.Context, q Query, ref string) (index int, key any, err error)
	// Forwards lists the complaints the officer forwarded since a time,
	// newest first, also those the portal's tombstone removed.
	Forwards(ctx context.Context, since time.Time) ([]Forwarded, error)
	Get(ctx context.Context, ref string) (Complaint, error)
	Act(ctx context.Context, ref string, a complaint.Action) error
	Conflicts(ctx context.Context) ([]Conflict, error)
	// DismissConflict removes a conflict the officer has read.
	DismissConflict(ctx context.Context, id string) error
	Audit(ctx context.Context, ev complaint.AuditEvent) error
	Zones() []complaint.Zone
	// Pending is how many actions wait in the outbox for the portal.
	Pending(ctx context.Context) (int, error)
}

// SyncState is the sync engine's state as the status bar shows it.
type SyncState struct {
	Online  bool
	Syncing bool
	Pulled  int
	Total   int // 0 when unknown
	// PullStarted and PulledAt time the pull (its rate and time left).
	PullStarted, PulledAt time.Time
	Pending               int
	Conflicts             int
	LastSync              time.Time
	Err                   string
	AuthFailed            bool
}

// Syncer runs sync in the background; nil means no network at all.
type Syncer interface {
	// Subscribe returns a channel of state changes and a cancel function.
	Subscribe() (<-chan SyncState, func())
	// Trigger asks for a sync as soon as possible (never blocks).
	Trigger()
}

// Clipboard copies text and clears it; *clip.Clipboard is the real one.
// The TUI drives the clearing delay itself (the clipboard's own timer is
// off) so that the status line can say what the clear really did.
type Clipboard interface {
	Copy(text string) (clip.Copied, error)
	// Clear clears the copy gen if it is still the latest.
	Clear(gen uint64) (clip.ClearedResult, error)
}
