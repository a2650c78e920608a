package citizen

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"guichet/portal"
)

// benchPages are the pages measured, each asked with a session that has
// answered everything (the receipt with one that has filed).
var benchPages = []string{"", "eligibility", "three-numbers", "about-you", "behalf", "fact-type", "when", "where",
	"street", "details", "description", "witnesses", "insurance", "contact", "check", "status", "receipt"}

// pageSessions prepares a session that answered everything and one that
// filed, and returns their cookies.
func pageSessions(tb testing.TB, ts *testSite) (answered, filed *http.Cookie) {
	tb.Helper()
	u, _ := url.Parse(ts.http.URL)
	a := ts.browser()
	a.answers("fr", "")
	f := ts.browser()
	f.fileBicycleTheft("fr")
	return a.client.Jar.Cookies(u)[0], f.client.Jar.Cookies(u)[0]
}

func renderPage(h http.Handler, path string, c *http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "http://127.0.0.1"+path, nil)
	req.AddCookie(c)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// BenchmarkPageRender measures the server-side time of each page (go test
// -bench PageRender -count 5 ./citizen; report the median): ns/op is the
// mean, p50-ns the median of the iterations; html-bytes and css-bytes the
// page's weight (the stylesheet is one file shared by every page).
func BenchmarkPageRender(b *testing.B) {
	ts := newTestSite(b, Options{}, portal.Options{})
	answered, filed := pageSessions(b, ts)
	h := ts.form.Handler()
	for _, lang := range []string{"fr"} {
		for _, p := range benchPages {
			c := answered
			if p == "receipt" {
				c = filed
			}
			path := "/" + lang + "/" + p
			b.Run(p, func(b *testing.B) {
				rec := renderPage(h, path, c)
				if rec.Code != 200 {
					b.Fatalf("%s: %d", path, rec.Code)
				}
				var times []time.Duration
				b.ResetTimer()
				for b.Loop() {
					start := time.Now()
					renderPage(h, path, c)
					times = append(times, time.Since(start))
				}
				b.StopTimer()
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
				b.ReportMetric(float64(rec.Body.Len()), "html-bytes")
				b.ReportMetric(float64(len(siteCSS)), "css-bytes")
			})
		}
	}
}

// TestPageWeight: every page with its stylesheet weighs less than 30 kB
// in every language.
func TestPageWeight(t *testing.T) {
	ts := newTestSite(t, Options{}, portal.Options{})
	answered, filed := pageSessions(t, ts)
	h := ts.form.Handler()
	const limit = 30 << 10
	for _, lang := range []string{"fr", "nl", "de", "en", "es"} {
		for _, p := range benchPages {
			c := answered
			if p == "receipt" {
				c = filed
			}
			path := "/" + lang + "/" + p
			rec := renderPage(h, path, c)
			if rec.Code != 200 {
				t.Errorf("%s: %d", path, rec.Code)
				continue
			}
			if size := rec.Body.Len() + len(siteCSS); size > limit {
				t.Errorf("%s: %d bytes with the stylesheet, over %d", path, size, limit)
			}
			if lang == "fr" {
				t.Logf("%-24s html %5d B, with css %5d B", path, rec.Body.Len(), rec.Body.Len()+len(siteCSS))
			}
		}
	}
}
