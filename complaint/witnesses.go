package complaint

// Witnesses of the facts and the insurance of the goods or the victim:
// optional on every fact type, checked with the same text rules as the
// rest of the submission.

import (
	"strconv"
	"time"
)

// witnesses checks each witness; only a last name is required, every other
// part is checked when given.
func (c *checker) witnesses(ws []Witness, now time.Time) {
	if len(ws) > MaxWitnesses {
		c.add("witnesses", ErrTooManyItems)
		return
	}
	for i := range ws {
		base := "witnesses[" + strconv.Itoa(i) + "]."
		w := &ws[i]
		c.text(base+"last_name", &w.LastName, true, MaxNameLen, false)
		c.optionalText(base+"first_name", &w.FirstName, MaxNameLen)
		if c.text(base+"birth_date", &w.BirthDate, false, maxIDInput, false) {
			c.birthDate(base+"birth_date", &w.BirthDate, now)
		}
		c.address(base+"address.", &w.Address, false)
		c.phone(base+"phone", &w.Phone)
	}
}

// insurance checks the insurer: nothing given is fine; anything given
// needs the company's name.
func (c *checker) insurance(in *Insurance) {
	const base = "insurance."
	policyOK := c.optionalText(base+"policy_number", &in.PolicyNumber, MaxPolicyNumberLen)
	c.text(base+"company", &in.Company, in.PolicyNumber != "" || !policyOK, MaxCompanyNameLen, false)
}
