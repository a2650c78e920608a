package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
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

// finalStatuses close a complaint for the backlog.
const finalStatusesSQL = `('handled','rejected','forwarded')`

// effJSON is the effective record as text (JSON functions read it; the
// column is a BLOB holding JSON text).
const effJSON = `CAST(coalesce(c.local_json, c.server_json) AS TEXT)`

// weekStart is Monday 00:00 of the ISO week of t, in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, loc)
}

// Stats computes the statistics of q's period by SQL on the cache: counts
// per week and type and the backlog with index range scans per week, top
// places with GROUP BY, and handling times with json_each over the history
// of handled complaints (sorted by SQL, percentiles in Go).
func (s *Store) Stats(ctx context.Context, q StatsQuery) (Stats, error) {
	loc := q.Loc
	if loc == nil {
		loc = time.UTC
	}
	if !q.To.After(q.From) || q.To.Sub(q.From) > MaxStatsPeriod {
		return Stats{}, fmt.Errorf("%w (asked %s – %s)", ErrStatsPeriod, q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	st := Stats{From: q.From, To: q.To, ByType: map[string]int{}}
	// The weeks; SQL gets their Monday starts to put a time in its week.
	var starts []int64
	for ws := weekStart(q.From, loc); ws.Before(q.To); ws = ws.AddDate(0, 0, 7) {
		w := WeekStats{Start: ws, From: ws, To: ws.AddDate(0, 0, 7), ByType: map[string]int{}}
		if w.From.Before(q.From) {
			w.From = q.From
		}
		if w.To.After(q.To) {
			w.To = q.To
		}
		st.Weeks = append(st.Weeks, w)
		starts = append(starts, nanos(ws))
	}
	startsJSON, err := json.Marshal(starts)
	if err != nil {
		return Stats{}, err
	}
	args := []any{
		sql.Named("from", nanos(q.From)), sql.Named("to", nanos(q.To)),
		sql.Named("starts", string(startsJSON)), sql.Named("s0", starts[0]),
		sql.Named("week", int64(7*24*time.Hour)), sql.Named("top", TopN),
	}

	// One read transaction: every figure is of the same state of the cache.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	defer tx.Rollback()

	// The complaints of the period, read once (the JSON of 100,000
	// complaints is most of the cost), then every figure of the period
	// grouped from that one pass.
	rows, err := tx.QueryContext(ctx, statsPeriodSQL, args...)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	closedIn := make([]int, len(st.Weeks))
	var muniKeys, streetKeys []string // folded municipality of each, to order ties as SQL did
	handling := map[string][]time.Duration{}
	for rows.Next() {
		var kind, a, b, k string
		var i int
		var n int64
		if err := rows.Scan(&kind, &i, &a, &b, &k, &n); err != nil {
			rows.Close()
			return Stats{}, err
		}
		if (kind == "w" || kind == "c") && (i < 0 || i >= len(st.Weeks)) {
			rows.Close()
			return Stats{}, fmt.Errorf("store: stats: week %d out of range", i)
		}
		switch kind {
		case "w":
			st.Weeks[i].ByType[a] += int(n)
			st.Weeks[i].Total += int(n)
			st.ByType[a] += int(n)
			st.Total += int(n)
		case "c":
			closedIn[i] += int(n)
		case "m":
			st.Municipalities = append(st.Municipalities, PlaceCount{Municipality: b, Count: int(n)})
			muniKeys = append(muniKeys, k)
		case "s":
			st.Streets = append(st.Streets, PlaceCount{Street: a, Municipality: b, Count: int(n)})
			streetKeys = append(streetKeys, k)
		case "h":
			handling[a] = append(handling[a], time.Duration(n)*time.Millisecond)
		}
	}
	if err := closeRows(rows); err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	for ft := range st.ByType {
		st.Types = append(st.Types, ft)
	}
	sort.Strings(st.Types)
	// UNION ALL does not promise the order of its parts' rows: sort here
	// as SQL ranked them (count, then name).
	st.Municipalities = rankPlaces(st.Municipalities, muniKeys)
	st.Streets = rankPlaces(st.Streets, streetKeys)
	var fts []string
	for ft := range handling {
		fts = append(fts, ft)
	}
	sort.Strings(fts)
	for _, ft := range fts {
		d := handling[ft]
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		st.Handling = append(st.Handling, HandlingStats{FactType: ft, Count: len(d),
			Median: Percentile(d, 50), P90: Percentile(d, 90)})
	}

	// What came before the period, for the backlog: how many were
	// received, and when those that are final were closed.
	rows, err = tx.QueryContext(ctx, statsBeforeSQL, args...)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats backlog: %w", err)
	}
	var receivedBefore, finalBefore, recentFinal, closedBefore int
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			rows.Close()
			return Stats{}, err
		}
		switch {
		case i == -4:
			receivedBefore = n
		case i == -3:
			finalBefore = n
		case i == -2:
			recentFinal = n
		case i == -1:
			closedBefore += n
		case i >= 0 && i < len(st.Weeks):
			closedIn[i] += n
		default:
			rows.Close()
			return Stats{}, fmt.Errorf("store: stats: week %d out of range", i)
		}
	}
	if err := closeRows(rows); err != nil {
		return Stats{}, fmt.Errorf("store: stats backlog: %w", err)
	}
	// Final complaints last updated before the period were closed before
	// it (a closure is a history entry, and every entry updates the
	// complaint); the recently updated ones were dated from their history.
	closedBefore += finalBefore - recentFinal
	open := receivedBefore - closedBefore
	for i := range st.Weeks {
		open += st.Weeks[i].Total - closedIn[i]
		st.Weeks[i].Open = open
	}
	return st, nil
}

// SQL pieces of Stats. Reading the record JSON of every complaint is most
// of the cost (measured: ~1 s per pass over 100,000 records, more than
// parsing it), so each statement reads it once per complaint, taking the
// street and the history in one json_extract, and works on that.
const (
	// statsFirstAt is the time (unix seconds, ms precision) of the first
	// entry of history j whose status is in set.
	statsFirstAt = `(SELECT min(unixepoch(h.value ->> '$.at', 'subsec')) FROM json_each(j) AS h
		WHERE h.value ->> '$.to' IN %s)`
	// statsClosed is when a final complaint was closed, in nanoseconds:
	// its first final entry, never before it was received, at its last
	// update when no entry says.
	statsClosed = `max(r, coalesce(CAST(round(` + statsFirstAt + ` * 1000) AS INTEGER) * 1000000, updated))`
	// statsWeekOf is the index of the week of x (nanoseconds, in the
	// period): the arithmetic guess is off by one at most across a DST
	// change, and corrected against the weeks' real Monday starts.
	statsWeekOf = `(((%[1]s) - :s0) / :week
		- ((%[1]s) < coalesce(json_extract(:starts, '$[' || (((%[1]s) - :s0) / :week) || ']'), 9223372036854775807))
		+ ((%[1]s) >= coalesce(json_extract(:starts, '$[' || (((%[1]s) - :s0) / :week + 1) || ']'), 9223372036854775807)))`
	// statsRows reads each complaint once: street and history in j.
	statsRows = `SELECT c.received_at AS r, c.updated_at AS updated, c.fact_type AS ft, c.status AS st,
		c.municipality_key AS mk, c.municipality AS m,
		json_extract(CAST(coalesce(c.local_json, c.server_json) AS TEXT), '$.facts.place.street', '$.history') AS j
		FROM complaints AS c`
)

var (
	// statsPeriodSQL: kind, week index, text, municipality, key, number:
	// w = complaints per week and type, c = closures per week, m and s =
	// top municipalities and streets, h = one handling time (ms) per
	// handled complaint.
	statsPeriodSQL = `
WITH raw AS MATERIALIZED (` + statsRows + ` WHERE c.received_at >= :from AND c.received_at < :to),
p0 AS MATERIALIZED (
	SELECT r, ft, mk, m, coalesce(j ->> '$[0]', '') AS street,
		CASE WHEN st = 'handled' THEN ` + strings.ReplaceAll(fmt.Sprintf(statsFirstAt, `('handled')`), "json_each(j)", "json_each(j, '$[1]')") + ` END AS handled,
		CASE WHEN st IN ` + finalStatusesSQL + ` THEN ` + strings.ReplaceAll(fmt.Sprintf(statsClosed, finalStatusesSQL), "json_each(j)", "json_each(j, '$[1]')") + ` END AS closed
	FROM raw
),
p AS MATERIALIZED (
	SELECT *, ` + fmt.Sprintf(statsWeekOf, "r") + ` AS wk,
		CASE WHEN closed < :to THEN ` + fmt.Sprintf(statsWeekOf, "closed") + ` END AS cwk
	FROM p0
)
SELECT 'w', wk, ft, '', '', count(*) FROM p GROUP BY wk, ft
UNION ALL
SELECT 'c', cwk, '', '', '', count(*) FROM p WHERE cwk IS NOT NULL GROUP BY cwk
UNION ALL
SELECT * FROM (SELECT 'm', 0, '', max(m), mk, count(*) AS n FROM p GROUP BY mk ORDER BY n DESC, mk LIMIT :top)
UNION ALL
SELECT * FROM (SELECT 's', 0, street, max(m), mk, count(*) AS n FROM p GROUP BY street, mk ORDER BY n DESC, street, mk LIMIT :top)
UNION ALL
SELECT 'h', 0, ft, '', '', CAST(round((handled - r / 1e9) * 1000) AS INTEGER) FROM p WHERE handled IS NOT NULL`

	// statsBeforeSQL: -4 = received before the period, -3 = of them final,
	// -2 = of those, updated since the period began (their closure is read
	// from the history), -1 = of those, closed before the period; then
	// closures in the period per week.
	statsBeforeSQL = `
WITH raw AS MATERIALIZED (` + statsRows + ` WHERE c.status IN ` + finalStatusesSQL + ` AND c.updated_at >= :from AND c.received_at < :from),
q0 AS MATERIALIZED (
	SELECT ` + strings.ReplaceAll(fmt.Sprintf(statsClosed, finalStatusesSQL), "json_each(j)", "json_each(j, '$[1]')") + ` AS closed FROM raw
)
SELECT -4, count(*) FROM complaints WHERE received_at < :from
UNION ALL
SELECT -3, count(*) FROM complaints WHERE status IN ` + finalStatusesSQL + ` AND received_at < :from
UNION ALL
SELECT -2, count(*) FROM q0
UNION ALL
SELECT -1, count(*) FROM q0 WHERE closed < :from
UNION ALL
SELECT ` + fmt.Sprintf(statsWeekOf, "closed") + `, count(*) FROM q0 WHERE closed >= :from AND closed < :to GROUP BY 1`
)

// rankPlaces orders places as the SQL ranked them: most complaints first,
// then by street and folded municipality (keys).
func rankPlaces(places []PlaceCount, keys []string) []PlaceCount {
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
	out := make([]PlaceCount, len(order))
	for i, o := range order {
		out[i] = places[o]
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
