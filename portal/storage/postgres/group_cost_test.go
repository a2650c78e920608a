package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"guichet/complaint"
	"guichet/portal/storage"
	"guichet/portal/storage/postgres/pgtest"
	"guichet/procstat"
)

// BenchmarkGroupServerCPU reports what a writer group costs the
// PostgreSQL server in CPU (the user and system time of its processes,
// read from Linux's /proc per process, so that other work on a shared
// machine does not count), per group and per intake, one group at a time:
//
//   - size=N: a group of N new complaints, each with its idempotency key
//     and audit event as an intake has, written by a writer (writeGroup;
//     size=1 through Commit, as a change alone in its group is);
//   - claims=N: a group of N claims (changes of stored complaints, with
//     their keys and audit events), over and over on the same 256
//     complaints. It is no stand-in for the portal's mix: a set-wise
//     claim statement measured 4-8 times cheaper here and made
//     BenchmarkNodesOnePostgres's server 10-30 % dearer per intake (see
//     docs/architecture.md);
//   - commit-floor: the least a durable transaction costs, BEGIN, a
//     one-row INSERT and COMMIT in one round trip;
//   - read-only: BEGIN, SELECT 1, COMMIT (no WAL flush).
//
// The fixed cost of a group is what two nodes, whose groups are smaller,
// pay more often than one; commit-floor shows how much of it is the
// durable commit itself.
func BenchmarkGroupServerCPU(b *testing.B) {
	for _, size := range []int{1, 4, 16, 64} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			s, admin := openCostBench(b)
			rec := intake("x", "5275").Complaint.Record
			rec.Details = []byte(`{"brand":"Gazelle","model":"Esprit","colour":"bleu","frame_number":"GZ123456789","value_eur":450}`)
			// About the size of a complaint of the demo data (1.9 kB).
			rec.Facts.Description = strings.Repeat("Vélo attaché devant la gare, cadenas coupé. ", 40)
			n := 0
			group := func() []commitOp {
				ops := make([]commitOp, size)
				for i := range ops {
					n++
					ref := fmt.Sprintf("2026-G%d-%d", n, time.Now().UnixNano())
					r := rec
					r.Reference = ref
					now := time.Now()
					ops[i] = commitOp{ctx: context.Background(), done: make(chan commitResult, 1), c: storage.Change{
						Complaint: &storage.ComplaintWrite{Record: r}, Feed: []storage.FeedChange{{Zone: "5275"}},
						Idempotency: &storage.Idempotency{Scope: "intake", Key: ref, RequestHash: []byte("h"), Status: 201,
							Response: []byte(`{"reference":"` + ref + `"}`), CreatedAt: now},
						Audit: []storage.AuditRecord{{AuditEvent: complaint.AuditEvent{ID: ref, At: now, Zone: "5275", Kind: "intake",
							Reference: ref, Outcome: "ok"}, Origin: "portal", ReceivedAt: now}}}}
				}
				return ops
			}
			measureServerCPU(b, admin, size, func() error {
				if size == 1 {
					// A change alone goes the way Commit sends it.
					op := group()[0]
					_, err := s.Commit(op.ctx, op.c)
					return err
				}
				_, err := s.writeGroup(group())
				return err
			})
		})
	}
	for _, size := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("claims=%d", size), func(b *testing.B) {
			s, admin := openCostBench(b)
			ctx := context.Background()
			rec := intake("x", "5275").Complaint.Record
			rec.Facts.Description = strings.Repeat("Vélo attaché devant la gare, cadenas coupé. ", 40)
			// Complaints to claim, and claim again: each claim moves one
			// to its next version.
			const stored = 256
			versions := make([]int64, stored)
			for i := range stored {
				r := rec
				r.Reference = fmt.Sprintf("2026-C%d", i)
				if _, err := s.Commit(ctx, storage.Change{Complaint: &storage.ComplaintWrite{Record: r}, Feed: []storage.FeedChange{{Zone: "5275"}}}); err != nil {
					b.Fatal(err)
				}
				versions[i] = 1
			}
			n := 0
			measureServerCPU(b, admin, size, func() error {
				ops := make([]commitOp, size)
				for i := range ops {
					k := n % stored
					n++
					r := rec
					r.Reference = fmt.Sprintf("2026-C%d", k)
					r.Version, r.Status = versions[k]+1, complaint.StatusClaimed
					now := time.Now()
					key := fmt.Sprint("claim-", n)
					ops[i] = commitOp{ctx: ctx, done: make(chan commitResult, 1), c: storage.Change{
						Complaint: &storage.ComplaintWrite{Record: r, Previous: versions[k]}, Feed: []storage.FeedChange{{Zone: "5275"}},
						Idempotency: &storage.Idempotency{Scope: "officer:1", Key: key, RequestHash: []byte("h"), Status: 200,
							Response: []byte(`{"version":2}`), CreatedAt: now},
						Audit: []storage.AuditRecord{{AuditEvent: complaint.AuditEvent{ID: key, At: now, Zone: "5275", Kind: "claim",
							Reference: r.Reference, Outcome: "ok"}, Origin: "portal", ReceivedAt: now}}}}
					versions[k]++
				}
				results, err := s.writeGroup(ops)
				if err != nil {
					return err
				}
				for _, r := range results {
					if r.err != nil {
						return r.err
					}
				}
				return nil
			})
		})
	}
	for _, tx := range []struct{ name, sql string }{
		{"commit-floor", `INSERT INTO meta (key, value) VALUES ($1, '')`},
		{"read-only", `SELECT $1::text`},
	} {
		b.Run(tx.name, func(b *testing.B) {
			s, admin := openCostBench(b)
			conn, err := s.wpool.Acquire(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Release()
			n := 0
			measureServerCPU(b, admin, 1, func() error {
				n++
				batch := &pgx.Batch{}
				batch.Queue("BEGIN")
				batch.Queue(tx.sql, fmt.Sprint("floor-", n))
				batch.Queue("COMMIT")
				return conn.SendBatch(context.Background(), batch).Close()
			})
		})
	}
}

func openCostBench(b *testing.B) (*Store, *pgx.Conn) {
	ctx := context.Background()
	s, err := Open(ctx, pgtest.NewDatabase(b), Options{MaxConns: 2})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	admin, err := pgx.Connect(ctx, pgtest.ServerURL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { admin.Close(context.Background()) })
	return s, admin
}

// measureServerCPU runs write once per iteration, after 20 runs that warm
// the connections (prepared statements, cached plans), and reports the
// server's CPU milliseconds per run and per intake (size intakes a run).
func measureServerCPU(b *testing.B, admin *pgx.Conn, size int, write func() error) {
	for range 20 {
		if err := write(); err != nil {
			b.Fatal(err)
		}
	}
	before, err := serverCPU(context.Background(), admin)
	if err != nil {
		b.Skipf("no CPU accounting (it reads Linux's /proc): %v", err)
	}
	runs := 0
	for b.Loop() {
		if err := write(); err != nil {
			b.Fatal(err)
		}
		runs++
	}
	after, err := serverCPU(context.Background(), admin)
	if err != nil {
		b.Fatal(err)
	}
	var used float64
	for pid, t := range after {
		used += t - before[pid] // a process that started meanwhile counts from 0
	}
	b.ReportMetric(used*1000/float64(runs), "pg-cpu-ms/group")
	b.ReportMetric(used*1000/float64(runs*size), "pg-cpu-ms/intake")
}

// serverCPU reads the CPU seconds (user and system) of each of the
// server's processes, those pg_stat_activity lists.
func serverCPU(ctx context.Context, admin *pgx.Conn) (map[int]float64, error) {
	rows, err := admin.Query(ctx, `SELECT pid FROM pg_stat_activity`)
	if err != nil {
		return nil, err
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, err
	}
	out := map[int]float64{}
	for _, pid := range pids {
		cpu, err := procstat.CPU(int(pid))
		if errors.Is(err, fs.ErrNotExist) {
			continue // ended meanwhile
		}
		if err != nil {
			return nil, err
		}
		out[int(pid)] = cpu
	}
	return out, nil
}
