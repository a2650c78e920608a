package i18n

// Portal holds package portal's messages: errors the citizen reads in
// API answers and the confirmation letters and e-mails (citizen-facing,
// complete in every language), and the officer's errors (Officer).
type Portal struct {
	Errors       PortalErrors
	Officer      PortalOfficer `audience:"officer"`
	Confirmation Confirmation
}

// PortalErrors are the citizen-facing errors of the portal's API.
type PortalErrors struct {
	AssertionMalformed        string `code:"assertion_malformed"`
	AssertionSignature        string `code:"assertion_signature"`
	AssertionExpired          string `code:"assertion_expired"`
	AssertionNoKey            string `code:"assertion_no_key"`
	AssertionIdentityMismatch string `code:"assertion_identity_mismatch"`
	AssertionMethodMismatch   string `code:"assertion_method_mismatch"`
	RateLimited               string `code:"rate_limited"`
	KeyReused                 string
	Invalid                   string
}

// PortalOfficer are the errors of the officers' API.
type PortalOfficer struct {
	UnknownZone string `code:"unknown_zone"`
	NotFound    string
}

// Confirmation is the letter or e-mail to the citizen when an officer
// handles or rejects a complaint. Placeholders: {ref}, {zone}, {pv},
// {reason}.
type Confirmation struct {
	Subject  string
	Greeting string
	Handled  string
	Rejected string
	Closing  string
}
