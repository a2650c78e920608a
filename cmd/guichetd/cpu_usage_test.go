package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"guichet/procstat"
)

// What a load costs, for BenchmarkNodesOnePostgres: the CPU time of each
// party (the guichetd processes, the PostgreSQL server's processes, the
// load generator: this test process) read from /proc, how busy the
// machine was, and the server's transactions and WAL flushes. Linux only:
// elsewhere the benchmark says so and the benchmark reports throughput alone.

// machineTimes reads the first line of /proc/stat: the jiffies the whole
// machine spent idle (idle and iowait) and in all.
func machineTimes() (idle, total uint64, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseMachineTimes(string(b))
}

func parseMachineTimes(stat string) (idle, total uint64, err error) {
	line, _, _ := strings.Cut(stat, "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("/proc/stat does not start with the cpu line: %q", line)
	}
	// user nice system idle iowait irq softirq steal (guest time is
	// already in user and nice).
	for i, s := range f[1:min(len(f), 9)] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: %w", err)
		}
		total += n
		if i == 3 || i == 4 {
			idle += n
		}
	}
	return idle, total, nil
}

// loadUsage is a reading of what a load costs, taken before and after.
type loadUsage struct {
	nodes, server, loadgen float64 // CPU seconds
	serverPids             map[int]float64
	idle, total            uint64
	xacts, walSyncs        int64
}

// readUsage reads the CPU times of the nodes, of this process and of the
// server's processes (those pg_stat_activity lists: its backends and
// background processes), the machine's times and the server's committed
// transactions and WAL flushes.
func readUsage(ctx context.Context, db *pgx.Conn, nodePids []int) (loadUsage, error) {
	u := loadUsage{serverPids: map[int]float64{}}
	for _, pid := range nodePids {
		s, err := procstat.CPU(pid)
		if err != nil {
			return u, err
		}
		u.nodes += s
	}
	s, err := procstat.CPU(os.Getpid())
	if err != nil {
		return u, err
	}
	u.loadgen = s
	rows, err := db.Query(ctx, `SELECT pid FROM pg_stat_activity`)
	if err != nil {
		return u, err
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return u, err
	}
	for _, pid := range pids {
		s, err := procstat.CPU(int(pid))
		if err != nil {
			continue // ended meanwhile
		}
		u.serverPids[int(pid)] = s
		u.server += s
	}
	if u.idle, u.total, err = machineTimes(); err != nil {
		return u, err
	}
	err = db.QueryRow(ctx, `SELECT (SELECT sum(xact_commit) FROM pg_stat_database)::bigint, wal_sync FROM pg_stat_wal`).Scan(&u.xacts, &u.walSyncs)
	return u, err
}

// usageDelta is what the load cost between two readings.
type usageDelta struct {
	nodes, server, loadgen float64 // CPU seconds
	idle                   float64 // the machine's idle share, 0 to 1
	xacts, walSyncs        int64
}

func (a loadUsage) to(b loadUsage) usageDelta {
	d := usageDelta{nodes: b.nodes - a.nodes, loadgen: b.loadgen - a.loadgen,
		xacts: b.xacts - a.xacts, walSyncs: b.walSyncs - a.walSyncs}
	// A server process that started during the load counts from 0; one
	// that ended is lost (the pools keep their connections).
	for pid, s := range b.serverPids {
		d.server += s - a.serverPids[pid]
	}
	if b.total > a.total {
		d.idle = float64(b.idle-a.idle) / float64(b.total-a.total)
	}
	return d
}

// report adds the cost per 1,000 intakes (CPU milliseconds per intake of
// each party, server transactions and WAL flushes) and the machine's idle
// share. The server's counters are its cumulative statistics, which its
// processes publish about once a second: a few per cent approximate.
func (d usageDelta) report(b *testing.B, intakes int64) {
	if intakes == 0 {
		return
	}
	per := func(v float64) float64 { return v * 1000 / float64(intakes) }
	b.ReportMetric(per(d.nodes), "nodes-cpu-ms/intake")
	b.ReportMetric(per(d.server), "pg-cpu-ms/intake")
	b.ReportMetric(per(d.loadgen), "loadgen-cpu-ms/intake")
	b.ReportMetric(float64(d.xacts)/float64(intakes), "pg-xacts/intake")
	b.ReportMetric(float64(d.walSyncs)/float64(intakes), "wal-syncs/intake")
	b.ReportMetric(100*d.idle, "machine-idle-%")
}

func TestParseMachineTimes(t *testing.T) {
	idle, total, err := parseMachineTimes("cpu  100 5 50 800 20 1 2 3 0 0\ncpu0 50 2 25 400 10 0 1 1 0 0\n")
	if err != nil || idle != 820 || total != 981 {
		t.Errorf("parseMachineTimes = %d, %d, %v; want 820, 981", idle, total, err)
	}
	if _, _, err := parseMachineTimes("intr 1 2 3\n"); err == nil {
		t.Error("a /proc/stat without its cpu line is read")
	}
}
