package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
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
	return s.commitBatch(ctx, prepared)
}

// commitBatch stores prepared complaints in shared commits; a reference
// already taken is drawn again.
func (s *Server) commitBatch(ctx context.Context, prepared []preparedIntake) ([]string, error) {
	changes := make([]storage.Change, len(prepared))
	for i, p := range prepared {
		changes[i], _ = s.intakeChange(p)
	}
	errs := s.st.CommitAll(ctx, changes)
	refs := make([]string, len(prepared))
	for i, err := range errs {
		if errors.Is(err, storage.ErrDuplicate) {
			var resp storedResponse
			resp, err = s.commitIntake(ctx, prepared[i], "", nil)
			if err == nil {
				var rc complaint.IntakeReceipt
				rc, err = decodeReceipt(resp)
				refs[i] = rc.Reference
			}
		} else {
			refs[i] = changes[i].Complaint.Record.Reference
		}
		if err != nil {
			return refs[:i], err
		}
	}
	return refs, nil
}
