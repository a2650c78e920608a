package portal

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"
)

// Feed limits.
const (
	DefaultFeedLimit = 100
	MaxFeedLimit     = 1000
)

// errCursorGone answers a cursor that was not issued for this zone by this
// database (tampered, foreign, another epoch, or ahead of the database).
var errCursorGone = errors.New("cursor gone")

const cursorVersion = 1

// encodeCursor makes an opaque cursor: version, epoch, seq, zone and an
// HMAC over all of them with the database's cursor key.
func (s *Server) encodeCursor(zone string, seq int64) string {
	var b bytes.Buffer
	b.WriteByte(cursorVersion)
	b.Write(s.epoch)
	binary.Write(&b, binary.BigEndian, uint64(seq))
	b.WriteString(zone)
	mac := hmac.New(sha256.New, s.curKey)
	mac.Write(b.Bytes())
	b.Write(mac.Sum(nil)[:16])
	return base64.RawURLEncoding.EncodeToString(b.Bytes())
}

// decodeCursor returns the change sequence of a cursor ("" is the start).
func (s *Server) decodeCursor(zone, cursor string) (int64, error) {
	if cursor == "" {
		return 0, nil
	}
	if len(cursor) > 256 {
		return 0, errCursorGone
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	head := 1 + len(s.epoch) + 8
	if err != nil || len(raw) < head+16 {
		return 0, errCursorGone
	}
	body, sum := raw[:len(raw)-16], raw[len(raw)-16:]
	mac := hmac.New(sha256.New, s.curKey)
	mac.Write(body)
	if !hmac.Equal(sum, mac.Sum(nil)[:16]) {
		return 0, errCursorGone
	}
	if body[0] != cursorVersion || !bytes.Equal(body[1:1+len(s.epoch)], s.epoch) || string(body[head:]) != zone {
		return 0, errCursorGone
	}
	seq := int64(binary.BigEndian.Uint64(body[1+len(s.epoch) : head]))
	var current int64
	if err := s.rdb.QueryRow(`SELECT value FROM change_seq WHERE id = 1`).Scan(&current); err != nil {
		return 0, err
	}
	if seq < 0 || seq > current {
		// Ahead of the database: it was restored from an older backup.
		return 0, errCursorGone
	}
	return seq, nil
}

// wireFeedItem is complaint.FeedItem with the stored record JSON passed
// through as is (no decode and re-encode of every record of a page).
type wireFeedItem struct {
	Reference string          `json:"reference"`
	Version   int64           `json:"version"`
	Tombstone bool            `json:"tombstone,omitempty"`
	Record    json.RawMessage `json:"record,omitempty"`
}

type wireFeedPage struct {
	Items  []wireFeedItem `json:"items"`
	Cursor string         `json:"cursor"`
	More   bool           `json:"more"`
	// Remaining is how many changes follow this page, when the client
	// asked (count=1): a workstation shows a first sync's progress with it.
	Remaining *int64 `json:"remaining,omitempty"`

	last int64 // the change sequence of Cursor
}

// feedPage reads up to limit changes of zone after cursor, in commit order.
func (s *Server) feedPage(zone, cursor string, limit int) (wireFeedPage, error) {
	after, err := s.decodeCursor(zone, cursor)
	if err != nil {
		return wireFeedPage{}, err
	}
	rows, err := s.rdb.Query(`SELECT f.ref, f.seq, f.version, f.tombstone, c.record
		FROM feed f LEFT JOIN complaints c ON f.tombstone = 0 AND c.id = f.cid
		WHERE f.zone = ? AND f.seq > ? ORDER BY f.seq LIMIT ?`, zone, after, limit+1)
	if err != nil {
		return wireFeedPage{}, err
	}
	defer rows.Close()
	page := wireFeedPage{Items: make([]wireFeedItem, 0, min(limit, 64))}
	last := after
	for rows.Next() {
		if len(page.Items) == limit {
			page.More = true
			break
		}
		var it wireFeedItem
		var seq int64
		var rec []byte
		if err := rows.Scan(&it.Reference, &seq, &it.Version, &it.Tombstone, &rec); err != nil {
			return wireFeedPage{}, err
		}
		if !it.Tombstone {
			it.Record = rec
		}
		page.Items = append(page.Items, it)
		last = seq
	}
	if err := rows.Err(); err != nil {
		return wireFeedPage{}, err
	}
	page.Cursor = s.encodeCursor(zone, last)
	page.last = last
	return page, nil
}

// countRemaining sets how many changes of zone follow the page (a count of
// the feed's key range: about 10 ms for 100,000, asked once per sync round).
func (s *Server) countRemaining(zone string, p *wireFeedPage) error {
	var n int64
	if err := s.rdb.QueryRow(`SELECT count(*) FROM feed WHERE zone = ? AND seq > ?`, zone, p.last).Scan(&n); err != nil {
		return err
	}
	p.Remaining = &n
	return nil
}

// appendJSON writes the page as JSON. The stored records were written by
// json.Marshal, so they are copied as they are: encoding/json would scan and
// compact every byte of a RawMessage again, which is most of the cost of a
// 500-item page.
func (p *wireFeedPage) appendJSON(b []byte) []byte {
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
