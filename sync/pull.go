package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	stdsync "sync"
	"sync/atomic"
	"time"

	"guichet/complaint"
)

// maxPageBytes bounds one feed page on the wire (a hostile or broken server
// must not exhaust the workstation's memory).
const maxPageBytes = 256 << 20

// pull fetches feed pages from the stored cursor until the feed says there
// is no more. Each page and its cursor are applied in one cache transaction,
// so a cut anywhere re-fetches the same page. A 410 (cursor unknown to the
// server: restored or re-created database) starts a relist from scratch; the
// outbox is kept.
func (e *Engine) pull(ctx context.Context) error {
	cursor, err := e.st.Cursor(ctx)
	if err != nil {
		return err
	}
	// A first sync into an empty cache (or an interrupted one resuming)
	// builds most indexes at the end.
	if _, err := e.st.BeginFirstSync(ctx); err != nil {
		return err
	}
	relisted := false
	// The first page of the round asks how many changes follow, so the
	// workstation can show the progress of a long pull.
	count := true
	started := time.Now()
	e.hub.update(func(s *State) { s.PullStarted, s.PulledAt = started, started })
	for {
		page, err := e.fetchPage(ctx, cursor, count)
		var se *StatusError
		if errors.As(err, &se) && se.Status == http.StatusGone {
			if relisted {
				return fmt.Errorf("sync: the portal refused a fresh feed cursor: %w", err)
			}
			relisted = true
			if err := e.st.ResetForRelist(ctx); err != nil {
				return err
			}
			cursor, count = "", true
			continue
		}
		if err != nil {
			e.noteNetwork(err)
			return err
		}
		e.hub.update(func(s *State) { s.Online = true })
		if err := e.st.ApplyFeedPage(ctx, page.Items, page.Cursor); err != nil {
			return err
		}
		n, at := len(page.Items), time.Now()
		e.hub.update(func(s *State) {
			s.Pulled += n
			s.PulledAt = at
			if page.Remaining != nil {
				s.Total = s.Pulled + int(*page.Remaining)
			}
			if s.Total > 0 { // known: more may have come since it was counted
				s.Total = max(s.Total, s.Pulled)
			}
		})
		count = false
		cursor = page.Cursor
		if !page.More {
			// A first sync (this round's or an interrupted earlier one)
			// builds its indexes; a relist ends here: complaints it did
			// not see left the zone.
			if err := e.st.EndFirstSync(ctx); err != nil {
				return err
			}
			_, err := e.st.FinishRelist(ctx)
			return err
		}
		if n == 0 {
			return errors.New("sync: the portal sent an empty page that says there is more")
		}
	}
}

// fetchPage GETs one feed page and decodes it from the body as it arrives:
// items one by one, never the whole body first.
func (e *Engine) fetchPage(ctx context.Context, cursor string, count bool) (complaint.FeedPage, error) {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if count {
		q.Set("count", "1")
	}
	q.Set("limit", strconv.Itoa(e.opts.PageSize))
	resp, err := e.do(ctx, http.MethodGet, e.zonePath()+"/feed?"+q.Encode(), nil, "")
	if err != nil {
		return complaint.FeedPage{}, fmt.Errorf("GET feed: %w", err)
	}
	defer drainClose(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return complaint.FeedPage{}, e.statusError("GET feed", resp)
	}
	_, zone := e.Identity()
	page, err := decodePage(io.LimitReader(resp.Body, maxPageBytes), zone.Code, e.opts.PageSize)
	if err != nil {
		return page, fmt.Errorf("GET feed: %w", err)
	}
	return page, nil
}

// decodePage reads {"items": [...], "cursor": "...", "more": bool} token by
// token and checks every item belongs to zone. A body cut anywhere, even
// after the last item, is an error: a page is applied only whole.
func decodePage(r io.Reader, zone string, limit int) (complaint.FeedPage, error) {
	var page complaint.FeedPage
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return page, err
	}
	seen := map[string]bool{}
	var gotCursor, gotItems bool
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return page, err
		}
		key, _ := tok.(string)
		switch key {
		case "items":
			gotItems = true
			if err := expectDelim(dec, '['); err != nil {
				return page, err
			}
			raw := make([]json.RawMessage, 0, min(limit, 1024))
			for dec.More() {
				if len(raw) >= 2*limit+16 {
					return page, errors.New("feed page larger than asked")
				}
				var it json.RawMessage
				if err := dec.Decode(&it); err != nil {
					return page, err
				}
				raw = append(raw, it)
			}
			if err := expectDelim(dec, ']'); err != nil {
				return page, err
			}
			items, err := decodeItems(raw)
			if err != nil {
				return page, err
			}
			for _, it := range items {
				if err := checkItem(it, zone); err != nil {
					return page, err
				}
				if seen[it.Reference] {
					return page, fmt.Errorf("feed page lists %s twice", it.Reference)
				}
				seen[it.Reference] = true
			}
			page.Items = items
		case "cursor":
			gotCursor = true
			if err := dec.Decode(&page.Cursor); err != nil {
				return page, err
			}
		case "more":
			if err := dec.Decode(&page.More); err != nil {
				return page, err
			}
		case "remaining":
			var n int64
			if err := dec.Decode(&n); err != nil {
				return page, err
			}
			if n < 0 {
				return page, errors.New("feed page: negative remaining count")
			}
			page.Remaining = &n
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return page, err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return page, err
	}
	if !gotItems || !gotCursor || page.Cursor == "" {
		return page, errors.New("feed page without items or cursor")
	}
	return page, nil
}

// decodeItems decodes the items of a page, read as they arrived, on every
// core: decoding a record is most of reading a page (measured: 3.5 ms of
// CPU for 100 changes, on the path of an incremental sync). The first
// item that does not decode, in page order, is the error.
func decodeItems(raw []json.RawMessage) ([]complaint.FeedItem, error) {
	items := make([]complaint.FeedItem, len(raw))
	errs := make([]error, len(raw))
	var next atomic.Int64
	var wg stdsync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(raw)/16, 4)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(raw); i = int(next.Add(1) - 1) {
				errs[i] = json.Unmarshal(raw[i], &items[i])
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return items, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("feed page: want %q, got %v", want, tok)
	}
	return nil
}

// checkItem refuses an item the cache must not store: no reference, a
// record of another complaint or another zone, a live item without record.
func checkItem(it complaint.FeedItem, zone string) error {
	if it.Reference == "" {
		return errors.New("feed item without reference")
	}
	if it.Tombstone {
		return nil
	}
	switch {
	case it.Record == nil:
		return fmt.Errorf("feed item %s without record", it.Reference)
	case it.Record.Reference != it.Reference:
		return fmt.Errorf("feed item %s carries record %s", it.Reference, it.Record.Reference)
	case it.Record.Zone.Code != zone:
		return fmt.Errorf("feed item %s is of zone %s, not %s", it.Reference, it.Record.Zone.Code, zone)
	case !slices.Contains(complaint.Statuses, it.Record.Status):
		// The cache reads its queues status by status (store.Page): a
		// complaint of a status it does not know would be in none.
		return fmt.Errorf("feed item %s has status %q, unknown to this guichet: update guichet", it.Reference, it.Record.Status)
	}
	return nil
}
