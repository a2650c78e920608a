package portal

import (
	"context"

	"guichet/portal/storage"
)

// OutboxCount says how many confirmations of one channel wait, failed for
// good, or were sent.
type OutboxCount = storage.OutboxCount

// OutboxCounts counts the confirmations per channel (email and post always
// listed), for the operator (guichetd outbox).
func (s *Server) OutboxCounts() ([]OutboxCount, error) {
	return s.st.OutboxCounts(context.Background())
}

// OutboxItem is one confirmation as the operator sees it, never with the
// citizen's name or address.
type OutboxItem = storage.OutboxItem

// OutboxItems lists the confirmations in state (pending or failed), oldest
// first, at most limit (0: all).
func (s *Server) OutboxItems(state string, limit int) ([]OutboxItem, error) {
	return s.st.OutboxItems(context.Background(), state, limit)
}

// outboxBacklog says, per channel (email and post always), how many
// confirmations wait and since when the oldest does.
func (s *Server) outboxBacklog(ctx context.Context) ([]OutboxBacklog, error) {
	return s.st.OutboxBacklog(ctx)
}

// poolStats describes the database's connection pools.
func (s *Server) poolStats() []PoolStats { return s.st.PoolStats() }

// schemaVersions is the database's schema version and the one this build
// migrates to.
func (s *Server) schemaVersions(ctx context.Context) (have, want int, err error) {
	return s.st.SchemaVersion(ctx)
}
