package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/i18n"
)

func TestCheckServer(t *testing.T) {
	tests := []struct {
		url      string
		insecure bool
		wantErr  bool
		want     string
	}{
		{"https://guichet.example.be", false, false, "https://guichet.example.be"},
		{"https://guichet.example.be/", false, false, "https://guichet.example.be"},
		{"https://guichet.example.be/base/", false, false, "https://guichet.example.be/base"},
		{"http://127.0.0.1:8080", false, false, "http://127.0.0.1:8080"},
		{"http://127.3.4.5:8080", false, false, "http://127.3.4.5:8080"},
		{"http://[::1]:8080", false, false, "http://[::1]:8080"},
		{"http://localhost:8080", false, false, "http://localhost:8080"},
		{"http://LOCALHOST", false, false, "http://LOCALHOST"},
		{"http://guichet.example.be", false, true, ""},
		{"http://10.0.0.1:8080", false, true, ""},
		{"http://localhost.evil.example", false, true, ""},
		{"http://127.0.0.1.nip.io", false, true, ""},
		{"http://guichet.example.be", true, false, "http://guichet.example.be"},
		{"ftp://guichet.example.be", false, true, ""},
		{"guichet.example.be", false, true, ""},
		{"", false, true, ""},
		{"https://user:pw@guichet.example.be", false, true, ""},
		{"https://guichet.example.be/?x=1", false, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := checkServer(tt.url, tt.insecure)
			if (err != nil) != tt.wantErr {
				t.Fatalf("checkServer(%q, %v) error = %v, want error %v", tt.url, tt.insecure, err, tt.wantErr)
			}
			if err == nil && u.String() != tt.want {
				t.Errorf("checkServer(%q) = %q, want %q", tt.url, u, tt.want)
			}
		})
	}
	if _, err := checkServer("http://192.168.1.2", false); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("plain http to a LAN host: err = %v, want ErrInsecureURL", err)
	}
}

func TestBackoffGrowsWithJitterAndCaps(t *testing.T) {
	for _, r := range []float64{0, 0.5, 0.999} {
		b := backoff{base: time.Second, max: 60 * time.Second, rnd: func() float64 { return r }}
		prevHigh := time.Duration(0)
		for i := 0; i < 12; i++ {
			d := b.next()
			full := time.Second << i
			if full > 60*time.Second {
				full = 60 * time.Second
			}
			if d < full/2 || d > full {
				t.Fatalf("r=%v failure %d: wait %v, want in [%v, %v]", r, i, d, full/2, full)
			}
			if full < prevHigh {
				t.Fatalf("cap shrank")
			}
			prevHigh = full
		}
		b.reset()
		if d := b.next(); d > time.Second {
			t.Errorf("after reset: wait %v, want ≤ 1s", d)
		}
	}
}

func TestSubscribeLatestValueNeverBlocks(t *testing.T) {
	var h stateHub
	slow, cancelSlow := h.subscribe()
	defer cancelSlow()
	// Nobody reads slow: many updates must not block.
	done := make(chan struct{})
	go func() {
		for i := 1; i <= 10000; i++ {
			h.update(func(s *State) { s.Pulled = i })
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("updates blocked on a subscriber that does not read")
	}
	got := <-slow
	if got.Pulled != 10000 {
		t.Errorf("slow subscriber got Pulled=%d, want the latest 10000", got.Pulled)
	}
	select {
	case s := <-slow:
		t.Errorf("unexpected second value %+v", s)
	default:
	}
	// A new subscriber starts with the current value; cancel closes.
	ch, cancel := h.subscribe()
	if s := <-ch; s.Pulled != 10000 {
		t.Errorf("new subscriber got %d", s.Pulled)
	}
	cancel()
	cancel() // twice is harmless
	if _, ok := <-ch; ok {
		t.Error("channel not closed by cancel")
	}
	h.update(func(s *State) { s.Pending = 1 }) // no send on a closed channel
}

func TestAuthMessagesInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Languages() {
		if AuthMessage(l) == "" {
			t.Errorf("no ErrAuth message in %s", l)
		}
	}
	if AuthMessage("xx") != ErrAuth.Error() {
		t.Error("fallback is not English")
	}
	se := &StatusError{Op: "GET feed", Status: http.StatusForbidden}
	if !errors.Is(se, ErrAuth) {
		t.Error("403 is not ErrAuth")
	}
	if errors.Is(&StatusError{Status: 404}, ErrAuth) {
		t.Error("404 is ErrAuth")
	}
}

// testPage is a feed page of n items of zone "5275" as the portal writes it.
func testPage(t *testing.T, n int) []byte {
	t.Helper()
	var page complaint.FeedPage
	for i := 0; i < n; i++ {
		ref := fmt.Sprintf("R-%04d", i)
		it := complaint.FeedItem{Reference: ref, Version: int64(i + 1)}
		if i%3 == 2 {
			it.Tombstone = true
		} else {
			it.Record = &complaint.Record{Reference: ref, Zone: complaint.Zone{Code: "5275", Name: "Ottignies"}, Status: complaint.StatusNew, Version: int64(i + 1)}
			it.Record.Facts.Description = "Vélo «volé» \u202e"
		}
		page.Items = append(page.Items, it)
	}
	page.Cursor, page.More = "c2", true
	b, err := json.Marshal(page)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodePageWholeAndEveryTruncation(t *testing.T) {
	raw := testPage(t, 7)
	page, err := decodePage(strings.NewReader(string(raw)), "5275", 10)
	if err != nil {
		t.Fatalf("whole page: %v", err)
	}
	if len(page.Items) != 7 || page.Cursor != "c2" || !page.More {
		t.Fatalf("page = %d items, cursor %q, more %v", len(page.Items), page.Cursor, page.More)
	}
	// Every strict prefix must be refused: a page is applied only whole.
	for cut := 0; cut < len(raw); cut++ {
		if _, err := decodePage(strings.NewReader(string(raw[:cut])), "5275", 10); err == nil {
			t.Fatalf("prefix of %d/%d bytes accepted", cut, len(raw))
		}
	}
}

func TestDecodePageRefusesBadItems(t *testing.T) {
	rec := func(ref, zone string) *complaint.Record {
		return &complaint.Record{Reference: ref, Zone: complaint.Zone{Code: zone}, Status: complaint.StatusNew}
	}
	archived := rec("A", "5275")
	archived.Status = "archived"
	tests := map[string]complaint.FeedPage{
		"other zone":      {Items: []complaint.FeedItem{{Reference: "A", Version: 1, Record: rec("A", "5340")}}, Cursor: "c"},
		"record of other": {Items: []complaint.FeedItem{{Reference: "A", Version: 1, Record: rec("B", "5275")}}, Cursor: "c"},
		"no record":       {Items: []complaint.FeedItem{{Reference: "A", Version: 1}}, Cursor: "c"},
		"no reference":    {Items: []complaint.FeedItem{{Version: 1, Tombstone: true}}, Cursor: "c"},
		"twice":           {Items: []complaint.FeedItem{{Reference: "A", Version: 1, Tombstone: true}, {Reference: "A", Version: 2, Tombstone: true}}, Cursor: "c"},
		"no cursor":       {Items: []complaint.FeedItem{}},
		"unknown status":  {Items: []complaint.FeedItem{{Reference: "A", Version: 1, Record: archived}}, Cursor: "c"},
	}
	for name, p := range tests {
		t.Run(name, func(t *testing.T) {
			b, _ := json.Marshal(p)
			if _, err := decodePage(strings.NewReader(string(b)), "5275", 10); err == nil {
				t.Errorf("accepted %s", b)
			}
		})
	}
	if _, err := decodePage(io.MultiReader(strings.NewReader(`{"items":[],"cursor":"c","more":false,"x":{"y":[1,2]}}`)), "5275", 10); err != nil {
		t.Errorf("unknown field refused: %v", err)
	}
}

// A page's items are decoded on every core: the page keeps the portal's
// order and every field; an item that does not decode anywhere in a large
// page, or more items than twice the limit, refuses the page.
func TestDecodePageKeepsOrderOnEveryCore(t *testing.T) {
	const n = 200
	raw := testPage(t, n)
	page, err := decodePage(strings.NewReader(string(raw)), "5275", n)
	if err != nil {
		t.Fatal(err)
	}
	var want complaint.FeedPage
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(page.Items, want.Items) {
		t.Fatalf("decoded items differ from the page's (order or content)")
	}
	bad := strings.Replace(string(raw), `"version":151`, `"version":"151"`, 1)
	if bad == string(raw) {
		t.Fatal("fixture: item 151 not found")
	}
	if _, err := decodePage(strings.NewReader(bad), "5275", n); err == nil {
		t.Error("page with an item whose version is a string accepted")
	}
	if _, err := decodePage(strings.NewReader(string(raw)), "5275", (n-16)/2-1); err == nil {
		t.Error("page of more than twice the limit accepted")
	}
}
