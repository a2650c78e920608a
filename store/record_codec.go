package store

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"

	"guichet/complaint"
)

// How a complaint's JSON is kept in complaint_json: compressed with zstd
// against a fixed dictionary of example records, so the field names and
// the values every record repeats (statuses, fact types, places, the
// verification checks) cost a few bits instead of ~1 kB a record (measured
// on the portal's demo records: 1,840 → about 300 bytes). Plain JSON (an
// older cache, before migration 8) is read as it is.
//
// The dictionary is part of the file format: a record written with it can
// only be read with the same bytes. Never edit record_dict.jsonl; a better
// dictionary gets a new ID (recordDictID+1) and both are kept for reading.

//go:embed record_dict.jsonl
var recordDict []byte

// recordDictID is the dictionary's ID in each compressed frame's header.
const recordDictID = 1

// zstdMagic starts every zstd frame; JSON starts with '{'.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// storePlainJSON makes the writer store JSON uncompressed: only for tests
// that look for personal data in the bytes of the file.
var storePlainJSON = false

// The encoder and decoder are made on first use (a command that reads
// nothing of a complaint does not pay for them) and shared: EncodeAll and
// DecodeAll are safe for concurrent use.
var (
	recordEncoder = sync.OnceValues(func() (*zstd.Encoder, error) {
		return zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest),
			zstd.WithEncoderDictRaw(recordDictID, recordDict), zstd.WithEncoderCRC(false),
			zstd.WithEncoderConcurrency(2), zstd.WithLowerEncoderMem(true), zstd.WithWindowSize(1<<16))
	})
	recordDecoder = sync.OnceValues(func() (*zstd.Decoder, error) {
		return zstd.NewReader(nil, zstd.WithDecoderDictRaw(recordDictID, recordDict),
			zstd.WithDecoderConcurrency(2), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxMemory(64<<20))
	})
)

// encodeRecord is the stored form of a record.
func encodeRecord(r *complaint.Record) ([]byte, error) {
	js, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("store: encode %s: %w", r.Reference, err)
	}
	return compressJSON(js)
}

// compressJSON is the stored form of a record's JSON.
func compressJSON(js []byte) ([]byte, error) {
	if storePlainJSON {
		return js, nil
	}
	enc, err := recordEncoder()
	if err != nil {
		return nil, fmt.Errorf("store: record encoder: %w", err)
	}
	return enc.EncodeAll(js, make([]byte, 0, len(js)/3)), nil
}

// recordJSON is the JSON of a stored record (compressed or not).
func recordJSON(stored []byte) ([]byte, error) {
	if !bytes.HasPrefix(stored, zstdMagic) {
		return stored, nil
	}
	dec, err := recordDecoder()
	if err != nil {
		return nil, fmt.Errorf("record decoder: %w", err)
	}
	return dec.DecodeAll(stored, make([]byte, 0, 4*len(stored)))
}

// decodeRecord reads a stored record into r.
func decodeRecord(stored []byte, r *complaint.Record) error {
	js, err := recordJSON(stored)
	if err != nil {
		return err
	}
	return json.Unmarshal(js, r)
}
