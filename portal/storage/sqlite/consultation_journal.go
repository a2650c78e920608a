package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
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
// JSON per record appended to a file beside the database and synced, the
// records queued together in one write and one sync (see
// consultationJournal for who makes it). The writer's commit, which an intake group keeps busy for the
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
	done chan struct{} // closed once err is the result of the sync that took it
	err  error
}

// consultationJournal: a request queues its record (JournalConsultation)
// and goes on reading what it will show, while a sync of what is queued
// starts on another goroutine; when the request waits (durable), it finds
// its record synced, or waits for the sync under way that took it, or,
// when none is under way (that goroutine has not had a core yet), leads
// one itself: it takes every record queued (its own and those of requests
// still reading), writes them at the end of the file, syncs it and answers
// them all. On a busy machine each hand-over to another goroutine waits
// for a core: with a journal goroutine woken for each record and the
// reader woken by it, a feed read waited 15 ms at the median around a sync
// of 6 ms under BenchmarkMixedLoad; a request that leads waits for none.
type consultationJournal struct {
	s           *Store
	prefix      string // files are prefix + number
	rotateAfter int
	retiring    sync.WaitGroup

	mu      sync.Mutex
	ended   *sync.Cond // a sync ended (on mu)
	pending []*journalRequest
	syncing bool // a leader is writing and syncing
	started bool // a goroutine was started to lead (queue)

	// Used by the leader only (syncing).
	file *os.File
	num  int
	recs []storage.AuditRecord // the current file's
	buf  []byte
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
// its end (cut while it was written, so never answered) is skipped, and so
// is a line that is not a record (written in part by a write that failed,
// whose reader got an error; the journal then went on in a new file):
// skipped counts those.
func readJournal(name string) (recs []storage.AuditRecord, skipped int, err error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, 0, err
	}
	data = data[:bytes.LastIndexByte(data, '\n')+1] // without a cut last line
	for line := range bytes.Lines(data) {
		var r storage.AuditRecord
		if err := json.Unmarshal(line, &r); err != nil || r.ID == "" {
			skipped++
			continue
		}
		recs = append(recs, r)
	}
	return recs, skipped, nil
}

// recoverJournal inserts the records of the journal files left by the
// last run into the audit table, in one transaction, and removes the
// files. It returns the number the next file takes.
func recoverJournal(ctx context.Context, db *sql.DB, dbPath string, log *slog.Logger) (int, error) {
	names, nums, err := journalFiles(dbPath)
	if err != nil || len(names) == 0 {
		return 1, err
	}
	var recs []storage.AuditRecord
	for _, name := range names {
		r, skipped, err := readJournal(name)
		if err != nil {
			return 0, err
		}
		if skipped > 0 {
			log.Warn("consultation journal: lines that are not records skipped", "file", name, "lines", skipped)
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
	j := &consultationJournal{s: s, prefix: journalPrefix(dbPath), rotateAfter: journalRotateAfter, num: num}
	j.ended = sync.NewCond(&j.mu)
	return j
}

// queue adds a request's record to those the next sync takes, and starts
// a goroutine that leads syncs while records are queued, unless one is
// under way or started.
func (j *consultationJournal) queue(rec storage.AuditRecord) *journalRequest {
	r := &journalRequest{rec: rec, done: make(chan struct{})}
	j.mu.Lock()
	j.pending = append(j.pending, r)
	start := !j.syncing && !j.started
	j.started = j.started || start
	j.mu.Unlock()
	if start {
		go j.syncQueued()
	}
	return r
}

// syncQueued leads syncs while records are queued and no other sync is
// under way.
func (j *consultationJournal) syncQueued() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.started = false
	for !j.syncing && len(j.pending) > 0 {
		j.lead()
	}
}

// wait returns once r is synced (nil) or its sync failed, leading a sync
// when none is under way.
func (j *consultationJournal) wait(r *journalRequest) error {
	j.mu.Lock()
	for {
		select {
		case <-r.done:
			j.mu.Unlock()
			return r.err
		default:
		}
		if j.syncing {
			j.ended.Wait()
			continue
		}
		j.lead()
		if len(j.pending) > 0 && !j.started { // queued during this sync
			j.started = true
			go j.syncQueued()
		}
	}
}

// lead syncs every record queued, with mu held (and released while it
// writes).
func (j *consultationJournal) lead() {
	group := j.pending
	j.pending = nil
	if len(group) == 0 {
		return
	}
	j.syncing = true
	j.mu.Unlock()
	j.buf = j.buf[:0]
	recs := make([]storage.AuditRecord, len(group))
	for i, r := range group {
		recs[i] = r.rec
		line, err := json.Marshal(r.rec)
		if err != nil {
			panic(err) // an AuditRecord always marshals
		}
		j.buf = append(append(j.buf, line...), '\n')
	}
	err := j.append(j.buf)
	if err == nil {
		j.recs = append(j.recs, recs...)
		j.s.send(writeOp{audit: recs})
	}
	for _, r := range group {
		r.err = err
		close(r.done)
	}
	if err != nil || len(j.recs) >= j.rotateAfter {
		// After a failed write the file may end with part of a line: the
		// next records go to a new one.
		j.rotate()
	}
	j.mu.Lock()
	j.syncing = false
	j.ended.Broadcast()
}

// close syncs the records still queued (of requests that did not wait),
// retires the current file and waits for the files being retired. No
// record is queued after it starts (Store.Close).
func (j *consultationJournal) close() {
	j.mu.Lock()
	for j.syncing {
		j.ended.Wait()
	}
	j.lead()
	j.syncing = true // for good: nothing is queued any more
	j.mu.Unlock()
	j.rotate()
	j.retiring.Wait()
}

// append writes a group's lines at the end of the current file (opening
// the next one if there is none) and syncs it.
func (j *consultationJournal) append(lines []byte) error {
	if j.file == nil {
		name := j.prefix + strconv.Itoa(j.num)
		f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			return fmt.Errorf("consultation journal: %w", err)
		}
		// The file's own sync makes its bytes durable, not its name: a
		// power cut could take a new file back with the records it
		// answered for, unless the directory is synced once too.
		if err := syncDir(filepath.Dir(name)); err != nil {
			f.Close()
			os.Remove(name)
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
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return func() error { return storage.ErrClosed }
	}
	r := s.journal.queue(rec)
	return func() error { return s.journal.wait(r) }
}

// syncDir syncs the directory dir, so the names of the files created in it
// survive a power cut (a variable: tests count its calls).
var syncDir = func(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
