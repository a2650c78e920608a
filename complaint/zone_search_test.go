package complaint

import "testing"

func TestSearchZones(t *testing.T) {
	r := DefaultRouter()
	cases := []struct {
		q        string
		wantZone string // the best match's code
	}{
		{"5345", "5345"},      // code
		{"Antwerpen", "5345"}, // name
		{"Anvers", "5345"},    // French name
		{"antwerp", "5345"},   // English name
		{"Gand", ""},          // filled below: Gent's zone
		{"Louvain", "5388"},   // French name of Leuven, before Ottignies-Louvain-la-Neuve
		{"Luik", "5277"},      // Dutch name of Liège
		{"Lüttich", "5277"},   // German name
		{"Brussel", "5339"},   // bilingual table name
		{"Bruxelles", "5339"}, // idem
		{"Elsene", "5339"},    // municipality in the zone, Dutch
		{"1050", "5339"},      // postal code of Ixelles
		{"Ixelles", "5339"},   // municipality
		{"Genappe", "5267"},   // municipality of Nivelles/Genappe
		{"1470", "5267"},      // postal code of Genappe
		{"  liège ", "5277"},  // spaces and case
	}
	gent := r.SearchZones("Gent")
	if len(gent) == 0 {
		t.Fatal("Gent finds nothing")
	}
	for _, c := range cases {
		want := c.wantZone
		if c.q == "Gand" {
			want = gent[0].Zone.Code
		}
		got := r.SearchZones(c.q)
		if len(got) == 0 {
			t.Errorf("%q finds nothing, want %s", c.q, want)
			continue
		}
		if got[0].Zone.Code != want {
			t.Errorf("%q: best %s %s (via %q), want %s", c.q, got[0].Zone.Code, got[0].Zone.Name, got[0].Via, want)
		}
	}
	if got := r.SearchZones("   "); len(got) != 0 {
		t.Errorf("empty search finds %d zones", len(got))
	}
	if got := r.SearchZones("Anvers"); got[0].Via == "" {
		t.Error("Anvers: no reason shown for the match")
	}
}

// BenchmarkSearchZones is one keystroke in the forward dialog.
func BenchmarkSearchZones(b *testing.B) {
	r := DefaultRouter()
	r.SearchZones("x") // the index is built once
	for _, q := range []string{"5345", "Anvers", "1050", "lou"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r.SearchZones(q)
			}
		})
	}
}
