package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/portal/storage"
)

func consultation(id string) storage.AuditRecord {
	now := time.Now().UTC()
	return storage.AuditRecord{Origin: "portal", ReceivedAt: now,
		AuditEvent: complaint.AuditEvent{ID: id, At: now, Officer: "o-1", Zone: "5275", Kind: "feed_read", Outcome: "ok", Detail: "limit=100"}}
}

// copyFiles copies the files of the database at path (the database, its
// log, the consultation journal; not the shared memory, which SQLite makes
// again) into dir: what a power cut at this moment leaves on the disk,
// once the data the store synced is there.
func copyFiles(t *testing.T, path, dir string) string {
	t.Helper()
	names, err := filepath.Glob(path + "*")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, "-shm") {
			continue
		}
		in, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.OpenFile(filepath.Join(dir, filepath.Base(name)), os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, filepath.Base(path))
}

func auditIDs(t *testing.T, s *Store) map[string]bool {
	t.Helper()
	all, err := s.Audit(context.Background(), storage.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range all {
		ids[a.ID] = true
	}
	return ids
}

// TestConsultationDurableWhileWriterBusy: the audit record of a
// consultation is durable when its durable returns without waiting
// for the writer, even while the writer is held in a long batch (the
// intakes of a busy hour): the files as they are at that moment open as a
// database whose audit trail has the record.
func TestConsultationDurableWhileWriterBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	running, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() {
		_, err := s.write(ctx, func(tx *sql.Tx) (any, error) {
			close(running)
			<-release
			return nil, nil
		})
		held <- err
	}()
	<-running
	stored := make(chan error, 1)
	go func() { stored <- s.JournalConsultation(ctx, consultation("consult-while-held"))() }()
	select {
	case err := <-stored:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		close(release)
		<-stored
		s.Close()
		t.Fatal("the consultation's record waited for the writer's batch")
	}
	crashed := copyFiles(t, path, t.TempDir())
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := Open(crashed, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	if !auditIDs(t, after)["consult-while-held"] {
		t.Fatal("the consultation's record is not in the audit trail of the database as the power cut left it")
	}
}

// TestConsultationInAuditOnceAppended: a consultation's record is in the
// audit trail (Audit) as soon as its durable returns.
func TestConsultationInAuditOnceAppended(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	for _, id := range []string{"c-1", "c-2", "c-3"} {
		if err := s.JournalConsultation(context.Background(), consultation(id))(); err != nil {
			t.Fatal(err)
		}
		if !auditIDs(t, s)[id] {
			t.Fatalf("%s is not in the audit trail once appended", id)
		}
	}
}

// TestConsultationJournalRetired: a full journal file is removed once its
// records are committed in the database, and Close retires the last one:
// no file is left, and every record is in the audit trail.
func TestConsultationJournalRetired(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.journal.rotateAfter = 2
	ids := []string{"r-1", "r-2", "r-3", "r-4", "r-5"}
	for _, id := range ids {
		if err := s.JournalConsultation(context.Background(), consultation(id))(); err != nil {
			t.Fatal(err)
		}
	}
	s.journal.retiring.Wait() // only the journal's goroutine adds to it, and it is idle
	if names, _, _ := journalFiles(path); len(names) != 1 {
		t.Fatalf("journal files %v, want the current one only", names)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if names, _, _ := journalFiles(path); len(names) != 0 {
		t.Fatalf("journal files %v left after Close", names)
	}
	after, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	got := auditIDs(t, after)
	for _, id := range ids {
		if !got[id] {
			t.Fatalf("%s is not in the audit trail", id)
		}
	}
}

// TestConsultationJournalRecovered: Open inserts the records of the
// journal files a stop left behind, skips a last line cut while it was
// written (its reader was never answered) and removes the files; a record
// stored already is not stored twice.
func TestConsultationJournalRecovered(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.JournalConsultation(context.Background(), consultation("stored-1"))(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var lines []byte
	for _, id := range []string{"stored-1", "left-1", "left-2"} {
		line, _ := json.Marshal(consultation(id))
		lines = append(append(lines, line...), '\n')
	}
	if err := os.WriteFile(journalPrefix(path)+"7", lines, 0o600); err != nil {
		t.Fatal(err)
	}
	line, _ := json.Marshal(consultation("cut-1"))
	if err := os.WriteFile(journalPrefix(path)+"8", line[:len(line)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	after, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	if names, _, _ := journalFiles(path); len(names) != 0 {
		t.Fatalf("journal files %v left after Open", names)
	}
	all, err := after.Audit(context.Background(), storage.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, a := range all {
		count[a.ID]++
	}
	if count["stored-1"] != 1 || count["left-1"] != 1 || count["left-2"] != 1 || count["cut-1"] != 0 {
		t.Fatalf("audit trail after recovery: %v", count)
	}
	if after.journal.num != 9 {
		t.Fatalf("the next journal file is number %d, want 9", after.journal.num)
	}
}

// TestConsultationJournalDamagedLineSkipped: a line of a journal file left
// behind that is not a record (the part written by a write that failed,
// whose reader got an error) does not keep the database from opening: the
// records around it are recovered.
func TestConsultationJournalDamagedLineSkipped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(consultation("before-1"))
	failed, _ := json.Marshal(consultation("failed-1"))
	after, _ := json.Marshal(consultation("after-1"))
	var lines []byte
	lines = append(append(lines, before...), '\n')
	lines = append(lines, failed[:len(failed)/3]...) // a write that failed part way
	lines = append(append(lines, after...), '\n')
	if err := os.WriteFile(journalPrefix(path)+"1", lines, 0o600); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("a damaged journal line keeps the database closed: %v", err)
	}
	defer reopened.Close()
	got := auditIDs(t, reopened)
	if !got["before-1"] {
		t.Fatalf("the record before the damaged line is lost: %v", got)
	}
}

// TestConsultationDurableAskedTwice: a durable asked again answers again
// (the same result), instead of waiting for a sync that never comes.
func TestConsultationDurableAskedTwice(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	durable := s.JournalConsultation(context.Background(), consultation("twice-1"))
	if err := durable(); err != nil {
		t.Fatal(err)
	}
	again := make(chan error, 1)
	go func() { again <- durable() }()
	select {
	case err := <-again:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("durable asked a second time does not answer")
	}
}

// TestConsultationJournalNameDurable: a new journal file's directory is
// synced before the first record written in it is answered for, so a power
// cut cannot take back the file (and its records) with its name.
func TestConsultationJournalNameDurable(t *testing.T) {
	var synced []string
	defer func(f func(string) error) { syncDir = f }(syncDir)
	real := syncDir
	syncDir = func(dir string) error { synced = append(synced, dir); return real(dir) }
	path := filepath.Join(t.TempDir(), "portal.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	synced = nil // opening may sync for its own files
	if err := s.JournalConsultation(context.Background(), consultation("c-1"))(); err != nil {
		t.Fatal(err)
	}
	files, _, err := journalFiles(path)
	if err != nil || len(files) != 1 {
		t.Fatalf("journal files %v, %v; want one", files, err)
	}
	if want := filepath.Dir(files[0]); len(synced) != 1 || synced[0] != want {
		t.Errorf("directories synced before the answer: %q, want [%q]", synced, want)
	}
	if err := s.JournalConsultation(context.Background(), consultation("c-2"))(); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 1 {
		t.Errorf("directories synced after a second record in the same file: %q, want one sync", synced)
	}
}

// TestConsultationDurableBesideSyncUnderWay: a consultation's record does
// not wait for a sync of the journal that started before it was written
// (it could not cover it): its own sync starts at once, beside it. On a
// busy portal a sync's end is seen only once its goroutine has a core
// again, and a reader that waited for another's sync to end before
// starting its own waited for that twice.
func TestConsultationDurableBesideSyncUnderWay(t *testing.T) {
	s := openTemp(t)
	defer s.Close()
	ctx := context.Background()
	// A first record, so the journal file exists and the syncs below are
	// of records only.
	if err := s.JournalConsultation(ctx, consultation("first"))(); err != nil {
		t.Fatal(err)
	}
	inSync, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	defer func(f func(*os.File) error) { syncFile = f }(syncFile)
	real := syncFile
	syncFile = func(f *os.File) error {
		held := false
		once.Do(func() { held = true })
		if held {
			close(inSync)
			<-release
		}
		return real(f)
	}
	defer once.Do(func() {})
	held := make(chan error, 1)
	go func() { held <- s.JournalConsultation(ctx, consultation("held"))() }()
	<-inSync
	beside := make(chan error, 1)
	go func() { beside <- s.JournalConsultation(ctx, consultation("beside"))() }()
	select {
	case err := <-beside:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		close(release)
		<-beside
		<-held
		t.Fatal("a consultation's record waited for a sync under way that started before it was written")
	}
	if !auditIDs(t, s)["beside"] {
		t.Fatal("the record answered for is not in the audit trail")
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if ids := auditIDs(t, s); !ids["held"] || !ids["first"] {
		t.Fatalf("audit trail %v", ids)
	}
}
