package citizen

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guichet/portal"
)

// zoneWebsite is a zone's website on another origin than the form
// (localhost against the form's 127.0.0.1: two sites to a browser) that
// frames the form's zone entry point, and has a page whose form posts
// straight to the citizen form (a cross-site request forgery).
func zoneWebsite(t *testing.T) (site *httptest.Server, setForm func(string)) {
	t.Helper()
	var mu sync.Mutex
	form := ""
	site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		f := form
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="fr"><title>Zone de police</title><h1>Zone de police</h1>`+
				`<iframe id="guichet" title="e-guichet" src="%s/fr/zones/5275/" width="1000" height="1400"></iframe>`, f)
		case "/forged":
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="fr"><title>Forged</title><form method="post" action="%s/fr/eligibility">`+
				`<input name="in_belgium" value="yes"><button id="go">Go</button></form>`, f)
		}
	}))
	t.Cleanup(site.Close)
	site.URL = localhostURL(site.URL)
	return site, func(u string) { mu.Lock(); form = u; mu.Unlock() }
}

// frameTab is a context attached to the frame of the tab whose URL starts
// with prefix (a cross-site frame is a target of its own).
func frameTab(t *testing.T, tab context.Context, prefix string) context.Context {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		targets, err := chromedp.Targets(tab)
		if err != nil {
			t.Fatal(err)
		}
		for _, ti := range targets {
			if ti.Type == "iframe" && strings.HasPrefix(ti.URL, prefix) {
				ctx, cancel := chromedp.NewContext(tab, chromedp.WithTargetID(ti.TargetID))
				t.Cleanup(cancel)
				if err := chromedp.Do(ctx); err != nil {
					t.Fatalf("attach to the frame: %v", err)
				}
				return ctx
			}
		}
		if time.Now().After(deadline) {
			var seen []string
			for _, ti := range targets {
				seen = append(seen, string(ti.Type)+" "+ti.URL)
			}
			t.Fatalf("no frame at %s among %v", prefix, seen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserFormWorksInZoneWebsiteFrame: a zone website configured in
// FrameAncestors frames the form, and a citizen files a whole bicycle
// theft inside the frame (the session cookie reaches the framed form);
// a page of that same website that posts to the form directly is refused
// (cross-site request forgery). The FAS is not offered in the frame.
func TestBrowserFormWorksInZoneWebsiteFrame(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	zone, setForm := zoneWebsite(t)
	ts := newSite(t, Options{FrameAncestors: []string{zone.URL}}, portal.Options{}, true)
	setForm(ts.http.URL)
	// walkForm's place, Rue des Wallons in 1348, is in zone 5270.
	token := ts.officer("5270")
	tab := newTab(t)
	if _, err := chromedp.RunResponse(tab, chromedp.Navigate(zone.URL+"/")); err != nil {
		t.Fatal(err)
	}
	frame := frameTab(t, tab, ts.http.URL)
	w := &walker{t: t, ctx: frame, base: ts.http.URL, lang: "fr", display: "framed", framed: true, mu: &sync.Mutex{}, reports: &[]pageReport{}}
	w.walkForm()
	if refs := ts.feedRefs("5270", token); len(refs) != 1 {
		t.Errorf("zone feed %v, want the complaint filed in the frame", refs)
	}

	// A forged post from the zone's own website is refused.
	if _, err := chromedp.RunResponse(tab, chromedp.Navigate(zone.URL+"/forged")); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.RunResponse(tab, chromedp.Click(chromedp.ID("go"), chromedp.NodeVisible))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusForbidden {
		t.Errorf("a cross-site post: %d, want 403", resp.Status)
	}
}
