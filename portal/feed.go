package portal

import (
	"strconv"

	"guichet/portal/storage"
)

// Feed limits.
const (
	DefaultFeedLimit = 100
	MaxFeedLimit     = 1000
)

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
