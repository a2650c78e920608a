package main

import (
	"io"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// firstRowsEnv names a file where the workstation writes the time (Unix
// nanoseconds) at which its first frame showing complaints of the queue
// went to the terminal: BenchmarkTUIFirstRows100k compares it with the
// time it started the process. Unset, nothing watches the frames.
const firstRowsEnv = "GUICHET_FIRST_ROWS_FILE"

// rowReference finds a complaint's reference in a frame: a queue row.
// Compiled when the benchmark asks for the first rows' time, not at every
// start.
var rowReference = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b[0-9]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b`)
})

// firstRowsTerminal is the terminal the workstation draws on, noting when
// the first frame with a queue row is written. It stays the *os.File it
// wraps for Bubble Tea (raw mode, size), only Write looks at the frames.
type firstRowsTerminal struct {
	*os.File
	path string
	done bool
}

// frameOutput is where the workstation draws: stdout, watched for its
// first rows when env asks for their time (nil: Bubble Tea's default,
// stdout itself).
func frameOutput(env func(string) string, stdout io.Writer) io.Writer {
	path := env(firstRowsEnv)
	tty, ok := stdout.(*os.File)
	if path == "" || !ok {
		return nil
	}
	return &firstRowsTerminal{File: tty, path: path}
}

func (t *firstRowsTerminal) Write(b []byte) (int, error) {
	n, err := t.File.Write(b)
	if !t.done && rowReference().Match(b) {
		t.done = true
		_ = os.WriteFile(t.path, []byte(strconv.FormatInt(time.Now().UnixNano(), 10)), 0o600)
	}
	return n, err
}
