package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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
	Street       string // empty for a municipality
	Municipality string // as filed (the greatest spelling in byte order when grouped,
	// which prefers "Wavre" to "WAVRE" and accents to none)
	Count int
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
	// The weeks, as [from, to) nanosecond pairs handed to SQL as JSON.
	var bounds [][2]int64
	for ws := weekStart(q.From, loc); ws.Before(q.To); ws = ws.AddDate(0, 0, 7) {
		we := ws.AddDate(0, 0, 7)
		w := WeekStats{Start: ws, From: ws, To: we, ByType: map[string]int{}}
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

	// One read transaction: every figure is of the same state of the cache.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	defer tx.Rollback()

	// Complaints per week and fact type. CROSS JOIN keeps the weeks as the
	// outer loop so each week is one range scan of complaints_received.
	rows, err := tx.QueryContext(ctx, `
		SELECT w.key, c.fact_type, count(*)
		FROM json_each(?) AS w CROSS JOIN complaints AS c
		WHERE c.received_at >= json_extract(w.value, '$[0]') AND c.received_at < json_extract(w.value, '$[1]')
		GROUP BY w.key, c.fact_type`, string(weeksJSON))
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats per week: %w", err)
	}
	for rows.Next() {
		var i, n int
		var ft string
		if err := rows.Scan(&i, &ft, &n); err != nil {
			rows.Close()
			return Stats{}, err
		}
		if i < 0 || i >= len(st.Weeks) {
			rows.Close()
			return Stats{}, fmt.Errorf("store: stats: week %d out of range", i)
		}
		st.Weeks[i].ByType[ft] += n
		st.Weeks[i].Total += n
		st.ByType[ft] += n
		st.Total += n
	}
	if err := closeRows(rows); err != nil {
		return Stats{}, fmt.Errorf("store: stats per week: %w", err)
	}
	for ft := range st.ByType {
		st.Types = append(st.Types, ft)
	}
	sort.Strings(st.Types)

	// Top municipalities, grouped on the folded key.
	st.Municipalities, err = topPlaces(ctx, tx, `
		SELECT '', max(c.municipality), count(*) AS n
		FROM complaints AS c
		WHERE c.received_at >= ? AND c.received_at < ?
		GROUP BY c.municipality_key
		ORDER BY n DESC, c.municipality_key
		LIMIT ?`, from, to, TopN)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats municipalities: %w", err)
	}
	// Top streets: the street is only in the record JSON.
	st.Streets, err = topPlaces(ctx, tx, `
		WITH p(street, municipality_key, municipality) AS MATERIALIZED (
			SELECT coalesce(json_extract(`+effJSON+`, '$.facts.place.street'), ''),
			       c.municipality_key, c.municipality
			FROM complaints AS c
			WHERE c.received_at >= ? AND c.received_at < ?)
		SELECT street, max(municipality), count(*) AS n FROM p
		GROUP BY street, municipality_key
		ORDER BY n DESC, street, municipality_key
		LIMIT ?`, from, to, TopN)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats streets: %w", err)
	}

	// Handling time: received_at to the first history entry with
	// to=handled, for handled complaints received in the period, sorted
	// per type so percentiles are read off in order.
	rows, err = tx.QueryContext(ctx, `
		SELECT fact_type, handled - received FROM (
			SELECT c.fact_type, c.received_at / 1e9 AS received,
				(SELECT min(unixepoch(json_extract(h.value, '$.at'), 'subsec'))
				 FROM json_each(`+effJSON+`, '$.history') AS h
				 WHERE json_extract(h.value, '$.to') = 'handled') AS handled
			FROM complaints AS c
			WHERE c.status = 'handled' AND c.received_at >= ? AND c.received_at < ?)
		WHERE handled IS NOT NULL
		ORDER BY fact_type, handled - received`, from, to)
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats handling: %w", err)
	}
	var cur *HandlingStats
	var durs []time.Duration
	flush := func() {
		if cur != nil {
			cur.Count = len(durs)
			cur.Median, cur.P90 = Percentile(durs, 50), Percentile(durs, 90)
			st.Handling = append(st.Handling, *cur)
		}
	}
	for rows.Next() {
		var ft string
		var secs float64
		if err := rows.Scan(&ft, &secs); err != nil {
			rows.Close()
			return Stats{}, err
		}
		if cur == nil || cur.FactType != ft {
			flush()
			cur, durs = &HandlingStats{FactType: ft}, durs[:0]
		}
		// Milliseconds: unixepoch 'subsec' has no finer precision.
		durs = append(durs, time.Duration(math.Round(secs*1000))*time.Millisecond)
	}
	if err := closeRows(rows); err != nil {
		return Stats{}, fmt.Errorf("store: stats handling: %w", err)
	}
	flush()

	// Backlog at the end of each week = received before it − closed before
	// it. A complaint is closed at its first handled/rejected/forwarded
	// history entry (never before it was received; at its last update when
	// a final complaint has no such entry). Received counts come from the
	// weeks above plus what came before From; closures are counted here
	// per week, from the final complaints received before To.
	var receivedBefore int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM complaints WHERE received_at < ?`, from).Scan(&receivedBefore); err != nil {
		return Stats{}, fmt.Errorf("store: stats backlog: %w", err)
	}
	rows, err = tx.QueryContext(ctx, `
		WITH closed(at) AS MATERIALIZED (
			SELECT max(c.received_at, coalesce(
				(SELECT CAST(round(min(unixepoch(json_extract(h.value, '$.at'), 'subsec')) * 1000) AS INTEGER) * 1000000
				 FROM json_each(`+effJSON+`, '$.history') AS h
				 WHERE json_extract(h.value, '$.to') IN `+finalStatusesSQL+`),
				c.updated_at))
			FROM complaints AS c
			WHERE c.status IN `+finalStatusesSQL+` AND c.received_at < ?2)
		SELECT -1, count(*) FROM closed WHERE at < ?1
		UNION ALL
		SELECT w.key, count(*)
		FROM json_each(?3) AS w CROSS JOIN closed
		WHERE closed.at >= json_extract(w.value, '$[0]') AND closed.at < json_extract(w.value, '$[1]')
		GROUP BY w.key`, from, to, string(weeksJSON))
	if err != nil {
		return Stats{}, fmt.Errorf("store: stats backlog: %w", err)
	}
	closedIn := make([]int, len(st.Weeks))
	closedBefore := 0
	for rows.Next() {
		var i, n int
		if err := rows.Scan(&i, &n); err != nil {
			rows.Close()
			return Stats{}, err
		}
		switch {
		case i == -1:
			closedBefore = n
		case i >= 0 && i < len(st.Weeks):
			closedIn[i] = n
		default:
			rows.Close()
			return Stats{}, fmt.Errorf("store: stats: week %d out of range", i)
		}
	}
	if err := closeRows(rows); err != nil {
		return Stats{}, fmt.Errorf("store: stats backlog: %w", err)
	}
	open := receivedBefore - closedBefore
	for i := range st.Weeks {
		open += st.Weeks[i].Total - closedIn[i]
		st.Weeks[i].Open = open
	}
	return st, nil
}

func topPlaces(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]PlaceCount, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []PlaceCount
	for rows.Next() {
		var p PlaceCount
		if err := rows.Scan(&p.Street, &p.Municipality, &p.Count); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	return out, closeRows(rows)
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
