package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet/complaint"
	"guichet/i18n"
	"guichet/store/storetest"
	"guichet/tui"
)

// `guichet show` and `guichet copy` offer the fields of the workstation's
// detail with the same values, in the four officer languages, and copy
// dates as copy_format.date says: the country by its name then its code,
// the national number also as digits only, the complainant's language.
func TestShowAndCopyOfferTheDetailsFields(t *testing.T) {
	recs := storetest.Records(2, 5)
	// Every part a record may have, so that show and copy offer each.
	recs[0].OnBehalfOf = complaint.Behalf{Kind: complaint.BehalfCompany, Company: &complaint.Company{
		EnterpriseNumber: "0403170701", Name: "Boulangerie Wauters", Role: "gérante"}}
	recs[0].Witnesses = []complaint.Witness{
		{LastName: "Kowalczyk", FirstName: "Agnieszka", Phone: "+32470654321", BirthDate: "1979-03-04",
			Address: complaint.Address{Street: "Rue de la Gare", Number: "2", PostalCode: "1340", Municipality: "Ottignies", Country: "BE"}},
		{LastName: "Lambert"},
	}
	recs[0].Insurance = complaint.Insurance{Company: "Ethias", PolicyNumber: "45.123.789"}
	db := cacheWith(t, recs)
	rec := recs[0]
	ref := rec.Reference
	country := map[string]string{"fr": "Belgique", "nl": "België", "de": "Belgien", "en": "Belgium"}
	for _, dateFormat := range []string{"iso", "display"} {
		conf := filepath.Join(t.TempDir(), "config")
		if err := os.WriteFile(conf, []byte("copy_format.date = "+dateFormat+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, lang := range i18n.OfficerLanguages() {
			env := map[string]string{"GUICHET_DB": db, "GUICHET_LANG": lang, "GUICHET_CONFIG": conf}
			runIt := func(args ...string) result {
				var out, errb bytes.Buffer
				code := run(args, func(k string) string { return env[k] }, &out, &errb)
				return result{out.String(), errb.String(), code}
			}
			fields := tui.ComplaintFields(rec, lang, tui.CopyFormat{DateAsShown: dateFormat == "display"})
			byKey := map[string]tui.Field{}
			for _, f := range fields {
				byKey[f.Key] = f
			}
			for key, want := range map[string]string{
				"complainant.address.country":                       country[lang],
				"complainant.address.country_code":                  "BE",
				"complainant.identification.national_number.digits": rec.Complainant.Identification.NationalNumber,
			} {
				if byKey[key].Copy != want {
					t.Errorf("%s: detail field %s copies %q, want %q", lang, key, byKey[key].Copy, want)
				}
			}
			if byKey["language"].Shown == "" {
				t.Errorf("%s: the detail has no complainant's language", lang)
			}

			show := runIt("show", ref)
			if show.code != exitOK {
				t.Fatalf("%s show: exit %d %q", lang, show.code, show.stderr)
			}
			for _, f := range fields {
				if f.Shown == "" {
					continue
				}
				if !f.Multiline && !strings.Contains(show.stdout, "  "+f.Label+": "+f.Shown+"\n") {
					t.Errorf("%s %s: show lacks %q", lang, dateFormat, f.Label+": "+f.Shown)
				}
				got := runIt("copy", ref, f.Key, "--stdout")
				if got.code != exitOK || got.stdout != f.Copy+"\n" {
					t.Errorf("%s %s: copy %s gave %q (exit %d %q), the detail copies %q",
						lang, dateFormat, f.Key, got.stdout, got.code, got.stderr, f.Copy)
				}
			}
			if dateFormat == "iso" {
				// The text of show, pinned per language.
				golden(t, filepath.Join("testdata", "show_"+lang+".txt"), show.stdout)
			}
		}
	}
	// Short names find the new fields too.
	env := map[string]string{"GUICHET_DB": db, "GUICHET_LANG": "fr"}
	for name, want := range map[string]string{"country": "Belgique", "country_code": "BE", "digits": rec.Complainant.Identification.NationalNumber,
		"description": rec.Facts.Description, "phone": rec.Complainant.Phone, "last_name": rec.Complainant.LastName,
		"policy_number": "45.123.789", "enterprise_number": "0403.170.701", "witnesses[1].last_name": "Lambert"} {
		var out, errb bytes.Buffer
		if code := run([]string{"copy", ref, name, "--stdout"}, func(k string) string { return env[k] }, &out, &errb); code != exitOK || out.String() != want+"\n" {
			t.Errorf("copy %s: %q exit %d %q, want %q", name, out.String(), code, errb.String(), want)
		}
	}
}

// golden compares got with the file at path (rewritten with -update).
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if string(want) != got {
		t.Errorf("differs from %s:\n%s", path, got)
	}
}
