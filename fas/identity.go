package fas

import (
	"time"

	"guichet/complaint"
	"guichet/portal"
)

// Method is how the citizen proved who they are at the FAS.
type Method string

// Methods the FAS reports.
const (
	MethodEID   Method = "eid"   // the eID card in a reader
	MethodToken Method = "token" // the federal token or a code by app
	MethodItsme Method = "itsme" // the itsme app
)

// Identity is what the FAS certified about the citizen in one login.
type Identity struct {
	// NationalNumber is the national register (or bis) number, 11 digits,
	// checked with the same rules as the API (complaint.ParseNationalNumber).
	NationalNumber string `json:"national_number"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	// BirthDate is "YYYY-MM-DD" when the FAS gave it (then it agrees with
	// the national number), "" otherwise.
	BirthDate string `json:"birth_date,omitempty"`
	Method    Method `json:"method"`
	// Subject is the provider's identifier of the citizen ("sub").
	Subject string `json:"subject"`
	// AuthenticatedAt is when the ID token was issued.
	AuthenticatedAt time.Time `json:"authenticated_at"`
}

// ComplaintMethod is the identification method as the complaint record
// names it: complaint.MethodEID for the eID card, complaint.MethodToken
// for the federal token and itsme (both the FAS's "token or app" family).
func (id Identity) ComplaintMethod() string {
	if id.Method == MethodEID {
		return complaint.MethodEID
	}
	return complaint.MethodToken
}

// Assertion is the portal assertion stating the same facts, valid for ttl
// from issuedAt (the portal accepts at most an hour). Sign it with
// portal.SignAssertion and a key the portal trusts to file through the
// API's intake.
func (id Identity) Assertion(issuedAt time.Time, ttl time.Duration) portal.Assertion {
	return portal.Assertion{
		NationalNumber: id.NationalNumber,
		FirstName:      id.FirstName,
		LastName:       id.LastName,
		Method:         id.ComplaintMethod(),
		IssuedAt:       issuedAt.Unix(),
		ExpiresAt:      issuedAt.Add(ttl).Unix(),
	}
}
