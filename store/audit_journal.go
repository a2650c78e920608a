package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"guichet/complaint"
)

// The audit journal holds the audit events of consultations (a detail
// view, a copy, a listing) until the next write transaction takes them
// into the cache's audit table. A read-only command thus writes nothing to
// the database and syncs nothing to the disk (a `guichet list` was five
// fsyncs: the write-ahead log's header, then the checkpoint of the last
// connection's close), and its event is still never lost on a clean exit
// or a crash of the process:
//
//   - an event is one write(2) of one line, appended to <cache>.audit-journal
//     (mode 0600) without fsync: once the write returned, the event is in
//     the kernel's page cache and survives the process, like a commit with
//     synchronous=NORMAL; a power loss before the next synchronous write
//     may take it back, never anything else;
//   - every line starts and ends with a newline and carries the CRC-32 of
//     its JSON: a line torn by a power loss or filled with zeros is
//     skipped as a whole, and cannot swallow the line written after it;
//   - the next synchronous write transaction of any process (an action, a
//     sync's acknowledgements, PendingAudit before a sync pushes) inserts
//     the journal's events into the audit table in its own transaction
//     (an event already there is not stored twice: the id is unique) and
//     empties the journal once committed. A crash between the commit and
//     the emptying only makes the next write insert the same ids again,
//     which it ignores;
//   - appending takes a shared flock(2) on the journal, taking it in takes
//     an exclusive one for the length of the transaction, so an event
//     appended meanwhile is never emptied away unread. A process that
//     finds the journal locked leaves it to the process that holds it.

// auditJournalSuffix names the audit journal beside the cache file.
const auditJournalSuffix = ".audit-journal"

// auditJournal appends consultations' events for one Store.
type auditJournal struct {
	path string
	mu   sync.Mutex
	f    *os.File // opened at the first append
}

// append writes ev as one line of the journal. It waits for the shared
// lock while another process (or this one, on another descriptor) takes
// the journal in, for as long as ctx lasts: a process that holds the
// journal and never lets go (stopped, stuck) must not keep this one from
// ending, and Close waits for an append under way.
func (j *auditJournal) append(ctx context.Context, ev *complaint.AuditEvent) error {
	// "\n" + the CRC-32 of the JSON in 8 hex digits + " " + JSON + "\n".
	line := appendAuditJSON(make([]byte, 10, 256), ev)
	line[0], line[9] = '\n', ' '
	const hex = "0123456789abcdef"
	sum := crc32.ChecksumIEEE(line[10:])
	for i := range 8 {
		line[1+i] = hex[sum>>(28-4*i)&0xf]
	}
	line = append(line, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("store: audit journal: %w", err)
		}
		j.f = f
	}
	if err := flockShared(ctx, j.f); err != nil {
		return fmt.Errorf("store: audit journal: %w", err)
	}
	defer flock(j.f, syscall.LOCK_UN)
	if _, err := j.f.Write(line); err != nil {
		return fmt.Errorf("store: audit journal: %w", err)
	}
	return nil
}

// close closes the journal's file, if open.
func (j *auditJournal) close() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f != nil {
		j.f.Close()
		j.f = nil
	}
}

// flockShared takes a shared lock on f, waiting while another holds it
// exclusively (a journal being taken into a transaction: as long as
// that transaction lasts) until ctx ends.
func flockShared(ctx context.Context, f *os.File) error {
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		err := flock(f, syscall.LOCK_SH|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// flock is flock(2), retried when a signal interrupts it.
func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// journalIntake is the journal being taken into one transaction: its
// file, locked exclusively, and the events read from it.
type journalIntake struct {
	f      *os.File
	events []complaint.AuditEvent
}

// takeJournal locks the journal and reads its events; nil when there is
// nothing to take (no journal, an empty one, one another process is taking
// in now). The caller inserts the events in its transaction and calls done.
func (s *Store) takeJournal() *journalIntake {
	f, err := os.OpenFile(s.path+auditJournalSuffix, os.O_RDWR, 0)
	if err != nil {
		return nil
	}
	if fi, err := f.Stat(); err != nil || fi.Size() == 0 {
		f.Close()
		return nil
	}
	if err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil
	}
	data, err := io.ReadAll(f)
	if err != nil {
		flock(f, syscall.LOCK_UN)
		f.Close()
		return nil
	}
	return &journalIntake{f: f, events: parseJournal(data)}
}

// done empties the journal when the transaction that took its events in
// committed, and unlocks it.
func (ji *journalIntake) done(committed bool) {
	if ji == nil {
		return
	}
	if committed {
		_ = ji.f.Truncate(0)
	}
	flock(ji.f, syscall.LOCK_UN)
	ji.f.Close()
}

// insert stores the journal's events in tx.
func (s *Store) insertJournal(ctx context.Context, tx *sql.Tx, ji *journalIntake) error {
	if ji == nil {
		return nil
	}
	for i := range ji.events {
		if err := s.insertAudit(ctx, tx, &ji.events[i]); err != nil {
			return err
		}
	}
	return nil
}

// parseJournal reads the journal's whole lines; a line that is torn,
// damaged or not an event is skipped.
func parseJournal(data []byte) []complaint.AuditEvent {
	var out []complaint.AuditEvent
	for len(data) > 0 {
		line, rest, found := bytes.Cut(data, []byte{'\n'})
		data = rest
		if !found { // the last line was cut short: not a whole event
			break
		}
		sum, js, ok := bytes.Cut(line, []byte{' '})
		if !ok || len(sum) != 8 {
			continue
		}
		want, err := strconv.ParseUint(string(sum), 16, 32)
		if err != nil || uint32(want) != crc32.ChecksumIEEE(js) {
			continue
		}
		var ev complaint.AuditEvent
		if json.Unmarshal(js, &ev) != nil || ev.ID == "" {
			continue
		}
		out = append(out, ev)
	}
	return out
}
