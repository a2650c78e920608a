package store

// The workstation never reaches a page by its position: it pages by key
// from the first or the last row (Page, PageBefore) and places a complaint
// with Rank. Tests and benchmarks reach "the row in the middle" with these.

import (
	"context"
	"database/sql"
	"errors"
)

// PageAt returns up to limit rows of q starting at position index (0-based),
// for a test to reach a position. It skips index
// entries (OFFSET on a covering index); scrolling from there is keyset.
func (s *Store) PageAt(ctx context.Context, q Query, index, limit int) ([]Row, error) {
	if index <= 0 {
		return s.Page(ctx, q, nil, limit)
	}
	key, err := s.keyAt(ctx, q, index)
	if err != nil || key == nil {
		return nil, err
	}
	return s.PageFrom(ctx, q, *key, limit)
}

// keyAt finds the key of the row at position index (nil past the end).
func (s *Store) keyAt(ctx context.Context, q Query, index int) (*Key, error) {
	srt := normSort(q.Sort)
	col, isNum, err := srt.column()
	if err != nil {
		return nil, err
	}
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	order := ` ORDER BY ` + col + ` ` + dir + `, reference ` + dir
	if col == "reference" {
		order = ` ORDER BY reference ` + dir
	}
	k := Key{sort: srt}
	var query string
	var args []any
	splits, err := s.splits(ctx, q)
	if err != nil {
		return nil, err
	}
	if splits != nil {
		// The statuses' index ranges merged in order, as page reads them.
		hint, err := s.indexHint(ctx, q, srt, true)
		if err != nil {
			return nil, err
		}
		merged, margs := q.mergedRanges(srt, splits, col+`, reference`, hint, "", nil)
		query, args = merged+order, margs
	} else {
		hint, err := s.indexHint(ctx, q, srt, false)
		if err != nil {
			return nil, err
		}
		w, wargs := q.whereFor(srt, "", false)
		query, args = `SELECT `+col+`, reference FROM complaints`+hint+` WHERE `+w+order, wargs
	}
	row := s.queryRow(ctx, query+` LIMIT 1 OFFSET ?`, append(args, index)...)
	if isNum {
		err = row.Scan(&k.num, &k.ref)
	} else {
		err = row.Scan(&k.str, &k.ref)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &k, nil
}
