package store

import (
	"context"
	"runtime"
	"sync/atomic"

	"guichet/complaint"
)

// recordsEncodedInTx counts the server records a writer compressed itself
// inside its transaction (tests: a feed page's are compressed by
// encodeAhead's workers).
var recordsEncodedInTx atomic.Int64

// recordsEncodedAhead counts the records encodeAhead compressed.
var recordsEncodedAhead atomic.Int64

// aheadRecords are the server records of a feed page prepared by
// encodeAhead's workers on the other cores while the page's transaction
// runs: each record's stored (compressed) form and its search text with
// the text's hash. Compressing is a fifth of applying a page of 100
// changes into 100,000 complaints (~80 µs a record) and making the text
// another tenth; none of it needs the cache. Done inside the transaction it
// kept the write connection (and the officer's next action) waiting for
// it; done before the transaction, the transaction waited for the whole
// page (measured: ~4 ms of an incremental sync of 100 changes on two
// cores). The workers take the records in the page's order, so the
// transaction, which applies them in that order and takes longer per
// record, finds each ready or waits for that one only.
type aheadRecords struct {
	index map[*complaint.Record]int
	recs  []*complaint.Record
	out   []aheadRecord
	next  atomic.Int64
}

type aheadRecord struct {
	done   chan struct{} // closed when the fields below are set
	stored []byte
	err    error
	text   string // storedSearchText of the record
	hash   int64  // searchHash of text
}

// encodeAhead starts preparing the server records of a feed page (nil
// when there is nothing to prepare). During a relist most items repeat
// what the cache holds and are skipped by the transaction: nothing is
// prepared ahead then.
func (s *Store) encodeAhead(ctx context.Context, items []complaint.FeedItem) (*aheadRecords, error) {
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
	a := &aheadRecords{index: make(map[*complaint.Record]int, len(recs)), recs: recs, out: make([]aheadRecord, len(recs))}
	for i, r := range recs {
		a.index[r] = i
		a.out[i].done = make(chan struct{})
	}
	// One core is the transaction's; the others prepare (at least one
	// worker, which keeps ahead of the transaction on its own).
	for range max(1, min(runtime.GOMAXPROCS(0)-1, len(recs), 3)) {
		go a.work()
	}
	return a, nil
}

func (a *aheadRecords) work() {
	for i := int(a.next.Add(1) - 1); i < len(a.recs); i = int(a.next.Add(1) - 1) {
		o := &a.out[i]
		o.stored, o.err = encodeRecord(a.recs[i])
		o.text = storedSearchText(a.recs[i])
		o.hash = searchHash(o.text)
		recordsEncodedAhead.Add(1)
		close(o.done)
	}
}

// get waits for the prepared form of r; false when r is not one of the
// page's records.
func (a *aheadRecords) get(r *complaint.Record) (*aheadRecord, bool) {
	if a == nil {
		return nil, false
	}
	i, ok := a.index[r]
	if !ok {
		return nil, false
	}
	<-a.out[i].done
	return &a.out[i], true
}

// encodeServer is the stored form of server, the record of a feed item:
// prepared by encodeAhead when it was, made now otherwise.
func (w *writer) encodeServer(server *complaint.Record) ([]byte, error) {
	if o, ok := w.ahead.get(server); ok {
		return o.stored, o.err
	}
	recordsEncodedInTx.Add(1)
	return encodeRecord(server)
}

// searchTextOf is storedSearchText(r) and its searchHash, as prepared by
// encodeAhead when r is a record of the feed page.
func (w *writer) searchTextOf(r *complaint.Record) (string, int64) {
	if o, ok := w.ahead.get(r); ok {
		return o.text, o.hash
	}
	text := storedSearchText(r)
	return text, searchHash(text)
}
