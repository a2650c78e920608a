package i18n

import "testing"

// TestStatusesOfMatchesCodes: the name Of reads from its field is the
// message of the status's code, in every language, for every status.
func TestStatusesOfMatchesCodes(t *testing.T) {
	for _, lang := range Languages() {
		c := For(lang)
		for _, st := range []string{"new", "claimed", "handled", "rejected", "forwarded"} {
			got, ok := c.Complaint.Statuses.Of(st)
			if want := c.Message("status." + st); !ok || got != want || got == "" {
				t.Errorf("%s: Of(%q) = %q, %v; the code's message is %q", lang, st, got, ok, want)
			}
		}
		if _, ok := c.Complaint.Statuses.Of("lost"); ok {
			t.Errorf("%s: Of(\"lost\") found a status", lang)
		}
	}
}
