package complaint

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// readDataCSV reads a file of data/ independently of the router's own parser,
// so the tests compare the router with the data rather than with itself.
func readDataCSV(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open("data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows[1:]
}

// zoneOfNIS is zones.csv as NIS → the zone the data says.
func zoneOfNIS(t testing.TB) map[string]Zone {
	m := map[string]Zone{}
	for _, row := range readDataCSV(t, "zones.csv") {
		z := Zone{Code: row[0], Name: row[1]}
		if z.Code == "" {
			z.Code, z.Provisional = provisionalCode(z.Name), true
		}
		m[row[2]] = z
	}
	return m
}

func routeErrCode(t *testing.T, err error) string {
	t.Helper()
	var ce *CodedError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a *CodedError", err)
	}
	return ce.Code
}

var zoneCodeSyntax = regexp.MustCompile(`^([0-9]{4}|prov-[a-z0-9]+(-[a-z0-9]+)*)$`)

func TestEmbeddedZoneTable(t *testing.T) {
	r := DefaultRouter()
	zones := r.Zones()
	if len(zones) != 176 {
		t.Errorf("%d zones, want 176", len(zones))
	}
	if n := len(r.Municipalities("")); n != 565 {
		t.Errorf("%d municipalities, want 565", n)
	}
	var provisional []string
	total := 0
	for i, z := range zones {
		if i > 0 && zones[i-1].Code >= z.Code {
			t.Errorf("zones not sorted by code at %q", z.Code)
		}
		if !zoneCodeSyntax.MatchString(z.Code) || url.PathEscape(z.Code) != z.Code {
			t.Errorf("zone code %q is not URL-path safe", z.Code)
		}
		if z.Provisional != strings.HasPrefix(z.Code, ProvisionalPrefix) {
			t.Errorf("zone %+v: Provisional and code prefix disagree", z)
		}
		if z.Provisional {
			provisional = append(provisional, z.Code)
		}
		got, ok := r.Zone(z.Code)
		if !ok || got != z {
			t.Errorf("Zone(%q) = %+v, %v", z.Code, got, ok)
		}
		munis := r.Municipalities(z.Code)
		if len(munis) == 0 {
			t.Errorf("zone %s has no municipality", z.Code)
		}
		for _, m := range munis {
			if m.Zone != z {
				t.Errorf("municipality %s lists zone %+v under %s", m.NIS, m.Zone, z.Code)
			}
		}
		total += len(munis)
	}
	if total != 565 {
		t.Errorf("zones hold %d municipalities, want 565", total)
	}
	want := []string{"prov-carma", "prov-haspengouw", "prov-noord-limburg", "prov-scheldewaas", "prov-vlaamse-ardennen"}
	if !reflect.DeepEqual(provisional, want) {
		t.Errorf("provisional zones %v, want %v", provisional, want)
	}
	if _, ok := r.Zone("9999"); ok {
		t.Error("Zone(9999) found")
	}
	if r.Municipalities("9999") != nil {
		t.Error("Municipalities(9999) not nil")
	}
}

// TestZonesIndexAgrees checks the router against zones_index.csv, the
// per-zone summary compiled with the data: code, name, size and status.
func TestZonesIndexAgrees(t *testing.T) {
	r := DefaultRouter()
	rows := readDataCSV(t, "zones_index.csv")
	if len(rows) != len(r.Zones()) {
		t.Errorf("zones_index.csv has %d zones, router %d", len(rows), len(r.Zones()))
	}
	for _, row := range rows {
		code, name, status := row[0], row[1], row[3]
		n, _ := strconv.Atoi(row[2])
		if code == "" {
			code = provisionalCode(name)
		}
		z, ok := r.Zone(code)
		if !ok || z.Name != name {
			t.Errorf("zone %s %q: router has %+v, %v", code, name, z, ok)
			continue
		}
		if z.Provisional != (status == "unknown") {
			t.Errorf("zone %s: provisional %v but code_status %s", code, z.Provisional, status)
		}
		if got := len(r.Municipalities(code)); got != n {
			t.Errorf("zone %s: %d municipalities, index says %d", code, got, n)
		}
	}
}

// TestRouteEveryPostcodeRow walks every row of the embedded postal data: the
// postal code with its locality (or the municipality name of the sector file)
// routes to exactly the zone zones.csv gives for its NIS code; without a
// name it routes there too unless the postal code spans zones.
func TestRouteEveryPostcodeRow(t *testing.T) {
	r := DefaultRouter()
	want := zoneOfNIS(t)
	type row struct{ pc, name, nis string }
	var rows []row
	for _, rec := range readDataCSV(t, "postcodes.csv") {
		rows = append(rows, row{rec[0], rec[1], rec[2]})
	}
	extra := readDataCSV(t, "postcodes_extra_sector_based.csv")
	for _, rec := range extra {
		rows = append(rows, row{rec[0], rec[2], rec[1]})
	}
	if len(rows) != 2818+15 {
		t.Fatalf("%d rows, want 2818 + 15", len(rows))
	}
	zonesOfPostcode := map[string]map[Zone]bool{}
	for _, rw := range rows {
		if zonesOfPostcode[rw.pc] == nil {
			zonesOfPostcode[rw.pc] = map[Zone]bool{}
		}
		zonesOfPostcode[rw.pc][want[rw.nis]] = true
	}
	spanning := 0
	for _, rw := range rows {
		exp, ok := want[rw.nis]
		if !ok {
			t.Fatalf("NIS %s of postal code %s is not in zones.csv", rw.nis, rw.pc)
		}
		got, err := r.Route(Place{PostalCode: rw.pc, Municipality: rw.name})
		if err != nil || got != exp {
			t.Errorf("%s %q (NIS %s): got %+v, %v; want %+v", rw.pc, rw.name, rw.nis, got, err, exp)
		}
		got, err = r.Route(Place{PostalCode: rw.pc})
		if len(zonesOfPostcode[rw.pc]) == 1 {
			if err != nil || got != exp {
				t.Errorf("%s without municipality: got %+v, %v; want %+v", rw.pc, got, err, exp)
			}
		} else {
			spanning++
			if err == nil || routeErrCode(t, err) != ErrAmbiguousPlace {
				t.Errorf("%s spans %d zones, without municipality: got %+v, %v; want %s", rw.pc, len(zonesOfPostcode[rw.pc]), got, err, ErrAmbiguousPlace)
			}
		}
	}
	// 8 of the 10 border sectors join a postal code to a municipality of
	// another zone (3680 and 4671 stay within one zone).
	n := 0
	for _, zs := range zonesOfPostcode {
		if len(zs) > 1 {
			n++
		}
	}
	if n != 8 || spanning == 0 {
		t.Errorf("%d postal codes span zones, want 8", n)
	}
}

func TestRouteSampleByCode(t *testing.T) {
	r := DefaultRouter()
	for _, tc := range []struct {
		pc, municipality, code, name string
	}{
		{"1340", "", "5275", "Ottignies-Louvain-la-Neuve"},
		{"1340", "Ottignies", "5275", "Ottignies-Louvain-la-Neuve"},
		{"9000", "", "5415", "Gent"},
		{"9000", "Gent", "5415", "Gent"},
		{"2000", "", "5345", "Antwerpen"},
		{"1000", "", "5339", "Bruxelles-Capitale/Ixelles - Brussel HOOFDSTAD/Elsene"},
		{"1000", "Bruxelles", "5339", "Bruxelles-Capitale/Ixelles - Brussel HOOFDSTAD/Elsene"},
		{"1390", "", "5272", "Ardennes Brabançonnes"},
		{"1390", "Grez-Doiceau", "5272", "Ardennes Brabançonnes"},
	} {
		got, err := r.Route(Place{PostalCode: tc.pc, Municipality: tc.municipality})
		want := Zone{Code: tc.code, Name: tc.name}
		if err != nil || got != want {
			t.Errorf("%s %q: got %+v, %v; want %+v", tc.pc, tc.municipality, got, err, want)
		}
	}
}

func TestRoute(t *testing.T) {
	r := DefaultRouter()
	brussels := "5339"
	for _, tc := range []struct {
		name, pc, municipality string
		code                   string // zone code, or "" with err
		err                    string
	}{
		{"unknown postal code", "9999", "", "", ErrUnknownPostalCode},
		{"unknown postal code with a municipality", "9999", "Gent", "", ErrUnknownPostalCode},
		{"empty postal code", "", "Gent", "", ErrUnknownPostalCode},
		{"five digits", "10000", "", "", ErrUnknownPostalCode},
		{"letters", "B-1000", "", "", ErrUnknownPostalCode},
		{"spaces around", " 1000 ", "", brussels, ""},

		// Postal codes absent from the bpost list, taken from the sector file.
		{"1031 absent from bpost", "1031", "", brussels, ""},
		{"1041", "1041", "", brussels, ""},
		{"1052 Saint-Gilles", "1052", "", "5341", ""},
		{"1931 Zaventem", "1931", "Zaventem", "5400", ""},

		// Border postal codes: the municipality settles, or it is ambiguous.
		{"1070 without municipality", "1070", "", "", ErrAmbiguousPlace},
		{"1070 Anderlecht", "1070", "Anderlecht", "5341", ""},
		{"1070 Bruxelles", "1070", "Bruxelles", brussels, ""},
		{"1070 Brussel upper case", "1070", "BRUSSEL", brussels, ""},
		{"1070 a locality of Bruxelles", "1070", "Laken", brussels, ""},
		{"1070 unknown name", "1070", "Cureghem-Nord", "", ErrAmbiguousPlace},
		{"1070 names another municipality", "1070", "Ixelles", "", ErrMunicipalityMismatch},
		{"1348 without municipality", "1348", "", "", ErrAmbiguousPlace},
		{"1348 Louvain la Neuve", "1348", "louvain la neuve", "5275", ""},
		{"1348 Mont-St-Guibert", "1348", "Mont-St-Guibert", "5270", ""},
		{"1400 Seneffe", "1400", "Seneffe", "5335", ""},
		{"1400 a locality of Nivelles", "1400", "Monstreux", "5267", ""},
		{"4000 Saint Nicolas", "4000", "Saint Nicolas", "5284", ""},
		{"4000 St-Nicolas", "4000", "St-Nicolas", "5284", ""},
		{"4000 Liège without accent", "4000", "liege", "5277", ""},
		{"6870 Saint-Hubert", "6870", "Saint-Hubert", "5302", ""},
		{"6870 Libramont", "6870", "Libramont-Chevigny", "5301", ""},
		{"8680 Middelkerke", "8680", "Middelkerke", "5451", ""},
		{"2990 Brecht", "2990", "Brecht", "5355", ""},
		{"2990 Wuustwezel", "2990", "Wuustwezel", "5350", ""},
		// Border postal codes whose municipalities share one zone.
		{"3680 one zone", "3680", "", "5383", ""},
		{"3680 Dilsen-Stokkem", "3680", "Dilsen-Stokkem", "5383", ""},
		{"4671 one zone", "4671", "", "5281", ""},

		// Bilingual Brussels names.
		{"1050 Ixelles", "1050", "Ixelles", brussels, ""},
		{"1050 Elsene", "1050", "Elsene", brussels, ""},
		{"1060 Saint-Gilles", "1060", "Saint-Gilles", "5341", ""},
		{"1060 Sint Gillis", "1060", "Sint Gillis", "5341", ""},
		{"1060 St-Gilles", "1060", "ST-GILLES", "5341", ""},
		{"1030 Schaerbeek", "1030", "Schaerbeek", "5344", ""},
		{"1030 Schaarbeek", "1030", "Schaarbeek", "5344", ""},
		{"1020 with suffix", "1020", "Laken (Bru.)", brussels, ""},
		{"3790 bilingual locality", "3790", "Fourons", "5382", ""},
		{"4720 bilingual locality", "4720", "La Calamine", "5292", ""},

		// Single-municipality postal codes: the name is optional and an
		// unknown name does not block routing.
		{"exonym not in the data", "9000", "Gand", "5415", ""},
		{"spelling the data lacks", "1020", "Laeken", brussels, ""},
		{"typo", "2000", "Antwrepen", "5345", ""},
		{"punctuation only", "2000", "--", "5345", ""},
		// …but a name the data knows for another zone only contradicts it.
		{"another municipality", "9000", "Antwerpen", "", ErrMunicipalityMismatch},
		{"another zone's locality", "1000", "Louvain-la-Neuve", "", ErrMunicipalityMismatch},
		{"Brussels postal code, Anderlecht", "1000", "Anderlecht", "", ErrMunicipalityMismatch},
		// A municipality of the same zone settles nothing and contradicts
		// nothing: the zone is the same.
		{"same zone, other municipality", "1050", "Bruxelles", brussels, ""},
		// A homonym locality: Aalst (Limb.) belongs to Sint-Truiden.
		{"homonym in Sint-Truiden", "3800", "Aalst", "", ""},
		{"homonym city", "9300", "Aalst", "", ""},

		// Provisional zones route under their provisional code.
		{"CARMA", "3600", "Genk", "prov-carma", ""},
		{"Noord-Limburg", "3920", "", "prov-noord-limburg", ""},
		{"Vlaamse Ardennen", "9700", "Oudenaarde", "prov-vlaamse-ardennen", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Route(Place{PostalCode: tc.pc, Municipality: tc.municipality})
			if tc.err != "" {
				if err == nil {
					t.Fatalf("got %+v, want %s", got, tc.err)
				}
				if c := routeErrCode(t, err); c != tc.err {
					t.Fatalf("error %s, want %s", c, tc.err)
				}
				if got != (Zone{}) {
					t.Errorf("error with zone %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if tc.code == "" {
				return // only "routes" is asserted; the zone is checked below
			}
			if got.Code != tc.code {
				t.Errorf("zone %+v, want code %s", got, tc.code)
			}
			if got.Provisional != strings.HasPrefix(tc.code, ProvisionalPrefix) {
				t.Errorf("zone %+v: provisional flag wrong", got)
			}
		})
	}
	// The homonyms above: each postal code keeps its own municipality.
	for pc, nis := range map[string]string{"3800": "71053", "9300": "41002"} {
		got, _ := r.Route(Place{PostalCode: pc, Municipality: "Aalst"})
		m, ok := r.Municipality(nis)
		if !ok || got != m.Zone {
			t.Errorf("%s Aalst: got %+v, want the zone of %s %+v", pc, got, nis, m)
		}
	}
}

func TestNormalizePlaceName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Louvain-la-Neuve", "louvainlaneuve"},
		{"  LOUVAIN LA NEUVE ", "louvainlaneuve"},
		{"Liège", "liege"},
		{"LIÈGE", "liege"},
		{"Laken (Bru.)", "laken"},
		{"Aalst (Limb.)", "aalst"},
		{"Saint-Gilles", "stgilles"},
		{"Sint-Gillis", "stgillis"},
		{"St-Gillis", "stgillis"},
		{"St. Gillis", "stgillis"},
		{"Sainte-Ode", "steode"},
		{"Ste-Ode", "steode"},
		{"Sankt Vith", "stvith"},
		{"Le Rœulx", "leroeulx"},
		{"Belœil", "beloeil"},
		{"Bütgenbach", "butgenbach"},
		{"'s Gravenvoeren", "sgravenvoeren"},
		{"Braine-l'Alleud", "brainelalleud"},
		{"Braine-l’Alleud", "brainelalleud"},
		{"Saintes", "saintes"}, // a word that only begins like "saint"
		{"", ""},
		{"(Bru.)", ""},
		{"Unclosed (paren", "unclosed"},
	} {
		if got := NormalizePlaceName(tc.in); got != tc.want {
			t.Errorf("NormalizePlaceName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestProvisionalCode(t *testing.T) {
	for in, want := range map[string]string{
		"CARMA":            "prov-carma",
		"Noord-Limburg":    "prov-noord-limburg",
		"Vlaamse Ardennen": "prov-vlaamse-ardennen",
		"  Zône / Été  ":   "prov-zone-ete",
		"Œuvre 2":          "prov-oeuvre-2",
		"--":               "",
	} {
		if got := provisionalCode(in); got != want {
			t.Errorf("provisionalCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMunicipalities(t *testing.T) {
	r := DefaultRouter()
	munis := r.Municipalities("5339")
	if len(munis) != 2 || munis[0].NIS != "21004" || munis[1].NIS != "21009" {
		t.Fatalf("5339: %+v", munis)
	}
	bxl := munis[0]
	if bxl.Name != "Bruxelles / Brussel" {
		t.Errorf("name %q", bxl.Name)
	}
	// The postal codes of the sector file belong to the municipality too.
	for _, pc := range []string{"1000", "1020", "1031", "1041", "1051", "1070", "1120", "1130"} {
		if !containsString(bxl.PostalCodes, pc) {
			t.Errorf("Bruxelles lacks postal code %s: %v", pc, bxl.PostalCodes)
		}
	}
	if !containsString(bxl.Localities, "Laken (Bru.)") {
		t.Errorf("Bruxelles localities %v", bxl.Localities)
	}
	// Results are copies: changing one does not change the router.
	bxl.PostalCodes[0] = "XXXX"
	if again := r.Municipalities("5339"); again[0].PostalCodes[0] == "XXXX" {
		t.Error("Municipalities shares its slices with the router")
	}
	all := r.Municipalities("")
	for i := 1; i < len(all); i++ {
		if all[i-1].NIS >= all[i].NIS {
			t.Fatalf("not sorted by NIS at %s", all[i].NIS)
		}
	}
	if got := r.PostalCodeMunicipalities("1070"); len(got) != 2 || got[0].NIS != "21001" || got[1].NIS != "21004" {
		t.Errorf("PostalCodeMunicipalities(1070) = %+v", got)
	}
	if got := r.PostalCodeMunicipalities("9999"); got != nil {
		t.Errorf("PostalCodeMunicipalities(9999) = %+v", got)
	}
	if m, ok := r.Municipality("25121"); !ok || m.Zone.Code != "5275" {
		t.Errorf("Municipality(25121) = %+v, %v", m, ok)
	}
}

func containsString(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func sameRouter(t *testing.T, a, b *Router) {
	t.Helper()
	if !reflect.DeepEqual(a.Zones(), b.Zones()) {
		t.Error("zones differ")
	}
	if !reflect.DeepEqual(a.Municipalities(""), b.Municipalities("")) {
		t.Error("municipalities differ")
	}
	if !bytes.Equal(a.ZonesCSV(), b.ZonesCSV()) {
		t.Error("ZonesCSV differs")
	}
}

func TestLoadZonesRoundTrip(t *testing.T) {
	loaded, err := LoadZones(bytes.NewReader(EmbeddedZonesCSV()))
	if err != nil {
		t.Fatal(err)
	}
	sameRouter(t, loaded, DefaultRouter())
	if !bytes.Equal(loaded.ZonesCSV(), EmbeddedZonesCSV()) {
		t.Error("ZonesCSV of the embedded table differs from EmbeddedZonesCSV")
	}
	again, err := LoadZones(bytes.NewReader(loaded.ZonesCSV()))
	if err != nil {
		t.Fatal(err)
	}
	sameRouter(t, again, loaded)
	// A spreadsheet's or an editor's export: byte order mark, LF line ends,
	// blank lines, spaces around fields.
	edited := bytes.ReplaceAll(EmbeddedZonesCSV(), []byte("\r\n"), []byte("\n"))
	edited = bytes.ReplaceAll(edited, []byte(",21004,"), []byte(", 21004 ,"))
	edited = append([]byte("\uFEFF"), edited...)
	edited = append(edited, "\n\n"...)
	fromExcel, err := LoadZones(bytes.NewReader(edited))
	if err != nil {
		t.Fatal(err)
	}
	sameRouter(t, fromExcel, loaded)
	// EmbeddedZonesCSV is a copy.
	b := EmbeddedZonesCSV()
	b[0] = 'X'
	if EmbeddedZonesCSV()[0] == 'X' {
		t.Error("EmbeddedZonesCSV returns the embedded bytes themselves")
	}
}

// TestLoadZonesCorrected is the administrator's day: CARMA's code is
// confirmed, the corrected table is loaded, and CARMA complaints route under
// the real code without a rebuild; the default router is unchanged.
func TestLoadZonesCorrected(t *testing.T) {
	corrected := strings.ReplaceAll(string(EmbeddedZonesCSV()), "\n,CARMA,", "\n5909,CARMA,")
	if strings.Count(corrected, "5909,CARMA,") != 8 {
		t.Fatal("fixture: CARMA rows not found")
	}
	r, err := LoadZones(strings.NewReader(corrected))
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Route(Place{PostalCode: "3600", Municipality: "Genk"})
	if err != nil || got != (Zone{Code: "5909", Name: "CARMA"}) {
		t.Errorf("Genk routes to %+v, %v", got, err)
	}
	if _, ok := r.Zone("prov-carma"); ok {
		t.Error("prov-carma still exists")
	}
	if n := len(r.Municipalities("5909")); n != 8 {
		t.Errorf("5909 has %d municipalities, want 8", n)
	}
	prov := 0
	for _, z := range r.Zones() {
		if z.Provisional {
			prov++
		}
	}
	if len(r.Zones()) != 176 || prov != 4 {
		t.Errorf("%d zones, %d provisional; want 176, 4", len(r.Zones()), prov)
	}
	if !strings.Contains(string(r.ZonesCSV()), "5909,CARMA,71016,Genk\r\n") {
		t.Error("ZonesCSV lacks the corrected row")
	}
	if z, _ := DefaultRouter().Route(Place{PostalCode: "3600"}); z.Code != "prov-carma" {
		t.Errorf("default router changed: %+v", z)
	}
}

func TestLoadZonesMalformed(t *testing.T) {
	embedded := string(EmbeddedZonesCSV())
	lines := strings.SplitAfter(embedded, "\n")
	// line returns the 1-based line n of the embedded table.
	line := func(n int) string { return lines[n-1] }
	lineOf := func(needle string) int {
		for i, l := range lines {
			if strings.Contains(l, needle) {
				return i + 1
			}
		}
		t.Fatalf("fixture: %q not found", needle)
		return 0
	}
	without := func(n int) string {
		return strings.Join(lines[:n-1], "") + strings.Join(lines[n:], "")
	}
	replaceLine := func(n int, with string) string {
		return strings.Join(lines[:n-1], "") + with + strings.Join(lines[n:], "")
	}
	last := len(lines) // the line after the final newline
	ottignies := lineOf(",25121,")
	carma := lineOf(",CARMA,")

	type want struct {
		line int
		code string
		text string // in the message
	}
	for _, tc := range []struct {
		name  string
		input string
		want  []want
	}{
		{"empty", "", []want{{1, ZoneTableBadHeader, "empty"}}},
		{"bad header", strings.Replace(embedded, "zone_code,zone_name", "code,name", 1),
			[]want{{1, ZoneTableBadHeader, "zone_code,zone_name,nis5,municipality"}}},
		{"missing municipality", without(ottignies),
			[]want{{0, ZoneTableMissingNIS, "25121 (Ottignies-Louvain-la-Neuve)"}}},
		{"duplicate municipality", embedded + line(2),
			[]want{{last, ZoneTableDuplicateNIS, "already listed on line 2"}}},
		{"unknown NIS", embedded + "5267,Nivelles/Genappe,99999,Nowhere\n",
			[]want{{last, ZoneTableUnknownNIS, "99999"}}},
		{"NIS not five digits", replaceLine(2, "5267,Nivelles/Genappe,2503,Genappe\n"),
			[]want{{2, ZoneTableUnknownNIS, `"2503"`}, {0, ZoneTableMissingNIS, "25031"}}},
		{"code not four digits", replaceLine(2, "52A7,Nivelles/Genappe,25031,Genappe\n"),
			[]want{{2, ZoneTableBadCode, `"52A7"`}}},
		{"one code, two names", replaceLine(3, "5267,Nivelles,25072,Nivelles\n"),
			[]want{{3, ZoneTableCodeTwoNames, `named "Nivelles" here but "Nivelles/Genappe" on line 2`}}},
		{"one name, two codes", replaceLine(3, "5999,Nivelles/Genappe,25072,Nivelles\n"),
			[]want{{3, ZoneTableNameTwoCodes, "has code 5999 here but 5267 on line 2"}}},
		{"provisional zone half coded", replaceLine(carma, "5909"+line(carma)),
			[]want{{lineOf(",CARMA,") + 1, ZoneTableNameTwoCodes, "(empty)"}}},
		{"two provisional zones, one code", strings.ReplaceAll(embedded, ",Scheldewaas,", ",Vlaamse-Ardennen,"),
			[]want{{lineOf(",Vlaamse Ardennen,"), ZoneTableProvisionalSlug, "prov-vlaamse-ardennen"}}},
		{"wrong field count", replaceLine(2, "5267,Nivelles/Genappe,25031\n"),
			[]want{{2, ZoneTableBadRow, "3 fields"}, {0, ZoneTableMissingNIS, "25031"}}},
		{"empty zone name", replaceLine(2, "5267,,25031,Genappe\n"),
			[]want{{2, ZoneTableBadName, "zone name: empty"}}},
		{"control character", replaceLine(2, "5267,Nivelles/Genappe\x1b[31m,25031,Genappe\n"),
			[]want{{2, ZoneTableBadName, "control character"}}},
		{"unclosed quote", replaceLine(4, "5268,\"Ouest Brabant Wallon,25015,Braine-le-Château\n"),
			[]want{{4, ZoneTableBadCSV, "not valid CSV"}}},
		{"bare quote", replaceLine(4, "5268,Ouest \"Brabant\" Wallon,25015,Braine-le-Château\n"),
			[]want{{4, ZoneTableBadCSV, "bare \""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := LoadZones(strings.NewReader(tc.input))
			if r != nil || err == nil {
				t.Fatalf("loaded: %v", err)
			}
			var te *ZoneTableError
			if !errors.As(err, &te) {
				t.Fatalf("error %T %v", err, err)
			}
			for _, w := range tc.want {
				found := false
				for _, p := range te.Problems {
					if p.Line == w.line && p.Code == w.code && strings.Contains(p.Message, w.text) {
						found = true
					}
				}
				if !found {
					t.Errorf("want line %d %s %q; got %v", w.line, w.code, w.text, err)
				}
			}
			if w := tc.want[0]; w.line > 0 && !strings.Contains(err.Error(), fmt.Sprintf("line %d: ", w.line)) {
				t.Errorf("Error() lacks the line number: %v", err)
			}
		})
	}

	t.Run("header only", func(t *testing.T) {
		_, err := LoadZones(strings.NewReader(line(1)))
		var te *ZoneTableError
		if !errors.As(err, &te) || len(te.Problems) != maxZoneTableProblems || te.More != 565-maxZoneTableProblems {
			t.Fatalf("got %d problems + %d more: %v", len(te.Problems), te.More, err)
		}
	})
	t.Run("too big", func(t *testing.T) {
		big := embedded + strings.Repeat("#", MaxZonesCSVBytes)
		_, err := LoadZones(strings.NewReader(big))
		var te *ZoneTableError
		if !errors.As(err, &te) || te.Problems[0].Code != ZoneTableTooBig {
			t.Fatalf("got %v", err)
		}
	})
}

// TestRouterConcurrent exercises DefaultRouter's once and concurrent reads;
// it finds races under go test -race.
func TestRouterConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	zones := make([]Zone, 8)
	for i := range zones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := DefaultRouter()
			for range 200 {
				z, err := r.Route(Place{PostalCode: "1070", Municipality: "Anderlecht"})
				if err != nil {
					t.Error(err)
					return
				}
				zones[i] = z
				_ = r.Municipalities("5339")
			}
		}()
	}
	wg.Wait()
	for _, z := range zones {
		if z.Code != "5341" {
			t.Errorf("zone %+v", z)
		}
	}
}

func BenchmarkRoute(b *testing.B) {
	r := DefaultRouter()
	var places []Place
	for i, rec := range readDataCSV(b, "postcodes.csv") {
		p := Place{PostalCode: rec[0]}
		if i%2 == 0 {
			p.Municipality = rec[1] // half with the locality, half without
		}
		if _, err := r.Route(p); err == nil {
			places = append(places, p)
		}
	}
	places = append(places, Place{PostalCode: "1070", Municipality: "Anderlecht"})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := r.Route(places[i%len(places)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkLoadZones(b *testing.B) {
	data := EmbeddedZonesCSV()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadZones(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
