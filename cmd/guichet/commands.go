package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"guichet/clip"
	"guichet/complaint"
	"guichet/config"
	"guichet/i18n"
	"guichet/store"
	"guichet/sync"
	"guichet/textsafe"
	"guichet/tui"
)

// pushTimeout bounds the push an action command tries right after queueing:
// the command never hangs on a slow network; the action stays queued.
const pushTimeout = 15 * time.Second

// syncTimeout bounds `guichet sync`.
const syncTimeout = 10 * time.Minute

// failExplained says a failure of the cache or the network in the
// officer's words, with what to do (sync.Explain); the raw error goes to
// the debug log beside the cache.
func (a *app) failExplained(err error) int {
	if store.IsCorrupt(err) {
		return a.fail(a.m().Error, err) // a damaged cache is said so and rebuilt
	}
	a.debug.Error("guichet", err)
	return a.fail(a.m().Error, sync.Explain(err, a.cfg.Lang))
}

// withCache opens the cache, runs fn and closes it.
func (a *app) withCache(fn func(st *store.Store) int) int {
	st, err := a.openCache()
	if err != nil {
		return a.fail(a.m().Error, err)
	}
	a.debug = openDebugLog(st)
	code := fn(st)
	if a.damaged {
		return a.afterDamage(st, fn)
	}
	a.tellWaitingElsewhere(st)
	st.Close()
	return code
}

func cmdSync(a *app, args []string) int {
	fs := newFlagSet("sync")
	quiet := fs.Bool("quiet", false, "")
	from := fs.String("from", "", "another cache whose queued actions to deliver")
	if _, code, ok := a.parse(fs, args); !ok {
		return code
	}
	// A damaged cache is rebuilt and the sync run again on the new one.
	a.rerun = true
	return a.withCache(func(st *store.Store) int {
		// Read the whole cache first (unless it is exactly as guichet
		// last closed it): "synced" is never said of a cache that cannot
		// be read.
		if err := st.CheckIfChanged(a.ctx); err != nil {
			return a.fail(a.m().Error, err)
		}
		eng, err := a.engine(st)
		if err != nil {
			return a.fail(a.m().Error, err)
		}
		if *from != "" {
			// --from: the work of a cache left behind (another address of
			// the portal) is moved here and delivered by this sync.
			if id, err := st.Identity(a.ctx); err == nil && id.OfficerID == "" {
				hctx, cancel := context.WithTimeout(a.ctx, helloTimeout)
				_, err := eng.Hello(hctx)
				cancel()
				if err != nil {
					return a.failExplained(err)
				}
			}
			if err := a.handover(st, *from); err != nil {
				return a.fail(a.m().Error, err)
			}
		}
		before, _ := st.Conflicts(a.ctx)
		ctx, cancel := context.WithTimeout(a.ctx, syncTimeout)
		defer cancel()
		// A long pull (a first sync) shows its progress, unless --quiet.
		progress := newSyncProgress(a, a.cfg.Stdout)
		states, stop := eng.Subscribe()
		shown := make(chan struct{})
		go func() {
			defer close(shown)
			for s := range states {
				if !*quiet {
					progress.show(s)
				}
			}
		}()
		err = eng.SyncOnce(ctx)
		stop()
		<-shown
		progress.end()
		state := eng.State()
		if err != nil {
			if errors.Is(err, sync.ErrAuth) {
				return a.fail(a.m().AuthRefused, sync.AuthReason(err, a.cfg.Lang), state.Pending)
			}
			return a.fail(a.m().SyncFailed, sync.Explain(err, a.cfg.Lang), state.Pending)
		}
		if !*quiet {
			a.say(a.m().Synced, state.Pulled, state.Pending, state.Conflicts)
		}
		after, err := st.Conflicts(a.ctx)
		if err != nil {
			return a.failExplained(err)
		}
		fresh := newConflicts(before, after)
		for _, c := range fresh {
			a.printConflict(c)
		}
		if len(fresh) > 0 {
			return exitConflict
		}
		return exitOK
	})
}

// newConflicts returns the conflicts of after that before did not list.
func newConflicts(before, after []store.Conflict) []store.Conflict {
	var maxID int64
	for _, c := range before {
		maxID = max(maxID, c.ID)
	}
	var out []store.Conflict
	for _, c := range after {
		if c.ID > maxID {
			out = append(out, c)
		}
	}
	return out
}

// parseStatuses reads --status: a comma-separated list of statuses, or
// "done" for handled, rejected and forwarded.
func parseStatuses(s string) ([]complaint.Status, error) {
	if s == "" {
		return nil, nil
	}
	var out []complaint.Status
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(strings.ToLower(part))
		if part == "done" {
			out = append(out, complaint.FinalStatuses()...)
			continue
		}
		known := false
		for _, st := range complaint.Statuses {
			if string(st) == part {
				out, known = append(out, st), true
			}
		}
		if !known {
			return nil, fmt.Errorf("%q", part)
		}
	}
	return out, nil
}

// listPage is how many rows list reads from the cache at a time.
const listPage = 500

func cmdList(a *app, args []string) int {
	fs := newFlagSet("list")
	status := fs.String("status", "", "")
	factType := fs.String("type", "", "")
	search := fs.String("search", "", "")
	asJSON := fs.Bool("json", false, "")
	limit := fs.Int("limit", 0, "")
	if _, code, ok := a.parse(fs, args); !ok {
		return code
	}
	statuses, err := parseStatuses(*status)
	if err != nil {
		return a.usageError(errors.New(a.t(a.m().BadStatus, err.Error())))
	}
	if *limit < 0 {
		return a.usageError(errors.New(a.t(a.m().BadLimit)))
	}
	typeKey, ok := parseFactType(*factType)
	if !ok {
		return a.usageError(errors.New(a.t(a.m().BadType, strings.TrimSpace(*factType), a.factTypeChoices())))
	}
	q := store.Query{Statuses: statuses, FactType: typeKey, Search: strings.TrimSpace(*search)}
	return a.withCache(func(st *store.Store) int {
		var rows []store.Row
		var after *store.Key
		for {
			n := listPage
			if *limit > 0 {
				n = min(n, *limit-len(rows))
			}
			page, err := st.Page(a.ctx, q, after, n)
			if err != nil {
				return a.failExplained(err)
			}
			rows = append(rows, page...)
			if len(page) < n || (*limit > 0 && len(rows) >= *limit) {
				break
			}
			k := page[len(page)-1].Key()
			after = &k
		}
		// A listing shows personal data (names): it is an export for the audit trail.
		if code := a.audit(st, store.AuditExport, "", "", fmt.Sprintf("list %d", len(rows))); code != exitOK {
			return code
		}
		if *asJSON {
			return a.printJSON(listJSON(rows))
		}
		if len(rows) == 0 {
			// An empty cache that never synced says nothing about the queue.
			if last, err := st.LastSync(a.ctx); err == nil && last.IsZero() {
				a.say(a.m().ListNeverSynced)
				return exitOK
			}
			a.say(a.m().ListEmpty)
			return exitOK
		}
		// tabwriter writes cell by cell: one write(2) for the table, not
		// hundreds (750 for 50 rows).
		bw := bufio.NewWriter(a.cfg.Stdout)
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, a.t(a.m().ListHeader))
		for _, r := range rows {
			status := a.statusWord(r.Status)
			if r.Pending {
				status += "*"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				textsafe.Line(r.Reference), r.ReceivedAt.In(brussels()).Format("2006-01-02 15:04"),
				a.factTypeLabel(r.FactType), textsafe.Line(r.Municipality), textsafe.Line(r.Complainant),
				status, textsafe.Line(r.ClaimedByName))
		}
		tw.Flush()
		if err := bw.Flush(); err != nil {
			return a.fail(a.m().Error, err)
		}
		if anyPending(rows) {
			a.say(a.m().ListPendingNote)
		}
		return exitOK
	})
}

// parseFactType reads --type: a catalog key (bicycle_theft) or its label in
// any language (vélo, fiets, Fahrrad, bicycle: three letters or more of
// the label), case and accents ignored. "" is no filter; false when nothing matches or
// several types do.
func parseFactType(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	q := complaint.NormalizePlaceName(s)
	found := ""
	for _, ft := range complaint.Catalog() {
		if strings.EqualFold(ft.Key, s) {
			return ft.Key, true
		}
		for _, lang := range i18n.Languages() {
			if l := complaint.NormalizePlaceName(ft.Label(lang)); len(q) >= 3 && strings.Contains(l, q) {
				if found != "" && found != ft.Key {
					return "", false
				}
				found = ft.Key
			}
		}
	}
	return found, found != ""
}

// factTypeChoices lists the fact types as --type accepts them.
func (a *app) factTypeChoices() string {
	var out []string
	for _, ft := range complaint.Catalog() {
		out = append(out, ft.Key+" ("+textsafe.Line(ft.Label(a.cfg.Lang))+")")
	}
	return strings.Join(out, ", ")
}

// factTypeLabel is a fact type in the officer's language.
func (a *app) factTypeLabel(key string) string {
	if label, ok := complaint.FactTypeLabel(key, a.cfg.Lang); ok {
		return textsafe.Line(label)
	}
	return textsafe.Line(key)
}

func anyPending(rows []store.Row) bool {
	for _, r := range rows {
		if r.Pending {
			return true
		}
	}
	return false
}

// statusWord is a status in the officer's language.
func (a *app) statusWord(s complaint.Status) string {
	if s == "" {
		return "—" // the filing itself has no status before it
	}
	c := i18n.For(a.cfg.Lang)
	if w, ok := c.Complaint.Statuses.Of(string(s)); ok {
		return textsafe.Line(w)
	}
	return textsafe.Line(c.Message("status." + string(s)))
}

// audit records an event of the officer working at this workstation.
func (a *app) audit(st *store.Store, kind, ref, field, detail string) int {
	id, err := st.Identity(a.ctx)
	if err != nil {
		return a.failExplained(err)
	}
	ev := complaint.AuditEvent{Officer: id.OfficerID, Zone: id.Zone, Kind: kind, Reference: ref,
		Field: field, Outcome: store.OutcomeOK, Detail: detail}
	if err := st.Audit(a.ctx, ev); err != nil {
		// Personal data is not shown when its consultation cannot be recorded.
		return a.fail(a.m().AuditFailed, err)
	}
	return exitOK
}

// getRecord reads one complaint from the cache or explains why not.
func (a *app) getRecord(st *store.Store, ref string) (store.Entry, int) {
	e, err := st.GetEntry(a.ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return e, a.fail(a.m().NotFound, ref)
	}
	if err != nil {
		return e, a.failExplained(err)
	}
	return e, exitOK
}

func cmdShow(a *app, args []string) int {
	fs := newFlagSet("show")
	asJSON := fs.Bool("json", false, "")
	pos, code, ok := a.parse(fs, args, "REF")
	if !ok {
		return code
	}
	ref, code, ok := a.reference(pos[0])
	if !ok {
		return code
	}
	return a.withCache(func(st *store.Store) int {
		e, code := a.getRecord(st, ref)
		if code != exitOK {
			return code
		}
		if code := a.audit(st, store.AuditView, ref, "", ""); code != exitOK {
			return code
		}
		if *asJSON {
			return a.printJSON(e.Record)
		}
		a.printRecord(e)
		return exitOK
	})
}

// printRecord prints every field of a complaint as the workstation's detail
// shows it (tui.ComplaintFields), grouped as ISLP asks for them, then its
// history. Multi-line values continue on indented lines.
func (a *app) printRecord(e store.Entry) {
	w := a.cfg.Stdout
	if e.Pending {
		a.say(a.m().ShowPending)
	}
	group := ""
	for _, f := range a.fields(e.Record) {
		if f.Shown == "" {
			continue // the JSON has every field; the text only what was filled in
		}
		if f.Group != group {
			if group != "" {
				fmt.Fprintln(w)
			}
			group = f.Group
			fmt.Fprintln(w, f.GroupLabel)
		}
		lines := strings.Split(f.Shown, "\n")
		fmt.Fprintf(w, "  %s: %s\n", f.Label, strings.ReplaceAll(lines[0], "\t", " "))
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "    %s\n", strings.ReplaceAll(l, "\t", " "))
		}
	}
	if len(e.Record.History) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, a.t(a.m().History))
		for _, h := range e.Record.History {
			// The same line as the workstation's detail view.
			fmt.Fprintf(w, "  %s\n", textsafe.Line(complaint.HistoryLine(h, a.cfg.Lang, brussels(), "  ")))
		}
	}
}

// fields are the fields of r as the workstation's detail lists them, in
// the officer's language, copied as the configuration's copy_format says.
func (a *app) fields(r complaint.Record) []tui.Field {
	cf := a.cfg.Settings.CopyFormat
	return tui.ComplaintFields(r, a.cfg.Lang, tui.CopyFormat{
		DateAsShown:   cf.Date == config.CopyDisplay,
		AmountAsShown: cf.Amount == config.CopyDisplay,
	})
}

// findField finds FIELD among the fields of a complaint: its exact key, or a
// key ending in "."+FIELD ("national_number", "place.street") that is
// unique or has fewer parts than the others.
func findField(fields []tui.Field, name string) (tui.Field, []string) {
	name = strings.TrimSpace(name)
	var matches []tui.Field
	for _, f := range fields {
		if f.Key == name {
			return f, nil
		}
		if strings.HasSuffix(f.Key, "."+name) {
			matches = append(matches, f)
		}
	}
	// "description" names facts.description, not goods[0].description, and
	// "phone" the complainant's, not a witness's: among several matches the
	// one with clearly the fewest parts wins (a list index is a part).
	sort.SliceStable(matches, func(i, j int) bool { return depth(matches[i].Key) < depth(matches[j].Key) })
	if len(matches) == 1 || (len(matches) > 1 && depth(matches[0].Key) < depth(matches[1].Key)) {
		return matches[0], nil
	}
	var keys []string
	if len(matches) > 1 {
		for _, f := range matches {
			keys = append(keys, f.Key)
		}
	} else {
		for _, f := range fields {
			keys = append(keys, f.Key)
		}
	}
	sort.Strings(keys)
	return tui.Field{}, keys
}

func depth(key string) int { return strings.Count(key, ".") + strings.Count(key, "[") }

func cmdCopy(a *app, args []string) int {
	fs := newFlagSet("copy")
	toStdout := fs.Bool("stdout", false, "")
	clearAfter := fs.Duration("clear-after", 0, "")
	pos, code, ok := a.parse(fs, args, "REF", "FIELD")
	if !ok {
		return code
	}
	if !isSet(fs, "clear-after") { // not given: the configuration's clipboard_clear
		*clearAfter = a.cfg.ClearAfter
		if *clearAfter <= 0 {
			*clearAfter = clip.DefaultClearAfter
		}
	}
	ref, code, ok := a.reference(pos[0])
	if !ok {
		return code
	}
	return a.withCache(func(st *store.Store) int {
		e, code := a.getRecord(st, ref)
		if code != exitOK {
			return code
		}
		f, candidates := findField(a.fields(e.Record), pos[1])
		if f.Key == "" {
			a.warn(a.m().UnknownField, pos[1])
			for _, k := range candidates {
				fmt.Fprintln(a.cfg.Stderr, "  "+k)
			}
			return exitUsage
		}
		if f.Copy == "" {
			return a.fail(a.m().FieldEmpty, f.Label)
		}
		if *toStdout {
			if code := a.audit(st, store.AuditCopy, ref, f.Key, "stdout"); code != exitOK {
				return code
			}
			fmt.Fprintln(a.cfg.Stdout, f.Copy)
			return exitOK
		}
		return a.copyToClipboard(st, ref, f, *clearAfter)
	})
}

// copyToClipboard copies one field and, unless clearAfter is 0, stays until
// the delay has passed (or the officer presses Ctrl+C) and then clears the
// clipboard if it still holds the field: a command that exits cannot clear
// anything later.
func (a *app) copyToClipboard(st *store.Store, ref string, f tui.Field, clearAfter time.Duration) int {
	c := clip.New(clip.Options{Out: a.cfg.Terminal, Env: a.cfg.Env, ClearAfter: -1, System: a.cfg.Clipboard})
	res, err := c.Copy(f.Copy)
	if _, none := a.cfg.Terminal.(noTerminal); none && errors.Is(err, clip.ErrNoClipboard) {
		return a.fail(a.m().CopyNoTerminal)
	}
	if err != nil {
		return a.fail(a.m().CopyFailed, err)
	}
	if code := a.audit(st, store.AuditCopy, ref, f.Key, string(res.Method)); code != exitOK {
		c.ClearNow()
		return code
	}
	if res.Method == clip.MethodTmuxBuffer {
		// Not on a clipboard: say so, and what fixes it.
		a.warn(a.m().TmuxBufferOnly, f.Label, clip.BufferName)
		if res.Fix != "" {
			a.warn(a.m().TmuxFix, res.Fix)
		}
	}
	where := res.Method.Name(a.cfg.Lang)
	if clearAfter <= 0 {
		a.say(a.m().CopiedNoClear, f.Label, where)
		return exitOK
	}
	a.say(a.m().Copied, f.Label, where, max(1, int(clearAfter.Round(time.Second)/time.Second)))
	t := time.NewTimer(clearAfter)
	defer t.Stop()
	select {
	case <-t.C:
	case <-a.ctx.Done():
	}
	cleared, err := c.ClearNow()
	switch {
	case err != nil:
		return a.fail(a.m().ClearFailed, err)
	case cleared.Outcome == clip.Cleared:
		a.say(a.m().Cleared)
	case cleared.Outcome == clip.ClearRequested:
		a.say(a.m().ClearRequested)
	case cleared.Outcome == clip.TerminalKept:
		a.say(a.m().ClearTerminalKept, cleared.Fix)
	default:
		a.say(a.m().NotClearedChanged)
	}
	return exitOK
}
