package store

import (
	"encoding/json"
	"testing"

	"guichet/store/storetest"
)

func BenchmarkScratchEncodeRecord(b *testing.B) {
	recs := storetest.Records(100, 3)
	i := 0
	for b.Loop() {
		if _, err := encodeRecord(&recs[i%100]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkScratchMarshal(b *testing.B) {
	recs := storetest.Records(100, 3)
	i := 0
	for b.Loop() {
		if _, err := json.Marshal(&recs[i%100]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkScratchSearchText(b *testing.B) {
	recs := storetest.Records(100, 3)
	i := 0
	for b.Loop() {
		_ = searchHash(storedSearchText(&recs[i%100]))
		i++
	}
}
