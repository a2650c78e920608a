package portal

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"time"

	"guichet/complaint"
)

// Now is the portal's clock (Options.Now, or time.Now).
func (s *Server) Now() time.Time { return s.now() }

// IntakeBatch files many complaints through the same validation and
// storage path as POST /v1/complaints (without idempotency keys), for demo
// data and tests: validation runs on every core and the commits share
// transactions. It checks the whole batch first and stores nothing if one
// complaint is refused; the error then wraps its complaint.FieldErrors.
// The references are in the order of subs.
func (s *Server) IntakeBatch(ctx context.Context, subs []*complaint.Submission) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := len(subs)
	bodies := make([][]byte, n)
	for i, sub := range subs {
		b, err := json.Marshal(sub)
		if err != nil {
			return nil, err
		}
		bodies[i] = b
	}
	prepared := make([]preparedIntake, n)
	problems := make([]complaint.FieldErrors, n)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				prepared[i], problems[i] = s.prepareIntake(bodies[i], subs[i].Language)
			}
		}()
	}
	wg.Wait()
	for i, errs := range problems {
		if len(errs) > 0 {
			return nil, fmt.Errorf("complaint %d of the batch: %w", i, errs)
		}
	}
	dones := make([]chan writeResult, 0, n)
	for _, p := range prepared {
		done := make(chan writeResult, 1)
		if !s.submit(writeOp{fn: func(tx *sql.Tx) (any, error) { return s.commitIntake(tx, p, "", nil) }, done: done}) {
			return nil, errClosed
		}
		dones = append(dones, done)
	}
	refs := make([]string, 0, n)
	for _, d := range dones {
		r := <-d
		if r.err != nil {
			return refs, r.err
		}
		rc, err := decodeReceipt(r.val.(storedResponse))
		if err != nil {
			return refs, err
		}
		refs = append(refs, rc.Reference)
	}
	return refs, nil
}
