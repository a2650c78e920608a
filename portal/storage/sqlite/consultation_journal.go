package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"guichet/portal/storage"
)

// The consultation journal makes the audit record of a consultation (a
// feed page, a complaint shown) durable on a path of its own: one line of
// JSON per record appended to a file beside the database and synced, by a
// goroutine that groups the records arriving together into one write and
// one sync. The writer's commit, which an intake group keeps busy for the
// time of its statements and of a sync of the log, is not on a
// consultation's path: two files sync side by side. Once synced, the
// records go to the writer like AppendAuditLater's and reach the audit
// table with its next commit; Audit waits for that commit, so a record a
// reader was answered after is always listed.
//
// A journal file holds the records of up to rotateAfter consultations; the
// next ones go to a new file, and the full one is removed once its records
// are committed in the database (inserted again in one write, which skips
// those stored already). Open inserts the records of every file left
// behind (a stop before that commit) and removes them. A line cut by a
// power cut was never answered: it is skipped.

// journalRotateAfter is how many records a journal file holds before the
// journal moves on to a new one.
const journalRotateAfter = 1024

type journalRequest struct {
	rec  storage.AuditRecord
	done chan error // buffered (1)
}

type consultationJournal struct {
	s           *Store
	prefix      string // files are prefix + number
	rotateAfter int
	requests    chan journalRequest
	done        chan struct{}
	retiring    sync.WaitGroup

	// Used by run only.
	file *os.File
	num  int
	recs []storage.AuditRecord // the current file's
}

func journalPrefix(dbPath string) string { return dbPath + "-consultations." }

// journalFiles lists the journal files of the database at dbPath, oldest
// first.
func journalFiles(dbPath string) ([]string, []int, error) {
	prefix := journalPrefix(dbPath)
	names, err := filepath.Glob(prefix + "*")
	if err != nil {
		return nil, nil, err
	}
	type file struct {
		name string
		num  int
	}
	var files []file
	for _, name := range names {
		n, err := strconv.Atoi(strings.TrimPrefix(name, prefix))
		if err != nil || n < 1 {
			continue
		}
		files = append(files, file{name, n})
	}
	slices.SortFunc(files, func(a, b file) int { return a.num - b.num })
	var out []string
	var nums []int
	for _, f := range files {
		out = append(out, f.name)
		nums = append(nums, f.num)
	}
	return out, nums, nil
}

// readJournal reads the records of a journal file; a last line without
// its end (cut while it was written, so never answered) is skipped.
func readJournal(name string) ([]storage.AuditRecord, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	data = data[:bytes.LastIndexByte(data, '\n')+1] // without a cut last line
	var recs []storage.AuditRecord
	for line := range bytes.Lines(data) {
		var r storage.AuditRecord
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("consultation journal %s: %w", filepath.Base(name), err)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// recoverJournal inserts the records of the journal files left by the
// last run into the audit table, in one transaction, and removes the
// files. It returns the number the next file takes.
func recoverJournal(ctx context.Context, db *sql.DB, dbPath string) (int, error) {
	names, nums, err := journalFiles(dbPath)
	if err != nil || len(names) == 0 {
		return 1, err
	}
	var recs []storage.AuditRecord
	for _, name := range names {
		r, err := readJournal(name)
		if err != nil {
			return 0, err
		}
		recs = append(recs, r...)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	st, err := tx.Prepare(qInsertAudit)
	if err != nil {
		return 0, err
	}
	for _, e := range recs {
		if _, err := st.Exec(auditArgs(e)...); err != nil {
			return 0, fmt.Errorf("consultation journal: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("consultation journal: %w", err)
	}
	for _, name := range names {
		if err := os.Remove(name); err != nil {
			return 0, err
		}
	}
	return nums[len(nums)-1] + 1, nil
}

func newConsultationJournal(s *Store, dbPath string, num int) *consultationJournal {
	return &consultationJournal{s: s, prefix: journalPrefix(dbPath), rotateAfter: journalRotateAfter,
		requests: make(chan journalRequest, 4096), done: make(chan struct{}), num: num}
}

// run is the journal's goroutine: it writes and syncs what is pending as
// one group, hands the records to the writer, answers, and moves on to a
// new file when the current one is full. When requests is closed it
// retires its file and returns.
func (j *consultationJournal) run() {
	defer close(j.done)
	var group []journalRequest
	var buf []byte
	for {
		req, ok := <-j.requests
		if !ok {
			break
		}
		group = append(group[:0], req)
	pending:
		for len(group) < maxBatch {
			select {
			case req, ok := <-j.requests:
				if !ok {
					break pending
				}
				group = append(group, req)
			default:
				break pending
			}
		}
		buf = buf[:0]
		recs := make([]storage.AuditRecord, len(group))
		for i, r := range group {
			recs[i] = r.rec
			line, err := json.Marshal(r.rec)
			if err != nil {
				panic(err) // an AuditRecord always marshals
			}
			buf = append(append(buf, line...), '\n')
		}
		err := j.append(buf)
		if err == nil {
			j.recs = append(j.recs, recs...)
			j.s.send(writeOp{audit: recs})
		}
		for _, r := range group {
			r.done <- err
		}
		if len(j.recs) >= j.rotateAfter {
			j.rotate()
		}
	}
	j.rotate()
	j.retiring.Wait()
}

// append writes a group's lines at the end of the current file (opening
// the next one if there is none) and syncs it.
func (j *consultationJournal) append(lines []byte) error {
	if j.file == nil {
		f, err := os.OpenFile(j.prefix+strconv.Itoa(j.num), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("consultation journal: %w", err)
		}
		j.file = f
	}
	if _, err := j.file.Write(lines); err != nil {
		return fmt.Errorf("consultation journal: %w", err)
	}
	if err := j.file.Sync(); err != nil {
		return fmt.Errorf("consultation journal: %w", err)
	}
	return nil
}

// rotate closes the current file and retires it in the background: its
// records are written to the database once more (skipped where they are
// stored already) and the file is removed after that commit. A file whose
// records cannot be committed stays, for the next Open.
func (j *consultationJournal) rotate() {
	if j.file == nil {
		return
	}
	f, recs := j.file, j.recs
	j.file, j.recs = nil, nil
	j.num++
	if err := f.Close(); err != nil {
		j.s.log.Error("consultation journal", "err", err)
		return
	}
	if len(recs) == 0 {
		os.Remove(f.Name())
		return
	}
	j.retiring.Go(func() {
		done := make(chan writeResult, 1)
		j.s.send(writeOp{fn: func(tx *sql.Tx) (any, error) { return nil, j.s.insertAudit(tx, recs) }, done: done})
		err := (<-done).err
		if err == nil {
			err = os.Remove(f.Name())
		}
		if err != nil {
			j.s.log.Error("consultation journal kept for the next start", "file", f.Name(), "err", err)
		}
	})
}

// JournalConsultation queues the audit record of a consultation for the
// consultation journal and returns at once; durable returns once the
// record is synced there, without waiting for the writer's commit (see
// consultationJournal).
func (s *Store) JournalConsultation(ctx context.Context, rec storage.AuditRecord) (durable func() error) {
	done := make(chan error, 1)
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return func() error { return storage.ErrClosed }
	}
	select {
	case s.journal.requests <- journalRequest{rec: rec, done: done}:
		return func() error { return <-done }
	case <-ctx.Done():
		err := ctx.Err()
		return func() error { return err }
	}
}
