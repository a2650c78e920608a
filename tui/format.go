package tui

// Dates, times and amounts in the officer's language. The conventions
// (package i18n's Formats, documented in doc.go):
//
//	        date          date and time        short (queue)   amount
//	fr, nl  26/11/2026    26/11/2026 18:05     26/11 18:05     € 1.234,50
//	de      26.11.2026    26.11.2026 18:05     26.11. 18:05    € 1.234,50
//	en      26 Nov 2026   26 Nov 2026 18:05    26 Nov 18:05    €1,234.50
//
// Always the 24-hour clock. Relative times are messages ("il y a 3 h",
// "3 u geleden", "vor 3 Std.", "3 h ago"). What is COPIED into ISLP is, by
// default, not reformatted: complaint.DisplayFields gives paste-friendly
// values (an amount without thousands separator, times ISO-like with their
// offset), and the detail marks such a field "[copied as ISO]";
// CopyFormat (config copy_format.*) copies dates or amounts as shown
// instead (fields.go).

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"guichet/complaint"
	"guichet/i18n"
)

// fmtDate is a calendar date in lang's convention (package i18n's
// Formats).
func fmtDate(lang string, t time.Time) string { return i18n.For(lang).Date(t) }

// fmtDateTime is a date and a 24-hour time in lang's convention, in loc.
func fmtDateTime(lang string, t time.Time, loc *time.Location) string {
	return i18n.For(lang).DateTime(t.In(loc))
}

// fmtShortDateTime leaves out the year, for the queue's received column.
func fmtShortDateTime(lang string, t time.Time, loc *time.Location) string {
	return i18n.For(lang).ShortDateTime(t.In(loc))
}

// fmtAmount formats an amount in euro cents: "€ 1.234,50" in fr, nl and
// de, "€1,234.50" in en.
func fmtAmount(lang string, cents int64) string { return i18n.For(lang).Amount(cents) }

// parseCents reads an amount as complaint.DisplayFields writes it ("1234,50"
// or "1234.50", optionally negative).
func parseCents(s string) (int64, bool) {
	m := plainAmount().FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	whole, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil || whole > 1e15 {
		return 0, false
	}
	frac, _ := strconv.ParseInt(m[3], 10, 64)
	c := whole*100 + frac
	if m[1] == "-" {
		c = -c
	}
	return c, true
}

// The expressions are compiled at their first use (a detail view), not
// at every start.
var (
	plainAmount = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(-?)([0-9]+)[.,]([0-9]{2})$`)
	})
	// eurInText finds "89,00 EUR" in the stolen-items summary lines.
	eurInText = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\b([0-9]+)[.,]([0-9]{2}) EUR\b`)
	})
)

// displayValue is how the detail screen shows one field of
// complaint.DisplayFields in lang: dates, times and amounts in the
// language's conventions, everything else as it is. The value stays raw
// (untrusted); the caller sanitizes it.
func displayValue(lang, key, value string) string {
	v := strings.TrimSpace(value)
	if t, err := time.Parse("2006-01-02 15:04 -07:00", v); err == nil {
		// The wall clock of the value (Brussels), not converted again.
		return fmtDate(lang, t) + " " + t.Format("15:04")
	}
	if strings.HasSuffix(key, "birth_date") {
		if t, err := time.Parse("2006-01-02", v); err == nil {
			return fmtDate(lang, t)
		}
	}
	if isMoneyField(key) {
		if c, ok := parseCents(v); ok {
			return fmtAmount(lang, c)
		}
	}
	if strings.Contains(value, " EUR") {
		return eurInText().ReplaceAllStringFunc(value, func(m string) string {
			sm := eurInText().FindStringSubmatch(m)
			c, ok := parseCents(sm[1] + "," + sm[2])
			if !ok {
				return m
			}
			return fmtAmount(lang, c)
		})
	}
	return value
}

// itemIndex strips "[3]" from "goods[3].value_eur".
var itemIndex = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[[0-9]+\]`) })

// isMoneyField says whether the catalog declares the detail or goods field
// of key ("details.value_eur", "goods[0].value_eur") an amount.
func isMoneyField(key string) bool {
	return moneyKeys()[itemIndex().ReplaceAllString(key, "")]
}

// moneyKeys are the display keys of every amount field of the catalog
// (items without their index), read once.
var moneyKeys = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, ft := range complaint.Catalog() {
		for _, f := range ft.Fields {
			if f.Kind == complaint.KindMoney {
				m["details."+f.Key] = true
			}
			for _, sub := range f.Item {
				if sub.Kind == complaint.KindMoney {
					m["details."+f.Key+"."+sub.Key] = true
				}
			}
		}
		if ft.Goods != nil {
			for _, sub := range ft.Goods.Item {
				if sub.Kind == complaint.KindMoney {
					m[complaint.GoodsKey+"."+sub.Key] = true
				}
			}
		}
	}
	return m
})
