package i18n

import (
	"strconv"
	"strings"
	"time"
)

// Formats are a language's conventions for dates, times and numbers.
// Layouts are Go time layouts; always the 24-hour clock.
//
//	        date          date and time        short (queue)   amount
//	fr, nl  26/11/2026    26/11/2026 18:05     26/11 18:05     € 1.234,50
//	de      26.11.2026    26.11.2026 18:05     26.11. 18:05    € 1.234,50
//	en      26 Nov 2026   26 Nov 2026 18:05    26 Nov 18:05    €1,234.50
//	es      26/11/2026    26/11/2026 18:05     26/11 18:05     1.234,50 €
type Formats struct {
	Date          string // "02/01/2006"
	ShortDateTime string // the date without the year, and the time: "02/01 15:04"
	Time          string // "15:04"
	ShortDate     string // a date with a two-digit year, for charts: "02/01/06"
	DayMonth      string // a date without the year, for charts: "02/01"
	Thousands     string // "." in 1.234,50
	Decimal       string // "," in 1.234,50
	Money         Fmt    // where the euro sign goes: "€ %s"
}

// Date is t's calendar date.
func (c *Catalog) Date(t time.Time) string { return t.Format(c.Formats.Date) }

// DateTime is t's date and time, in t's location.
func (c *Catalog) DateTime(t time.Time) string {
	return t.Format(c.Formats.Date) + " " + t.Format(c.Formats.Time)
}

// ShortDateTime is t's date without the year and time, in t's location.
func (c *Catalog) ShortDateTime(t time.Time) string { return t.Format(c.Formats.ShortDateTime) }

// Int is n with the language's thousands separator.
func (c *Catalog) Int(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := group(strconv.FormatInt(n, 10), c.Formats.Thousands)
	if neg {
		s = "-" + s
	}
	return s
}

// Amount is an amount in euro cents: "€ 1.234,50" in fr.
func (c *Catalog) Amount(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	frac := strconv.FormatInt(100+cents%100, 10)[1:]
	s := c.Formats.Money.F(group(strconv.FormatInt(cents/100, 10), c.Formats.Thousands) + c.Formats.Decimal + frac)
	if neg {
		s = "-" + s
	}
	return s
}

func group(digits, sep string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}
