package tui

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"guichet/clip"
	"guichet/complaint"
	"guichet/store"
	"guichet/store/storetest"
)

func init() {
	// Goldens and width checks must not depend on the terminal running
	// the tests.
	lipgloss.SetColorProfile(termenv.Ascii)
}

var (
	testOfficer = storetest.Officers[0]
	testNow     = storetest.Base.Add(30 * 24 * time.Hour)
)

// openStore makes a real cache in a temporary directory loaded with recs.
func openStore(t testing.TB, recs []complaint.Record) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "guichet", "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if len(recs) > 0 {
		if err := st.BulkLoad(context.Background(), recs); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// fakeClip is a recording clipboard (the real clip package is exercised in
// the whole-app test and the tmux tests; here we check what the TUI hands
// it).
type fakeClip struct {
	mu     sync.Mutex
	copies []string
	clears []uint64
	method clip.Method         // "" is the system clipboard
	fix    string              // Copied.Fix
	kept   bool                // Copied.TerminalKept
	clear  *clip.ClearedResult // what Clear answers for the latest copy; nil: Cleared
}

func (f *fakeClip) Copy(text string) (clip.Copied, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.copies = append(f.copies, text)
	m := f.method
	if m == "" {
		m = clip.MethodSystem
	}
	return clip.Copied{Method: m, Gen: uint64(len(f.copies)), Fix: f.fix, TerminalKept: f.kept}, nil
}

func (f *fakeClip) Clear(gen uint64) (clip.ClearedResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clears = append(f.clears, gen)
	if gen != uint64(len(f.copies)) {
		return clip.ClearedResult{Outcome: clip.NothingToClear}, nil
	}
	if f.clear != nil {
		return *f.clear, nil
	}
	return clip.ClearedResult{Outcome: clip.Cleared, Method: clip.MethodSystem}, nil
}

func (f *fakeClip) last() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.copies) == 0 {
		return ""
	}
	return f.copies[len(f.copies)-1]
}

type harness struct {
	t    testing.TB
	app  *App
	st   *store.Store
	src  *StoreSource
	clip *fakeClip
	quit bool
}

// newHarness builds the app over a real cache with recs, at w×h, and runs
// its first commands. Timers fire at once when short (the filter
// debounce) and never when long (status clearing, clock).
func newHarness(t testing.TB, recs []complaint.Record, lang string, w, hh int) *harness {
	t.Helper()
	st := openStore(t, recs)
	src := NewStoreSource(st, testOfficer, lang, nil)
	src.now = func() time.Time { return testNow }
	fc := &fakeClip{}
	a := New(Options{Source: src, Clipboard: fc, Lang: lang, Theme: "default", Officer: testOfficer,
		Zone: storetest.Zone, ClearAfter: 30 * time.Second, Now: func() time.Time { return testNow }, Loc: time.UTC})
	a.c.Tick = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		if d <= filterDebounce {
			return func() tea.Msg { return fn(testNow) }
		}
		return nil
	}
	h := &harness{t: t, app: a, st: st, src: src, clip: fc}
	h.send(tea.WindowSizeMsg{Width: w, Height: hh})
	h.run(a.Init())
	return h
}

// run executes cmd and every command its messages lead to, synchronously.
func (h *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 && !h.quit {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		case tea.QuitMsg:
			h.quit = true
		default:
			_, next := h.app.Update(m)
			queue = append(queue, next)
		}
	}
}

func (h *harness) send(msg tea.Msg) {
	_, cmd := h.app.Update(msg)
	h.run(cmd)
}

// keys sends key presses: named keys in <>, e.g. "jj<enter>y", "<esc>".
func (h *harness) keys(s string) {
	for s != "" {
		var k tea.KeyMsg
		if s[0] == '<' {
			end := strings.IndexByte(s, '>')
			name := s[1:end]
			s = s[end+1:]
			types := map[string]tea.KeyType{"enter": tea.KeyEnter, "esc": tea.KeyEsc, "up": tea.KeyUp,
				"down": tea.KeyDown, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "tab": tea.KeyTab,
				"stab": tea.KeyShiftTab, "bs": tea.KeyBackspace, "ctrlc": tea.KeyCtrlC, "space": tea.KeySpace}
			k = tea.KeyMsg{Type: types[name]}
			if name == "lt" {
				k = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'<'}}
			}
		} else {
			r := []rune(s)[0]
			s = s[len(string(r)):]
			k = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}
		}
		h.send(k)
	}
}

func (h *harness) view() string { return h.app.View() }

func (h *harness) queue() *queueModel { return h.app.stack[0].(*queueModel) }

func (h *harness) size(w, hh int) {
	h.send(tea.WindowSizeMsg{Width: w, Height: hh})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// specOf is the action table's entry of a.
func specOf(t testing.TB, a complaint.ActionType) complaint.ActionSpec {
	t.Helper()
	spec, ok := complaint.ActionSpecOf(a)
	if !ok {
		t.Fatalf("no action %s", a)
	}
	return spec
}
