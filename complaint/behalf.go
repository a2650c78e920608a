package complaint

// On whose behalf a complaint is filed (Submission.OnBehalfOf): for the
// complainant themself, for another person who agreed to it, or for a
// company the complainant represents. The rules are the API's; the
// citizen's form calls the same Validate.

import (
	"strings"
	"time"
)

func (c *checker) behalf(b *Behalf, now time.Time) {
	const base = "on_behalf_of."
	b.Kind = strings.ToLower(strings.TrimSpace(b.Kind))
	notExpected := func(name string, set bool) {
		if set {
			c.add(base+name, ErrNotExpected)
		}
	}
	switch b.Kind {
	case "":
		// Absent: for themself, as every complaint filed before the
		// question existed. Parts without a kind are a mistake.
		if b.Person != nil || b.Company != nil {
			c.add(base+"kind", ErrRequired)
		}
	case BehalfSelf:
		notExpected("person", b.Person != nil)
		notExpected("company", b.Company != nil)
	case BehalfPerson:
		notExpected("company", b.Company != nil)
		if b.Person == nil {
			c.add(base+"person", ErrRequired)
			return
		}
		c.person(base+"person.", b.Person, now)
	case BehalfCompany:
		notExpected("person", b.Person != nil)
		if b.Company == nil {
			c.add(base+"company", ErrRequired)
			return
		}
		c.company(base+"company.", b.Company)
	default:
		c.add(base+"kind", ErrUnknownBehalf)
	}
}

// person checks the identity of the person a complaint is filed for, and
// that the complainant declares their consent.
func (c *checker) person(base string, p *Person, now time.Time) {
	c.text(base+"last_name", &p.LastName, true, MaxNameLen, false)
	c.text(base+"first_name", &p.FirstName, true, MaxNameLen, false)
	birthOK := c.birthDate(base+"birth_date", &p.BirthDate, now)
	if c.text(base+"national_number", &p.NationalNumber, false, maxIDInput, false) {
		if nn, err := ParseNationalNumber(p.NationalNumber); err != nil {
			c.add(base+"national_number", codeOf(err, ErrIDFormat))
		} else {
			p.NationalNumber = nn.Digits()
			if birthOK && !nn.ConsistentWithBirthDate(p.BirthDate) {
				c.add(base+"birth_date", ErrBirthDateMismatch)
			}
		}
	}
	c.address(base+"address.", &p.Address, false)
	if c.text(base+"email", &p.Email, false, MaxEmailLen, false) && !validEmail(p.Email) {
		c.add(base+"email", ErrInvalidEmail)
	}
	c.phone(base+"phone", &p.Phone)
	if !p.Consent {
		c.add(base+"consent", ErrConsentRequired)
	}
}

// company checks the company a complaint is filed for: its enterprise
// number (KBO/BCE, mod-97 check) stored as 10 digits, its name, the
// complainant's role in it.
func (c *checker) company(base string, co *Company) {
	if c.text(base+"enterprise_number", &co.EnterpriseNumber, true, maxIDInput, false) {
		if d, err := ParseEnterpriseNumber(co.EnterpriseNumber); err != nil {
			c.add(base+"enterprise_number", codeOf(err, ErrInvalidEnterpriseN))
		} else {
			co.EnterpriseNumber = d
		}
	}
	c.text(base+"name", &co.Name, true, MaxCompanyNameLen, false)
	c.optionalText(base+"role", &co.Role, MaxNameLen)
}
