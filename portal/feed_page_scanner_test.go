package portal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"guichet/complaint"
	"guichet/portal/storage"
)

// scannedItem is what the load benchmark's officers read of a feed item.
type scannedItem struct {
	Reference string
	Version   int64
	Tombstone bool
	Status    string // the record's; "" for a tombstone
}

// scannedPage is what the load benchmark's officers read of a feed page.
type scannedPage struct {
	Items  []scannedItem
	Cursor string
	More   bool
}

// feedPageScanner reads feed pages token by token (jsontext): every byte
// is checked to be valid JSON, as encoding/json would, but only the
// members an officer's loop looks at are decoded, and the rest of each
// record is skipped without building anything. encoding/json.Unmarshal of
// a 100-item page into the same few fields scanned each page twice
// (validation, then decoding) and was about a sixth of the benchmark's
// CPU: work of the officers' workstations, done on the portal's cores.
type feedPageScanner struct {
	rd  bytes.Reader
	dec *jsontext.Decoder
}

func (s *feedPageScanner) scan(raw []byte, page *scannedPage) error {
	s.rd.Reset(raw)
	if s.dec == nil {
		s.dec = jsontext.NewDecoder(&s.rd)
	} else {
		s.dec.Reset(&s.rd)
	}
	*page = scannedPage{Items: page.Items[:0]}
	err := s.object(func(name []byte) error {
		switch string(name) {
		case "items":
			return s.array(func() error {
				var it scannedItem
				err := s.object(func(name []byte) error {
					switch string(name) {
					case "reference":
						return s.str(&it.Reference)
					case "version":
						return s.int(&it.Version)
					case "tombstone":
						return s.bool(&it.Tombstone)
					case "record":
						return s.object(func(name []byte) error {
							if string(name) == "status" {
								return s.str(&it.Status)
							}
							return s.dec.SkipValue()
						})
					}
					return s.dec.SkipValue()
				})
				page.Items = append(page.Items, it)
				return err
			})
		case "cursor":
			return s.str(&page.Cursor)
		case "more":
			return s.bool(&page.More)
		}
		return s.dec.SkipValue()
	})
	if err != nil {
		return err
	}
	if _, err := s.dec.ReadToken(); err == nil {
		return errors.New("feed page: data after the page")
	}
	return nil
}

func (s *feedPageScanner) object(member func(name []byte) error) error {
	if err := s.delim('{'); err != nil {
		return err
	}
	for s.dec.PeekKind() == '"' {
		// The name as it is written (valid until the next read): a
		// token's String would allocate for every member of every record.
		raw, err := s.dec.ReadValue()
		if err != nil {
			return err
		}
		name := raw[1 : len(raw)-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			unquoted, err := jsontext.AppendUnquote(nil, raw)
			if err != nil {
				return err
			}
			name = unquoted
		}
		if err := member(name); err != nil {
			return err
		}
	}
	return s.delim('}')
}

func (s *feedPageScanner) array(elem func() error) error {
	if err := s.delim('['); err != nil {
		return err
	}
	for k := s.dec.PeekKind(); k != ']' && k != 0; k = s.dec.PeekKind() {
		if err := elem(); err != nil {
			return err
		}
	}
	return s.delim(']')
}

func (s *feedPageScanner) delim(want jsontext.Kind) error {
	tok, err := s.dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != want {
		return fmt.Errorf("feed page: %v where %v was expected", tok.Kind(), want)
	}
	return nil
}

func (s *feedPageScanner) str(to *string) error {
	tok, err := s.dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '"' {
		return fmt.Errorf("feed page: %v where a string was expected", tok.Kind())
	}
	*to = tok.String()
	return nil
}

func (s *feedPageScanner) int(to *int64) error {
	tok, err := s.dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != '0' {
		return fmt.Errorf("feed page: %v where a number was expected", tok.Kind())
	}
	*to = tok.Int()
	return nil
}

func (s *feedPageScanner) bool(to *bool) error {
	tok, err := s.dec.ReadToken()
	if err != nil {
		return err
	}
	if k := tok.Kind(); k != 't' && k != 'f' {
		return fmt.Errorf("feed page: %v where a boolean was expected", k)
	}
	*to = tok.Bool()
	return nil
}

// TestFeedPageScannerReadsWhatJSONReads holds the load benchmark's page
// scanner to encoding/json on real pages (new, claimed and forwarded
// complaints, the last a tombstone) and to refusing what is not a page.
func TestFeedPageScannerReadsWhatJSONReads(t *testing.T) {
	tp := newTestPortal(t, Options{})
	tok, _ := tp.officer("5275", "Agent")
	refs := tp.fill(5)
	tp.action("5275", refs[1], tok, "a1", complaint.Action{Type: complaint.ActionClaim})
	tp.action("5275", refs[2], tok, "b1", complaint.Action{Type: complaint.ActionClaim})
	if r := tp.action("5275", refs[2], tok, "b2", complaint.Action{Type: complaint.ActionForward, ToZone: "5339", Reason: "Faits à Ixelles"}); r.Status != http.StatusOK {
		t.Fatalf("forward: %d %s", r.Status, r.Body)
	}
	var sc feedPageScanner
	var got scannedPage
	cursor := ""
	for _, limit := range []int{3, 100} {
		_, r := tp.feed("5275", tok, cursor, limit)
		var want complaint.FeedPage
		r.decode(t, &want)
		if err := sc.scan(r.Body, &got); err != nil {
			t.Fatalf("scan: %v\n%s", err, r.Body)
		}
		if got.Cursor != want.Cursor || got.More != want.More || len(got.Items) != len(want.Items) {
			t.Fatalf("scanned %+v, encoding/json %+v", got, want)
		}
		for i, w := range want.Items {
			g := got.Items[i]
			var status complaint.Status
			if w.Record != nil {
				status = w.Record.Status
			}
			if g.Reference != w.Reference || g.Version != w.Version || g.Tombstone != w.Tombstone || g.Status != string(status) {
				t.Errorf("item %d: scanned %+v, encoding/json %+v", i, g, w)
			}
		}
		cursor = want.Cursor
	}
	if len(got.Items) != 2 || got.Items[0].Status != string(complaint.StatusClaimed) || !got.Items[1].Tombstone {
		t.Errorf("pages do not show a claim and a forward: %+v", got.Items)
	}
	for _, bad := range []string{
		``, `[]`, `{"items":[{"reference":"x","record":{"status":"new"}]}`, `{"items":[],"cursor":"c","more":tru}`,
		`{"items":[{"reference":1}],"cursor":"c","more":false}`, `{"items":[],"cursor":"c","more":false} {}`,
		`{"items":[{"reference":"x","record":{"description":"\x01"}}],"cursor":"c","more":false}`,
	} {
		if err := sc.scan([]byte(bad), &got); err == nil {
			t.Errorf("scan(%q) accepted it", bad)
		}
		if json.Valid([]byte(bad)) && bad != `[]` && bad != `{"items":[{"reference":1}],"cursor":"c","more":false}` {
			t.Errorf("%q is valid JSON: the test means invalid input", bad)
		}
	}
}

// BenchmarkFeedPageScan is the load benchmark's check of a 100-item page:
// the scanner, and encoding/json into the same few fields as before.
func BenchmarkFeedPageScan(b *testing.B) {
	now := time.Now().UTC()
	rec := complaint.Record{Submission: *sampleSubmission(now), Reference: "CPL-20260101-ABCDEFGH", Zone: complaint.Zone{Code: "5275"},
		Status: complaint.StatusNew, Version: 1, ReceivedAt: now, UpdatedAt: now}
	var page storage.FeedPage
	for i := range 100 {
		rec.Reference = fmt.Sprintf("CPL-20260101-%08d", i)
		page.Items = append(page.Items, storage.FeedItem{Reference: rec.Reference, Version: 1, Record: mustJSON(rec)})
	}
	page.Cursor, page.More = "abc", true
	raw := appendFeedJSON(nil, page)
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		var sc feedPageScanner
		var p scannedPage
		for b.Loop() {
			if err := sc.scan(raw, &p); err != nil || len(p.Items) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			var p struct {
				Items []struct {
					Reference string
					Record    *struct{ Status complaint.Status }
				}
				Cursor string
				More   bool
			}
			if err := json.Unmarshal(raw, &p); err != nil || len(p.Items) != 100 {
				b.Fatal(err)
			}
		}
	})
}
