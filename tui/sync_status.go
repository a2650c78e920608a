package tui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// What the officer is told about synchronisation and arrivals:
//   - `r` says "Syncing…" until the round it asked for ends, then what it
//     brought ("Synced at 14:03 — 3 new complaints", "nothing new") or that
//     it failed; never a "Syncing…" left behind;
//   - a background round that brought new complaints says how many;
//   - until the first round of the session has ended, the status bar says
//     "first sync…", not "never synced" (the demo's cache is new at each
//     start).
// New complaints are counted by the cache (Source.Arrivals): those in status
// new that entered it since the last count.

// arrivalsMsg answers an arrivals count after a sync round.
type arrivalsMsg struct {
	n     int
	mark  int64
	asked bool // the round the officer asked for with r
	err   error
}

// arrivalsMarkMsg is the cache's mark at start, before the first round.
type arrivalsMarkMsg struct {
	mark int64
	err  error
}

func (a *App) arrivalsMarkCmd() tea.Cmd {
	c := a.c
	return func() tea.Msg {
		mark, err := c.Src.ArrivalsMark(c.Ctx)
		return arrivalsMarkMsg{mark: mark, err: err}
	}
}

func (a *App) arrivalsCmd(asked bool) tea.Cmd {
	c, mark := a.c, a.arrivalsMark
	return func() tea.Msg {
		n, next, err := c.Src.Arrivals(c.Ctx, mark)
		return arrivalsMsg{n: n, mark: next, asked: asked, err: err}
	}
}

// askSync is `r` with a sync engine: trigger a round and say so until the
// round that carries the request has ended (the one running now, if any,
// ends first).
func (a *App) askSync() tea.Cmd {
	s := a.c.Sync
	if a.sync.AuthFailed {
		return a.setStatus(a.c.M().Status.Syncauth, 2)
	}
	a.syncWait = 1
	if a.sync.Syncing {
		a.syncWait = 2
	}
	a.setStatusAbout(a.c.M().Status.Syncing, 0, "")
	a.statusSync = true // stays until the round ends
	return func() tea.Msg { s.Trigger(); return nil }
}

// syncEnded is called when a round ends: it counts the arrivals, and says
// so when the officer asked for the round or complaints arrived.
func (a *App) syncEnded() tea.Cmd {
	asked := false
	if a.syncWait > 0 {
		a.syncWait--
		asked = a.syncWait == 0
	}
	if !a.markKnown {
		return nil
	}
	return a.arrivalsCmd(asked)
}

func (a *App) arrivalsText(m arrivalsMsg) (string, int, bool) {
	c := a.c
	what := c.M().Status.Nothingnew
	if m.n == 1 {
		what = c.M().Status.Arrival
	} else if m.n > 1 {
		what = c.M().Status.Arrivals.F(m.n)
	}
	switch {
	case m.asked && a.sync.Err != "":
		return c.M().Status.Syncfailed, 2, true
	case m.asked:
		at := a.sync.LastSync
		if at.IsZero() {
			at = c.now()
		}
		text := c.M().Status.Synced.F(at.In(c.loc()).Format("15:04"), what)
		if c.Accessible {
			text += " " + c.M().A11y.Synced.F(a.sync.Pending, a.sync.Conflicts)
		}
		return text, 0, true
	case m.n > 0:
		return c.M().Status.Arrived.F(what), 0, true
	}
	return "", 0, false
}

func (a *App) updateArrivals(m arrivalsMsg) tea.Cmd {
	if m.err == nil {
		a.arrivalsMark = m.mark
	}
	text, level, say := a.arrivalsText(m)
	if !say {
		return nil
	}
	// A background round's arrivals do not cover what the officer is
	// reading (an action's result, the demo's PIN): they show on a free
	// status line, or replace an older count.
	if m.asked || (!a.statusSync && (a.status == "" || a.statusArrivals)) {
		cmd := a.setStatus(text, level)
		a.statusArrivals = !m.asked
		return cmd
	}
	return nil
}

// firstSyncPending says the session's first round has not ended yet.
func (a *App) firstSyncPending() bool {
	s := a.sync
	return a.c.Sync != nil && s.LastSync.IsZero() && s.Err == "" && !s.AuthFailed
}
