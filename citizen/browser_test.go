package citizen

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium through chromedp. One browser
// serves the whole test binary (started by the first test that needs it);
// each test gets its own browser context, so cookies are not shared. When
// chromium is missing the tests skip locally and fail under CI=true.

// chrome is the test binary's browser.
var chrome struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chrome.cancel != nil {
		chrome.cancel()
	}
	os.Exit(code)
}

func inCI() bool { return os.Getenv("CI") == "true" }

// chromiumPath finds the browser, or skips (fails under CI).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if inCI() {
		t.Fatal("chromium is not installed: .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed; the browser tests are skipped (apt-get install chromium)")
	return ""
}

// newTab is a tab in a fresh browser context of the shared browser.
func newTab(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	chrome.once.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.WindowSize(1024, 900), chromedp.Flag("lang", "en-GB"))
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(alloc)
		chrome.ctx = ctx
		chrome.cancel = func() { cancelBrowser(); cancelAlloc() }
		chrome.err = chromedp.Do(ctx)
	})
	if chrome.err != nil {
		t.Fatalf("start chromium: %v", chrome.err)
	}
	tab, cancel := chromedp.NewContext(chrome.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tab, cancelTimeout := context.WithTimeout(tab, 20*time.Minute)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return tab
}

// axeSource is axe-core's axe.min.js, found through GUICHET_AXE_JS (.ci/run
// installs the npm package and sets it). Missing: skip locally, fail in CI.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("GUICHET_AXE_JS")
	if path == "" {
		if inCI() {
			t.Fatal("GUICHET_AXE_JS is not set: .ci/run installs axe-core and sets it")
		}
		t.Skip("GUICHET_AXE_JS is not set (path of axe-core's axe.min.js: npm install axe-core); the accessibility checks are skipped")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if inCI() {
			t.Fatalf("axe-core: %v", err)
		}
		t.Skipf("axe-core: %v; the accessibility checks are skipped", err)
	}
	return string(b)
}

// screenshotDir is where the screenshots of a run go: GUICHET_SCREENSHOTS,
// or a new temporary directory (kept, and named in the log, to look at).
var screenshotDir = sync.OnceValues(func() (string, error) {
	if d := os.Getenv("GUICHET_SCREENSHOTS"); d != "" {
		return d, os.MkdirAll(d, 0o755)
	}
	return os.MkdirTemp("", "guichet-form-screens-")
})

// screenshotsAsked reports whether GUICHET_SCREENSHOTS names a folder: then
// the visually-impaired display is photographed too (in French), which
// costs a quarter of that walk's time.
func screenshotsAsked() bool { return os.Getenv("GUICHET_SCREENSHOTS") != "" }

// axeViolation is one rule axe-core found broken.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axeRun checks the page against WCAG 2.1 A and AA and axe's best
// practices, injecting axe-core unless the tab already brings it with every
// page.
func axeRun(ctx context.Context, src string) ([]axeViolation, error) {
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof axe !== 'undefined'`))
	if err != nil {
		return nil, err
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src+";0", chromedp.EvalIgnoreExceptions)); err != nil {
			return nil, fmt.Errorf("inject axe: %w", err)
		}
	}
	type result struct {
		Violations []axeViolation `json:"violations"`
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[result](
		`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, resultTypes: ['violations']})`,
		chromedp.EvalAwaitPromise))
	return r.Violations, err
}

// pageReport is the outcome of one page in one language and display.
type pageReport struct {
	Lang, Display, Page string
	Counts              map[string]int // by impact
}

// walker goes through the form in a tab, checking each page.
type walker struct {
	t       *testing.T
	ctx     context.Context
	base    string
	lang    string
	display string
	axe     string
	narrow  bool // check that nothing overflows a 320 px wide window
	framed  bool // in a zone website's frame: no FAS offered
	shots   bool // save a screenshot of every page
	n       int
	mu      *sync.Mutex
	reports *[]pageReport
}

// check runs axe on the page (0 serious or critical violations), looks
// for overflow at 320 px and saves a screenshot.
func (w *walker) check(name string) {
	w.t.Helper()
	w.n++
	counts := map[string]int{}
	if w.axe != "" {
		vs, err := axeRun(w.ctx, w.axe)
		if err != nil {
			w.t.Fatalf("%s %s %s: axe: %v", w.lang, w.display, name, err)
		}
		for _, v := range vs {
			counts[v.Impact]++
			if v.Impact != "serious" && v.Impact != "critical" {
				w.t.Logf("%s %s %s: %s %s (%s)", w.lang, w.display, name, v.Impact, v.ID, v.Help)
			}
			if v.Impact == "serious" || v.Impact == "critical" {
				var where []string
				for _, n := range v.Nodes {
					where = append(where, n.HTML)
				}
				w.t.Errorf("%s %s %s: %s %s (%s): %s", w.lang, w.display, name, v.Impact, v.ID, v.Help, strings.Join(where, " | "))
			}
		}
	}
	if w.narrow {
		over, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil {
			w.t.Fatal(err)
		}
		if over {
			w.t.Errorf("%s %s %s: the page is wider than the %d px window", w.lang, w.display, name, 320)
		}
		// An answer of the recap has the whole width: beside its change
		// link a national number broke in two.
		squeezed, err := chromedp.Run(w.ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('.summary-row')].filter(r => {
			const v = r.querySelector('.summary-value');
			return v && v.getBoundingClientRect().width < r.getBoundingClientRect().width - 1;
		}).length`))
		if err != nil {
			w.t.Fatal(err)
		}
		if squeezed > 0 {
			w.t.Errorf("%s %s %s: %d answers share their line with something else at 320 px", w.lang, w.display, name, squeezed)
		}
	}
	w.mu.Lock()
	*w.reports = append(*w.reports, pageReport{Lang: w.lang, Display: w.display, Page: name, Counts: counts})
	w.mu.Unlock()
	if !w.shots {
		return
	}
	dir, err := screenshotDir()
	if err != nil {
		w.t.Fatal(err)
	}
	img, err := chromedp.Run(w.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		w.t.Fatalf("screenshot: %v", err)
	}
	file := filepath.Join(dir, fmt.Sprintf("%s-%s-%02d-%s.png", w.lang, w.display, w.n, name))
	if err := os.WriteFile(file, img, 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// open loads a page and waits for it.
func (w *walker) open(path string) {
	w.t.Helper()
	if _, err := chromedp.RunResponse(w.ctx, chromedp.Navigate(w.base+path)); err != nil {
		w.t.Fatalf("open %s: %v", path, err)
	}
}

// submit presses the page's main button and waits for the next page.
func (w *walker) submit() {
	w.t.Helper()
	if _, err := chromedp.RunResponse(w.ctx, chromedp.Click(chromedp.CSS("main form > button.button"), chromedp.NodeVisible)); err != nil {
		w.t.Fatalf("submit: %v", err)
	}
}

func (w *walker) fill(id, value string) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, chromedp.SetValue(chromedp.ID(id), value)); err != nil {
		w.t.Fatalf("fill %s: %v", id, err)
	}
}

func (w *walker) choose(id string) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, chromedp.Click(chromedp.ID(id), chromedp.NodeVisible)); err != nil {
		w.t.Fatalf("choose %s: %v", id, err)
	}
}

func (w *walker) at(path string) {
	w.t.Helper()
	tabAt(w.t, w.ctx, path, w.lang+" "+w.display+": ")
}

// on checks the tab is at page name of the form (under prefix p) and
// checks that page.
func (w *walker) on(p, name string) {
	w.t.Helper()
	w.at(p + name)
	w.check(name)
}

// tabAt fails the test unless the tab's location ends in path; the
// message starts with what.
func tabAt(t *testing.T, ctx context.Context, path, what string) {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, path) {
		t.Fatalf("%sat %s, want %s", what, loc, path)
	}
}

func (w *walker) fillDate(prefix string, t time.Time, withTime bool) {
	w.fill(prefix+"-day", itoa(t.Day()))
	w.fill(prefix+"-month", itoa(int(t.Month())))
	w.fill(prefix+"-year", itoa(t.Year()))
	if withTime {
		w.fill(prefix+"-time", t.Format("15:04"))
	}
}

func (w *walker) text(sel string) string {
	w.t.Helper()
	s, err := chromedp.Run(w.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		w.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// walkForm goes through every page of the form in the walker's language,
// with an error shown on the way, and files a bicycle theft; then the
// status lookup, the page that sends people to the police, and a 404.
func (w *walker) walkForm() {
	p := "/" + w.lang + "/"
	start, end := factDays()
	w.open(p)
	if w.display == "contrast" {
		if _, err := chromedp.RunResponse(w.ctx, chromedp.Click(chromedp.CSS(".display-switch button"))); err != nil {
			w.t.Fatalf("display switch: %v", err)
		}
		on, err := chromedp.Run(w.ctx, chromedp.Evaluate[bool](`document.documentElement.classList.contains('vi')`))
		if err != nil || !on {
			w.t.Fatalf("the display for the visually impaired did not switch on (%v)", err)
		}
	}
	w.check("start")
	w.open(p + "zones/5275/")
	w.check("zone")
	w.open(p + "eligibility")
	w.check("eligibility")
	w.submit()
	w.check("eligibility-errors")
	w.choose("in_belgium")
	w.choose("author_known-no")
	w.choose("violence-no")
	w.submit()
	if !w.framed {
		w.on(p, "identification")
		w.submit()
	}
	w.on(p, "three-numbers")
	w.fill("complainant-identification-national_number", "85073003329")
	w.submit()
	w.check("three-numbers-errors")
	w.fill("complainant-identification-national_number", marc.NationalNumber)
	w.fill("complainant-identification-id_card_number", marc.IDCard)
	w.fill("complainant-identification-sis_card_number", marc.SIS)
	w.submit()
	w.on(p, "about-you")
	w.fill("complainant-first_name", marc.First)
	w.fill("complainant-last_name", marc.Last)
	w.fillDate("complainant-birth_date", time.Date(1985, 7, 30, 0, 0, 0, 0, time.UTC), false)
	w.submit()
	w.on(p, "behalf")
	w.choose("on_behalf_of-kind")
	w.submit()
	w.on(p, "fact-type")
	w.choose("fact_type")
	w.submit()
	w.on(p, "when")
	w.fillDate("facts-started_at", start, true)
	w.fillDate("facts-ended_at", end, true)
	w.submit()
	w.on(p, "where")
	w.fill("facts-place-postal_code", "1348")
	w.submit()
	w.on(p, "municipality")
	w.choose("facts-place-municipality")
	w.submit()
	w.on(p, "street")
	w.fill("facts-place-street", "Rue des Wallons")
	w.fill("facts-place-number", "12")
	w.submit()
	w.on(p, "details")
	w.fill("goods-0-brand", "Gazelle")
	w.fill("goods-0-model", "Esprit")
	w.fill("goods-0-colour", "bleu")
	w.fill("goods-0-value_eur", "450")
	w.choose("goods-0-electric-no")
	w.submit()
	w.on(p, "description")
	w.fill("facts-description", "Vélo attaché devant la gare, cadenas coupé.")
	w.submit()
	w.on(p, "witnesses")
	w.submit()
	w.on(p, "insurance")
	w.submit()
	w.on(p, "contact")
	w.choose("confirmation")
	w.fill("complainant-email", "marc.dubois@example.be")
	w.submit()
	w.on(p, "check")
	w.submit()
	w.on(p, "receipt")
	ref := w.text(".reference")
	w.open(p + "status")
	w.check("status")
	w.fill("reference", ref)
	w.fillDate("birth_date", time.Date(1985, 7, 30, 0, 0, 0, 0, time.UTC), false)
	w.submit()
	w.check("status-result")
	w.open(p + "eligibility")
	w.choose("in_belgium")
	w.choose("author_known-no")
	w.choose("violence")
	w.submit()
	w.on(p, "not-online")
	w.open(p + "no-such-page")
	w.check("not-found")
}

// TestBrowserEveryPageAccessible walks the whole form in a real browser in
// the five languages, in the standard display and in the display for the
// visually impaired (the latter in a 320 px wide window), with axe-core on
// every page: no serious or critical violation. Screenshots of every step
// in the five languages are saved in GUICHET_SCREENSHOTS or a temporary
// directory named in the log.
func TestBrowserEveryPageAccessible(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	src := axeSource(t)
	ts := newFASSite(t)
	var reports []pageReport
	var mu sync.Mutex
	t.Run("walks", func(t *testing.T) {
		for _, lang := range []string{"fr", "nl", "de", "en", "es"} {
			for _, display := range []string{"standard", "contrast"} {
				t.Run(lang+"-"+display, func(t *testing.T) {
					t.Parallel() // two tabs at once keep both cores busy
					tab := newTab(t)
					// axe-core comes with every page (compiled once per
					// tab and cached), not sent again for each check.
					if err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
						_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: src})
						return err
					})); err != nil {
						t.Fatal(err)
					}
					w := &walker{t: t, ctx: tab, base: ts.http.URL, lang: lang, display: display, axe: src,
						shots: display == "standard" || (lang == "fr" && screenshotsAsked()), mu: &mu, reports: &reports}
					if display == "contrast" {
						w.narrow = true
						if err := chromedp.Do(tab, chromedp.EmulateViewport(320, 800)); err != nil {
							t.Fatal(err)
						}
					}
					w.walkForm()
				})
			}
		}
	})
	if dir, err := screenshotDir(); err == nil {
		t.Logf("screenshots in %s", dir)
	}
	t.Log(axeSummary(reports))
}

// axeSummary is one line per page: its violations by impact, over the
// five languages, in each display (the display for the visually impaired
// at 320 px wide).
func axeSummary(reports []pageReport) string {
	type agg struct {
		runs   map[string]int
		counts map[string]map[string]int // display → impact → count
	}
	byPage := map[string]*agg{}
	var order []string
	for _, r := range reports {
		a, ok := byPage[r.Page]
		if !ok {
			a = &agg{runs: map[string]int{}, counts: map[string]map[string]int{}}
			byPage[r.Page] = a
			order = append(order, r.Page)
		}
		a.runs[r.Display]++
		if a.counts[r.Display] == nil {
			a.counts[r.Display] = map[string]int{}
		}
		for k, v := range r.Counts {
			a.counts[r.Display][k] += v
		}
	}
	var b strings.Builder
	b.WriteString("axe-core violations per page, summed over the languages (critical/serious/moderate/minor)\n")
	fmt.Fprintf(&b, "%-22s %-20s %-20s\n", "page", "standard", "visually impaired")
	for _, p := range order {
		a := byPage[p]
		cell := func(display string) string {
			c := a.counts[display]
			if a.runs[display] == 0 {
				return "-"
			}
			return fmt.Sprintf("%d/%d/%d/%d (%d runs)", c["critical"], c["serious"], c["moderate"], c["minor"], a.runs[display])
		}
		fmt.Fprintf(&b, "%-22s %-20s %-20s\n", p, cell("standard"), cell("contrast"))
	}
	return b.String()
}
