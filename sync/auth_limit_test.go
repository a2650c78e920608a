package sync

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
)

// A revoked token whose address has used up its refused authentications
// gets the portal's 429 (WWW-Authenticate, Retry-After) instead of 401: the
// engine says the token is refused and stops, instead of retrying a
// "temporarily unavailable" portal forever; nothing queued is lost.
func TestRevokedTokenPastTheAuthLimitStops(t *testing.T) {
	tp := newTestPortal(t)
	refs := tp.seed(3, 31)
	tok, o := tp.officer("Inspecteur Dupont")
	ws := newWorkstation(t, tp, tok, o, 50)
	ctx := context.Background()
	if err := ws.eng.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ws.act(refs[0], complaint.Action{Type: complaint.ActionClaim}); err != nil {
		t.Fatal(err)
	}
	tp.revoke(tok, o)
	// Use up this address's refused authentications on the real portal.
	limited := false
	for i := 0; i < 100 && !limited; i++ {
		req, _ := http.NewRequest(http.MethodGet, tp.directURL()+"/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		limited = resp.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("the portal never limited refused authentications")
	}

	// A new run (the workstation restarted): its first answer is the 429.
	ws2 := openWorkstationOn(t, tp, ws, tok, o)
	err := ws2.eng.SyncOnce(ctx)
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v, want ErrAuth", err)
	}
	if s := ws2.eng.State(); !s.AuthFailed {
		t.Errorf("state = %+v, want AuthFailed", s)
	}
	for _, lang := range []string{"fr", "nl", "de", "en"} {
		msg := Explain(err, lang)
		if msg == "" || strings.Contains(msg, "429") || strings.Contains(msg, "%") {
			t.Errorf("%s: message %q", lang, msg)
		}
	}
	if msg := Explain(err, "fr"); !strings.Contains(msg, "nouveau jeton") || !strings.Contains(msg, "réessayez dans 1 min") {
		t.Errorf("fr message %q does not say what to do and when", msg)
	}
	if msg := AuthReason(err, "nl"); !strings.Contains(msg, "nieuw token") || !strings.Contains(msg, "te veel") {
		t.Errorf("nl reason %q", msg)
	}
	// Run stops instead of retrying.
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := ws2.eng.Run(rctx, time.Hour); !errors.Is(err, ErrAuth) {
		t.Errorf("Run = %v, want ErrAuth", err)
	}
	if pend, _ := ws.st.PendingActions(ctx, 0); len(pend) != 1 {
		t.Errorf("outbox holds %d, want 1", len(pend))
	}
}

// A 429 without WWW-Authenticate is the limit on refused authentications
// when this engine's token was refused before (an older portal may not say
// it); otherwise it is the portal asking for patience: retried, after its
// Retry-After.
func TestPlain429AfterRefusedTokenIsTheAuthLimit(t *testing.T) {
	tp := newTestPortal(t)
	tp.seed(2, 32)
	tok, o := tp.officer("Inspecteur Dupont")
	ctx := context.Background()

	// A valid token: a 429 is temporary.
	ws := newWorkstation(t, tp, tok, o, 50)
	tp.proxy.add(fault{match: "/v1/", kind: faultStatus, n: http.StatusTooManyRequests})
	err := ws.eng.SyncOnce(ctx)
	if err == nil || errors.Is(err, ErrAuth) || Classify(err) != ProblemPortalDown || !Retryable(err) {
		t.Fatalf("429 for a valid token: %v (%s)", err, Classify(err))
	}
	if err := ws.eng.SyncOnce(ctx); err != nil {
		t.Fatalf("the next round: %v", err)
	}

	// Refused once (401), then a bare 429: the token is the problem.
	tp.revoke(tok, o)
	ws2 := openWorkstationOn(t, tp, ws, tok, o)
	if err := ws2.eng.SyncOnce(ctx); !errors.Is(err, ErrAuth) {
		t.Fatalf("revoked: %v", err)
	}
	tp.proxy.add(fault{match: "/v1/", kind: faultStatus, n: http.StatusTooManyRequests})
	err = ws2.eng.SyncOnce(ctx)
	if !errors.Is(err, ErrAuthLimited) || Classify(err) != ProblemAuthLimited {
		t.Fatalf("429 after a refused token: %v (%s)", err, Classify(err))
	}
}

func TestRetryAfterHoldsTheNextRound(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"": 0, "0": 0, "-5": 0, "nonsense": 0, "120": 2 * time.Minute, "99999999": maxRetryAfter,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", in, got, want)
		}
	}
	bo := backoff{base: backoffBase, max: backoffMax, rnd: func() float64 { return 1 }}
	se := &StatusError{Op: "GET feed", Status: http.StatusTooManyRequests, RetryAfter: 3 * time.Minute}
	if got := retryWait(se, &bo); got != 3*time.Minute {
		t.Errorf("wait after a 429 with Retry-After 180: %s", got)
	}
	if got := retryWait(errors.New("network"), &bo); got > backoffMax {
		t.Errorf("wait without Retry-After: %s", got)
	}
	lim := &StatusError{Status: http.StatusTooManyRequests, AuthLimited: true, RetryAfter: 150 * time.Second}
	if got := Explain(lim, "de"); !strings.Contains(got, "in 3 Min.") {
		t.Errorf("de: %q", got)
	}
}
