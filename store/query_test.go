package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// fullScan is the reference order: one ORDER BY over the whole selection.
func fullScan(t *testing.T, s *Store, q Query) []string {
	t.Helper()
	col, _, err := normSort(q.Sort).column()
	if err != nil {
		t.Fatal(err)
	}
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	w, args := q.where("", false)
	rows, err := s.db.Query(`SELECT reference FROM complaints WHERE `+w+` ORDER BY `+col+` `+dir+`, reference `+dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		rows.Scan(&r)
		out = append(out, r)
	}
	return out
}

func TestKeysetPagingMatchesFullScan(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	recs := storetest.Records(400, 3)
	// Ties on every sort key: same received time for a run of records.
	for i := 100; i < 110; i++ {
		recs[i].ReceivedAt = recs[100].ReceivedAt
	}
	if err := s.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	// Some local overlays so effective columns differ from the server's.
	for _, ref := range []string{"5275-2026-000001", "5275-2026-000002", "5275-2026-000003"} {
		if r, _ := s.Get(ctx, ref); r.Status == complaint.StatusNew {
			if _, err := s.Act(ctx, ref, complaint.Action{Type: complaint.ActionClaim}, dupont, "fr"); err != nil {
				t.Fatal(err)
			}
		}
	}
	done := []complaint.Status{complaint.StatusHandled, complaint.StatusRejected, complaint.StatusForwarded}
	queries := []Query{
		{},
		{Statuses: []complaint.Status{complaint.StatusNew}},
		{Statuses: done},
		{Statuses: []complaint.Status{complaint.StatusClaimed}, ClaimedBy: storetest.Officers[0].ID},
		{NotClaimedBy: storetest.Officers[1].ID, FactType: "graffiti"},
		{Search: "ottignies"},
		{Statuses: done, Search: "gér"},
		{Statuses: done, Search: "ottignies"},
		{NotClaimedBy: storetest.Officers[1].ID, Search: "gér"},
		{ReceivedAfter: recs[50].ReceivedAt, ReceivedBefore: recs[300].ReceivedAt},
		{PendingOnly: true},
	}
	defer func(d, vd int, f float64) { denseMatches, veryDenseMatches, candidateFactor = d, vd, f }(
		denseMatches, veryDenseMatches, candidateFactor)
	for _, plan := range []struct {
		dense, veryDense int
		factor           float64
	}{
		{denseMatches, veryDenseMatches, candidateFactor}, // as shipped
		{1, 1 << 30, 2}, // every search: the forced-index plan
		{1, 1, 2},       // every search: pages from candidates
		{1, 1, 0.001},   // candidates too few: the exact plan after them
	} {
		denseMatches, veryDenseMatches, candidateFactor = plan.dense, plan.veryDense, plan.factor
		clear(s.dense)
		for qi, base := range queries {
			for _, key := range SortKeys {
				for _, desc := range []bool{false, true} {
					q := base
					q.Sort, q.Desc = key, desc
					t.Run(fmt.Sprintf("plan%d-%d-%v/q%d/%s/desc=%v", plan.dense, plan.veryDense, plan.factor, qi, key, desc), func(t *testing.T) {
						want := fullScan(t, s, q)
						if len(want) == 0 {
							t.Fatal("fixture: empty selection")
						}
						const size = 13
						var fwd []string
						var after *Key
						for {
							rows, err := s.Page(ctx, q, after, size)
							if err != nil {
								t.Fatal(err)
							}
							fwd = append(fwd, refs(rows)...)
							if len(rows) < size {
								break
							}
							k := rows[len(rows)-1].Key()
							after = &k
						}
						if !reflect.DeepEqual(fwd, want) {
							t.Fatalf("forward paging differs from the full scan (%d vs %d rows)", len(fwd), len(want))
						}
						var bwd []string
						var before *Key
						for {
							rows, err := s.PageBefore(ctx, q, before, size)
							if err != nil {
								t.Fatal(err)
							}
							bwd = append(refs(rows), bwd...)
							if len(rows) < size {
								break
							}
							k := rows[0].Key()
							before = &k
						}
						if !reflect.DeepEqual(bwd, want) {
							t.Fatalf("backward paging differs from the full scan")
						}
						n, err := s.Count(ctx, q)
						if err != nil || n != len(want) {
							t.Errorf("Count = %d, %v; want %d", n, err, len(want))
						}
						for _, at := range []int{0, 1, len(want) / 2, len(want) - 1, len(want)} {
							rows, err := s.PageAt(ctx, q, at, 5)
							if err != nil {
								t.Fatal(err)
							}
							end := min(len(want), at+5)
							if !reflect.DeepEqual(refs(rows), want[at:end]) && !(len(rows) == 0 && at == end) {
								t.Errorf("PageAt(%d) = %v, want %v", at, refs(rows), want[at:end])
							}
							if at < len(want) {
								k, err := s.KeyFor(ctx, q, want[at])
								if err != nil {
									t.Fatal(err)
								}
								if r, err := s.Rank(ctx, q, k); err != nil || r != at {
									t.Errorf("Rank(%s) = %d, %v; want %d", want[at], r, err, at)
								}
								from, _ := s.PageFrom(ctx, q, k, 3)
								if len(from) == 0 || from[0].Reference != want[at] {
									t.Errorf("PageFrom(%s) starts at %v", want[at], refs(from))
								}
							}
						}
					})
				}
			}
		}
	}
}

// A page of several statuses (or all) under a search reads the search's
// matches once, whatever the sort and direction and wherever the page
// starts — not once per status: one matching many in one query that
// merges the statuses' index ranges (twice at most in an order that
// follows the row ids: candidates, then the exact query when they hold
// less than a page), one matching few in one query driven by its matches.
func TestSearchPageReadsMatchesOnce(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if err := s.BulkLoad(ctx, storetest.Records(400, 3)); err != nil {
		t.Fatal(err)
	}
	defer func(d, vd int) { denseMatches, veryDenseMatches = d, vd }(denseMatches, veryDenseMatches)
	for _, plan := range []struct {
		name  string
		dense int
	}{
		{"dense", 1},        // not dense enough for candidates (veryDenseMatches)
		{"sparse", 1 << 30}, // every search
	} {
		denseMatches, veryDenseMatches = plan.dense, 1<<30
		for _, statuses := range [][]complaint.Status{nil, complaint.FinalStatuses()} {
			for _, srt := range SortKeys {
				for _, desc := range []bool{false, true} {
					q := Query{Search: "ottignies", Statuses: statuses, Sort: srt, Desc: desc}
					t.Run(fmt.Sprintf("%s/%v/%s/desc=%v", plan.name, statuses, srt, desc), func(t *testing.T) {
						first, err := s.Page(ctx, q, nil, 20)
						if err != nil || len(first) != 20 {
							t.Fatalf("first page: %d rows, %v", len(first), err)
						}
						mid := first[10].Key()
						for what, page := range map[string]func() ([]Row, error){
							"first":  func() ([]Row, error) { return s.Page(ctx, q, nil, 20) },
							"next":   func() ([]Row, error) { return s.Page(ctx, q, &mid, 20) },
							"before": func() ([]Row, error) { return s.PageBefore(ctx, q, &mid, 20) },
							"last":   func() ([]Row, error) { return s.PageBefore(ctx, q, nil, 20) },
						} {
							var rows []Row
							queries := traceQueries(t, func() { rows, err = page() })
							if err != nil || len(rows) == 0 {
								t.Fatalf("%s page: %d rows, %v", what, len(rows), err)
							}
							matches := 0
							for _, pq := range queries {
								matches += strings.Count(pq.sql, "complaints_fts MATCH")
							}
							// In an order that follows the row ids, candidates
							// come first (see candidatePage); the page before
							// the eleventh row is not among them.
							if want := 1; matches != want && !(plan.dense == 1 && idsFollow(srt) && matches == 2) {
								t.Errorf("%s page: the matches read %d times, want %d", what, matches, want)
							}
						}
					})
				}
			}
		}
	}
}

// A page read from candidates reads the search's matches between the
// candidates' least and greatest row ids in an order that follows the row
// ids only (idsFollow); in another order, the whole match list.
func TestCandidatesBoundRowIDsOnlyInIDOrder(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if err := s.BulkLoad(ctx, storetest.Records(400, 3)); err != nil {
		t.Fatal(err)
	}
	defer func(d, vd int) { denseMatches, veryDenseMatches = d, vd }(denseMatches, veryDenseMatches)
	denseMatches, veryDenseMatches = 1, 1 // every search: candidates first
	for _, statuses := range [][]complaint.Status{nil, {complaint.StatusNew}} {
		for _, srt := range SortKeys {
			q := Query{Search: "ottignies", Statuses: statuses, Sort: srt}
			queries := traceQueries(t, func() {
				if _, err := s.Page(ctx, q, nil, 20); err != nil {
					t.Fatal(err)
				}
			})
			var cand string
			for _, pq := range queries {
				if strings.Contains(pq.sql, "WITH cand") {
					cand = pq.sql
				}
			}
			if cand == "" {
				t.Fatalf("%v by %s: no page from candidates", statuses, srt)
			}
			if got := strings.Contains(cand, "BETWEEN"); got != idsFollow(srt) {
				t.Errorf("%v by %s: matches bounded by the candidates' row ids: %v, want %v", statuses, srt, got, idsFollow(srt))
			}
		}
	}
}

func TestPageRejectsKeyOfOtherSort(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	apply(t, s, "c", newRecord("R1", "A", "B"), newRecord("R2", "C", "D"))
	rows, _ := s.Page(ctx, Query{Sort: SortComplainant}, nil, 1)
	k := rows[0].Key()
	if _, err := s.Page(ctx, Query{Sort: SortReceived}, &k, 1); err == nil {
		t.Error("a complainant key was accepted for a received sort")
	}
	if _, err := s.Page(ctx, Query{Sort: "bogus"}, nil, 1); err == nil {
		t.Error("unknown sort accepted")
	}
}

func TestSearchIgnoresAccentsAndCase(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	a := newRecord("5275-2026-000001", "Gérard", "Müller")
	a.Facts.Place.Street = "Place de l'Université"
	a.Facts.Description = "Vélo électrique volé près de la gare"
	a.Details = []byte(`{"brand":"Gazelle","frame_number":"GZ123456789","value_eur":450}`)
	b := newRecord("5275-2026-000002", "gerard", "Lefèvre")
	b.Facts.Description = "Tags sur la façade"
	b.Details = []byte(`{"surface":"Mur"}`)
	c := newRecord("5275-2026-000100", "Noémie", "Dubois")
	c.Facts.Description = "Rien à voir"
	c.Details = []byte(`{}`)
	apply(t, s, "c", a, b, c)
	tests := []struct {
		search string
		want   []string
	}{
		{"Gérard", []string{a.Reference, b.Reference}},
		{"gerard", []string{a.Reference, b.Reference}},
		{"GÉRARD", []string{a.Reference, b.Reference}},
		{"gér", []string{a.Reference, b.Reference}},
		{"muller", []string{a.Reference}},
		{"Lefevre", []string{b.Reference}},
		{"universite", []string{a.Reference}},
		{"electr vel", []string{a.Reference}},
		{"gazelle", []string{a.Reference}},
		{"GZ1234", []string{a.Reference}},
		{"450", []string{a.Reference}},
		{"facade", []string{b.Reference}},
		{"5275-2026-0001", []string{c.Reference}},
		{"gerard noemie", nil},
		{`" * ( )`, []string{a.Reference, b.Reference, c.Reference}}, // no word: no filter
		{`" OR *`, nil}, // OR is a word like any other, not an operator
		{`NEAR(gerard) "`, nil},
		{`(gérard)`, []string{a.Reference, b.Reference}},
		{`gérard AND`, nil},
		{"nothing-like-this", nil},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			rows, err := s.Page(ctx, Query{Search: tt.search, Sort: SortReference}, nil, 10)
			if err != nil {
				t.Fatalf("search %q: %v", tt.search, err)
			}
			if got := refs(rows); !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("search %q = %v, want %v", tt.search, got, tt.want)
			}
		})
	}
}

func TestMatchExpr(t *testing.T) {
	tests := map[string]string{
		"":                ``,
		"  ":              ``,
		"gérard":          `"gérard"*`,
		`a"b`:             `"a""b"*`,
		"dupont  marc":    `"dupont"* "marc"*`,
		"- * ( )":         ``,
		"5275-2026-00001": `"5275-2026-00001"*`,
	}
	for in, want := range tests {
		if got := matchExpr(in); got != want {
			t.Errorf("matchExpr(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestCountsAndGet(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	n := newRecord("R1", "A", "Un")
	m := serverApply(t, newRecord("R2", "B", "Deux"), complaint.Action{Type: complaint.ActionClaim}, dupont)
	o := serverApply(t, newRecord("R3", "C", "Trois"), complaint.Action{Type: complaint.ActionClaim}, peeters)
	apply(t, s, "c", n, m, o)
	if _, err := s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
		t.Fatal(err)
	}
	c, err := s.Counts(ctx, dupont.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{ByStatus: map[complaint.Status]int{complaint.StatusClaimed: 3}, All: 3, Mine: 2, Pending: 1, Outbox: 1, Audit: 1}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("counts\n got %+v\nwant %+v", c, want)
	}
	if p, k, err := s.OutboxCounts(ctx); err != nil || p != 1 || k != 0 {
		t.Errorf("OutboxCounts = %d, %d, %v; want 1, 0", p, k, err)
	}
	r, err := s.Get(ctx, "R2")
	if err != nil || r.Reference != "R2" || r.ClaimedBy.ID != dupont.ID {
		t.Errorf("Get = %+v, %v", r.ClaimedBy, err)
	}
}

func TestPurge(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	old := now.Add(-40 * 24 * time.Hour)
	recent := now.Add(-10 * 24 * time.Hour)
	mk := func(ref string, st complaint.Status, at time.Time) complaint.Record {
		r := newRecord(ref, "Purgeable"+ref, "Person")
		r.Status, r.UpdatedAt = st, at
		if st != complaint.StatusNew {
			r.ClaimedBy = &dupont
		}
		return r
	}
	claimedOld := mk("R7", complaint.StatusClaimed, old)
	apply(t, s, "c",
		mk("R1", complaint.StatusHandled, old), mk("R2", complaint.StatusRejected, old), mk("R3", complaint.StatusForwarded, old),
		mk("R4", complaint.StatusHandled, recent), mk("R5", complaint.StatusNew, old), mk("R6", complaint.StatusHandled, old),
		claimedOld)
	// R7 gets a queued action and is handled locally: pending, never purged.
	if _, err := s.Act(ctx, "R7", complaint.Action{Type: complaint.ActionHandle, PVNumber: "NI.55.L5.000007/2026"}, dupont, "fr"); err != nil {
		t.Fatal(err)
	}
	n, err := s.Purge(ctx, DefaultRetention)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("purged %d, want 4 (R1, R2, R3, R6)", n)
	}
	for ref, kept := range map[string]bool{"R1": false, "R2": false, "R3": false, "R6": false, "R4": true, "R5": true, "R7": true} {
		_, err := s.Get(ctx, ref)
		if (err == nil) != kept {
			t.Errorf("%s: kept=%v, want %v", ref, err == nil, kept)
		}
	}
	if rows, _ := s.Page(ctx, Query{Search: "PurgeableR1"}, nil, 5); len(rows) != 0 {
		t.Error("purged complaint still searchable")
	}
	if raw := fileBytes(t, s); strings.Contains(string(raw), "PurgeableR2") || strings.Contains(string(raw), "purgeabler2") {
		t.Error("purged personal data still in the file")
	}
}

// Counts of a search are remembered per filter; any change to the cache,
// by this process or another one writing the same file, is seen at once.
func TestSearchCountsFollowChanges(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g", "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, b, c := newRecord("R1", "Zébulon", "Quatremer"), newRecord("R2", "Zebulon", "Autre"), newRecord("R3", "Anne", "Quatremer")
	apply(t, s, "c1", a, b, c)
	count := func(q Query) int {
		t.Helper()
		n, err := s.Count(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	newTab := Query{Search: "zebul", Statuses: []complaint.Status{complaint.StatusNew}}
	mine := Query{Search: "zebul", Statuses: []complaint.Status{complaint.StatusClaimed}, ClaimedBy: dupont.ID}
	others := Query{Search: "zebul", Statuses: []complaint.Status{complaint.StatusClaimed}, NotClaimedBy: dupont.ID}
	all := Query{Search: "zebul"}
	check := func(step string, wantNew, wantMine, wantOthers, wantAll int) {
		t.Helper()
		if n, m, o, al := count(newTab), count(mine), count(others), count(all); n != wantNew || m != wantMine || o != wantOthers || al != wantAll {
			t.Errorf("%s: new %d mine %d others %d all %d; want %d %d %d %d", step, n, m, o, al, wantNew, wantMine, wantOthers, wantAll)
		}
	}
	check("start", 2, 0, 0, 2)
	if _, err := s.Act(ctx, "R1", complaint.Action{Type: complaint.ActionClaim}, dupont, "en"); err != nil {
		t.Fatal(err)
	}
	check("after a local claim", 1, 1, 0, 2)

	// Another process (another handle on the same file) changes it.
	other, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, other, "c2", serverApply(t, b, complaint.Action{Type: complaint.ActionClaim}, peeters),
		newRecord("R4", "Zebulonne", "Neuve"))
	other.Close()
	check("after another process's pull", 1, 1, 1, 3)
}

func TestOneMunicipality(t *testing.T) {
	ctx := context.Background()
	recs := storetest.Records(20, 3)
	st := openTemp(t)
	if got, err := st.OneMunicipality(ctx); err != nil || got != "" {
		t.Fatalf("empty cache: %q, %v", got, err)
	}
	if err := st.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if got, err := st.OneMunicipality(ctx); err != nil || got != recs[0].Facts.Place.Municipality {
		t.Fatalf("one municipality: %q, %v", got, err)
	}
	other := storetest.Records(1, 99)[0]
	other.Reference = "5275-2026-999999"
	other.Facts.Place.Municipality = "Court-Saint-Étienne"
	if err := st.BulkLoad(ctx, []complaint.Record{other}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.OneMunicipality(ctx); err != nil || got != "" {
		t.Fatalf("two municipalities: %q, %v", got, err)
	}
}

func TestArrivals(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	n, mark, err := st.Arrivals(ctx, 0)
	if err != nil || n != 0 {
		t.Fatalf("empty cache: %d, %v", n, err)
	}
	recs := storetest.Records(30, 4)
	if err := st.BulkLoad(ctx, recs[:20]); err != nil {
		t.Fatal(err)
	}
	newIn := func(rs []complaint.Record) int {
		k := 0
		for _, r := range rs {
			if r.Status == complaint.StatusNew {
				k++
			}
		}
		return k
	}
	if newIn(recs[20:]) == 0 {
		t.Fatal("the fixture has no new complaint to arrive")
	}
	n, mark, err = st.Arrivals(ctx, mark)
	if err != nil || n != newIn(recs[:20]) {
		t.Fatalf("first load: %d new, want %d (%v)", n, newIn(recs[:20]), err)
	}
	// An update of a cached complaint is no arrival; a new one is.
	upd := recs[0]
	upd.Version++
	var items []complaint.FeedItem
	items = append(items, complaint.FeedItem{Reference: upd.Reference, Version: upd.Version, Record: &upd})
	for i := 20; i < 30; i++ {
		items = append(items, complaint.FeedItem{Reference: recs[i].Reference, Version: recs[i].Version, Record: &recs[i]})
	}
	if err := st.ApplyFeedPage(ctx, items, "c2"); err != nil {
		t.Fatal(err)
	}
	n, mark2, err := st.Arrivals(ctx, mark)
	if err != nil || n != newIn(recs[20:]) || mark2 <= mark {
		t.Fatalf("after a page: %d new (want %d), mark %d→%d, %v", n, newIn(recs[20:]), mark, mark2, err)
	}
	if n, _, _ := st.Arrivals(ctx, mark2); n != 0 {
		t.Fatalf("nothing new since the last mark: %d", n)
	}
}

// TestSearchByIdentifiersAndFactsDays: the national number with and
// without separators, the birth date as typed in Belgium, the phone in its
// national form, the holder's name and a range of facts days each find the
// complaint; a range beside its facts does not.
func TestSearchByIdentifiersAndFactsDays(t *testing.T) {
	ctx := context.Background()
	recs := storetest.Records(60, 8)
	st := openTemp(t)
	if err := st.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	r := recs[17]
	nn, err := complaint.ParseNationalNumber(r.Complainant.Identification.NationalNumber)
	if err != nil {
		t.Fatal(err)
	}
	birth, _ := time.Parse("2006-01-02", r.Complainant.BirthDate)
	phone := "0" + strings.TrimPrefix(r.Complainant.Phone, "+32")
	day := r.Facts.StartedAt.In(complaint.Brussels())
	finds := func(q Query) bool {
		t.Helper()
		rows, err := st.Page(ctx, q, nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range rows {
			if x.Reference == r.Reference {
				return true
			}
		}
		return false
	}
	for name, q := range map[string]Query{
		"nn formatted": {Search: nn.String()},
		"nn digits":    {Search: nn.Digits()},
		"birth d/m/y":  {Search: birth.Format("02/01/2006")},
		"birth d.m.y":  {Search: birth.Format("02.01.2006")},
		"birth iso":    {Search: r.Complainant.BirthDate},
		"phone":        {Search: phone},
		"facts day":    {FactsFrom: day, FactsTo: day},
		"facts range":  {FactsFrom: day.AddDate(0, 0, -3), FactsTo: day.AddDate(0, 0, 2)},
		"facts from":   {FactsFrom: day.AddDate(0, 0, -1)},
		"facts to":     {FactsTo: day.AddDate(0, 0, 1), Search: r.Reference},
	} {
		if !finds(q) {
			t.Errorf("%s: %s not found", name, r.Reference)
		}
	}
	if finds(Query{FactsFrom: day.AddDate(0, 0, 3), FactsTo: day.AddDate(0, 0, 9), Search: r.Reference}) {
		t.Errorf("a range after the facts finds %s", r.Reference)
	}
	var held complaint.Record
	for _, x := range recs {
		if x.ClaimedBy != nil {
			held = x
			break
		}
	}
	rows, err := st.Page(ctx, Query{HolderName: strings.ToLower(held.ClaimedBy.Name[:5])}, nil, 200)
	if err != nil || len(rows) == 0 {
		t.Fatalf("holder search: %d rows, %v", len(rows), err)
	}
	for _, x := range rows {
		if !strings.Contains(strings.ToLower(x.ClaimedByName), strings.ToLower(held.ClaimedBy.Name[:5])) {
			t.Errorf("holder search found %s held by %q", x.Reference, x.ClaimedByName)
		}
	}
	if n, err := st.Count(ctx, Query{HolderName: "%"}); err != nil || n != 0 {
		t.Errorf("a %% in a name is a literal: %d, %v", n, err)
	}
}

// TestMigrationReindexesSearch: a cache indexed by an older build (schema
// 5) is reindexed at open, so the new forms find its complaints.
func TestMigrationReindexesSearch(t *testing.T) {
	ctx := context.Background()
	recs := storetest.Records(20, 8)
	path := filepath.Join(t.TempDir(), "guichet", "cache.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	// As an older build left it: the old text only, schema 5.
	if _, err := st.db.ExecContext(ctx, `UPDATE complaints_fts SET body = 'x'`); err != nil {
		t.Fatal(err)
	}
	downgradeTo(t, st, 5)
	st.Close()
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	nn, _ := complaint.ParseNationalNumber(recs[3].Complainant.Identification.NationalNumber)
	rows, err := st.Page(ctx, Query{Search: nn.Digits()}, nil, 5)
	if err != nil || len(rows) != 1 || rows[0].Reference != recs[3].Reference {
		t.Fatalf("after the migration: %v, %v", rows, err)
	}
}

// TestSortByTypeOrder: sorted by a given order of the fact types (the
// labels' order in a language), pages forward and backward, from a key,
// and the rank of each row, all agree with the order computed here.
func TestSortByTypeOrder(t *testing.T) {
	ctx := context.Background()
	recs := storetest.Records(90, 6)
	recs[5].FactType = "zz_newer_type" // a type the order does not list: after the others
	st := openTemp(t)
	if err := st.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	order := []string{"shoplifting", "graffiti", "bicycle_theft", "damage_private_property"}
	for _, desc := range []bool{false, true} {
		q := Query{Sort: SortType, Desc: desc, TypeOrder: order}
		rank := func(ft string) int {
			if i := slices.Index(order, ft); i >= 0 {
				return i
			}
			return len(order)
		}
		want := slices.Clone(recs)
		slices.SortFunc(want, func(a, b complaint.Record) int {
			c := rank(a.FactType) - rank(b.FactType)
			if c == 0 {
				c = strings.Compare(a.FactType, b.FactType)
			}
			if c == 0 {
				c = strings.Compare(a.Reference, b.Reference)
			}
			if desc {
				c = -c
			}
			return c
		})
		var got []Row
		var key *Key
		for {
			rows, err := st.Page(ctx, q, key, 7)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) == 0 {
				break
			}
			got = append(got, rows...)
			k := rows[len(rows)-1].Key()
			key = &k
		}
		if len(got) != len(want) {
			t.Fatalf("desc %v: %d rows, want %d", desc, len(got), len(want))
		}
		for i := range got {
			if got[i].Reference != want[i].Reference {
				t.Fatalf("desc %v: row %d is %s (%s), want %s (%s)", desc, i, got[i].Reference, got[i].FactType, want[i].Reference, want[i].FactType)
			}
		}
		for _, i := range []int{0, 1, 30, 55, 89} {
			n, err := st.Rank(ctx, q, got[i].Key())
			if err != nil || n != i {
				t.Fatalf("desc %v: rank of row %d is %d (%v)", desc, i, n, err)
			}
			before, err := st.PageBefore(ctx, q, ptr(got[i].Key()), 5)
			if err != nil {
				t.Fatal(err)
			}
			for j, r := range before {
				if r.Reference != got[i-len(before)+j].Reference {
					t.Fatalf("desc %v: page before row %d differs at %d", desc, i, j)
				}
			}
			k, err := st.KeyFor(ctx, q, got[i].Reference)
			if err != nil {
				t.Fatal(err)
			}
			from, err := st.PageFrom(ctx, q, k, 3)
			if err != nil || len(from) == 0 || from[0].Reference != got[i].Reference {
				t.Fatalf("desc %v: page from row %d: %v", desc, i, err)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestArrivalsMark: the mark ArrivalsMark reads is the one Arrivals would
// return, on an empty cache and a filled one, and a count from it sees
// only what comes after.
func TestArrivalsMark(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	if mark, err := st.ArrivalsMark(ctx); err != nil || mark != 0 {
		t.Fatalf("empty cache: mark %d, %v", mark, err)
	}
	recs := storetest.Records(30, 4)
	if err := st.BulkLoad(ctx, recs[:20]); err != nil {
		t.Fatal(err)
	}
	mark, err := st.ArrivalsMark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, want, err := st.Arrivals(ctx, 0); err != nil || mark != want {
		t.Fatalf("ArrivalsMark %d, Arrivals' mark %d (%v)", mark, want, err)
	}
	if n, _, err := st.Arrivals(ctx, mark); err != nil || n != 0 {
		t.Fatalf("arrivals since the mark, nothing new: %d, %v", n, err)
	}
}

// TestCountTabReadsStatusCounts: a tab's count without a filter is read
// from status_counts, and equals counting the tab's rows.
func TestCountTabReadsStatusCounts(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	recs := storetest.Records(300, 3)
	if err := s.BulkLoad(ctx, recs); err != nil {
		t.Fatal(err)
	}
	claimFirstNew(t, s, recs) // a local overlay: effective columns differ
	done := []complaint.Status{complaint.StatusHandled, complaint.StatusRejected, complaint.StatusForwarded}
	for _, q := range []Query{
		{},
		{Statuses: []complaint.Status{complaint.StatusNew}},
		{Statuses: done, Sort: SortComplainant, Desc: true},
		{Statuses: []complaint.Status{complaint.StatusClaimed}, ClaimedBy: dupont.ID},
		{Statuses: []complaint.Status{complaint.StatusClaimed}, NotClaimedBy: dupont.ID},
	} {
		w, args := q.where("", false)
		var want int
		if err := s.db.QueryRow(`SELECT count(*) FROM complaints WHERE `+w, args...).Scan(&want); err != nil {
			t.Fatal(err)
		}
		var got int
		trace := traceQueries(t, func() {
			var err error
			if got, err = s.Count(ctx, q); err != nil {
				t.Fatal(err)
			}
		})
		if got != want {
			t.Errorf("Count(%+v) = %d, want %d", q, got, want)
		}
		if len(trace) != 1 || !strings.Contains(trace[0].sql, "FROM status_counts") {
			t.Errorf("Count(%+v) ran %v, want one read of status_counts", q, trace)
		}
	}
}
