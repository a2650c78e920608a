package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// The full-text index is a set of segments: every transaction that writes
// index rows adds one, and FTS5 merges them into larger ones so a search
// reads few. By default it merges when a transaction commits
// ('automerge': as soon as a level holds four segments), which put that
// work into the feed page that happened to trigger it (measured: 3.2 ms of
// the 42 ms of CPU of an incremental sync of 100 changes into 100,000
// complaints on average, and, as the merge frees the old segments' pages,
// which secure_delete overwrites, up to 400 more pages in the write-ahead
// log of that page). An incremental feed page therefore commits its index
// rows without merging (applyWithoutSearchMerge), and the store merges
// afterwards, in short transactions of its own: when nothing else has
// written for a moment (the checkpointer, see mergeSearchIndex), and when
// it closes. Merging follows the same rule as automerge (a level of
// 'usermerge', four, segments), so the index ends as compact as before;
// should neither ever run (a process killed after each sync), FTS5 still
// merges any level that reaches sixteen segments ('crisismerge') in the
// transaction that makes it.

// searchAutomerge is FTS5's default 'automerge' setting, which every other
// write of the index (actions, a first sync) keeps.
const searchAutomerge = 4

// searchMergePages is how many pages of merged index one merge step
// writes at most: each step is a transaction of its own, so an officer's
// action waits for one step at most (a few milliseconds).
const searchMergePages = 256

// closeSearchMergeSteps bounds the merging Close does, so closing a
// process that synced stays quick; what is left is merged by the next
// one.
const closeSearchMergeSteps = 16

// idleSearchMerge lets the checkpointer merge the index when the cache is
// idle (tests turn it off to see what a feed page alone does).
var idleSearchMerge = true

// withoutSearchMerge runs fn, which writes index rows in tx, with FTS5's
// automatic merge off, then writes those rows as one new segment (FTS5
// writes its pending rows before it changes a setting) and restores the
// setting. The store then owes the index a merge (searchMergeDue).
func (s *Store) withoutSearchMerge(ctx context.Context, tx *sql.Tx, fn func() error) error {
	const set = `INSERT INTO complaints_fts(complaints_fts, rank) VALUES('automerge', ?)`
	if err := s.execIn(ctx, tx, set, 0); err != nil {
		return fmt.Errorf("store: index merge off: %w", err)
	}
	if err := fn(); err != nil {
		return err
	}
	if err := s.execIn(ctx, tx, set, searchAutomerge); err != nil {
		return fmt.Errorf("store: index merge on: %w", err)
	}
	return nil
}

// searchMergeIdle is how long nothing else must have written before the
// idle merge takes a step: a sync or an officer's action never finds the
// write connection busy with merging except for one step that began
// before it. (Merging to the end as soon as the checkpointer woke ran
// concurrently with the next pages of a busy cache: the first merge of a
// cache catches up with the merge work FTS5 had left for later, ~1 s of
// CPU on 100,000 complaints.)
const searchMergeIdle = 200 * time.Millisecond

// mergeSearchIndex merges the index's segments in steps of
// searchMergePages pages, each in its own transaction, until no level
// needs a merge or maxSteps steps (0: no limit) or ctx ends; with
// whenIdle, only while nothing else wrote for searchMergeIdle. The
// merge's own writes do not count as activity, nor wake the checkpointer
// (it runs from the checkpointer, which checkpoints afterwards).
func (s *Store) mergeSearchIndex(ctx context.Context, maxSteps int, whenIdle bool) error {
	for step := 0; maxSteps <= 0 || step < maxSteps; step++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if whenIdle && time.Since(time.Unix(0, s.lastWrite.Load())) < searchMergeIdle {
			return nil // the next wake of the checkpointer goes on
		}
		worked := false
		err := s.onWriteConn(ctx, func(conn *sql.Conn) error {
			return s.txNoSyncOn(ctx, conn, false, func(tx *sql.Tx) error {
				var before, after int64
				if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO complaints_fts(complaints_fts, rank) VALUES('merge', ?)`, searchMergePages); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil {
					return err
				}
				// FTS5's documented test: a merge that did some work
				// changes two rows or more.
				worked = after-before >= 2
				return nil
			})
		})
		if err != nil {
			return fmt.Errorf("store: merge the search index: %w", err)
		}
		if !worked {
			s.searchMergeDue.Store(false)
			return nil
		}
	}
	return nil
}

// mergeSearchIndexIfDue is the merge the checkpointer runs when the cache
// has been idle, stopped when the store closes.
func (s *Store) mergeSearchIndexIfDue() {
	if !idleSearchMerge || !s.searchMergeDue.Load() || s.bulk.Load() {
		return
	}
	ctx, cancel := s.untilStop()
	defer cancel()
	if err := s.mergeSearchIndex(ctx, 0, true); err != nil && ctx.Err() == nil {
		s.backgroundError("merge the search index", err)
	}
}

// mergeSearchIndexAtClose is the merge Close runs (bounded).
func (s *Store) mergeSearchIndexAtClose() {
	if !s.searchMergeDue.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// Past its time the merge stops where it is: the next session goes on.
	if err := s.mergeSearchIndex(ctx, closeSearchMergeSteps, false); err != nil && ctx.Err() == nil {
		s.backgroundError("merge the search index", err)
	}
}
