package portal

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"guichet/complaint"
	"guichet/portal/storage"
)

// auditEntry is an event the portal records about itself.
type auditEntry struct {
	Officer, Zone, Kind, Ref, Field, Outcome, Detail string
}

// originPortal marks the portal's own audit events.
const originPortal = "portal"

// newID makes the id of a portal audit event: the time in nanoseconds and
// 64 random bits, 32 hex digits that sort in the order they were made, so
// that the audit table's unique (origin, id) index grows at its end
// instead of rewriting a random page of it for every event (the
// write-ahead log of every commit carried one page per audit row).
func newID() string {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, idClock.next())
	rand.Read(b[8:])
	return hex.EncodeToString(b)
}

// idClock is the time of audit ids, in nanoseconds, one more than the last
// when the clock has not moved on.
var idClock monotonicNanos

type monotonicNanos struct{ last atomic.Uint64 }

func (m *monotonicNanos) next() uint64 {
	for {
		last := m.last.Load()
		t := max(uint64(time.Now().UnixNano()), last+1)
		if m.last.CompareAndSwap(last, t) {
			return t
		}
	}
}

// auditRecord is e as stored, at the portal's current time.
func (s *Server) auditRecord(e auditEntry) storage.AuditRecord {
	now := s.now().UTC()
	return storage.AuditRecord{
		AuditEvent: complaint.AuditEvent{ID: newID(), At: now, Officer: e.Officer, Zone: e.Zone, Kind: e.Kind,
			Reference: e.Ref, Field: e.Field, Outcome: e.Outcome, Detail: e.Detail},
		Origin: originPortal, ReceivedAt: now,
	}
}

// auditAsync records an event that changes nothing else and shows no
// complaint (an authentication failure, a read that found nothing) without
// making the request wait for a commit.
func (s *Server) auditAsync(e auditEntry) {
	s.st.AppendAuditLater([]storage.AuditRecord{s.auditRecord(e)})
}

// auditConsultation records that an officer is shown complaints and
// returns once the record is committed, so that nothing leaves the portal
// that its audit trail could miss if the portal stopped the next moment
// (every consultation is audited: EU Directive 2016/680 art. 25). An
// error means the answer must not be given.
func (s *Server) auditConsultation(ctx context.Context, e auditEntry) error {
	return s.startConsultationAudit(ctx, e)()
}

// startConsultationAudit starts storing the record of a consultation and
// returns at once, so that the caller reads what it will show while the
// record is stored; durable waits for it (see auditConsultation). The
// store makes it durable beside the commits of the intakes and actions of
// the moment, not behind them (storage.ConsultationJournal).
func (s *Server) startConsultationAudit(ctx context.Context, e auditEntry) (durable func() error) {
	return s.st.JournalConsultation(ctx, s.auditRecord(e))
}

// Limits on posted audit events.
const (
	maxAuditBatch = 1000
	maxAuditText  = 2000
)

// checkAuditText accepts valid UTF-8 without NUL within the length limit.
func checkAuditText(s string, max int) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0) && len(s) <= max
}

// An audit event a workstation posts with a time more than
// maxAuditFuture after its receipt, or before minAuditTime, cannot be true
// (a clock set wrong, or a forged batch): it is stored at its receipt, with
// the claimed time kept beside it (AuditRecord.ClaimedAt) as the flag.
const maxAuditFuture = 24 * time.Hour

var minAuditTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// storeAuditBatch stores events posted by officer's workstation; an event
// already stored (same officer, same id) is skipped. The officer and zone
// are those of the token, never what the client claims; an impossible time
// is replaced by the time of receipt and kept as claimed_at. Returns how
// many were new.
func (s *Server) storeAuditBatch(ctx context.Context, officer complaint.Officer, zone string, events []complaint.AuditEvent) (int, error) {
	now := s.now().UTC()
	recs := make([]storage.AuditRecord, len(events))
	clamped := 0
	for i, e := range events {
		e.Officer, e.Zone = officer.ID, zone
		r := storage.AuditRecord{AuditEvent: e, Origin: officer.ID, ReceivedAt: now}
		if e.At.After(now.Add(maxAuditFuture)) || e.At.Before(minAuditTime) {
			claimed := e.At.UTC()
			r.ClaimedAt = &claimed
			r.At = now
			clamped++
		}
		recs[i] = r
	}
	n, err := s.st.AppendAudit(ctx, recs)
	if err != nil {
		return 0, err
	}
	if clamped > 0 {
		s.log.Warn("audit events with impossible times stored at their receipt", "officer", officer.ID, "zone", zone, "count", clamped)
	}
	return n, nil
}

// AuditFilter selects audit events; empty fields match everything.
type AuditFilter = storage.AuditFilter

// AuditRecord is one stored audit event.
type AuditRecord = storage.AuditRecord

// Audit lists audit events in the order they were stored.
func (s *Server) Audit(f AuditFilter) ([]AuditRecord, error) {
	return s.st.Audit(context.Background(), f)
}
