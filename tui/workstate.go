package tui

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
)

// The workstation remembers, across restarts, the tab, the sort and how the
// received column is shown, in a small JSON file (Options.StatePath, beside
// the configuration, 0600 in a 0700 directory). Nothing about a complaint
// is kept there. A missing or unreadable file means the defaults; a write
// that fails is not worth interrupting the officer for.

// workState is the remembered part of the queue.
type workState struct {
	Tab           int    `json:"tab"`
	Sort          string `json:"sort"`
	Desc          bool   `json:"desc"`
	AbsoluteDates bool   `json:"absolute_dates,omitempty"`
}

// sortNames name the sortable columns in the work state file ("" for the
// others). An array, not a map: static data, nothing built at every start.
var sortNames = [colCount]string{
	ColReceived: "received", ColReference: "reference", ColType: "type",
	ColMunicipality: "municipality", ColComplainant: "complainant", ColStatus: "status",
}

// sortNameOf is column c's name in the work state file ("" when it has none).
func sortNameOf(c Column) string {
	if c < 0 || c >= colCount {
		return ""
	}
	return sortNames[c]
}

func (q *queueModel) workState() workState {
	return workState{Tab: int(q.tab), Sort: sortNameOf(q.sort), Desc: q.desc, AbsoluteDates: q.absDates}
}

// applyWorkState sets the queue as remembered (before its first query).
func (q *queueModel) applyWorkState(s workState) {
	if s.Tab >= 0 && s.Tab < int(tabCount) {
		q.tab = Tab(s.Tab)
	}
	for c, n := range sortNames {
		if n != "" && n == s.Sort {
			q.sort, q.desc = Column(c), s.Desc
		}
	}
	q.absDates = s.AbsoluteDates
}

// loadWorkState reads path; ok is false when there is nothing usable.
func loadWorkState(path string) (workState, bool) {
	var s workState
	if path == "" {
		return s, false
	}
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &s) != nil {
		return s, false
	}
	return s, true
}

// saveWorkStateCmd writes s to path atomically (a temporary file renamed).
func saveWorkStateCmd(path string, s workState) tea.Cmd {
	return func() tea.Msg {
		_ = saveWorkState(path, s)
		return nil
	}
}

func saveWorkState(path string, s workState) error {
	if path == "" {
		return errors.New("no state file")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".state-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// saveStateIfChanged is run after each key: a change of tab, sort or
// date display is written (off the Update path).
func (a *App) saveStateIfChanged() tea.Cmd {
	if a.statePath == "" {
		return nil
	}
	q, ok := a.stack[0].(*queueModel)
	if !ok {
		return nil
	}
	s := q.workState()
	if s == a.savedState {
		return nil
	}
	a.savedState = s
	return saveWorkStateCmd(a.statePath, s)
}
