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
// JSON per record appended to a file beside the database and synced (see
// consultationJournal for who writes and who syncs). The writer's commit,
// which an intake group keeps busy for the time of its statements and of a
// sync of the log, is not on a consultation's path: two files sync side by
// side. Once synced, the records go to the writer like AppendAuditLater's
// and reach the audit table with its next commit; Audit waits for that
// commit, so a record a reader was answered after is always listed.
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

// journalRequest is a consultation's record written in a journal file:
// durable once the file is synced past end.
type journalRequest struct {
	file *journalFile
	end  int   // its record is file.recs[end-1]
	err  error // writing it failed
}

// journalFile is a journal file and the records written in it.
type journalFile struct {
	f      *os.File
	recs   []storage.AuditRecord // written, in order
	synced int                   // recs[:synced] are durable and handed to the writer
	syncs  int                   // syncs under way
	// syncing: the syncs under way cover recs[:syncing] (when syncs > 0).
	syncing int
	failed  error // a write or a sync failed: what was not synced before never will be
	full    bool  // nothing more is written to it
	closed  bool
}

// consultationJournal: a request writes its record at the end of the
// current file as it starts (JournalConsultation: one short write, under
// mu, so that lines never mix) and goes on reading what it will show,
// while a goroutine started for it syncs the file (syncAhead), unless a
// sync that covers the record is under way. When the request waits
// (durable), it finds its record synced, or waits for a sync under way
// that covers it, or syncs the file itself at once, even while another
// sync is under way: one that started before this record was written
// cannot cover it. A reader that waited for such a sync to end before
// starting its own (the journal's previous design, a leader syncing for a
// group) waited, on a busy machine, for two syncs and the hand-overs
// between them, each waiting for a core.
type consultationJournal struct {
	s           *Store
	prefix      string // files are prefix + number
	rotateAfter int
	retiring    sync.WaitGroup

	mu      sync.Mutex
	ended   *sync.Cond     // a sync ended (on mu)
	started bool           // a syncAhead goroutine is started and has not run yet
	cur     *journalFile   // where records are written; nil: the next one opens a new file
	open    []*journalFile // files not closed yet (cur, and full ones with syncs to come)
	num     int            // the number of the next file
	closed  bool
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

// queue writes rec at the end of the current file (opening a new one if
// there is none) and starts a goroutine that syncs it, unless one is
// started already.
func (j *consultationJournal) queue(rec storage.AuditRecord) *journalRequest {
	line, err := json.Marshal(rec)
	if err != nil {
		panic(err) // an AuditRecord always marshals
	}
	line = append(line, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return &journalRequest{err: storage.ErrClosed}
	}
	if j.cur == nil {
		f, err := j.create()
		if err != nil {
			return &journalRequest{err: err}
		}
		j.cur = &journalFile{f: f}
		j.open = append(j.open, j.cur)
	}
	jf := j.cur
	if _, err := jf.f.Write(line); err != nil {
		// The file may end with part of a line: the next records go to
		// a new one.
		err = fmt.Errorf("consultation journal: %w", err)
		jf.failed, jf.full, j.cur = err, true, nil
		j.retireIfDone(jf)
		return &journalRequest{err: err}
	}
	jf.recs = append(jf.recs, rec)
	if len(jf.recs) >= j.rotateAfter {
		jf.full, j.cur = true, nil
	}
	if !j.started {
		j.started = true
		go j.syncAhead(jf)
	}
	return &journalRequest{file: jf, end: len(jf.recs)}
}

// syncAhead syncs jf while the requests whose records it holds read what
// they will show, unless what they wrote is synced or a sync that covers
// it is under way.
func (j *consultationJournal) syncAhead(jf *journalFile) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.started = false
	if jf.closed || jf.failed != nil || jf.synced == len(jf.recs) || (jf.syncs > 0 && jf.syncing == len(jf.recs)) {
		return
	}
	j.sync(jf)
}

// create creates the next journal file.
func (j *consultationJournal) create() (*os.File, error) {
	name := j.prefix + strconv.Itoa(j.num)
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("consultation journal: %w", err)
	}
	// The file's own sync makes its bytes durable, not its name: a power
	// cut could take a new file back with the records it answered for,
	// unless the directory is synced once too.
	if err := syncDir(filepath.Dir(name)); err != nil {
		f.Close()
		os.Remove(name)
		return nil, fmt.Errorf("consultation journal: %w", err)
	}
	j.num++
	return f, nil
}

// wait returns once r's record is synced (nil), syncing its file unless a
// sync that started after r was written did.
func (j *consultationJournal) wait(r *journalRequest) error {
	if r.err != nil {
		return r.err
	}
	jf := r.file
	j.mu.Lock()
	defer j.mu.Unlock()
	for jf.synced < r.end {
		switch {
		case jf.failed != nil:
			return jf.failed
		case jf.syncs > 0 && jf.syncing >= r.end:
			j.ended.Wait() // a sync that covers r is under way
		default:
			j.sync(jf)
		}
	}
	return nil
}

// sync syncs jf, with mu held (and released during the sync), and hands
// the records it made durable to the writer before they count as synced:
// a reader answered once its record is synced finds it in Audit.
func (j *consultationJournal) sync(jf *journalFile) {
	upTo := len(jf.recs)
	jf.syncs++
	jf.syncing = max(jf.syncing, upTo)
	j.mu.Unlock()
	err := syncFile(jf.f)
	j.mu.Lock()
	jf.syncs--
	switch {
	case jf.failed != nil:
		// After a failed sync a later one may succeed without the lost
		// pages: nothing of the file counts as synced any more.
	case err != nil:
		jf.failed = fmt.Errorf("consultation journal: %w", err)
		jf.full = true
		if j.cur == jf {
			j.cur = nil
		}
	case upTo > jf.synced:
		j.s.send(writeOp{audit: slices.Clone(jf.recs[jf.synced:upTo])})
		jf.synced = upTo
	}
	j.retireIfDone(jf)
	j.ended.Broadcast()
}

// retireIfDone closes a full file once no sync of it is under way and
// every record written in it is synced (or can no longer be: a write or
// sync failed), and retires it in the background: its synced records are
// written to the database once more (skipped where they are stored
// already) and the file is removed after that commit. A file whose
// records cannot be committed stays, for the next Open.
func (j *consultationJournal) retireIfDone(jf *journalFile) {
	if !jf.full || jf.closed || jf.syncs > 0 || (jf.synced < len(jf.recs) && jf.failed == nil) {
		return
	}
	jf.closed = true
	j.open = slices.DeleteFunc(j.open, func(o *journalFile) bool { return o == jf })
	f, recs := jf.f, jf.recs[:jf.synced]
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

// close syncs the records of requests that did not wait, retires every
// file and waits for the files being retired. No record is written after
// it starts (Store.Close).
func (j *consultationJournal) close() {
	j.mu.Lock()
	j.closed, j.cur = true, nil
	for len(j.open) > 0 {
		jf := j.open[0]
		jf.full = true
		if jf.synced < len(jf.recs) && jf.failed == nil {
			j.sync(jf) // retires it when it is done
			continue
		}
		if jf.syncs > 0 { // a request's sync: it retires it
			j.ended.Wait()
			continue
		}
		j.retireIfDone(jf)
	}
	j.mu.Unlock()
	j.retiring.Wait()
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

// syncFile syncs a journal file (a variable: tests hold a sync under way).
var syncFile = (*os.File).Sync

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
