package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store"
	"guichet/sync"
	"guichet/textsafe"
)

// actionCommand is the subcommand of an action of complaint's action table
// (guichet forward REF --zone Z --reason R): one flag per input of the
// action (complaint.Input.Flag).
func actionCommand(spec complaint.ActionSpec) func(*app, []string) int {
	return func(a *app, args []string) int {
		values := map[complaint.Input]*string{}
		return a.action(spec.Command, args, func(fs *flag.FlagSet) {
			for _, in := range spec.Inputs {
				values[in.Input] = fs.String(in.Input.Flag(), "", "")
			}
		}, func() complaint.Action {
			act := complaint.Action{Type: spec.Type}
			for in, v := range values {
				switch in {
				case complaint.InputPV:
					act.PVNumber = *v
				case complaint.InputReason:
					act.Reason = *v
				case complaint.InputZone:
					act.ToZone = *v
				}
			}
			return act
		})
	}
}

// actionSpecOfCommand is the action whose subcommand is name.
func actionSpecOfCommand(name string) (complaint.ActionSpec, bool) {
	for _, s := range complaint.Actions {
		if s.Command == name {
			return s, true
		}
	}
	return complaint.ActionSpec{}, false
}

// action runs one officer action: checked and queued in the cache (works
// offline), then pushed at once when the portal answers.
//
// Exit codes: 0 queued or confirmed; 2 the action is malformed (bad PV
// number, missing reason or zone); 3 the status rules refuse it, locally or
// on the portal (a conflict, kept for `guichet conflicts`); 1 anything else.
func (a *app) action(name string, args []string, flags func(*flag.FlagSet), build func() complaint.Action) int {
	fs := newFlagSet(name)
	if flags != nil {
		flags(fs)
	}
	asJSON := fs.Bool("json", false, "")
	pos, code, ok := a.parse(fs, args, "REF")
	if !ok {
		return code
	}
	ref, code, ok := a.reference(pos[0])
	if !ok {
		return code
	}
	act := build()
	spec, _ := complaint.ActionSpecOf(act.Type)
	if _, takesZone := spec.Input(complaint.InputZone); takesZone {
		if z := strings.TrimSpace(act.ToZone); z != "" {
			if _, known := complaint.DefaultRouter().Zone(z); !known {
				return a.usageError(errors.New(a.t(a.m().UnknownZone, z)))
			}
		}
	}
	// out reports the outcome: a sentence, or with --json one object.
	out := func(res actionResult, code int, key i18n.Fmt, args ...any) int {
		if *asJSON {
			res.Reference, res.Action = ref, act.Type
			if key != "" {
				res.Message = a.t(key, args...)
			}
			a.printJSON(res)
			return code
		}
		if key != "" {
			if code == exitOK {
				a.say(key, args...)
			} else {
				a.warn(key, args...)
			}
		}
		return code
	}
	return a.withCache(func(st *store.Store) int {
		eng, engErr := a.engine(st)
		by, _, err := a.officer(st)
		if err != nil && eng != nil {
			// A cache that never met the portal: learn who we are first.
			ctx, cancel := context.WithTimeout(a.ctx, helloTimeout)
			_, herr := eng.Hello(ctx)
			cancel()
			if herr != nil {
				return a.fail(a.m().FirstSyncNeedsPortal, sync.Explain(herr, a.cfg.Lang))
			}
			by, _, err = a.officer(st)
		}
		if err != nil {
			return a.fail(a.m().Error, err)
		}
		before, err := st.Conflicts(a.ctx)
		if err != nil {
			return a.failExplained(err)
		}
		checked, _ := act.CheckAt(a.cfg.Lang, time.Now())
		if _, err := st.Act(a.ctx, ref, act, by, a.cfg.Lang); err != nil {
			if *asJSON {
				return a.actErrorJSON(ref, act, err)
			}
			code, _ := a.actError(ref, err)
			return code
		}
		act = checked
		if eng == nil {
			out(actionResult{Outcome: "queued"}, exitOK, a.m().Queued, ref, name)
			if !*asJSON {
				a.warn(a.m().QueuedNoPortal, engErr)
			}
			return exitOK
		}
		ctx, cancel := context.WithTimeout(a.ctx, pushTimeout)
		defer cancel()
		syncErr := eng.SyncOnce(ctx)
		after, err := st.Conflicts(a.ctx)
		if err != nil {
			return a.failExplained(err)
		}
		for _, c := range newConflicts(before, after) {
			if c.Reference == ref {
				if *asJSON {
					row := conflictsJSON([]store.Conflict{c})[0]
					return out(actionResult{Outcome: "conflict", Conflict: &row}, exitConflict, "")
				}
				a.printConflict(c)
				return exitConflict
			}
		}
		e, err := st.GetEntry(a.ctx, ref)
		gone := spec.Moves && errors.Is(err, store.ErrNotFound) // moved away: the tombstone removed it
		if err != nil && !gone {
			return a.failExplained(err)
		}
		if gone || !e.Pending {
			status := spec.To
			res := actionResult{Outcome: "confirmed", Status: status}
			if !gone {
				status = e.Record.Status
				rec := e.Record
				res.Status, res.Record = status, &rec
			}
			return out(res, exitOK, a.m().Confirmed, ref, a.statusWord(status))
		}
		rec := e.Record
		res := actionResult{Outcome: "queued", Status: rec.Status, Record: &rec}
		switch {
		case errors.Is(syncErr, sync.ErrAuth):
			res.Problem = sync.Explain(syncErr, a.cfg.Lang)
			out(res, exitFailure, a.m().Queued, ref, name)
			if *asJSON {
				return exitFailure
			}
			return a.fail(a.m().AuthRefused, sync.AuthReason(syncErr, a.cfg.Lang), eng.State().Pending)
		case syncErr != nil:
			res.Problem = sync.Explain(syncErr, a.cfg.Lang)
			out(res, exitOK, a.m().Queued, ref, name)
			if !*asJSON {
				a.warn(a.m().QueuedOffline, res.Problem)
			}
			return exitOK
		}
		return out(res, exitOK, a.m().Queued, ref, name)
	})
}

// actErrorJSON prints a local refusal of store.Act as the --json result.
func (a *app) actErrorJSON(ref string, act complaint.Action, err error) int {
	res := actionResult{Reference: ref, Action: act.Type, Outcome: "refused"}
	var ferrs complaint.FieldErrors
	var conflict *complaint.ConflictError
	code := exitFailure
	switch {
	case errors.As(err, &ferrs):
		res.Fields = ferrs.Map()
		res.Message = ferrs[0].Message
		code = exitUsage
	case errors.As(err, &conflict):
		res.Code = conflict.Code
		res.Message = i18n.For(a.cfg.Lang).Message(conflict.Code)
		res.Status = conflict.Status
		code = exitConflict
	case errors.Is(err, store.ErrNotFound):
		res.Outcome, res.Message = "not_found", a.t(a.m().NotFound, ref)
	default:
		res.Outcome, res.Message = "error", a.t(a.m().Error, err)
	}
	a.printJSON(res)
	return code
}

// actError explains a local refusal of store.Act; done is false when err is nil.
func (a *app) actError(ref string, err error) (int, bool) {
	if err == nil {
		return exitOK, false
	}
	var ferrs complaint.FieldErrors
	var conflict *complaint.ConflictError
	switch {
	case errors.As(err, &ferrs):
		for _, f := range ferrs {
			a.warn(a.m().FieldError, f.Path, f.Message)
		}
		return exitUsage, true
	case errors.As(err, &conflict):
		holder := ""
		if conflict.Holder != nil {
			holder = conflict.Holder.Name
		}
		if holder != "" && conflict.Code == complaint.ConflictClaimedByOther {
			a.warn(a.m().RefusedHeld, ref, i18n.For(a.cfg.Lang).Message(conflict.Code), holder)
		} else {
			a.warn(a.m().Refused, ref, i18n.For(a.cfg.Lang).Message(conflict.Code))
		}
		return exitConflict, true
	case errors.Is(err, store.ErrNotFound):
		return a.fail(a.m().NotFound, ref), true
	}
	return a.failExplained(err), true
}

// printConflict tells what was refused, why and when.
func (a *app) printConflict(c store.Conflict) {
	detail := string(c.Action.Type)
	switch {
	case c.Action.PVNumber != "":
		detail += " " + c.Action.PVNumber
	case c.Action.ToZone != "":
		detail += " → " + c.Action.ToZone
	}
	a.warn(a.m().ConflictLine, c.Reference, detail, c.Message, c.QueuedAt.In(brussels()).Format("2006-01-02 15:04"),
		c.At.In(brussels()).Format("2006-01-02 15:04"))
	if c.HolderName != "" {
		a.warn(a.m().ConflictHolder, c.HolderName)
	}
}

func cmdConflicts(a *app, args []string) int {
	fs := newFlagSet("conflicts")
	asJSON := fs.Bool("json", false, "")
	if _, code, ok := a.parse(fs, args); !ok {
		return code
	}
	return a.withCache(func(st *store.Store) int {
		cs, err := st.Conflicts(a.ctx)
		if err != nil {
			return a.failExplained(err)
		}
		if *asJSON {
			return a.printJSON(conflictsJSON(cs))
		}
		if len(cs) == 0 {
			a.say(a.m().NoConflicts)
			return exitOK
		}
		for _, c := range cs {
			detail := string(c.Action.Type)
			if c.Action.PVNumber != "" {
				detail += " " + c.Action.PVNumber
			}
			if c.Action.ToZone != "" {
				detail += " → " + c.Action.ToZone
			}
			fmt.Fprintln(a.cfg.Stdout, a.t(a.m().ConflictLine, c.Reference, detail, c.Message,
				c.QueuedAt.In(brussels()).Format("2006-01-02 15:04"), c.At.In(brussels()).Format("2006-01-02 15:04")))
			if c.HolderName != "" {
				fmt.Fprintln(a.cfg.Stdout, a.t(a.m().ConflictHolder, textsafe.Line(c.HolderName)))
			}
		}
		return exitOK
	})
}

func cmdPurge(a *app, args []string) int {
	fs := newFlagSet("purge")
	days := fs.Int("days", 0, "")
	if _, code, ok := a.parse(fs, args); !ok {
		return code
	}
	if !isSet(fs, "days") { // not given: the configuration's retention_days
		*days = a.cfg.RetentionDays
		if *days <= 0 {
			*days = int(store.DefaultRetention / (24 * time.Hour))
		}
	}
	if *days < 0 {
		return a.usageError(errors.New(a.t(a.m().BadDays)))
	}
	return a.withCache(func(st *store.Store) int {
		n, err := st.Purge(a.ctx, time.Duration(*days)*24*time.Hour)
		if err != nil {
			return a.failExplained(err)
		}
		a.say(a.m().Purged, n, *days)
		return exitOK
	})
}
