package tui

import (
	"strings"
	"testing"
	"time"

	"guichet/complaint"
	"guichet/store/storetest"
)

// TestCopyFormats: what the detail shows beside a value says what copying
// it gives, the copy follows copy_format, the national number is offered
// with and without separators, the country by name (ISLP's form) and by
// code, and the complainant's language is shown.
func TestCopyFormats(t *testing.T) {
	recs := storetest.Records(20, 2)
	tests := []struct {
		name   string
		lang   string
		format CopyFormat
		field  string // key of the field copied
		copied func(r complaint.Record) string
		shown  string // on the field's line
	}{
		{"date copied ISO by default, and said so", "en", CopyFormat{}, "received_at",
			func(r complaint.Record) string {
				return r.ReceivedAt.In(brusselsLoc(t)).Format("2006-01-02 15:04 -07:00")
			},
			"[copied as ISO]"},
		{"date copied as shown", "fr", CopyFormat{DateAsShown: true}, "received_at",
			func(r complaint.Record) string { return r.ReceivedAt.In(brusselsLoc(t)).Format("02/01/2006 15:04") }, ""},
		{"birth date copied ISO in de", "de", CopyFormat{}, "complainant.birth_date",
			func(r complaint.Record) string { return r.Submission.Complainant.BirthDate }, "[Kopie ISO]"},
		{"national number with separators", "en", CopyFormat{}, keyNationalNumber,
			func(r complaint.Record) string {
				n, _ := complaint.ParseNationalNumber(r.Submission.Complainant.Identification.NationalNumber)
				return n.String()
			}, ""},
		{"national number without separators", "nl", CopyFormat{}, keyNationalNumberDigits,
			func(r complaint.Record) string {
				n, _ := complaint.ParseNationalNumber(r.Submission.Complainant.Identification.NationalNumber)
				return n.Digits()
			}, "RRN, alleen cijfers"},
		{"country by name in fr", "fr", CopyFormat{}, keyCountry,
			func(complaint.Record) string { return "Belgique" }, "Pays"},
		{"country by name in nl", "nl", CopyFormat{}, keyCountry,
			func(complaint.Record) string { return "België" }, "Land"},
		{"country code", "de", CopyFormat{}, keyCountryCode,
			func(complaint.Record) string { return "BE" }, "Ländercode"},
		{"complainant's language", "fr", CopyFormat{}, keyLanguage,
			func(r complaint.Record) string {
				return map[string]string{"fr": "français", "nl": "néerlandais", "de": "allemand", "en": "anglais"}[r.Submission.Language]
			}, "Langue du plaignant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, recs, tt.lang, 120, 80)
			h.app.c.CopyFormat = tt.format
			ref := h.queue().SelectedRef()
			h.keys("<enter>")
			d := h.app.Top().(*detailModel)
			var rec complaint.Record
			for _, r := range recs {
				if r.Reference == ref {
					rec = r
				}
			}
			i := -1
			for j, f := range d.fields {
				if f.Key == tt.field {
					i = j
				}
			}
			if i < 0 {
				t.Fatalf("no field %s in the detail:\n%s", tt.field, h.view())
			}
			h.keys(d.labels[i])
			if got, want := h.clip.last(), tt.copied(rec); got != want || want == "" {
				t.Fatalf("copied %q, want %q", got, want)
			}
			line := ""
			for _, l := range strings.Split(h.view(), "\n") {
				if strings.Contains(l, "› "+d.labels[i]+" ") {
					line = l
				}
			}
			if line == "" || !strings.Contains(line, tt.shown) {
				t.Fatalf("field line %q does not show %q", line, tt.shown)
			}
			if tt.shown == "" && strings.Contains(line, "[") {
				t.Fatalf("field line %q has a copy note though the copy is what is shown", line)
			}
		})
	}
}

func brusselsLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
