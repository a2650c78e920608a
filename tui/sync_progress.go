package tui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// progressMin is how many changes a pull must bring for its progress to be
// drawn (the first sync of a zone, a long absence); shorter pulls show a
// count in the status bar only.
const progressMin = 1000

// longPull says whether s is a pull worth a progress bar.
func longPull(s SyncState) bool { return s.Syncing && s.Total >= progressMin }

// syncProgressLine draws the progress of a long pull on one line of width
// w: a bar (bubbles/progress, drawn statically from the state, so the view
// stays a function of the model), the count, the rate and the time left.
// It is "" when s is not a long pull. In accessible mode, words only.
func syncProgressLine(c *Context, s SyncState, w int) string {
	if !longPull(s) {
		return ""
	}
	text := c.M().Progress.Starting.F(s.Total)
	if rate, left, ok := s.progress(); ok {
		text = c.M().Progress.Line.F(s.Pulled, s.Total, int(rate+0.5), fmtLeft(left))
	}
	barW := w - lipgloss.Width(text) - 1
	if c.Accessible || barW < 10 {
		return clipWidth(text, w)
	}
	bar := progress.New(progress.WithoutPercentage(), progress.WithWidth(min(barW, 40)),
		progress.WithColorProfile(termenv.Ascii), progress.WithFillCharacters('█', '░'))
	done := float64(s.Pulled) / float64(s.Total)
	return c.Styles.Accent.Render(bar.ViewAs(min(done, 1))) + " " + clipWidth(text, w-min(barW, 40)-1)
}

// progress is the pull's rate and time left (see sync.State.Progress).
func (s SyncState) progress() (rate float64, left time.Duration, ok bool) {
	el := s.PulledAt.Sub(s.PullStarted)
	if s.Pulled <= 0 || s.Total <= 0 || el <= 0 {
		return 0, 0, false
	}
	rate = float64(s.Pulled) / el.Seconds()
	left = time.Duration(float64(max(s.Total-s.Pulled, 0)) / rate * float64(time.Second))
	return rate, left, true
}

// fmtLeft writes a duration as m:ss (h:mm:ss past an hour).
func fmtLeft(d time.Duration) string {
	sec := int((d + time.Second/2) / time.Second)
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}
