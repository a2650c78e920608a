package store

import (
	"context"
	"strings"
	"testing"

	"guichet/complaint"
)

// oneQueryPage is the merge with the rows in the arms (before mergedPage).
func (s *Store) oneQueryPage(ctx context.Context, q Query, splits []complaint.Status, key *Key, limit int) ([]Row, error) {
	srt := normSort(q.Sort)
	col, isNum, _ := srt.column()
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	order := " ORDER BY " + col + " " + dir + ", reference " + dir
	bcond, bargs := bound(col, key, isNum, q.Desc, false)
	hint, _ := s.indexHint(ctx, q, srt, true)
	var arms []string
	var args []any
	for _, st := range splits {
		w, wargs := q.whereFor(srt, st, true)
		arms = append(arms, `SELECT `+rowCols+col+` FROM complaints`+hint+` WHERE `+w+bcond)
		args = append(append(args, wargs...), bargs...)
	}
	rows, err := s.query(ctx, strings.Join(arms, "\nUNION ALL\n")+order+` LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	return scanRows(rows, srt, isNum)
}

func BenchmarkZZMerge(b *testing.B) {
	s, _ := benchStore(b)
	ctx := context.Background()
	for _, tab := range []struct {
		name string
		q    Query
		sp   []complaint.Status
	}{{"all", Query{}, complaint.Statuses}, {"done", Query{Statuses: complaint.FinalStatuses()}, complaint.FinalStatuses()}} {
		for _, srt := range []SortKey{SortComplainant, SortReceived} {
			q := tab.q
			q.Sort = srt
			n, _ := s.Count(ctx, q)
			mid, _ := s.PageAt(ctx, q, n/2, 1)
			mk := mid[0].Key()
			b.Run(tab.name+"/"+string(srt)+"/one-query", func(b *testing.B) {
				for b.Loop() {
					if r, err := s.oneQueryPage(ctx, q, tab.sp, &mk, 50); err != nil || len(r) != 50 {
						b.Fatal(err, len(r))
					}
				}
			})
			b.Run(tab.name+"/"+string(srt)+"/two-step", func(b *testing.B) {
				for b.Loop() {
					if r, err := s.Page(ctx, q, &mk, 50); err != nil || len(r) != 50 {
						b.Fatal(err, len(r))
					}
				}
			})
		}
	}
}
