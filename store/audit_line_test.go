package store

import (
	"encoding/json"
	"testing"
	"time"

	"guichet/complaint"
)

// The journal's hand-made JSON is byte for byte what encoding/json makes
// of the same event, whatever its strings hold.
func TestAuditJSONIsEncodingJSON(t *testing.T) {
	at := time.Date(2026, 12, 2, 13, 4, 5, 123456789, time.UTC)
	odd := []string{"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnew\nline\rcr\bbs\fff",
		"\x00\x01\x1f\x7f", "é à ü — ☃ 😀", "\u2028 and \u2029", "bad \xff utf-8 \xc3", "\xed\xa0\x80 surrogate",
		"list 50", "2026-K7M4-Q9XT"}
	for i, s := range odd {
		for _, ev := range []complaint.AuditEvent{
			{ID: s, At: at, Officer: s, Zone: s, Kind: s, Reference: s, Field: s, Outcome: s, Detail: s},
			{ID: "5402d9e6657f6160", At: at.Add(time.Duration(i) * time.Second), Officer: "off-1", Zone: "5275", Kind: AuditExport, Outcome: OutcomeOK, Detail: s},
			{ID: "x", At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Kind: AuditView, Reference: s, Field: s},
		} {
			want, err := json.Marshal(&ev)
			if err != nil {
				t.Fatal(err)
			}
			if got := appendAuditJSON(nil, &ev); string(got) != string(want) {
				t.Errorf("event with %q:\n got %s\nwant %s", s, got, want)
			}
		}
	}
}
