package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// MaxStatsPeriod bounds a statistics query: 53 weeks, enough for "the last
// 52 weeks" started on a Monday, and a bound on the work one query does.
const MaxStatsPeriod = 53 * 7 * 24 * time.Hour

// TopN is how many municipalities and streets Stats lists.
const TopN = 10

// ErrStatsPeriod is returned for an empty, reversed or too long period.
var ErrStatsPeriod = errors.New("store: statistics period must be non-empty and at most 53 weeks")

// StatsQuery is the period of a statistics query, on received_at: From
// inclusive, To exclusive. Weeks are ISO weeks (Monday 00:00) in Loc
// (UTC when nil), so an officer's week starts at their midnight.
type StatsQuery struct {
	From, To time.Time
	Loc      *time.Location
}

// Stats are the figures of the statistics screen for one period.
type Stats struct {
	From, To time.Time
	Total    int      // complaints received in the period
	Types    []string // fact types with at least one complaint in the period, sorted
	// ByType counts the complaints of the period per fact type.
	ByType map[string]int
	// Weeks are every week overlapping the period, in order, empty ones
	// included. The first and last may be cut by From and To.
	Weeks []WeekStats
	// Municipalities and Streets are the TopN places of the facts, most
	// complaints first (ties by name). Municipalities are grouped case and
	// accent insensitively; streets exactly, within their municipality.
	Municipalities []PlaceCount
	Streets        []PlaceCount
	// Handling is, per fact type (sorted), the time from filing to the
	// first "handled" entry of the history, for the complaints of the
	// period that are handled.
	Handling []HandlingStats
}

// WeekStats is one week of the period.
type WeekStats struct {
	Start time.Time // Monday 00:00 in the query's location
	// From and To are the part of the week inside the period.
	From, To time.Time
	Total    int
	ByType   map[string]int
	// Open is the backlog at To: complaints received before To that were
	// not handled, rejected or forwarded before To (from history times).
	Open int
}

// PlaceCount is a municipality or a street of the place of the facts.
type PlaceCount struct {
	Street string // empty for a municipality
	// Municipality is as filed; when several spellings are grouped, the
	// greatest in byte order (which prefers "Wavre" to "WAVRE" and
	// "Étienne" to "Etienne").
	Municipality string
	Count        int
}

// HandlingStats is the handling time of one fact type. Percentiles are by
// nearest rank (the smallest duration with at least p% of the durations at
// or below it), computed in Go from the durations SQL returns sorted.
type HandlingStats struct {
	FactType    string
	Count       int
	Median, P90 time.Duration
}

// weekStart is Monday 00:00 of the ISO week of t, in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, loc)
}

// Stats computes the statistics of q's period by SQL on the cache, from
// the queue and statistics columns and their indexes (never the records'
// JSON, and no sort of the period's complaints): complaints per type and
// week and closures per week are index range counts, one per type and week;
// places are grouped in the order of their index, then ranked here; handling
// times are read per type from the statistics index, sorted by SQL,
// percentiles here.
func (s *Store) Stats(ctx context.Context, q StatsQuery) (Stats, error) {
	loc := q.Loc
	if loc == nil {
		loc = time.UTC
	}
	if !q.To.After(q.From) || q.To.Sub(q.From) > MaxStatsPeriod {
		return Stats{}, fmt.Errorf("%w (asked %s – %s)", ErrStatsPeriod, q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	st := Stats{From: q.From, To: q.To, ByType: map[string]int{}}
	// The weeks, and their bounds inside the period for SQL as a JSON
	// array of [from, to) pairs in unix nanoseconds.
	var bounds [][2]int64
	for ws := weekStart(q.From, loc); ws.Before(q.To); ws = ws.AddDate(0, 0, 7) {
		w := WeekStats{Start: ws, From: ws, To: ws.AddDate(0, 0, 7), ByType: map[string]int{}}
		if w.From.Before(q.From) {
			w.From = q.From
		}
		if w.To.After(q.To) {
			w.To = q.To
		}
		st.Weeks = append(st.Weeks, w)
		bounds = append(bounds, [2]int64{nanos(w.From), nanos(w.To)})
	}
	weeksJSON, err := json.Marshal(bounds)
	if err != nil {
		return Stats{}, err
	}
	from, to := nanos(q.From), nanos(q.To)
	week := func(i int) (int, error) {
		if i < 0 || i >= len(st.Weeks) {
			return 0, fmt.Errorf("store: stats: week %d out of range", i)
		}
		return i, nil
	}

	// One read transaction: every figure is of the same state of the cache.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	defer tx.Rollback()
	query := func(what, q string, scan func(*sql.Rows) error, args ...any) error {
		if traceQuery != nil {
			traceQuery(q, args)
		}
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: stats %s: %w", what, err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return fmt.Errorf("store: stats %s: %w", what, err)
			}
		}
		if err := closeRows(rows); err != nil {
			return fmt.Errorf("store: stats %s: %w", what, err)
		}
		return nil
	}

	closedIn := make([]int, len(st.Weeks))
	// Complaints per type and week: the fact types cached (a loose scan of
	// the index, one seek per type), then one range count per type and
	// week. Closures per week: one range count per week.
	err = query("weeks", `
WITH RECURSIVE types(ft) AS (
	SELECT (SELECT min(fact_type) FROM complaints INDEXED BY complaints_stats)
	UNION ALL
	SELECT (SELECT min(fact_type) FROM complaints INDEXED BY complaints_stats WHERE fact_type > types.ft)
	FROM types WHERE types.ft IS NOT NULL
),
weeks(i, s, e) AS (SELECT CAST(key AS INTEGER), value ->> 0, value ->> 1 FROM json_each(?))
SELECT weeks.i, types.ft, (SELECT count(*) FROM complaints INDEXED BY complaints_stats
	WHERE fact_type = types.ft AND received_at >= weeks.s AND received_at < weeks.e)
FROM weeks, types WHERE types.ft IS NOT NULL
UNION ALL
SELECT weeks.i, NULL, (SELECT count(*) FROM complaints INDEXED BY complaints_closed
	WHERE closed_at IS NOT NULL AND closed_at >= weeks.s AND closed_at < weeks.e)
FROM weeks`, func(rows *sql.Rows) error {
		var i, n int
		var ft sql.NullString
		if err := rows.Scan(&i, &ft, &n); err != nil {
			return err
		}
		i, err := week(i)
		if err != nil || n == 0 {
			return err
		}
		if !ft.Valid {
			closedIn[i] += n
			return nil
		}
		st.Weeks[i].ByType[ft.String] += n
		st.Weeks[i].Total += n
		st.ByType[ft.String] += n
		st.Total += n
		return nil
	}, string(weeksJSON))
	if err != nil {
		return Stats{}, err
	}
	for ft := range st.ByType {
		st.Types = append(st.Types, ft)
	}
	sort.Strings(st.Types)

	// Places: complaints of the period per street within a municipality
	// (case and accent insensitive, the greatest spelling shown), grouped
	// in index order; municipalities add up their streets.
	type muniGroup struct {
		name string
		n    int
	}
	var streets []PlaceCount
	var streetKeys []string
	munis := map[string]*muniGroup{}
	// (The index is built at the end of a first sync: until then, no hint.)
	placesHint, err := s.usableHint(ctx, " INDEXED BY complaints_places")
	if err != nil {
		return Stats{}, err
	}
	err = query("places", `SELECT street, municipality_key, max(municipality), count(*)
		FROM complaints`+placesHint+` WHERE received_at >= ? AND received_at < ?
		GROUP BY street, municipality_key`, func(rows *sql.Rows) error {
		var p PlaceCount
		var key string
		if err := rows.Scan(&p.Street, &key, &p.Municipality, &p.Count); err != nil {
			return err
		}
		streets = append(streets, p)
		streetKeys = append(streetKeys, key)
		m := munis[key]
		if m == nil {
			m = &muniGroup{name: p.Municipality}
			munis[key] = m
		}
		m.n += p.Count
		m.name = max(m.name, p.Municipality)
		return nil
	}, from, to)
	if err != nil {
		return Stats{}, err
	}
	st.Streets = topPlaces(streets, streetKeys)
	var muniList []PlaceCount
	var muniKeys []string
	for key, m := range munis {
		muniList = append(muniList, PlaceCount{Municipality: m.name, Count: m.n})
		muniKeys = append(muniKeys, key)
	}
	st.Municipalities = topPlaces(muniList, muniKeys)

	// Handling times of the handled complaints of the period, per type in
	// the order of the statistics index (no sort of the period's rows in
	// SQL: a temporary B-tree), sorted here; percentiles here.
	var cur *HandlingStats
	var durs []time.Duration
	flush := func() {
		if cur != nil {
			slices.Sort(durs)
			cur.Count, cur.Median, cur.P90 = len(durs), Percentile(durs, 50), Percentile(durs, 90)
			st.Handling = append(st.Handling, *cur)
		}
	}
	err = query("handling", `SELECT fact_type, handled_at - received_at
		FROM complaints INDEXED BY complaints_stats
		WHERE fact_type > '' AND received_at >= ? AND received_at < ? AND handled_at IS NOT NULL
		ORDER BY fact_type`, func(rows *sql.Rows) error {
		var ft string
		var d int64
		if err := rows.Scan(&ft, &d); err != nil {
			return err
		}
		if cur == nil || cur.FactType != ft {
			flush()
			cur, durs = &HandlingStats{FactType: ft}, durs[:0]
		}
		durs = append(durs, time.Duration(d))
		return nil
	}, from, to)
	if err != nil {
		return Stats{}, err
	}
	flush()

	// The backlog at the end of each week: received before it minus
	// closed before it (a complaint is never closed before it was
	// received), from the counts before the period and per week in it.
	var receivedBefore, closedBefore int
	backlog := `SELECT
		(SELECT count(*) FROM complaints INDEXED BY complaints_stats WHERE received_at < ?),
		(SELECT count(*) FROM complaints INDEXED BY complaints_closed WHERE closed_at IS NOT NULL AND closed_at < ?)`
	if traceQuery != nil {
		traceQuery(backlog, []any{from, from})
	}
	err = tx.QueryRowContext(ctx, backlog, from, from).Scan(&receivedBefore, &closedBefore)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats backlog: %w", err)
	}
	open := receivedBefore - closedBefore
	for i := range st.Weeks {
		open += st.Weeks[i].Total - closedIn[i]
		st.Weeks[i].Open = open
	}
	return st, nil
}

// topPlaces returns the TopN places with the most complaints, ties by
// street then folded municipality (keys).
func topPlaces(places []PlaceCount, keys []string) []PlaceCount {
	order := make([]int, len(places))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := places[order[i]], places[order[j]]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Street != b.Street {
			return a.Street < b.Street
		}
		return keys[order[i]] < keys[order[j]]
	})
	var out []PlaceCount
	for _, o := range order[:min(len(order), TopN)] {
		out = append(out, places[o])
	}
	return out
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// Percentile is the nearest-rank p-th percentile (0 < p ≤ 100) of sorted
// durations: the element at rank ceil(p/100 × n); 0 when there are none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = max(1, min(rank, len(sorted)))
	return sorted[rank-1]
}
