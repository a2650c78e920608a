package store

import (
	"context"
	"fmt"
	"testing"
)

// A queue page allocates what its rows hold (their strings) and little
// more: scanRows scans every row into one Row and reserves the page's
// rows up front. Before, each row also allocated the Row, its scan
// destinations and four scalars, and the result grew by doubling: half of
// what a `guichet list --limit 50` allocated after its start.
func TestPageAllocatesLittleBeyondItsRows(t *testing.T) {
	s := openTemp(t)
	const n = 50
	for i := range n {
		apply(t, s, fmt.Sprint("c", i), newRecord(fmt.Sprintf("2026-AAAA-%04d", i), "Jan", fmt.Sprint("Peeters", i)))
	}
	ctx := context.Background()
	page := func() {
		rows, err := s.Page(ctx, Query{}, nil, n)
		if err != nil || len(rows) != n {
			t.Fatalf("page: %d rows, %v", len(rows), err)
		}
	}
	page() // statements prepared, hints known
	allocs := testing.AllocsPerRun(20, page)
	t.Logf("%.0f allocations for a page of %d rows", allocs, n)
	if perRow := allocs / n; perRow > maxPageAllocsPerRow {
		t.Errorf("a page of %d rows allocates %.1f times a row, want at most %d", n, perRow, maxPageAllocsPerRow)
	}
}

// maxPageAllocsPerRow: the strings a queue row holds, the driver's values
// of its columns, and a margin.
const maxPageAllocsPerRow = 20
