// Package procstat reads the CPU time a Linux process has used from
// /proc, for the benchmarks that split a load's cost between the
// processes that share the machine (the portal's nodes, PostgreSQL's
// server processes, the load generator).
package procstat

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of /proc's CPU times (100 on every
// Linux architecture Go supports).
const clockTicks = 100

// CPU is the CPU time (user and system, in seconds) of process pid. A
// process that has ended answers an error that errors.Is fs.ErrNotExist.
func CPU(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStat(string(b))
}

// parseStat reads utime and stime (fields 14 and 15) of a /proc/PID/stat
// line; the command name (field 2) may hold spaces and parentheses, so
// the fields are counted after its last ')'.
func parseStat(line string) (float64, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc stat line without a command: %q", line)
	}
	f := strings.Fields(line[i+1:])
	// f[0] is field 3 (state): utime is f[11], stime f[12].
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc stat line too short: %q", line)
	}
	var ticks float64
	for _, s := range f[11:13] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat line: %w", err)
		}
		ticks += float64(n)
	}
	return ticks / clockTicks, nil
}
