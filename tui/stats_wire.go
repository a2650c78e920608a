package tui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"guichet/store"
)

// Stats implements StatsSource over the local cache: the statistics screen
// reads the same SQLite file as the queue.
func (s *StoreSource) Stats(ctx context.Context, q store.StatsQuery) (store.Stats, error) {
	return s.st.Stats(ctx, q)
}

var _ StatsSource = (*StoreSource)(nil)

// openStats pushes the statistics screen when the source can compute
// statistics; a source that cannot says so on the status line.
func (q *queueModel) openStats() tea.Cmd {
	ss, ok := q.c.Src.(StatsSource)
	if !ok {
		return status(q.c.T("stats.error", q.c.T("stats.nosource")), 2)
	}
	q.push(NewStatsScreen(q.c, ss))
	return nil
}
