package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet/complaint"
)

// SortKey names a column the queue can be sorted by.
type SortKey string

const (
	SortReceived     SortKey = "received"
	SortReference    SortKey = "reference"
	SortType         SortKey = "type"
	SortMunicipality SortKey = "municipality"
	SortComplainant  SortKey = "complainant" // by last name, then first name, accents ignored
	SortStatus       SortKey = "status"      // in queue order (complaint.Statuses)
)

// SortKeys lists every sort key.
var SortKeys = []SortKey{SortReceived, SortReference, SortType, SortMunicipality, SortComplainant, SortStatus}

// column is the indexed column of a sort key; whether it holds integers.
func (k SortKey) column() (string, bool, error) {
	switch k {
	case SortReceived, "":
		return "received_at", true, nil
	case SortReference:
		return "reference", false, nil
	case SortType:
		return "fact_type", false, nil
	case SortMunicipality:
		return "municipality_key", false, nil
	case SortComplainant:
		return "complainant_key", false, nil
	case SortStatus:
		return "status_rank", true, nil
	}
	return "", false, fmt.Errorf("store: unknown sort key %q", string(k))
}

// Query selects and orders the complaints of a queue view. Zero fields do
// not filter. Rows are ordered by Sort (received when empty), then by
// reference, so the order is total and keyset paging is exact.
type Query struct {
	Statuses       []complaint.Status // any of these (all when empty)
	ClaimedBy      string             // officer ID holding it (effective state)
	NotClaimedBy   string             // not held by this officer ID
	FactType       string
	Search         string // full-text, every word a prefix, accents ignored
	ReceivedAfter  time.Time
	ReceivedBefore time.Time
	// FactsFrom and FactsTo select complaints whose facts took place on
	// one of these calendar days (Brussels), inclusive; zero: open. A range
	// is at most a year from its known end.
	FactsFrom, FactsTo time.Time
	// HolderName selects complaints held (or last held) by an officer
	// whose name contains it, case and accents aside for ASCII letters.
	HolderName  string
	PendingOnly bool // only complaints with queued actions
	// TypeOrder, with Sort SortType, is the order of the fact types (the
	// order of their labels in the officer's language, which is not the
	// keys'); types not listed come after them, by key. Each type's rows
	// are read from its own index range, so paging stays keyset.
	TypeOrder []string
	// ExcludeTypes leaves these fact types out.
	ExcludeTypes []string
	Sort         SortKey
	Desc         bool
}

// Row is one line of the queue: the columns it shows, not the whole record.
// Values are as filed (untrusted): sanitize before display.
type Row struct {
	Reference     string
	ReceivedAt    time.Time
	UpdatedAt     time.Time
	FactType      string
	Municipality  string
	PostalCode    string
	Complainant   string // "First Last"
	Status        complaint.Status
	ClaimedByID   string
	ClaimedByName string
	Pending       bool // actions on it are queued, not yet confirmed by the portal
	Version       int64

	key Key
}

// Key is a position in a queue ordered by one sort key: the row's sort value
// and reference. Get it from Row.Key or KeyFor; it is only valid for queries
// with the same Sort.
type Key struct {
	sort SortKey
	num  int64
	str  string
	ref  string
}

// Key is the position of the row in the query that returned it.
func (r Row) Key() Key { return r.key }

// Reference is the complaint the key points at.
func (k Key) Reference() string { return k.ref }

// normSort makes the empty sort key explicit.
func normSort(k SortKey) SortKey {
	if k == "" {
		return SortReceived
	}
	return k
}

// Page returns up to limit rows of q strictly after key (from the first row
// when after is nil), in q's order. It walks an index from the key: the cost
// does not depend on the position.
func (s *Store) Page(ctx context.Context, q Query, after *Key, limit int) ([]Row, error) {
	return s.page(ctx, q, after, limit, false, false)
}

// PageBefore returns up to limit rows of q strictly before key (the last
// rows when before is nil), in q's order — for scrolling up and for the end
// of the queue (G).
func (s *Store) PageBefore(ctx context.Context, q Query, before *Key, limit int) ([]Row, error) {
	rows, err := s.page(ctx, q, before, limit, true, false)
	if err != nil {
		return nil, err
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows, nil
}

// PageFrom returns up to limit rows of q from key included — to redraw the
// screen from a row after a refresh.
func (s *Store) PageFrom(ctx context.Context, q Query, from Key, limit int) ([]Row, error) {
	return s.page(ctx, q, &from, limit, false, true)
}

// KeyFor returns the position of complaint ref in queues sorted like q (to
// keep the selection when the sort changes). ErrNotFound if not cached.
func (s *Store) KeyFor(ctx context.Context, q Query, ref string) (Key, error) {
	srt := normSort(q.Sort)
	col, isNum, err := srt.column()
	if err != nil {
		return Key{}, err
	}
	k := Key{sort: srt, ref: ref}
	row := s.queryRow(ctx, `SELECT `+col+` FROM complaints WHERE reference = ?`, ref)
	if isNum {
		err = row.Scan(&k.num)
	} else {
		err = row.Scan(&k.str)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrNotFound
	}
	return k, err
}

// Count returns how many complaints q selects.
//
// With a search, the complaints of q's filter (search, type, period,
// pending) are counted once per status and holder, and every query that
// differs only by its tab (statuses and holder) is answered from those
// figures until the cache changes: the workstation counts its five tabs
// for each keystroke, and each count would otherwise match the search and
// join it to the complaints again (measured on 100,000 complaints, a
// search matching all of them: five counts ~200 ms, the grouped one
// ~60 ms, then microseconds).
func (s *Store) Count(ctx context.Context, q Query) (int, error) {
	if !q.filtered() {
		return s.countTab(ctx, q)
	}
	if matchExpr(q.Search) == "" {
		return s.countBefore(ctx, q, nil)
	}
	groups, err := s.searchGroupCounts(ctx, q)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range groups.groups {
		if q.selectsTab(g.status, g.claimedBy) {
			n += g.n
		}
	}
	return n, nil
}

// filtered says whether q selects by more than its tab (statuses and
// holder): a search, a type, a period, a holder's name or pending actions.
func (q Query) filtered() bool {
	return matchExpr(q.Search) != "" || q.FactType != "" || q.HolderName != "" || q.PendingOnly ||
		len(q.ExcludeTypes) > 0 || !q.ReceivedAfter.IsZero() || !q.ReceivedBefore.IsZero() ||
		!q.FactsFrom.IsZero() || !q.FactsTo.IsZero()
}

// countTab counts a tab without a filter from status_counts (kept by
// triggers, a few rows) instead of walking its index ranges: 4.4 ms for
// the 100,000 complaints of the "all" tab, microseconds here.
func (s *Store) countTab(ctx context.Context, q Query) (int, error) {
	rows, err := s.query(ctx, `SELECT status, claimed_by_id, n FROM status_counts WHERE n <> 0`)
	if err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	n := 0
	for rows.Next() {
		var g statusGroup
		if err := rows.Scan(&g.status, &g.claimedBy, &g.n); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: count: %w", err)
		}
		if q.selectsTab(g.status, g.claimedBy) {
			n += g.n
		}
	}
	if err := closeRows(rows); err != nil {
		return 0, fmt.Errorf("store: count: %w", err)
	}
	return n, nil
}

// searchGroups are the complaints of a filter counted per status and holder.
type searchGroups struct {
	version int64
	groups  []statusGroup
}

type statusGroup struct {
	status, claimedBy string
	n                 int
}

// tabless is q without what distinguishes the workstation's tabs.
func (q Query) tabless() Query {
	q.Statuses, q.ClaimedBy, q.NotClaimedBy, q.Sort, q.Desc = nil, "", "", "", false
	return q
}

// selectsTab says whether complaints of this status and holder are in q's
// tab (the rest of q's filter aside).
func (q Query) selectsTab(status, claimedBy string) bool {
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, complaint.Status(status)) {
		return false
	}
	if q.ClaimedBy != "" && claimedBy != q.ClaimedBy {
		return false
	}
	return q.NotClaimedBy == "" || claimedBy != q.NotClaimedBy
}

func (s *Store) searchGroupCounts(ctx context.Context, q Query) (searchGroups, error) {
	f := q.tabless()
	key := fmt.Sprintf("%q|%q|%d|%d|%v|%d|%d|%q", matchExpr(f.Search), f.FactType,
		nanos(f.ReceivedAfter), nanos(f.ReceivedBefore), f.PendingOnly,
		nanos(f.FactsFrom), nanos(f.FactsTo), f.HolderName) + fmt.Sprintf("|%q", f.ExcludeTypes)
	version, err := s.dataVersion(ctx)
	if err != nil {
		return searchGroups{}, fmt.Errorf("store: count: %w", err)
	}
	s.searchMu.Lock()
	g, ok := s.searchCounts[key]
	s.searchMu.Unlock()
	if ok && g.version == version {
		return g, nil
	}
	// A search matching many complaints walks the holder index (no table
	// row read) testing each against the match set; a rare one is driven
	// by its matches.
	hint := ""
	if dense, err := s.isDense(ctx, matchExpr(f.Search)); err != nil {
		return searchGroups{}, err
	} else if dense {
		hint = " INDEXED BY complaints_claimed"
	}
	w, args := f.where("", false)
	rows, err := s.query(ctx, `SELECT status, claimed_by_id, count(*) FROM complaints`+hint+
		` WHERE `+w+` GROUP BY claimed_by_id, status`, args...)
	if err != nil {
		return searchGroups{}, fmt.Errorf("store: count: %w", err)
	}
	g = searchGroups{version: version}
	for rows.Next() {
		var sg statusGroup
		if err := rows.Scan(&sg.status, &sg.claimedBy, &sg.n); err != nil {
			rows.Close()
			return searchGroups{}, err
		}
		g.groups = append(g.groups, sg)
	}
	if err := closeRows(rows); err != nil {
		return searchGroups{}, fmt.Errorf("store: count: %w", err)
	}
	s.searchMu.Lock()
	if len(s.searchCounts) > 64 { // as-you-type makes many; keep it bounded
		clear(s.searchCounts)
	}
	s.searchCounts[key] = g
	s.searchMu.Unlock()
	return g, nil
}

// Rank returns the position (0-based) key has in q: how many rows come
// before it. With Count it places a scroll bar. It counts index entries, so
// its cost grows with the position (about 1 ms per 20,000 rows).
func (s *Store) Rank(ctx context.Context, q Query, key Key) (int, error) {
	return s.countBefore(ctx, q, &key)
}

// where builds the filter of q (without the keyset bound) for one status
// (status "" = q.Statuses as given).
func (q Query) where(status complaint.Status, oneStatus bool) (string, []any) {
	var conds []string
	var args []any
	switch {
	case oneStatus:
		conds = append(conds, "status = "+statusSQL(status))
	case len(q.Statuses) > 0:
		lits := make([]string, len(q.Statuses))
		for i, st := range q.Statuses {
			lits[i] = statusSQL(st)
		}
		conds = append(conds, "status IN ("+strings.Join(lits, ",")+")")
	}
	if q.ClaimedBy != "" {
		conds, args = append(conds, "claimed_by_id = ?"), append(args, q.ClaimedBy)
	}
	if q.NotClaimedBy != "" {
		conds, args = append(conds, "claimed_by_id <> ?"), append(args, q.NotClaimedBy)
	}
	if q.FactType != "" {
		conds, args = append(conds, "fact_type = ?"), append(args, q.FactType)
	}
	if m := matchExpr(q.Search); m != "" {
		conds = append(conds, "id IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?)")
		args = append(args, m)
	}
	if !q.ReceivedAfter.IsZero() {
		conds, args = append(conds, "received_at >= ?"), append(args, q.ReceivedAfter.UTC().UnixNano())
	}
	if !q.ReceivedBefore.IsZero() {
		conds, args = append(conds, "received_at < ?"), append(args, q.ReceivedBefore.UTC().UnixNano())
	}
	if days := factsDaysExpr(q.FactsFrom, q.FactsTo); days != "" {
		conds = append(conds, "id IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?)")
		args = append(args, days)
	}
	if q.HolderName != "" {
		conds = append(conds, "claimed_by_name LIKE ? ESCAPE '\\'")
		args = append(args, "%"+likeEscape(q.HolderName)+"%")
	}
	if len(q.ExcludeTypes) > 0 {
		conds = append(conds, "fact_type NOT IN ("+strings.TrimSuffix(strings.Repeat("?,", len(q.ExcludeTypes)), ",")+")")
		for _, t := range q.ExcludeTypes {
			args = append(args, t)
		}
	}
	if q.PendingOnly {
		conds = append(conds, "pending = 1")
	}
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

// whereFor is where with, for a queue sorted by status with one status,
// that status's rank: the planner does not know a status has one rank,
// and the rank index (status_rank, reference) then reads the status's
// rows in reference order.
func (q Query) whereFor(srt SortKey, status complaint.Status, oneStatus bool) (string, []any) {
	w, args := q.where(status, oneStatus)
	if srt != SortStatus {
		return w, args
	}
	switch {
	case oneStatus:
		return w + " AND status_rank = " + strconv.Itoa(statusRank(status)), args
	case len(q.Statuses) == 1:
		return w + " AND status_rank = " + strconv.Itoa(statusRank(q.Statuses[0])), args
	}
	return w, args
}

// statusSQL is a status as an SQL string literal, and limitSQL a page's
// LIMIT clause. A queue page's statuses and size are written into its SQL,
// not bound: with the planner's sample statistics (sqlite_stat4), SQLite
// compiles a statement a second time at its first step when a value bound
// in its WHERE clause or its LIMIT could change its plan — every page of
// the workstation and every `guichet list` compiled its query twice
// (TestQueuePageCompiledOnce).
func statusSQL(st complaint.Status) string {
	lit, ok := textSQL(string(st))
	if !ok {
		return "NULL" // no status holds a NUL: matches nothing
	}
	return lit
}

func limitSQL(n int) string { return " LIMIT " + strconv.Itoa(n) }

// likeEscape makes s a literal inside a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// bound is the keyset condition "strictly after key" (or before) in the
// direction the rows are read.
func bound(col string, key *Key, isNum, backward, inclusive bool) (string, []any) {
	if key == nil {
		return "", nil
	}
	op := ">"
	if backward {
		op = "<"
	}
	if inclusive {
		op += "="
	}
	// The key is written into the SQL, like the statuses (statusSQL): a
	// bound key made SQLite compile every next page twice. A text SQL
	// cannot hold (a NUL) stays a parameter.
	ref, refOK := textSQL(key.ref)
	v, vOK := textSQL(key.str)
	if isNum {
		v, vOK = strconv.FormatInt(key.num, 10), true
	}
	if col == "reference" {
		if !refOK {
			return " AND reference " + op + " ?", []any{key.ref}
		}
		return " AND reference " + op + " " + ref, nil
	}
	if !refOK || !vOK {
		var arg any = key.str
		if isNum {
			arg = key.num
		}
		return " AND (" + col + ", reference) " + op + " (?, ?)", []any{arg, key.ref}
	}
	return " AND (" + col + ", reference) " + op + " (" + v + ", " + ref + ")", nil
}

// textSQL is s as an SQL string literal; false when s holds a NUL, which
// ends the SQL text SQLite reads.
func textSQL(s string) (string, bool) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", false
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", true
}

// indexHint forces the sort key's index for a search matching many
// complaints. Left alone, SQLite drives a search from the full-text matches
// and sorts them all: best when they are few, slow when they are many.
// Walking the sort index in order and testing each row against the
// (bloom-filtered) match set stops after one page instead, but reads the
// whole index when matches are rare. Measured on 100,000 complaints, first
// page of 50: a term in every complaint 427 ms → 23 ms forced; a term in no
// complaint 0.2 ms free → 28 ms forced. So: forced when the search matches
// at least denseMatches complaints.
//
// Without a search, a queue tab with no other filter reads its sort index
// too (plainHint): the planner, left alone, sometimes preferred another
// index and a sort (TestQueryPlansUseIndexes). Other filters (type,
// period, holder's name, pending) are left to the planner.
func (s *Store) indexHint(ctx context.Context, q Query, srt SortKey, oneStatus bool) (string, error) {
	expr := matchExpr(q.Search)
	if expr == "" {
		return s.usableHint(ctx, q.plainHint(srt, oneStatus))
	}
	dense, err := s.isDense(ctx, expr)
	if err != nil || !dense {
		return "", err
	}
	return s.usableHint(ctx, q.indexHint(srt, oneStatus))
}

// denseMatches is where forcing the sort index starts to pay (about 2% of
// a 100,000-complaint cache; below it, sorting the matches costs < 5 ms).
var denseMatches = 2000 // a variable so tests can force either plan

// veryDenseMatches is where a page is read from candidates (see
// candidatePage): about a fifth of a 100,000-complaint cache. Variables so
// tests can force every plan; candidateFactor is how many more candidates
// than the match density predicts are read.
var (
	veryDenseMatches = 20000
	candidateFactor  = 2.0
)

func (s *Store) isDense(ctx context.Context, expr string) (bool, error) {
	n, err := s.matchCount(ctx, expr)
	return n >= denseMatches, err
}

// matchCount is how many complaints expr matches, counted up to
// max(denseMatches, veryDenseMatches) and remembered per expression (it
// only chooses query plans, so a stale value costs speed, never results).
func (s *Store) matchCount(ctx context.Context, expr string) (int, error) {
	s.denseMu.Lock()
	n, ok := s.dense[expr]
	s.denseMu.Unlock()
	if ok {
		return n, nil
	}
	err := s.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM complaints_fts
		WHERE complaints_fts MATCH ? LIMIT ?)`, expr, max(denseMatches, veryDenseMatches)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: search: %w", err)
	}
	s.denseMu.Lock()
	if len(s.dense) > 256 { // as-you-type makes many; keep it bounded
		clear(s.dense)
	}
	s.dense[expr] = n
	s.denseMu.Unlock()
	return n, nil
}

// candidates is how many rows of the sort index a page of limit rows of a
// search matching expr reads as candidates (0: not worth it, the search is
// not dense enough). With n of total complaints matching, limit×total/n
// candidates hold about limit matches; candidateFactor more makes a miss
// (and the exact plan after it) rare.
func (s *Store) candidates(ctx context.Context, expr string, limit int) (int, error) {
	n, err := s.matchCount(ctx, expr)
	if err != nil || n < veryDenseMatches || n == 0 {
		return 0, err
	}
	return s.candidatesFor(ctx, n, limit)
}

// candidatesFor is how many candidates hold a page of limit rows of a
// search matching n complaints (see candidates).
func (s *Store) candidatesFor(ctx context.Context, n, limit int) (int, error) {
	var total int
	if err := s.queryRow(ctx, `SELECT coalesce(sum(n), 0) FROM status_counts`).Scan(&total); err != nil {
		return 0, fmt.Errorf("store: search: %w", err)
	}
	k := int(float64(limit)*float64(total)/float64(n)*candidateFactor) + 1
	return max(k, limit), nil
}

// candidatePage is the query of a page read from candidates: cand (a
// SELECT of ids with one LIMIT ? for the number of candidates) gives the
// first candidates in the queue's order, the search (MATCH ?) keeps those
// it matches, and the page (bcond, order, LIMIT ?) is read from them.
//
// In an order that follows the row ids (idsFollow), the candidates are a
// short run of ids and the matches are read between the least and the
// greatest of them only, each tested against the candidates. In another
// order they spread over the whole cache, and that bound made the read
// slower, not shorter; there every match is read, each looked up among the
// candidates (CROSS JOIN: an automatic index on them), cheaper than the
// test there. Measured on 100,000 complaints, "ottignies" matching all of
// them, 501 candidates: by name 14.1 ms bounded, 11.5 ms not, 9.7 ms
// joined; by received time 3.7 ms bounded, 10.9 ms not (and a bounded
// join was 4-6 % slower than the bounded test in a page's time).
func candidatePage(cand, col, bcond, order string, ranged bool) string {
	hit := `SELECT f.rowid AS id FROM complaints_fts f CROSS JOIN cand c ON c.id = f.rowid
	WHERE complaints_fts MATCH ?`
	if ranged {
		hit = `SELECT rowid AS id FROM complaints_fts WHERE complaints_fts MATCH ?
	AND rowid BETWEEN (SELECT min(id) FROM cand) AND (SELECT max(id) FROM cand)
	AND +rowid IN (SELECT id FROM cand)`
	}
	return `
WITH cand AS MATERIALIZED (` + cand + `),
hit AS MATERIALIZED (` + hit + `)
SELECT ` + rowCols + col + ` FROM complaints WHERE id IN (SELECT id FROM hit)` + bcond + order + ` LIMIT ?`
}

// idsFollow says whether the order of sort key srt follows the row ids:
// complaints are inserted as they arrive, so their received times and
// references (numbered on arrival) grow with their ids, roughly. It only
// chooses plans: an id out of that order costs speed, never results.
func idsFollow(srt SortKey) bool {
	return srt == SortReceived || srt == SortReference
}

// mergedRanges is one SELECT of cols per status of splits, each reading
// its status's range of the index hint (with bcond), joined by UNION ALL
// so that SQLite merges them in the order the caller adds; args holds
// each arm's arguments in turn.
func (q Query) mergedRanges(srt SortKey, splits []complaint.Status, cols, hint, bcond string, bargs []any) (string, []any) {
	var arms []string
	var args []any
	for _, st := range splits {
		w, wargs := q.whereFor(srt, st, true)
		arms = append(arms, `SELECT `+cols+` FROM complaints`+hint+` WHERE `+w+bcond)
		args = append(append(args, wargs...), bargs...)
	}
	return strings.Join(arms, "\nUNION ALL\n"), args
}

// statusIndex is the index of sort key srt with the status in front: a
// tab of one status reads its range, a tab of several statuses (and the
// queue of every status) merges their ranges in order. A switch, not a
// map: nothing built at every start.
func statusIndex(srt SortKey) (string, bool) {
	switch srt {
	case SortReceived:
		return "complaints_s_received", true
	case SortReference:
		return "complaints_s_reference", true
	case SortType:
		return "complaints_s_type", true
	case SortMunicipality:
		return "complaints_s_municipality", true
	case SortComplainant:
		return "complaints_s_complainant", true
	case SortStatus:
		// With status_rank = ? (whereFor): a status's rows by reference.
		return "complaints_s_reference", true
	}
	return "", false
}

// plainHint is the index a queue tab without a filter reads in its sort
// order ("" for a query with other filters): the sort key's index,
// status first for one status, the holder's index for the officer's own
// claims by received time.
func (q Query) plainHint(srt SortKey, oneStatus bool) string {
	if q.FactType != "" || len(q.ExcludeTypes) > 0 || len(q.TypeOrder) > 0 || q.HolderName != "" || q.PendingOnly ||
		!q.ReceivedAfter.IsZero() || !q.ReceivedBefore.IsZero() || !q.FactsFrom.IsZero() || !q.FactsTo.IsZero() {
		return ""
	}
	one := oneStatus || len(q.Statuses) == 1
	if q.ClaimedBy != "" && one && srt == SortReceived {
		return " INDEXED BY complaints_claimed"
	}
	return q.indexHint(srt, oneStatus)
}

// indexHint is the sort index of a query of one status; of the queue of
// every status sorted by reference, the reference's own index; else "".
func (q Query) indexHint(srt SortKey, oneStatus bool) string {
	if oneStatus || len(q.Statuses) == 1 {
		if name, ok := statusIndex(srt); ok {
			return " INDEXED BY " + name
		}
		return ""
	}
	if len(q.Statuses) == 0 && srt == SortReference {
		return " INDEXED BY sqlite_autoindex_complaints_1"
	}
	return ""
}

// splits are the statuses whose index ranges a query of q reads one by
// one (nil: one query): the statuses of a tab of several, and every
// status for the queue of all of them — except under a search matching
// few complaints, which SQLite drives from its matches.
func (s *Store) splits(ctx context.Context, q Query) ([]complaint.Status, error) {
	if len(q.Statuses) > 0 {
		return q.statusSplits(), nil
	}
	if expr := matchExpr(q.Search); expr != "" {
		if dense, err := s.isDense(ctx, expr); err != nil || !dense {
			return nil, err
		}
	}
	return complaint.Statuses, nil
}

// statusSplits gives the statuses of q when several are asked: each is
// read from its own range of the status-first sort index, and the ranges
// are merged in order in one query (mergedRanges); nil for one status or
// none.
func (q Query) statusSplits() []complaint.Status {
	if len(q.Statuses) > 1 {
		seen := map[complaint.Status]bool{}
		var out []complaint.Status
		for _, st := range q.Statuses {
			if !seen[st] {
				seen[st] = true
				out = append(out, st)
			}
		}
		return out
	}
	return nil
}

const rowCols = `reference, received_at, updated_at, fact_type, municipality, postal_code, complainant,
	status, claimed_by_id, claimed_by_name, pending, version, `

func (s *Store) page(ctx context.Context, q Query, key *Key, limit int, backward, inclusive bool) ([]Row, error) {
	if limit <= 0 {
		return nil, nil
	}
	srt := normSort(q.Sort)
	if srt == SortType && len(q.TypeOrder) > 0 {
		return s.pageTypeOrder(ctx, q, key, limit, backward, inclusive)
	}
	col, isNum, err := srt.column()
	if err != nil {
		return nil, err
	}
	if key != nil && key.sort != srt {
		return nil, fmt.Errorf("store: key made for sort %q used with sort %q", key.sort, srt)
	}
	// Reading backward in a descending queue is reading ascending.
	desc := q.Desc != backward
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	order := " ORDER BY " + col + " " + dir + ", reference " + dir
	if col == "reference" {
		order = " ORDER BY reference " + dir
	}
	bcond, bargs := bound(col, key, isNum, desc, inclusive)
	run := func(status complaint.Status, one bool) ([]Row, error) {
		w, args := q.whereFor(srt, status, one)
		args = append(args, bargs...)
		hint, err := s.indexHint(ctx, q, srt, one)
		if err != nil {
			return nil, err
		}
		if hint != "" && matchExpr(q.Search) != "" {
			// A search matching a large part of the cache: try the page
			// from candidates first.
			k, err := s.candidates(ctx, matchExpr(q.Search), limit)
			if err != nil {
				return nil, err
			}
			if k > 0 {
				nq := q
				nq.Search = ""
				nw, nargs := nq.whereFor(srt, status, one)
				nargs = append(nargs, bargs...)
				nargs = append(nargs, k, matchExpr(q.Search))
				nargs = append(nargs, bargs...)
				nargs = append(nargs, limit)
				rows, err := s.query(ctx, candidatePage(`SELECT id FROM complaints`+hint+` WHERE `+nw+bcond+order+` LIMIT ?`,
					col, bcond, order, idsFollow(srt)), nargs...)
				if err != nil {
					return nil, fmt.Errorf("store: page: %w", err)
				}
				out, err := scanRows(rows, srt, isNum, limit)
				if err != nil || len(out) == limit {
					return out, err
				}
				// Fewer matches among the candidates than a page: the
				// rest may lie beyond them; read the page exactly.
			}
		}
		rows, err := s.query(ctx, `SELECT `+rowCols+col+` FROM complaints`+hint+` WHERE `+w+bcond+order+limitSQL(limit), args...)
		if err != nil {
			return nil, fmt.Errorf("store: page: %w", err)
		}
		return scanRows(rows, srt, isNum, limit)
	}
	splits, err := s.splits(ctx, q)
	if err != nil {
		return nil, err
	}
	if splits == nil {
		return run("", false)
	}
	if expr := matchExpr(q.Search); expr != "" {
		dense, err := s.isDense(ctx, expr)
		if err != nil {
			return nil, err
		}
		if dense {
			// Several statuses (or all) under a search matching many:
			// from candidates when it matches a large part of the cache,
			// else (or when they hold less than a page) one walk of the
			// merged index ranges against the match set.
			rows, ok, err := s.searchPageFromCandidates(ctx, q, splits, srt, col, isNum, order, bcond, bargs, limit)
			if err != nil || ok {
				return rows, err
			}
			return s.searchPageMerged(ctx, q, splits, srt, col, isNum, order, bcond, bargs, limit)
		}
	}
	if matchExpr(q.Search) == "" {
		// One query: each status's rows read in order from its own
		// status-first index range, merged by SQLite (MERGE (UNION ALL),
		// no sort) and stopped at limit, so about limit rows are read in
		// all, not limit per status.
		hint, err := s.indexHint(ctx, q, srt, true)
		if err != nil {
			return nil, err
		}
		merged, args := q.mergedRanges(srt, splits, rowCols+col, hint, bcond, bargs)
		rows, err := s.query(ctx, merged+order+limitSQL(limit), args...)
		if err != nil {
			return nil, fmt.Errorf("store: page: %w", err)
		}
		return scanRows(rows, srt, isNum, limit)
	}
	// A search matching few complaints over several statuses: one query
	// driven by the matches (status IN), which sorts them.
	return run("", false)
}

// searchPageFromCandidates reads a page of several statuses (splits: those
// of a tab, or every status) under a search matching many complaints: the
// first candidates in the queue's order, merged from each status's index
// range (the index alone), those among them the search matches, then the
// page. The candidates are as many as should hold the page given how many
// complaints match (see candidates); ok is false when they hold less than
// a page (the caller then reads it exactly, searchPageMerged), would be too
// many, or are not worth reading (see below).
func (s *Store) searchPageFromCandidates(ctx context.Context, q Query, splits []complaint.Status, srt SortKey, col string,
	isNum bool, order, bcond string, bargs []any, limit int) ([]Row, bool, error) {
	expr := matchExpr(q.Search)
	n, err := s.matchCount(ctx, expr)
	// Below veryDenseMatches, candidates are read only in an order that
	// follows the row ids: their matches are then read from a short run
	// of the index, and they are spread evenly enough to hold a page
	// (otherwise, "gerard" matching 8,482 of 100,000 by name: 3.3 ms for
	// 28 matches among 1,179 candidates, before the exact plan).
	if err != nil || n == 0 || (n < veryDenseMatches && !idsFollow(srt)) {
		return nil, false, err
	}
	k, err := s.candidatesFor(ctx, n, limit)
	if err != nil || k > maxCandidates {
		return nil, false, err
	}
	hint, err := s.usableHint(ctx, q.indexHint(srt, true))
	if err != nil {
		return nil, false, err
	}
	nq := q
	nq.Search = ""
	merged, args := nq.mergedRanges(srt, splits, `id, `+col+`, reference`, hint, bcond, bargs)
	args = append(args, k, expr)
	args = append(args, bargs...)
	args = append(args, limit)
	rows, err := s.query(ctx, candidatePage(`SELECT id FROM (`+merged+order+` LIMIT ?)`, col, bcond, order, idsFollow(srt)), args...)
	if err != nil {
		return nil, false, fmt.Errorf("store: page: %w", err)
	}
	out, err := scanRows(rows, srt, isNum, limit)
	if err != nil {
		return nil, false, err
	}
	return out, len(out) == limit, nil
}

// searchPageMerged reads a page of several statuses (splits) under a search
// matching many complaints, exactly: each status's range of the sort index
// (the index alone, from bcond), merged in the queue's order, is tested
// against the search's matches until a page is found, then the page's rows
// are read. The matches are gathered once for the page: a query per status
// (the search in each, its rows sorted in Go) gathered them once per status
// (measured on 100,000 complaints, "gerard" matching 8,482, first page
// sorted by name: 14 ms in five queries, 2.5 ms in this one).
func (s *Store) searchPageMerged(ctx context.Context, q Query, splits []complaint.Status, srt SortKey, col string,
	isNum bool, order, bcond string, bargs []any, limit int) ([]Row, error) {
	hint, err := s.usableHint(ctx, q.indexHint(srt, true))
	if err != nil {
		return nil, err
	}
	cols := `id, ` + col + `, reference`
	if col == "reference" {
		cols = `id, reference`
	}
	nq := q
	nq.Search = ""
	merged, args := nq.mergedRanges(srt, splits, cols, hint, bcond, bargs)
	args = append(args, matchExpr(q.Search))
	// LIMIT -1 keeps the match test out of the merged arms (SQLite would
	// push it into each, gathering the matches once per status, and
	// sort): the merge stays in order and the test runs on its output.
	rows, err := s.query(ctx, `SELECT `+rowCols+col+` FROM complaints WHERE id IN (
	SELECT id FROM (`+merged+order+` LIMIT -1)
	WHERE id IN (SELECT rowid FROM complaints_fts WHERE complaints_fts MATCH ?)`+order+limitSQL(limit)+`)`+
		order+limitSQL(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("store: page: %w", err)
	}
	return scanRows(rows, srt, isNum, limit)
}

// maxCandidates bounds the candidates of searchPageFromCandidates (beyond
// it the page is read exactly, by searchPageMerged).
const maxCandidates = 20000

// scanRows reads queue rows (rowCols and the sort column) and closes rows;
// limit (the query's) sizes the result. Every row is scanned into one
// Row whose fields the destinations point at, then copied: a Row and its
// destinations per row, and the result grown by doubling, were half of
// what a `guichet list` allocated after its start.
func scanRows(rows *sql.Rows, srt SortKey, isNum bool, limit int) ([]Row, error) {
	defer rows.Close()
	out := make([]Row, 0, min(max(limit, 0), maxScanPrealloc))
	var (
		r         Row
		recv, upd int64
		st        string
		pending   int
		num       int64
		str       string
		sortDest  any = &str
	)
	if isNum {
		sortDest = &num
	}
	dst := []any{&r.Reference, &recv, &upd, &r.FactType, &r.Municipality, &r.PostalCode,
		&r.Complainant, &st, &r.ClaimedByID, &r.ClaimedByName, &pending, &r.Version, sortDest}
	for rows.Next() {
		r = Row{}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		r.key = Key{sort: srt, num: num, str: str, ref: r.Reference}
		r.ReceivedAt, r.UpdatedAt = fromNanos(recv), fromNanos(upd)
		r.Status, r.Pending = complaint.Status(st), pending != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// maxScanPrealloc bounds the rows scanRows reserves room for up front.
const maxScanPrealloc = 512

func (s *Store) countBefore(ctx context.Context, q Query, key *Key) (int, error) {
	srt := normSort(q.Sort)
	if srt == SortType && len(q.TypeOrder) > 0 && key != nil {
		return s.rankTypeOrder(ctx, q, *key)
	}
	col, isNum, err := srt.column()
	if err != nil {
		return 0, err
	}
	if key != nil && key.sort != srt {
		return 0, fmt.Errorf("store: key made for sort %q used with sort %q", key.sort, srt)
	}
	bcond, bargs := bound(col, key, isNum, !q.Desc, false)
	count := func(status complaint.Status, one bool) (int, error) {
		w, args := q.whereFor(srt, status, one)
		var n int
		hint, err := s.indexHint(ctx, q, srt, one)
		if err != nil {
			return 0, err
		}
		err = s.queryRow(ctx, `SELECT count(*) FROM complaints`+hint+` WHERE `+w+bcond, append(args, bargs...)...).Scan(&n)
		return n, err
	}
	splits, err := s.splits(ctx, q)
	if err != nil {
		return 0, err
	}
	if splits == nil {
		return count("", false)
	}
	total := 0
	for _, st := range splits {
		n, err := count(st, true)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// Counts are the numbers the workstation shows in its tabs and status bar.
type Counts struct {
	ByStatus  map[complaint.Status]int
	All       int
	Mine      int // claimed by the officer asked about (effective state)
	Pending   int // complaints with queued actions
	Outbox    int // queued actions
	Conflicts int // refused actions not yet dismissed
	// Audit counts the audit events not yet acknowledged by the portal:
	// those of the audit table and those of the audit journal not yet
	// taken into it (a consultation's event is written there first).
	Audit int
}

// Counts counts the cache per status and the rest of Counts; me is the
// officer ID for Mine. The per-status figures come from status_counts (kept
// by triggers, a few rows); Pending reads the partial index of pending
// complaints; the other tables are small.
func (s *Store) Counts(ctx context.Context, me string) (Counts, error) {
	c := Counts{ByStatus: map[complaint.Status]int{}}
	// The journal before the snapshot (see countJournal).
	journal, err := s.journalEvents()
	if err != nil {
		return c, err
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one snapshot for every figure
	if err != nil {
		return c, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT status, claimed_by_id, n FROM status_counts WHERE n <> 0`)
	if err != nil {
		return c, err
	}
	for rows.Next() {
		var st, by string
		var n int
		if err := rows.Scan(&st, &by, &n); err != nil {
			rows.Close()
			return c, err
		}
		c.ByStatus[complaint.Status(st)] += n
		c.All += n
		if me != "" && by == me && st == string(complaint.StatusClaimed) {
			c.Mine += n
		}
	}
	if err := closeRows(rows); err != nil {
		return c, err
	}
	for st, n := range c.ByStatus {
		if n == 0 {
			delete(c.ByStatus, st)
		}
	}
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM complaints WHERE pending = 1),
		(SELECT count(*) FROM outbox),
		(SELECT count(*) FROM conflicts),
		(SELECT count(*) FROM audit)`).Scan(&c.Pending, &c.Outbox, &c.Conflicts, &c.Audit)
	if err != nil {
		return c, err
	}
	n, err := countJournal(ctx, tx, journal)
	c.Audit += n
	return c, err
}

// Get returns the complaint as the officer sees it: the local state while
// actions are queued, else the portal's. ErrNotFound if not cached.
func (s *Store) Get(ctx context.Context, ref string) (complaint.Record, error) {
	e, err := s.GetEntry(ctx, ref)
	return e.Record, err
}

// Entry is a cached complaint with both its states.
type Entry struct {
	Record  complaint.Record // effective: Server with the queued actions applied
	Server  complaint.Record // as the portal last sent it
	Pending bool             // actions on it are queued
}

// GetEntry returns a cached complaint with its server and local states.
func (s *Store) GetEntry(ctx context.Context, ref string) (Entry, error) {
	_, server, local, err := loadEntry(ctx, s.db, ref)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Record: server, Server: server}
	if local != nil {
		e.Record, e.Pending = *local, true
	}
	return e, nil
}

// OneMunicipality returns the municipality of the facts when every cached
// complaint has the same one (accents and case aside), else "" — then the
// workstation leaves the column out and gives its room to others. Two index
// lookups.
func (s *Store) OneMunicipality(ctx context.Context) (string, error) {
	// The least and greatest municipality of each status (seeks at both
	// ends of its range of complaints_s_municipality), then of them all.
	var arms []string
	var args []any
	for _, st := range complaint.Statuses {
		arms = append(arms, `SELECT
			(SELECT municipality_key FROM complaints WHERE status = ? ORDER BY municipality_key ASC LIMIT 1),
			(SELECT municipality FROM complaints WHERE status = ? ORDER BY municipality_key ASC LIMIT 1),
			(SELECT municipality_key FROM complaints WHERE status = ? ORDER BY municipality_key DESC LIMIT 1)`)
		args = append(args, string(st), string(st), string(st))
	}
	rows, err := s.query(ctx, strings.Join(arms, " UNION ALL "), args...)
	if err != nil {
		return "", fmt.Errorf("store: municipalities: %w", err)
	}
	var first, last, name string
	found := false
	for rows.Next() {
		var lo, nm, hi sql.NullString
		if err := rows.Scan(&lo, &nm, &hi); err != nil {
			rows.Close()
			return "", fmt.Errorf("store: municipalities: %w", err)
		}
		if !lo.Valid {
			continue // no complaint of this status
		}
		if !found || lo.String < first {
			first, name = lo.String, nm.String
		}
		if !found || hi.String > last {
			last = hi.String
		}
		found = true
	}
	if err := closeRows(rows); err != nil {
		return "", fmt.Errorf("store: municipalities: %w", err)
	}
	if first != last {
		return "", nil
	}
	return name, nil
}

// Arrivals counts the complaints in status new that entered the cache after
// mark (0: since it was created), and returns the mark to ask from next
// time. A mark is the highest row id: rows are numbered in the order they
// are inserted, so a feed page that brings a complaint the cache did not
// hold gives it a higher id; an updated complaint keeps its id. (SQLite
// reuses the highest id only when that row was deleted before the next
// insert: such an arrival is not counted, it is still in the queue.)
func (s *Store) Arrivals(ctx context.Context, mark int64) (n int, next int64, err error) {
	err = s.queryRow(ctx, `SELECT
		(SELECT count(*) FROM complaints WHERE id > ? AND status = 'new'),
		coalesce((SELECT max(id) FROM complaints), 0)`, mark).Scan(&n, &next)
	if err != nil {
		return 0, mark, fmt.Errorf("store: arrivals: %w", err)
	}
	return n, max(next, mark), nil
}

// ArrivalsMark is the cache's arrivals mark now: where the next Arrivals
// count starts. It reads the highest row id only, where Arrivals(ctx, 0)
// also counts every new complaint of the cache (the workstation takes its
// mark at start, beside its first page).
func (s *Store) ArrivalsMark(ctx context.Context) (int64, error) {
	var mark int64
	if err := s.queryRow(ctx, `SELECT coalesce(max(id), 0) FROM complaints`).Scan(&mark); err != nil {
		return 0, fmt.Errorf("store: arrivals mark: %w", err)
	}
	return mark, nil
}

// otherTypes names the group of the fact types TypeOrder does not list.
const otherTypes = "\x00others"

// typeGroups are q's fact-type groups in reading order.
func (q Query) typeGroups(backward bool) []string {
	seq := append(slices.Clone(q.TypeOrder), otherTypes)
	if q.Desc != backward {
		slices.Reverse(seq)
	}
	return seq
}

// groupQuery is q restricted to one group, sorted within it (by reference
// in a listed type, by type then reference among the others).
func (q Query) groupQuery(g string) (Query, bool) {
	nq := q
	nq.TypeOrder = nil
	if g == otherTypes {
		nq.ExcludeTypes, nq.Sort = q.TypeOrder, SortType
		return nq, q.FactType == "" || !slices.Contains(q.TypeOrder, q.FactType)
	}
	if q.FactType != "" && q.FactType != g {
		return nq, false
	}
	nq.FactType, nq.Sort = g, SortReference
	return nq, true
}

func (q Query) groupOf(factType string) string {
	if slices.Contains(q.TypeOrder, factType) {
		return factType
	}
	return otherTypes
}

// groupKey is key as a position inside its group's query.
func groupKey(g string, key Key) *Key {
	if g == otherTypes {
		return &key
	}
	return &Key{sort: SortReference, ref: key.ref}
}

// pageTypeOrder reads a page sorted by TypeOrder: the key's group from the
// key, then the next groups from their first row.
func (s *Store) pageTypeOrder(ctx context.Context, q Query, key *Key, limit int, backward, inclusive bool) ([]Row, error) {
	if key != nil && key.sort != SortType {
		return nil, fmt.Errorf("store: key made for sort %q used with sort %q", key.sort, SortType)
	}
	seq := q.typeGroups(backward)
	start := 0
	if key != nil {
		start = slices.Index(seq, q.groupOf(key.str))
	}
	var out []Row
	for i := start; i < len(seq) && len(out) < limit; i++ {
		nq, ok := q.groupQuery(seq[i])
		if !ok {
			continue
		}
		var k *Key
		incl := false
		if key != nil && i == start {
			k, incl = groupKey(seq[i], *key), inclusive
		}
		rows, err := s.page(ctx, nq, k, limit-len(out), backward, incl)
		if err != nil {
			return nil, err
		}
		for j := range rows {
			rows[j].key = Key{sort: SortType, str: rows[j].FactType, ref: rows[j].Reference}
		}
		out = append(out, rows...)
	}
	return out, nil
}

// rankTypeOrder counts the rows before key in q sorted by TypeOrder.
func (s *Store) rankTypeOrder(ctx context.Context, q Query, key Key) (int, error) {
	seq := q.typeGroups(false)
	at := slices.Index(seq, q.groupOf(key.str))
	n := 0
	for i := 0; i < at; i++ {
		nq, ok := q.groupQuery(seq[i])
		if !ok {
			continue
		}
		c, err := s.Count(ctx, nq)
		if err != nil {
			return 0, err
		}
		n += c
	}
	nq, _ := q.groupQuery(seq[at])
	c, err := s.countBefore(ctx, nq, groupKey(seq[at], key))
	return n + c, err
}

// Forward is a complaint this workstation forwarded to another zone: what
// the officer sees of it once the portal's tombstone removed it.
type Forward struct {
	Reference    string
	ToZone       string
	OfficerID    string
	FactType     string
	Municipality string
	ReceivedAt   time.Time
	ForwardedAt  time.Time
	Confirmed    bool // the portal accepted the forward
}

// ForwardsBy lists the forwards of an officer since a time, newest first
// (at most limit).
func (s *Store) ForwardsBy(ctx context.Context, officerID string, since time.Time, limit int) ([]Forward, error) {
	rows, err := s.query(ctx, `SELECT reference, to_zone, officer_id, fact_type, municipality,
		received_at, forwarded_at, confirmed FROM forwards WHERE officer_id = ? AND forwarded_at >= ?
		ORDER BY forwarded_at DESC, reference DESC LIMIT ?`, officerID, nanos(since), limit)
	if err != nil {
		return nil, fmt.Errorf("store: forwards: %w", err)
	}
	defer rows.Close()
	var out []Forward
	for rows.Next() {
		var f Forward
		var recv, at int64
		var ok int
		if err := rows.Scan(&f.Reference, &f.ToZone, &f.OfficerID, &f.FactType, &f.Municipality, &recv, &at, &ok); err != nil {
			return nil, err
		}
		f.ReceivedAt, f.ForwardedAt, f.Confirmed = fromNanos(recv), fromNanos(at), ok != 0
		out = append(out, f)
	}
	return out, rows.Err()
}

// traceQuery, when set (tests only), is called with every query of the
// queue, counts and statistics before it runs: the test of query plans
// explains each (query_plan_test.go).
var traceQuery func(query string, args []any)

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if traceQuery != nil {
		traceQuery(query, args)
	}
	return s.db.QueryContext(ctx, query, args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if traceQuery != nil {
		traceQuery(query, args)
	}
	return s.db.QueryRowContext(ctx, query, args...)
}
