package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Brussels on machines without a zoneinfo database

	"guichet/complaint"
	"guichet/store/storetest"
)

// statsRecords builds n complaints with known received and history times
// between mid-January and late April 2026 (across the March DST change),
// with municipalities spelt in several ways, streets, and every status.
// History times come in UTC and in Brussels time with fractions of a
// second, as the portal or another client could write them.
func statsRecords(n int, seed uint64, brussels *time.Location) []complaint.Record {
	rng := rand.New(rand.NewPCG(seed, seed^0xabcdef))
	munis := []string{"Ottignies-Louvain-la-Neuve", "ottignies-louvain-la-neuve", "Wavre", "WAVRE",
		"Court-Saint-Étienne", "Court-Saint-Etienne", "Mont-Saint-Guibert", "Chaumont-Gistoux",
		"Grez-Doiceau", "Rixensart", "Lasne", "Genappe", "Walhain", "Perwez", "Incourt"}
	streets := []string{"Rue Haute", "Grand-Rue", "Rue de la Station", "Avenue des Combattants",
		"Place de l'Université", "Rue du Blanc Ry", "Cours d'Orval", "Chaussée de la Croix",
		"Rue des Deux Ponts", "Allée du Rond Point", "Rue de Franquenies", "Place des Wallons"}
	types := []string{"bicycle_theft", "shoplifting", "graffiti", "damage_private_property"}
	start := time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)
	span := int64(95 * 24 * time.Hour)
	off := storetest.Officers[0]
	out := make([]complaint.Record, n)
	for i := range out {
		r := storetest.Records(1, int64(i))[0]
		r.Reference = fmt.Sprintf("5275-2026-%06d", i+1)
		r.FactType = types[rng.IntN(len(types))]
		r.Facts.Place.Municipality = munis[rng.IntN(len(munis))]
		r.Facts.Place.Street = streets[rng.IntN(len(streets))]
		r.ReceivedAt = start.Add(time.Duration(rng.Int64N(span)))
		r.Status, r.ClaimedBy, r.History, r.Version = complaint.StatusNew, nil, nil, 1
		at := r.ReceivedAt
		step := func(from, to complaint.Status, action string) {
			at = at.Add(time.Duration(rng.Int64N(int64(9*24*time.Hour))) + 1234567*time.Nanosecond)
			when := at
			if rng.IntN(2) == 0 {
				when = at.In(brussels) // written with a +01:00/+02:00 offset
			}
			r.History = append(r.History, complaint.StatusChange{At: when, From: from, To: to, Action: action, By: &off})
			r.Status = to
			r.Version++
		}
		switch roll := rng.IntN(100); {
		case roll < 35:
		case roll < 50:
			step(complaint.StatusNew, complaint.StatusClaimed, "claim")
		case roll < 60:
			// claimed, released, claimed again, handled: the first handled
			// entry is what counts.
			step(complaint.StatusNew, complaint.StatusClaimed, "claim")
			step(complaint.StatusClaimed, complaint.StatusNew, "release")
			step(complaint.StatusNew, complaint.StatusClaimed, "claim")
			step(complaint.StatusClaimed, complaint.StatusHandled, "handle")
		case roll < 80:
			step(complaint.StatusNew, complaint.StatusClaimed, "claim")
			step(complaint.StatusClaimed, complaint.StatusHandled, "handle")
		case roll < 90:
			step(complaint.StatusNew, complaint.StatusClaimed, "claim")
			step(complaint.StatusClaimed, complaint.StatusRejected, "reject")
		default:
			step(complaint.StatusNew, complaint.StatusClaimed, "claim")
			step(complaint.StatusClaimed, complaint.StatusForwarded, "forward")
		}
		if r.Status == complaint.StatusClaimed {
			r.ClaimedBy = &off
		}
		r.UpdatedAt = at
		out[i] = r
	}
	return out
}

// wantStats counts, in Go, what Stats should say about recs (the effective
// records) for the period [from, to) in loc. It shares no code with Stats
// except fold, which defines the municipality grouping.
type wantWeek struct {
	year, week int
	byType     map[string]int
	total      int
}

func firstTo(r complaint.Record, final func(complaint.Status) bool) (time.Time, bool) {
	for _, h := range r.History {
		if final(h.To) {
			return h.At, true
		}
	}
	return time.Time{}, false
}

func TestStatsMatchesCountedData(t *testing.T) {
	ctx := context.Background()
	brussels, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	s := openTemp(t)
	recs := statsRecords(600, 11, brussels)
	// Through the feed API, in pages, as sync does.
	for i := 0; i < len(recs); i += 100 {
		apply(t, s, fmt.Sprint("c", i), recs[i:min(i+100, len(recs))]...)
	}
	// A handle queued locally counts with its local time (the effective
	// state is what the queue shows).
	localAt := time.Date(2026, 3, 30, 9, 15, 0, 0, time.UTC)
	s.now = func() time.Time { return localAt }
	for i, r := range recs {
		if r.Status == complaint.StatusClaimed && r.ReceivedAt.After(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) &&
			r.ReceivedAt.Before(localAt) {
			next, err := s.Act(ctx, r.Reference, complaint.Action{Type: complaint.ActionHandle,
				PVNumber: "NI.55.L5.012345/2026"}, *r.ClaimedBy, "en")
			if err != nil {
				t.Fatal(err)
			}
			recs[i] = next
			break
		}
	}

	for _, tc := range []struct {
		name     string
		from, to time.Time
		loc      *time.Location
	}{
		{"brussels across DST", time.Date(2026, 2, 18, 10, 30, 0, 0, brussels), time.Date(2026, 4, 8, 15, 0, 0, 0, brussels), brussels},
		{"utc whole weeks", time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), nil},
		{"one day", time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), time.UTC},
		{"52 weeks", time.Date(2025, 5, 5, 0, 0, 0, 0, brussels), time.Date(2026, 5, 1, 0, 0, 0, 0, brussels), brussels},
		{"before everything", time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 6, 0, 0, 0, 0, time.UTC), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Stats(ctx, StatsQuery{From: tc.from, To: tc.to, Loc: tc.loc})
			if err != nil {
				t.Fatal(err)
			}
			loc := tc.loc
			if loc == nil {
				loc = time.UTC
			}
			checkStats(t, got, recs, tc.from, tc.to, loc)
		})
	}
}

func checkStats(t *testing.T, got Stats, recs []complaint.Record, from, to time.Time, loc *time.Location) {
	t.Helper()
	in := func(r complaint.Record) bool { return !r.ReceivedAt.Before(from) && r.ReceivedAt.Before(to) }

	// Weeks: every ISO week from the one of `from` to the one of `to`
	// (exclusive end), Monday midnight in loc.
	var weeks []wantWeek
	index := map[[2]int]int{}
	for d := from.In(loc); d.Before(to); d = d.AddDate(0, 0, 1) {
		y, w := d.ISOWeek()
		if _, ok := index[[2]int{y, w}]; !ok {
			index[[2]int{y, w}] = len(weeks)
			weeks = append(weeks, wantWeek{year: y, week: w, byType: map[string]int{}})
		}
	}
	if y, w := to.Add(-time.Nanosecond).In(loc).ISOWeek(); index[[2]int{y, w}] != len(weeks)-1 {
		t.Fatalf("test bug: last week")
	}
	total, byType := 0, map[string]int{}
	for _, r := range recs {
		if !in(r) {
			continue
		}
		y, w := r.ReceivedAt.In(loc).ISOWeek()
		i, ok := index[[2]int{y, w}]
		if !ok {
			t.Fatalf("%s: week %d-%d not in the period", r.Reference, y, w)
		}
		weeks[i].byType[r.FactType]++
		weeks[i].total++
		total++
		byType[r.FactType]++
	}
	if got.Total != total {
		t.Errorf("total = %d, want %d", got.Total, total)
	}
	if fmt.Sprint(got.ByType) != fmt.Sprint(byType) {
		t.Errorf("by type = %v, want %v", got.ByType, byType)
	}
	var types []string
	for ft := range byType {
		types = append(types, ft)
	}
	sort.Strings(types)
	if fmt.Sprint(got.Types) != fmt.Sprint(types) {
		t.Errorf("types = %v, want %v", got.Types, types)
	}
	if len(got.Weeks) != len(weeks) {
		t.Fatalf("%d weeks, want %d", len(got.Weeks), len(weeks))
	}
	for i, w := range got.Weeks {
		ws := w.Start.In(loc)
		if y, n := ws.ISOWeek(); y != weeks[i].year || n != weeks[i].week || ws.Weekday() != time.Monday ||
			ws.Hour() != 0 || ws.Minute() != 0 {
			t.Errorf("week %d starts %s, want Monday 00:00 of %d-W%02d", i, ws, weeks[i].year, weeks[i].week)
		}
		wantFrom, wantTo := ws, ws.AddDate(0, 0, 7)
		if i == 0 {
			wantFrom = from
		}
		if i == len(got.Weeks)-1 {
			wantTo = to
		}
		if !w.From.Equal(wantFrom) || !w.To.Equal(wantTo) {
			t.Errorf("week %d spans %s – %s, want %s – %s", i, w.From, w.To, wantFrom, wantTo)
		}
		if w.Total != weeks[i].total || fmt.Sprint(w.ByType) != fmt.Sprint(weeks[i].byType) {
			t.Errorf("week %d-W%02d: %d %v, want %d %v", weeks[i].year, weeks[i].week, w.Total, w.ByType, weeks[i].total, weeks[i].byType)
		}
		// Backlog at the week's end: received before it, and not closed
		// (first final history entry) before it.
		open := 0
		for _, r := range recs {
			if !r.ReceivedAt.Before(w.To) {
				continue
			}
			closed, ok := firstTo(r, complaint.Status.Final)
			if ok && closed.Before(w.To) {
				continue
			}
			open++
		}
		if w.Open != open {
			t.Errorf("week %d-W%02d: open %d at %s, want %d", weeks[i].year, weeks[i].week, w.Open, w.To, open)
		}
	}

	// Top municipalities (grouped without case and accents) and streets
	// (exact, within their municipality).
	type group struct {
		key, street, name string
		n                 int
	}
	munis, streets := map[string]*group{}, map[[2]string]*group{}
	for _, r := range recs {
		if !in(r) {
			continue
		}
		m, k := r.Facts.Place.Municipality, fold(r.Facts.Place.Municipality)
		if g := munis[k]; g == nil {
			munis[k] = &group{key: k, name: m}
		}
		munis[k].n++
		munis[k].name = max(munis[k].name, m)
		sk := [2]string{r.Facts.Place.Street, k}
		if g := streets[sk]; g == nil {
			streets[sk] = &group{key: k, street: sk[0], name: m}
		}
		streets[sk].n++
		streets[sk].name = max(streets[sk].name, m)
	}
	top := func(gs []*group) []PlaceCount {
		sort.Slice(gs, func(i, j int) bool {
			a, b := gs[i], gs[j]
			if a.n != b.n {
				return a.n > b.n
			}
			if a.street != b.street {
				return a.street < b.street
			}
			return a.key < b.key
		})
		var out []PlaceCount
		for _, g := range gs[:min(len(gs), 10)] {
			out = append(out, PlaceCount{Street: g.street, Municipality: g.name, Count: g.n})
		}
		return out
	}
	var mg, sg []*group
	for _, g := range munis {
		mg = append(mg, g)
	}
	for _, g := range streets {
		sg = append(sg, g)
	}
	if want := top(mg); fmt.Sprint(got.Municipalities) != fmt.Sprint(want) {
		t.Errorf("municipalities =\n%v\nwant\n%v", got.Municipalities, want)
	}
	if want := top(sg); fmt.Sprint(got.Streets) != fmt.Sprint(want) {
		t.Errorf("streets =\n%v\nwant\n%v", got.Streets, want)
	}

	// Handling time per type: received to the first handled entry, for
	// handled complaints of the period; nearest-rank median and p90.
	durs := map[string][]time.Duration{}
	for _, r := range recs {
		if !in(r) || r.Status != complaint.StatusHandled {
			continue
		}
		at, ok := firstTo(r, func(s complaint.Status) bool { return s == complaint.StatusHandled })
		if !ok {
			t.Fatalf("%s handled without a handled entry", r.Reference)
		}
		durs[r.FactType] = append(durs[r.FactType], at.Sub(r.ReceivedAt))
	}
	var want []HandlingStats
	for _, ft := range types {
		d := durs[ft]
		if len(d) == 0 {
			continue
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		n := len(d)
		want = append(want, HandlingStats{FactType: ft, Count: n,
			Median: d[(n*50+99)/100-1], P90: d[(n*90+99)/100-1]})
	}
	if len(got.Handling) != len(want) {
		t.Fatalf("handling = %v, want %v", got.Handling, want)
	}
	for i := range want {
		g, w := got.Handling[i], want[i]
		// SQLite keeps history times to the millisecond.
		near := func(a, b time.Duration) bool { return (a - b).Abs() <= time.Millisecond }
		if g.FactType != w.FactType || g.Count != w.Count || !near(g.Median, w.Median) || !near(g.P90, w.P90) {
			t.Errorf("handling %d = %+v, want %+v", i, g, w)
		}
	}
	if total > 0 && len(want) == 0 {
		t.Log("no handled complaint in this period")
	}
}

func TestStatsRejectsBadPeriods(t *testing.T) {
	s := openTemp(t)
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for _, q := range []StatsQuery{
		{From: t0, To: t0},
		{From: t0, To: t0.Add(-time.Hour)},
		{From: t0, To: t0.Add(MaxStatsPeriod + time.Second)},
	} {
		if _, err := s.Stats(context.Background(), q); !errors.Is(err, ErrStatsPeriod) {
			t.Errorf("%v – %v: err = %v, want ErrStatsPeriod", q.From, q.To, err)
		}
	}
	// An empty cache has empty weeks, no backlog, no lists.
	st, err := s.Stats(context.Background(), StatsQuery{From: t0, To: t0.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != 0 || len(st.Weeks) != 2 || st.Weeks[1].Open != 0 || len(st.Municipalities) != 0 || len(st.Handling) != 0 {
		t.Errorf("empty cache: %+v", st)
	}
}

func TestPercentile(t *testing.T) {
	d := func(xs ...int) []time.Duration {
		out := make([]time.Duration, len(xs))
		for i, x := range xs {
			out[i] = time.Duration(x)
		}
		return out
	}
	for _, tc := range []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 50, 0},
		{d(7), 50, 7},
		{d(7), 90, 7},
		{d(1, 2), 50, 1},
		{d(1, 2, 3), 50, 2},
		{d(1, 2, 3, 4), 50, 2},
		{d(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9},
		{d(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 90, 10},
	} {
		if got := Percentile(tc.in, tc.p); got != tc.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tc.in, tc.p, got, tc.want)
		}
	}
}

// BenchmarkStats100k: the statistics of a 100,000-complaint cache
// (storetest spreads them over about a year) for the screen's periods:
// 52 weeks reads nearly every complaint, 4 weeks a tenth of them.
func BenchmarkStats100k(b *testing.B) {
	s, recs := benchStore(b)
	to := recs[len(recs)-1].ReceivedAt.Add(time.Hour)
	ctx := context.Background()
	for _, weeks := range []int{52, 4} {
		b.Run(fmt.Sprintf("%dweeks", weeks), func(b *testing.B) {
			q := StatsQuery{From: weekStart(to, time.UTC).AddDate(0, 0, -7*(weeks-1)), To: to}
			for b.Loop() {
				st, err := s.Stats(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				if st.Total == 0 {
					b.Fatal("no complaints in the period")
				}
			}
		})
	}
}
