package tui

// Bulk work (issue 6): the officer marks rows of the queue (space for one,
// v … v for a range), then claims or releases them in one step. Marks are
// kept by reference, not by position: the queue holds only a window of
// rows, loaded page by page, so a range is resolved by asking the source
// for every row between the two ends in the current query order, loaded or
// not. Each marked complaint then goes through the same action layer as a
// single claim (Source.Act: checked, applied, audited and queued one by
// one), so the portal receives one idempotent action per complaint.

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"guichet/complaint"
	"guichet/textsafe"
)

// maxMarked bounds one marked set (and one range query): a bulk step is for
// a morning's work, not for the whole zone.
const maxMarked = 2000

// markGlyph is the mark column's sign: a character, not a colour, so the
// marked rows stay visible without colour and in capture-pane output.
const markGlyph = "✓"

// bulkState is the queue's marked set and the pending range anchor.
type bulkState struct {
	marked   map[string]bool // by reference
	anchor   *Row            // v pressed once: the range starts here
	anchorAt int             // absolute index of the anchor when it was set
	rangeGen int             // generation of the range query in flight
}

func (b *bulkState) count() int { return len(b.marked) }

func (b *bulkState) isMarked(ref string) bool { return b.marked[ref] }

func (b *bulkState) toggle(ref string) {
	if b.marked == nil {
		b.marked = map[string]bool{}
	}
	if b.marked[ref] {
		delete(b.marked, ref)
	} else if len(b.marked) < maxMarked {
		b.marked[ref] = true
	}
}

func (b *bulkState) add(refs []string) (added int) {
	if b.marked == nil {
		b.marked = map[string]bool{}
	}
	for _, r := range refs {
		if len(b.marked) >= maxMarked {
			break
		}
		if !b.marked[r] {
			b.marked[r] = true
			added++
		}
	}
	return added
}

func (b *bulkState) clear() {
	b.marked, b.anchor = nil, nil
	b.rangeGen++
}

// refs are the marked references in a stable order.
func (b *bulkState) refs() []string {
	out := make([]string, 0, len(b.marked))
	for r := range b.marked {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// rangeMsg answers a range query: the references between the two ends.
type rangeMsg struct {
	gen  int
	refs []string
	err  error
}

// errRangeMoved: the end of the range left the query meanwhile.
var errRangeMoved = errors.New("range end not found")

// bulkKey handles the bulk-work keys of the queue; ok is false when msg is
// not one (the queue then handles it as usual).
func (q *queueModel) bulkKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k, b := q.c.Keys, &q.bulk
	switch {
	case key.Matches(msg, k.Mark):
		if r, ok := q.selected(); ok {
			b.toggle(r.Reference)
			q.move(1)
			return q.ensure(), true
		}
		return nil, true
	case key.Matches(msg, k.MarkRange):
		r, ok := q.selected()
		if !ok {
			return nil, true
		}
		if b.anchor == nil {
			row := r
			b.anchor, b.anchorAt = &row, q.cursor
			b.add([]string{r.Reference})
			return status(q.c.M().Bulk.Rangestart.F(textsafe.Line(r.Reference)), 0), true
		}
		from, to := *b.anchor, r
		if q.cursor < b.anchorAt {
			from, to = r, *b.anchor
		}
		b.anchor = nil
		b.rangeGen++
		return q.rangeCmd(b.rangeGen, from, to, abs(q.cursor-b.anchorAt)+1), true
	case key.Matches(msg, k.Stats):
		return q.openStats(), true
	case key.Matches(msg, k.Back) && (b.count() > 0 || b.anchor != nil):
		b.clear()
		return status(q.c.M().Bulk.Cleared, 0), true
	case b.count() > 0:
		for _, spec := range complaint.Actions {
			if !key.Matches(msg, k.Action(spec.Type)) {
				continue
			}
			switch {
			case !spec.Bulk:
				// One PV number per complaint, a take-over's own reason: a
				// bulk step cannot give them.
				return status(coded(q.c.Lang, spec.Labels.NoBulk, b.count()), 1), true
			case len(spec.Inputs) == 0:
				q.push(newBulkConfirm(q.c, spec.Type, b.refs()))
			default:
				q.push(newBulkDialog(q.c, spec, b.refs()))
			}
			return nil, true
		}
	}
	return nil, false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// rangeCmd reads, in the current query order, the rows from `from` to `to`
// (both included) from the source, page by page by key, whether or not
// they are loaded in the window. want is the number of rows the officer saw
// between them; rows may have come or gone since, so the query reads a
// margin beyond it, and an end that is no longer there is an error rather
// than a guess.
func (q *queueModel) rangeCmd(gen int, from, to Row, want int) tea.Cmd {
	c, query := q.c, q.query()
	limit := min(2*want+100, maxMarked)
	return func() tea.Msg {
		ctx := c.Ctx
		if ctx == nil {
			ctx = context.Background()
		}
		var refs []string
		at := Anchor{Dir: AtOrAfter, Key: from.Key}
		for len(refs) < limit {
			rows, err := c.Src.Page(ctx, query, at, min(limit-len(refs), maxFetch))
			if err != nil {
				return rangeMsg{gen: gen, err: err}
			}
			if len(rows) == 0 {
				break
			}
			if len(refs) == 0 && rows[0].Reference != from.Reference {
				return rangeMsg{gen: gen, err: errRangeMoved}
			}
			for _, r := range rows {
				refs = append(refs, r.Reference)
				if r.Reference == to.Reference {
					return rangeMsg{gen: gen, refs: refs}
				}
			}
			at = Anchor{Dir: After, Key: rows[len(rows)-1].Key}
		}
		return rangeMsg{gen: gen, err: errRangeMoved}
	}
}

// updateBulk takes the answers of bulk work addressed to the queue.
func (q *queueModel) updateBulk(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case rangeMsg:
		if msg.gen != q.bulk.rangeGen {
			return nil, true
		}
		if msg.err != nil {
			text := q.c.M().Bulk.Rangemoved
			if !errors.Is(msg.err, errRangeMoved) {
				text = q.c.M().Bulk.Rangefailed.F(q.c.errText(msg.err))
			}
			return status(text, 2), true
		}
		q.bulk.add(msg.refs)
		return status(q.c.M().Bulk.Rangemarked.F(len(msg.refs), q.bulk.count()), 0), true
	case bulkDoneMsg:
		q.bulk.clear()
		return nil, false // the root shows the summary too
	}
	return nil, false
}

// markCell is the two-column prefix of a row: the cursor sign and the mark.
func (q *queueModel) markCell(r Row, sel bool) string {
	cur, mark := " ", " "
	if sel {
		cur = "›"
	}
	if q.bulk.isMarked(r.Reference) {
		mark = markGlyph
	}
	return cur + mark
}

// bulkInfo is the marked count for the queue's info line ("" when none).
func (q *queueModel) bulkInfo() string {
	b := &q.bulk
	var parts []string
	if n := b.count(); n > 0 {
		parts = append(parts, q.c.M().Bulk.Marked.F(n))
	}
	if b.anchor != nil {
		parts = append(parts, q.c.M().Bulk.Rangeopen)
	}
	if len(parts) == 0 {
		return ""
	}
	return q.c.Styles.Warn.Render(strings.Join(parts, " · "))
}

// bulkRefusal is one complaint the local rules refused, with the reason in
// words.
type bulkRefusal struct {
	ref    string
	reason string
}

// bulkDoneMsg is the outcome of a bulk action: how many were queued, which
// were refused locally and why.
type bulkDoneMsg struct {
	action  complaint.ActionType
	queued  int
	refused []bulkRefusal
}

// bulkCmd applies action a to each reference in turn through the action
// layer (each one checked, applied, audited and queued by the store on its
// own), then wakes the sync engine once.
func bulkCmd(c *Context, a complaint.Action, refs []string) tea.Cmd {
	return func() tea.Msg {
		ctx := c.Ctx
		if ctx == nil {
			ctx = context.Background()
		}
		done := bulkDoneMsg{action: a.Type}
		for _, ref := range refs {
			err := c.Src.Act(ctx, ref, a)
			if err == nil {
				done.queued++
				continue
			}
			done.refused = append(done.refused, bulkRefusal{ref: ref, reason: refusalText(c, err)})
			if ctx.Err() != nil {
				break
			}
		}
		if done.queued > 0 && c.Sync != nil {
			c.Sync.Trigger()
		}
		return done
	}
}

// refusalText is why the local rules refused an action, in the officer's
// language: the rule's message (with the colleague's name when one holds
// the complaint), the field's problem, or the cache's problem in words.
func refusalText(c *Context, err error) string {
	var ce *complaint.ConflictError
	var fe complaint.FieldErrors
	switch {
	case errors.As(err, &ce):
		return conflictText(c, ce.Code, ce.Holder)
	case errors.As(err, &fe) && len(fe) > 0:
		return fe[0].Message
	}
	return c.errText(err)
}

// bulkTitle names a bulk action ("Refus groupé").
func bulkTitle(c *Context, t complaint.ActionType) string {
	return label(c, t, func(l complaint.ActionLabels) string { return l.BulkTitle })
}

// bulkSummaryText is the status line after a bulk action.
func bulkSummaryText(c *Context, m bulkDoneMsg) (string, int) {
	verb := actionWord(c.Lang, m.action)
	if len(m.refused) == 0 {
		return c.M().Bulk.Summary.F(verb, m.queued), 0
	}
	// The most frequent reason, so one line says the most.
	count := map[string]int{}
	best := ""
	for _, r := range m.refused {
		count[r.reason]++
		if count[r.reason] > count[best] {
			best = r.reason
		}
	}
	return c.M().Bulk.Summaryrefused.F(verb, m.queued, len(m.refused), best), 1
}
