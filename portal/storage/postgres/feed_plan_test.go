package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

// TestFeedReadTouchesFewPages: the statements of a feed page read touch
// a number of pages that depends on the page's size, not on the zone's:
// on a zone of 20,000 complaints, under the plans a session prepares
// (the custom plans of its first executions and the generic one pgx's
// statement cache goes on with), the horizon check reads a few index
// pages and a page of 100 a few pages per row. The check for committed
// changes above the horizon (EXISTS over the zone's positions) used to
// be planned as a scan of the whole feed table, which found nothing
// above the horizon after reading every row: 68 ms of a 100,000-row
// zone's page read. Pages touched, not time: the figure does not move
// with the machine's load.
func TestFeedReadTouchesFewPages(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	defer s.Close()
	const rows = 20_000
	if _, err := s.pool.Exec(ctx, `
		WITH c AS (
			INSERT INTO complaints (ref, zone, status, version, received_at, record)
				SELECT 'R' || i, '5275', 'new', 1, 0, convert_to(repeat('x', 1500), 'UTF8')
				FROM generate_series(1, $1::int) AS i
				RETURNING id, ref)
		INSERT INTO feed (zone, ref, pos, cid, version)
			SELECT '5275', c.ref, (pg_current_xact_id()::text::bigint << 20) | c.id, c.id, 1 FROM c`, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `ANALYZE complaints, feed`); err != nil {
		t.Fatal(err)
	}
	var after int64
	if err := s.pool.QueryRow(ctx, `SELECT pos FROM feed WHERE zone = '5275' ORDER BY pos OFFSET $1 LIMIT 1`, rows/2).Scan(&after); err != nil {
		t.Fatal(err)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	n := 0
	for _, tc := range []struct {
		name, sql, params, args string
		max                     int64
	}{
		{"horizon check", qFeedSnapshot, "text", `'5275'`, 20},
		{"page of 100", qFeedPage, "text, bigint, bigint", fmt.Sprintf(`'5275', %d, 101`, after), 101*4 + 20},
	} {
		for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
			n++
			name := fmt.Sprintf("feed_read_%d", n)
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				for _, q := range []string{
					`SET plan_cache_mode = ` + mode,
					fmt.Sprintf(`PREPARE %s (%s) AS %s`, name, tc.params, tc.sql),
				} {
					if _, err := conn.Exec(ctx, q); err != nil {
						t.Fatal(err)
					}
				}
				defer conn.Exec(ctx, `DEALLOCATE `+name+`; RESET plan_cache_mode`)
				var out []byte
				if err := conn.QueryRow(ctx, `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE `+name+` (`+tc.args+`)`).Scan(&out); err != nil {
					t.Fatal(err)
				}
				var plans []struct {
					Plan struct {
						Hit  int64 `json:"Shared Hit Blocks"`
						Read int64 `json:"Shared Read Blocks"`
					}
				}
				if err := json.Unmarshal(out, &plans); err != nil || len(plans) != 1 {
					t.Fatalf("plan %s: %v", out, err)
				}
				if n := plans[0].Plan.Hit + plans[0].Plan.Read; n > tc.max {
					t.Errorf("%s touches %d pages, want at most %d; plan:\n%s", tc.name, n, tc.max, out)
				}
			})
		}
	}
}
