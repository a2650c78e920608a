package tui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store"
	gsync "guichet/sync"
)

// The adapters between the workstation and its data layer are all in this
// file. The screens talk to the cache and the sync engine only through the
// narrow interfaces the tui defines (Source, StatsSource, Syncer); the
// types here implement them over *store.Store and *sync.Engine, and
// cmd/guichet only wires them (the clipboard and the PIN lock are used
// through Clipboard and Locker, which *clip.Clipboard and *lock.Lock
// implement as they are). The tests use the same adapters over a real
// SQLite file and a real portal.
var (
	_ Source      = (*StoreSource)(nil)
	_ StatsSource = (*StoreSource)(nil)
	_ Syncer      = EngineSyncer{}
)

// DebugLog keeps raw errors for support; *sync.DebugLog is the real one.
type DebugLog interface {
	Error(what string, err error)
}

var _ DebugLog = (*gsync.DebugLog)(nil)

// logError writes err to the debug log, if there is one.
func (c *Context) logError(what string, err error) {
	if c.DebugLog != nil {
		c.DebugLog.Error(what, err)
	}
}

// isNotFound reports whether err says a complaint is not in the cache.
func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// explain is an error of the cache or the network in the officer's words
// and what to do (the sync package's explanations).
func explain(err error, lang string) string { return gsync.Explain(err, lang) }

// StoreSource is the Source over the real local cache: queue pages by key,
// counts, complaints, the action layer, conflicts and the audit log.
type StoreSource struct {
	st      *store.Store
	officer complaint.Officer
	lang    string
	zones   func() []complaint.Zone
	now     func() time.Time
}

// NewStoreSource adapts st for officer, whose messages are in lang. zones
// is the forward picker's list (complaint.DefaultRouter().Zones() when nil,
// read at the first forward: the zone table takes tens of milliseconds to
// read, and the workstation's first screen does not need it).
func NewStoreSource(st *store.Store, officer complaint.Officer, lang string, zones []complaint.Zone) *StoreSource {
	list := func() []complaint.Zone { return zones }
	if zones == nil {
		list = sync.OnceValue(func() []complaint.Zone { return complaint.DefaultRouter().Zones() })
	}
	return &StoreSource{st: st, officer: officer, lang: lang, zones: list, now: time.Now}
}

// sortKeys is the store's sort of each sortable column ("" for the others:
// the store's default). An array, not a map: static data, nothing built
// at every start of guichet.
var sortKeys = [colCount]store.SortKey{
	ColReceived: store.SortReceived, ColReference: store.SortReference, ColType: store.SortType,
	ColMunicipality: store.SortMunicipality, ColComplainant: store.SortComplainant, ColStatus: store.SortStatus,
}

// sortKeyOf is the store's sort of column c ("" when it has none).
func sortKeyOf(c Column) store.SortKey {
	if c < 0 || c >= colCount {
		return ""
	}
	return sortKeys[c]
}

// noStatus selects nothing: a filter status outside the tab.
const noStatus complaint.Status = "-"

func tabStatuses(t Tab) []complaint.Status {
	switch t {
	case TabNew:
		return []complaint.Status{complaint.StatusNew}
	case TabMine, TabInProgress:
		return []complaint.Status{complaint.StatusClaimed}
	case TabDone:
		return complaint.FinalStatuses()
	}
	return nil
}

// storeQuery translates a queue query.
func (s *StoreSource) storeQuery(q Query) store.Query {
	sq := store.Query{Sort: sortKeyOf(q.Sort), Desc: q.Desc, FactType: q.Filter.Type, Search: q.Filter.Search(),
		FactsFrom: q.Filter.FactsFrom, FactsTo: q.Filter.FactsTo, HolderName: q.Filter.Holder}
	if sq.Sort == "" {
		sq.Sort = store.SortReceived
	}
	if sq.Sort == store.SortType {
		sq.TypeOrder = typeOrder(s.lang)
	}
	sts := tabStatuses(q.Tab)
	if len(q.Filter.Statuses) > 0 {
		if sts == nil {
			sts = q.Filter.Statuses
		} else {
			var both []complaint.Status
			for _, a := range sts {
				for _, b := range q.Filter.Statuses {
					if a == b {
						both = append(both, a)
					}
				}
			}
			sts = both
			if len(sts) == 0 {
				sts = []complaint.Status{noStatus}
			}
		}
	}
	sq.Statuses = sts
	switch q.Tab {
	case TabMine:
		sq.ClaimedBy = q.Officer
	case TabInProgress:
		sq.NotClaimedBy = q.Officer
	}
	now := s.now()
	if q.Filter.Newer > 0 {
		sq.ReceivedAfter = now.Add(-q.Filter.Newer)
	}
	if q.Filter.Older > 0 {
		sq.ReceivedBefore = now.Add(-q.Filter.Older)
	}
	return sq
}

// Page implements Source.
func (s *StoreSource) Page(ctx context.Context, q Query, at Anchor, limit int) ([]Row, error) {
	sq := s.storeQuery(q)
	var rows []store.Row
	var err error
	key := func() (*store.Key, error) {
		k, ok := at.Key.(store.Key)
		if !ok {
			return nil, fmt.Errorf("tui: page anchor is not a store key")
		}
		return &k, nil
	}
	switch at.Dir {
	case FromFirst:
		rows, err = s.st.Page(ctx, sq, nil, limit)
	case FromLast:
		rows, err = s.st.PageBefore(ctx, sq, nil, limit)
	case After, Before, AtOrAfter:
		k, kerr := key()
		if kerr != nil {
			return nil, kerr
		}
		switch at.Dir {
		case After:
			rows, err = s.st.Page(ctx, sq, k, limit)
		case Before:
			rows, err = s.st.PageBefore(ctx, sq, k, limit)
		default:
			rows, err = s.st.PageFrom(ctx, sq, *k, limit)
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = Row{Key: r.Key(), Reference: r.Reference, ReceivedAt: r.ReceivedAt, FactType: r.FactType,
			Municipality: r.Municipality, Complainant: r.Complainant, Status: r.Status,
			ClaimedBy: r.ClaimedByName, ClaimedByID: r.ClaimedByID, Pending: r.Pending}
	}
	return out, nil
}

// Counts implements Source: one grouped query without a filter, one count
// per tab with one.
func (s *StoreSource) Counts(ctx context.Context, q Query) (Counts, error) {
	var n Counts
	if q.Filter.Empty() {
		c, err := s.st.Counts(ctx, q.Officer)
		if err != nil {
			return n, err
		}
		n[TabNew] = c.ByStatus[complaint.StatusNew]
		n[TabMine] = c.Mine
		n[TabInProgress] = c.ByStatus[complaint.StatusClaimed] - c.Mine
		for _, st := range complaint.FinalStatuses() {
			n[TabDone] += c.ByStatus[st]
		}
		n[TabAll] = c.All
		return n, nil
	}
	for t := Tab(0); t < tabCount; t++ {
		tq := q
		tq.Tab = t
		c, err := s.st.Count(ctx, s.storeQuery(tq))
		if err != nil {
			return n, err
		}
		n[t] = c
	}
	return n, nil
}

// OneMunicipality implements Source.
func (s *StoreSource) OneMunicipality(ctx context.Context) (string, error) {
	return s.st.OneMunicipality(ctx)
}

// Arrivals implements Source.
func (s *StoreSource) Arrivals(ctx context.Context, mark int64) (int, int64, error) {
	return s.st.Arrivals(ctx, mark)
}

// ArrivalsMark implements Source.
func (s *StoreSource) ArrivalsMark(ctx context.Context) (int64, error) {
	return s.st.ArrivalsMark(ctx)
}

// Locate implements Source: where ref is in q's order, and its key.
func (s *StoreSource) Locate(ctx context.Context, q Query, ref string) (int, any, error) {
	sq := s.storeQuery(q)
	k, err := s.st.KeyFor(ctx, sq, ref)
	if err != nil {
		return 0, nil, err
	}
	n, err := s.st.Rank(ctx, sq, k)
	return n, k, err
}

// typeOrder is the fact types in the order of their labels in lang, as the
// type column shows them (accents and case aside).
func typeOrder(lang string) []string {
	cat := complaint.Catalog()
	sort.SliceStable(cat, func(i, j int) bool {
		return complaint.NormalizePlaceName(cat[i].Label(lang)) < complaint.NormalizePlaceName(cat[j].Label(lang))
	})
	out := make([]string, len(cat))
	for i, ft := range cat {
		out[i] = ft.Key
	}
	return out
}

// Get implements Source.
func (s *StoreSource) Get(ctx context.Context, ref string) (Complaint, error) {
	e, err := s.st.GetEntry(ctx, ref)
	if err != nil {
		return Complaint{}, err
	}
	return Complaint{Record: e.Record, Pending: e.Pending}, nil
}

// Act implements Source: the store checks the action with the portal's
// rules, applies it locally (pending) and queues it, in one transaction.
func (s *StoreSource) Act(ctx context.Context, ref string, a complaint.Action) error {
	spec, _ := complaint.ActionSpecOf(a.Type)
	if _, takesZone := spec.Input(complaint.InputZone); takesZone {
		found := false
		for _, z := range s.zones() {
			found = found || z.Code == a.ToZone
		}
		if !found {
			var fe complaint.FieldErrors
			fe.Add(s.lang, "to_zone", complaint.ErrRequired)
			return fe
		}
	}
	_, err := s.st.Act(ctx, ref, a, s.officer, s.lang)
	return err
}

// Conflicts implements Source.
func (s *StoreSource) Conflicts(ctx context.Context) ([]Conflict, error) {
	cs, err := s.st.Conflicts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Conflict, len(cs))
	for i, c := range cs {
		out[i] = Conflict{ID: fmt.Sprint(c.ID), Reference: c.Reference, Action: c.Action, Reason: conflictReason(s.lang, c), At: c.At}
	}
	return out, nil
}

// conflictReason says why the portal refused an action (or what a
// colleague did), in lang: the rule in words when the portal named it,
// its message otherwise, then who holds the complaint and its status.
func conflictReason(lang string, c store.Conflict) string {
	reason := i18n.For(lang).Message(c.Code)
	if reason == c.Code { // not a rule this workstation knows: the portal's words
		reason = c.Message
		// Portals before the reason field appended the rule's code.
		if i := strings.LastIndex(reason, " (conflict_"); i > 0 && strings.HasSuffix(reason, ")") {
			reason = reason[:i]
		}
	}
	if c.Code == complaint.ConflictTakenOver {
		if c.Message != "" {
			reason += " « " + c.Message + " »"
		}
		if c.HolderName != "" {
			reason += " — " + i18n.For(lang).TUI.Conflict.Takenby.F(c.HolderName)
		}
		return reason
	}
	if c.HolderName != "" {
		reason += " — " + i18n.For(lang).TUI.Conflict.Holder.F(c.HolderName)
	}
	if c.Status != "" {
		reason += " — " + i18n.For(lang).TUI.Conflict.Status.F(statusWord(lang, c.Status))
	}
	return reason
}

// DismissConflict implements Source.
func (s *StoreSource) DismissConflict(ctx context.Context, id string) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return fmt.Errorf("conflict %q: %w", id, err)
	}
	return s.st.DismissConflict(ctx, n)
}

// Audit implements Source.
func (s *StoreSource) Audit(ctx context.Context, ev complaint.AuditEvent) error {
	return s.st.Audit(ctx, ev)
}

// Pending implements Source.
func (s *StoreSource) Pending(ctx context.Context) (int, error) {
	n, _, err := s.st.OutboxCounts(ctx)
	return n, err
}

// Zones implements Source.
func (s *StoreSource) Zones() []complaint.Zone { return s.zones() }

// Stats implements StatsSource over the local cache: the statistics screen
// reads the same SQLite file as the queue.
func (s *StoreSource) Stats(ctx context.Context, q store.StatsQuery) (store.Stats, error) {
	return s.st.Stats(ctx, q)
}

// EngineSyncer is the Syncer over the sync engine. Errors reach the status
// bar in Lang, as the sync package explains them (the raw error is in the
// engine's debug log).
type EngineSyncer struct {
	E    *gsync.Engine
	Lang string
}

// Trigger implements Syncer.
func (e EngineSyncer) Trigger() { e.E.Trigger() }

// Subscribe implements Syncer: the engine's states, converted.
func (e EngineSyncer) Subscribe() (<-chan SyncState, func()) {
	in, cancel := e.E.Subscribe()
	out := make(chan SyncState, 1)
	done := make(chan struct{})
	go func() {
		defer close(out)
		for st := range in {
			s := SyncState{Online: st.Online, Syncing: st.Syncing, Pulled: st.Pulled, Total: st.Total,
				PullStarted: st.PullStarted, PulledAt: st.PulledAt,
				Pending: st.Pending, Conflicts: st.Conflicts, LastSync: st.LastSync, AuthFailed: st.AuthFailed}
			if st.Err != nil {
				s.Err = gsync.Explain(st.Err, e.Lang)
			}
			// Latest value wins, as in the engine: drop an unread one.
			select {
			case <-out:
			default:
			}
			select {
			case out <- s:
			case <-done:
				return
			}
		}
	}()
	var once bool
	return out, func() {
		if !once {
			once = true
			close(done)
			cancel()
		}
	}
}
