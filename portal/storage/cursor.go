package storage

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

// Cursors makes and reads the opaque feed cursors of one database: a
// position in a zone's feed, bound to the zone and to the database's epoch,
// authenticated with its key. Implementations keep the epoch (random, new
// for every new or migrated-by-copy database) and the key in the database,
// so that every node of a portal reads the cursors of the others.
type Cursors struct {
	epoch, key []byte
}

// NewCursors returns the cursors of a database with this epoch and key.
func NewCursors(epoch, key []byte) Cursors {
	return Cursors{epoch: bytes.Clone(epoch), key: bytes.Clone(key)}
}

const cursorVersion = 1

// Encode makes the cursor of position pos in zone's feed.
func (c Cursors) Encode(zone string, pos int64) string {
	var b bytes.Buffer
	b.WriteByte(cursorVersion)
	b.Write(c.epoch)
	binary.Write(&b, binary.BigEndian, uint64(pos))
	b.WriteString(zone)
	mac := hmac.New(sha256.New, c.key)
	mac.Write(b.Bytes())
	b.Write(mac.Sum(nil)[:16])
	return base64.RawURLEncoding.EncodeToString(b.Bytes())
}

// Decode returns the position of a cursor of zone ("" is 0). A cursor
// not made by Encode of these cursors for zone is ErrEpoch. The caller
// still checks the position is not ahead of the database.
func (c Cursors) Decode(zone, cursor string) (int64, error) {
	if cursor == "" {
		return 0, nil
	}
	if len(cursor) > 256 {
		return 0, ErrEpoch
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	head := 1 + len(c.epoch) + 8
	if err != nil || len(raw) < head+16 {
		return 0, ErrEpoch
	}
	body, sum := raw[:len(raw)-16], raw[len(raw)-16:]
	mac := hmac.New(sha256.New, c.key)
	mac.Write(body)
	if !hmac.Equal(sum, mac.Sum(nil)[:16]) {
		return 0, ErrEpoch
	}
	if body[0] != cursorVersion || !bytes.Equal(body[1:1+len(c.epoch)], c.epoch) || string(body[head:]) != zone {
		return 0, ErrEpoch
	}
	pos := int64(binary.BigEndian.Uint64(body[1+len(c.epoch) : head]))
	if pos < 0 {
		return 0, ErrEpoch
	}
	return pos, nil
}

// LoadCursors returns the cursors of a database that keeps its epoch and
// key with keep: keep(name, fresh) stores fresh under name ("epoch",
// "cursor_key") unless a value is stored already, and returns the stored
// one. The first node to open a database makes them; the others, and every
// later opening, read the same.
func LoadCursors(ctx context.Context, keep func(ctx context.Context, name string, fresh []byte) ([]byte, error)) (Cursors, error) {
	epoch := make([]byte, 16)
	key := make([]byte, 32)
	rand.Read(epoch)
	rand.Read(key)
	epoch, err := keep(ctx, "epoch", epoch)
	if err != nil {
		return Cursors{}, fmt.Errorf("read epoch: %w", err)
	}
	key, err = keep(ctx, "cursor_key", key)
	if err != nil {
		return Cursors{}, fmt.Errorf("read cursor_key: %w", err)
	}
	return NewCursors(epoch, key), nil
}
