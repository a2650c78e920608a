package portal

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
)

// consultations are the requests that show an officer complaints.
func consultations(ref string) []struct{ name, path, kind string } {
	return []struct{ name, path, kind string }{
		{"feed", "/v1/zones/5275/feed?limit=10", "feed_read"},
		{"view", "/v1/zones/5275/complaints/" + ref, "view"},
	}
}

// TestConsultationAnsweredOnceAudited: a feed page or a complaint is
// answered only once the audit record of its reading is durable
// (JournalConsultation's durable returns once it is synced). While the database is slow to
// commit it the officer gets nothing; then the answer comes, and its audit
// record is in the database by then.
func TestConsultationAnsweredOnceAudited(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	ref := tp.seed("5275", 1)[0]
	for _, c := range consultations(ref) {
		t.Run(c.name, func(t *testing.T) {
			before := countAudit(t, tp.srv, c.kind, "ok")
			held := make(chan struct{})
			tp.store.mu.Lock()
			tp.store.auditHeld = held
			tp.store.mu.Unlock()
			release := func() {
				tp.store.mu.Lock()
				tp.store.auditHeld = nil
				tp.store.mu.Unlock()
				close(held)
			}
			answered := make(chan reply, 1)
			go func() { answered <- tp.do("GET", c.path, tok, "", nil) }()
			select {
			case r := <-answered:
				release()
				t.Fatalf("answered %d before its audit record was committed", r.Status)
			case <-time.After(300 * time.Millisecond):
			}
			release()
			r := <-answered
			if r.Status != http.StatusOK {
				t.Fatalf("after the lock: %d %s", r.Status, r.Body)
			}
			if n := countAudit(t, tp.srv, c.kind, "ok"); n != before+1 {
				t.Fatalf("%d %s audit records when the answer came, want %d", n, c.kind, before+1)
			}
		})
	}
}

// TestFeedPageReadWhileItsAuditCommits: the audit record of a feed read
// is committed while the page is read, not after: the officer waits for
// the longer of the two, not their sum. (The answer still waits for the
// commit: TestConsultationAnsweredOnceAudited.)
func TestFeedPageReadWhileItsAuditCommits(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	tp.seed("5275", 3)
	before := countAudit(t, tp.srv, "feed_read", "ok")
	held := make(chan struct{})
	tp.store.mu.Lock()
	tp.store.feedHeld = held
	tp.store.mu.Unlock()
	answered := make(chan reply, 1)
	go func() { answered <- tp.do("GET", "/v1/zones/5275/feed?limit=10", tok, "", nil) }()
	deadline := time.Now().Add(10 * time.Second)
	for countAudit(t, tp.srv, "feed_read", "ok") == before {
		if time.Now().After(deadline) {
			close(held)
			<-answered
			t.Fatal("the feed read's audit record was not committed while the page was being read")
		}
		time.Sleep(5 * time.Millisecond)
	}
	tp.store.mu.Lock()
	tp.store.feedHeld = nil
	tp.store.mu.Unlock()
	close(held)
	r := <-answered
	if r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	var page complaint.FeedPage
	r.decode(t, &page)
	if len(page.Items) != 3 {
		t.Fatalf("%d items, want 3", len(page.Items))
	}
}

// TestConsultationNotShownWhenAuditFails: when the audit record of a
// reading cannot be stored, the officer gets 500 and not the complaints.
func TestConsultationNotShownWhenAuditFails(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	ref := tp.seed("5275", 1)[0]
	tp.store.fail("JournalConsultation")
	for _, c := range consultations(ref) {
		t.Run(c.name, func(t *testing.T) {
			r := tp.do("GET", c.path, tok, "", nil)
			if r.Status != http.StatusInternalServerError || r.apiError(t).Code != complaint.CodeInternal {
				t.Fatalf("%d %s, want 500", r.Status, r.Body)
			}
			if strings.Contains(string(r.Body), ref) {
				t.Fatalf("the complaint was shown: %s", r.Body)
			}
		})
	}
}
