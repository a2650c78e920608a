package store

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"guichet/complaint"
)

// recordsEncodedInTx counts the server records a writer compressed inside
// its transaction (tests: a feed page's are compressed before it).
var recordsEncodedInTx atomic.Int64

// recordsEncodedAhead counts the records encodeAhead compressed.
var recordsEncodedAhead atomic.Int64

// encodeAhead compresses the server records of a feed page before its
// transaction starts, on every core: compressing is a fifth of applying a
// page of 100 changes into 100,000 complaints (~80 µs a record), none of
// it needs the cache, and done inside the transaction it kept the write
// connection (and the officer's next action) waiting for it.
//
// During a relist most items repeat what the cache holds and are skipped
// by the transaction: nothing is compressed ahead then.
func (s *Store) encodeAhead(ctx context.Context, items []complaint.FeedItem) (map[*complaint.Record][]byte, error) {
	var recs []*complaint.Record
	for i := range items {
		if r := items[i].Record; !items[i].Tombstone && r != nil {
			recs = append(recs, r)
		}
	}
	if len(recs) == 0 {
		return nil, nil
	}
	if relisting, err := s.Relisting(ctx); err != nil || relisting {
		return nil, err
	}
	out := make([][]byte, len(recs))
	errs := make([]error, len(recs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(recs), 4) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(recs); i = int(next.Add(1) - 1) {
				out[i], errs[i] = encodeRecord(recs[i])
			}
		}()
	}
	wg.Wait()
	recordsEncodedAhead.Add(int64(len(recs)))
	encoded := make(map[*complaint.Record][]byte, len(recs))
	for i, r := range recs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		encoded[r] = out[i]
	}
	return encoded, nil
}

// encodeServer is the stored form of server, the record of a feed item:
// compressed ahead when it was (encodeAhead), now otherwise.
func (w *writer) encodeServer(server *complaint.Record) ([]byte, error) {
	if js, ok := w.encoded[server]; ok {
		return js, nil
	}
	recordsEncodedInTx.Add(1)
	return encodeRecord(server)
}
