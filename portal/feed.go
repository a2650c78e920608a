package portal

import (
	"net/http"
	"strconv"

	"guichet/portal/storage"
)

// Feed limits.
const (
	DefaultFeedLimit = 100
	MaxFeedLimit     = 1000
)

// feedBuffers holds the buffers feed pages were written in, for the next
// pages: a page of 100 complaints is about 150 kB, and a fresh buffer for
// each is memory the collector must reclaim (on a busy portal it runs
// several times a second, each time taking a core's share from the
// requests of the moment). A channel, not a sync.Pool, which every
// collection empties: as many as the reads that run at once.
var feedBuffers = make(chan []byte, 8)

// maxPooledFeedBuffer: a larger buffer (a page of up to 1,000 large
// records) is left to the collector rather than kept.
const maxPooledFeedBuffer = 1 << 20

// writeFeedPage answers page (200), written in one write.
func writeFeedPage(w http.ResponseWriter, page storage.FeedPage) {
	size := 128 + len(page.Cursor)
	for _, it := range page.Items {
		size += len(it.Record) + len(it.Reference) + 64
	}
	var b []byte
	select {
	case b = <-feedBuffers:
	default:
	}
	if cap(b) < size {
		b = make([]byte, 0, size)
	}
	b = append(appendFeedJSON(b[:0], page), '\n')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	if cap(b) <= maxPooledFeedBuffer {
		select {
		case feedBuffers <- b:
		default:
		}
	}
}

// appendFeedJSON writes a feed page as JSON (complaint.FeedPage on the
// wire). The stored records were written by json.Marshal, so they are
// copied as they are: encoding/json would scan and compact every byte of a
// RawMessage again, which is most of the cost of a 500-item page.
func appendFeedJSON(b []byte, p storage.FeedPage) []byte {
	b = append(b, `{"items":[`...)
	for i, it := range p.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"reference":`...)
		b = strconv.AppendQuote(b, it.Reference)
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, it.Version, 10)
		if it.Tombstone {
			b = append(b, `,"tombstone":true`...)
		}
		if len(it.Record) > 0 {
			b = append(b, `,"record":`...)
			b = append(b, it.Record...)
		}
		b = append(b, '}')
	}
	b = append(b, `],"cursor":`...)
	b = strconv.AppendQuote(b, p.Cursor) // base64url: plain ASCII
	b = append(b, `,"more":`...)
	b = strconv.AppendBool(b, p.More)
	if p.Remaining != nil {
		b = append(b, `,"remaining":`...)
		b = strconv.AppendInt(b, *p.Remaining, 10)
	}
	return append(b, '}')
}

// parseLimit reads the limit parameter: default when empty, capped.
func parseLimit(v string) (int, bool) {
	if v == "" {
		return DefaultFeedLimit, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, false
	}
	return min(n, MaxFeedLimit), true
}
