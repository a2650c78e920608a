package citizen

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/portal"
)

// TestBrowserSessionEndNotice: with JavaScript, the notice appears five
// minutes before the answers would be deleted; its button keeps them (the
// notice goes, and comes back five minutes before the new end); when the
// time has passed the page goes to the expiry page.
func TestBrowserSessionEndNotice(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	// Both wait for timers, using hardly any CPU: side by side.
	t.Run("keep", func(t *testing.T) {
		t.Parallel()
		ts := newTestSite(t, Options{IdleTimeout: 5*time.Minute + 3*time.Second}, portal.Options{})
		tab := newTab(t)
		ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
		defer cancel()
		if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(ts.http.URL+"/en/eligibility")); err != nil {
			t.Fatal(err)
		}
		hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('session-warning').hidden`))
		if err != nil || !hidden {
			t.Fatalf("the notice shows at once (hidden %v, %v)", hidden, err)
		}
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("session-warning"))); err != nil {
			t.Fatalf("the notice never showed: %v", err)
		}
		notice, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#session-warning p"), chromedp.NodeVisible))
		if err != nil || !strings.Contains(notice, "will be deleted at") {
			t.Errorf("notice %q (%v)", notice, err)
		}
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("session-keep"), chromedp.NodeVisible),
			chromedp.WaitNotVisible(chromedp.ID("session-warning"))); err != nil {
			t.Fatalf("keep my answers: %v", err)
		}
		// Renewed for the whole idle time: the notice comes back 3 s later,
		// on the same page.
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("session-warning"))); err != nil {
			t.Fatalf("the notice did not come back: %v", err)
		}
		if time.Since(start) < 2*time.Second {
			t.Errorf("the notice came back after %v: the session was not renewed", time.Since(start))
		}
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		if !strings.HasSuffix(loc, "/en/eligibility") {
			t.Errorf("at %s, want the same page", loc)
		}
	})
	t.Run("expire", func(t *testing.T) {
		t.Parallel()
		ts := newTestSite(t, Options{IdleTimeout: 3 * time.Second}, portal.Options{})
		tab := newTab(t)
		ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
		defer cancel()
		if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(ts.http.URL+"/en/eligibility")); err != nil {
			t.Fatal(err)
		}
		// The script asks the page again once the time has passed.
		for loc := ""; !strings.HasSuffix(loc, "/en/expired"); {
			if ctx.Err() != nil {
				t.Fatalf("not on the expiry page (at %s)", loc)
			}
			time.Sleep(200 * time.Millisecond)
			loc, _ = chromedp.Run(ctx, chromedp.Location())
		}
		h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1"), chromedp.NodeVisible))
		if h1 != text("en", "expired_title") {
			t.Errorf("heading %q, want %q", h1, text("en", "expired_title"))
		}
	})
}
