package portal

import (
	"context"
	"errors"
	"sync"
	"time"

	"guichet/portal/storage"
)

// errStorageDown is what a faultyStore answers when its faults are on.
var errStorageDown = errors.New("test: the database does not answer")

// faultyStore is the real SQLite store with faults a test switches on: the
// methods named in failing answer errStorageDown (all of them when all is
// set), and the schema can be said to lag behind.
type faultyStore struct {
	storage.Store
	mu           sync.Mutex
	all          bool
	failing      map[string]bool
	schemaBehind int
	// auditHeld, when set, holds every AppendAudit and the durable of
	// every JournalConsultation until it is closed (a database slow to
	// commit).
	auditHeld chan struct{}
	// feedHeld, when set, holds every FeedPage until it is closed (a
	// slow read).
	feedHeld chan struct{}
}

// fail switches faults on for the named methods, or for all with none.
func (f *faultyStore) fail(methods ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(methods) == 0 {
		f.all = true
	}
	if f.failing == nil {
		f.failing = map[string]bool{}
	}
	for _, m := range methods {
		f.failing[m] = true
	}
}

func (f *faultyStore) fails(method string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.all || f.failing[method]
}

func (f *faultyStore) setSchemaBehind(n int) {
	f.mu.Lock()
	f.schemaBehind = n
	f.mu.Unlock()
}

func (f *faultyStore) Complaint(ctx context.Context, ref string) (storage.Complaint, error) {
	if f.fails("Complaint") {
		return storage.Complaint{}, errStorageDown
	}
	return f.Store.Complaint(ctx, ref)
}

func (f *faultyStore) Commit(ctx context.Context, c storage.Change) (*storage.Idempotency, error) {
	if f.fails("Commit") {
		return nil, errStorageDown
	}
	return f.Store.Commit(ctx, c)
}

func (f *faultyStore) AppendAudit(ctx context.Context, events []storage.AuditRecord) (int, error) {
	if f.fails("AppendAudit") {
		return 0, errStorageDown
	}
	f.waitAudit()
	return f.Store.AppendAudit(ctx, events)
}

// JournalConsultation is the store's, with its durable held while
// auditHeld is set.
func (f *faultyStore) JournalConsultation(ctx context.Context, rec storage.AuditRecord) func() error {
	if f.fails("JournalConsultation") {
		return func() error { return errStorageDown }
	}
	durable := f.Store.JournalConsultation(ctx, rec)
	return func() error {
		f.waitAudit()
		return durable()
	}
}

// waitAudit holds an audit write while auditHeld is set.
func (f *faultyStore) waitAudit() {
	f.mu.Lock()
	held := f.auditHeld
	f.mu.Unlock()
	if held != nil {
		<-held
	}
}

func (f *faultyStore) FeedPage(ctx context.Context, zone, cursor string, limit int, count bool) (storage.FeedPage, error) {
	if f.fails("FeedPage") {
		return storage.FeedPage{}, errStorageDown
	}
	f.mu.Lock()
	held := f.feedHeld
	f.mu.Unlock()
	if held != nil {
		<-held
	}
	return f.Store.FeedPage(ctx, zone, cursor, limit, count)
}

func (f *faultyStore) Idempotency(ctx context.Context, scope, key string) (storage.Idempotency, error) {
	if f.fails("Idempotency") {
		return storage.Idempotency{}, errStorageDown
	}
	return f.Store.Idempotency(ctx, scope, key)
}

func (f *faultyStore) OfficerByToken(ctx context.Context, hash []byte) (storage.Officer, error) {
	if f.fails("OfficerByToken") {
		return storage.Officer{}, errStorageDown
	}
	return f.Store.OfficerByToken(ctx, hash)
}

func (f *faultyStore) LeaseConfirmations(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]storage.Confirmation, error) {
	if f.fails("LeaseConfirmations") {
		return nil, errStorageDown
	}
	return f.Store.LeaseConfirmations(ctx, now, lease, limit)
}

func (f *faultyStore) Ping(ctx context.Context) error {
	if f.fails("Ping") {
		return errStorageDown
	}
	return f.Store.Ping(ctx)
}

func (f *faultyStore) SchemaVersion(ctx context.Context) (int, int, error) {
	if f.fails("SchemaVersion") {
		return 0, 0, errStorageDown
	}
	have, want, err := f.Store.SchemaVersion(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	return have - f.schemaBehind, want, err
}
