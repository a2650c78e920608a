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
