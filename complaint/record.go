package complaint

import (
	"encoding/json"
	"strings"
	"time"
)

// Confirmation channels a citizen may choose.
const (
	ChannelEmail = "email"
	ChannelPost  = "post"
)

// Identification methods.
const (
	MethodThreeNumbers = "three_numbers"
	MethodEID          = "eid"
	MethodToken        = "token"
)

// Submission is a complaint as the citizen submits it (POST /v1/complaints).
// The JSON names are the API contract; error field paths use them.
type Submission struct {
	FactType string          `json:"fact_type"`
	Language string          `json:"language"`
	Facts    Facts           `json:"facts"`
	Details  json.RawMessage `json:"details"`
	// Goods is the list of goods stolen or damaged, a JSON array of
	// objects whose fields the fact type's catalog entry describes
	// (FactType.Goods); absent for a type that concerns no goods and in
	// records filed before the list existed (see LegacyGoods).
	Goods json.RawMessage `json:"goods,omitempty"`
	// OnBehalfOf says for whom the complainant files; its zero value (all
	// records filed before it existed) means for themself.
	OnBehalfOf Behalf `json:"on_behalf_of,omitzero"`
	// Witnesses of the facts, zero or more.
	Witnesses []Witness `json:"witnesses,omitempty"`
	// Insurance of the goods or the victim, optional.
	Insurance    Insurance   `json:"insurance,omitzero"`
	Complainant  Complainant `json:"complainant"`
	Confirmation string      `json:"confirmation"`
}

// Kinds of Behalf.
const (
	// BehalfSelf: the complainant is the victim (also the zero Kind).
	BehalfSelf = "self"
	// BehalfPerson: the complainant files for another person, with that
	// person's consent; Person says who.
	BehalfPerson = "person"
	// BehalfCompany: the complainant files as the representative of a
	// company; Company says which.
	BehalfCompany = "company"
)

// Behalf is on whose behalf a complaint is filed. Exactly the member its
// Kind names is set: Person for BehalfPerson, Company for BehalfCompany,
// neither for BehalfSelf or the zero Kind.
type Behalf struct {
	Kind    string   `json:"kind"`
	Person  *Person  `json:"person,omitempty"`
	Company *Company `json:"company,omitempty"`
}

// Self reports whether the complainant files for themself (also when the
// record predates the question).
func (b Behalf) Self() bool { return b.Kind == "" || b.Kind == BehalfSelf }

// Person is the victim a complainant files for: their identity and their
// consent, which the complainant declares having received.
type Person struct {
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	BirthDate string `json:"birth_date"` // YYYY-MM-DD
	// NationalNumber is optional; when given it is checked like the
	// complainant's (check digits, birth date).
	NationalNumber string  `json:"national_number,omitempty"`
	Address        Address `json:"address,omitzero"`
	Email          string  `json:"email,omitempty"`
	Phone          string  `json:"phone,omitempty"`
	// Consent is the complainant's declaration that the person agreed to
	// the complaint being filed for them; it must be true.
	Consent bool `json:"consent"`
}

// Company is the victim a complainant files for as its representative.
type Company struct {
	// EnterpriseNumber is the KBO/BCE number, 10 canonical digits once
	// validated (mod-97 check).
	EnterpriseNumber string `json:"enterprise_number"`
	Name             string `json:"name"`
	// Role is the complainant's capacity in the company ("gérant",
	// "employee"), optional.
	Role string `json:"role,omitempty"`
}

// Witness is one witness of the facts. Only the last name is required.
type Witness struct {
	LastName  string  `json:"last_name"`
	FirstName string  `json:"first_name,omitempty"`
	BirthDate string  `json:"birth_date,omitempty"` // YYYY-MM-DD
	Address   Address `json:"address,omitzero"`
	Phone     string  `json:"phone,omitempty"`
}

// Insurance is the insurer of the goods or of the victim. The company is
// required when any part is given.
type Insurance struct {
	Company      string `json:"company"`
	PolicyNumber string `json:"policy_number,omitempty"`
}

// Facts says what happened, when and where.
type Facts struct {
	StartedAt   time.Time `json:"started_at"`
	EndedAt     time.Time `json:"ended_at"`
	Place       Place     `json:"place"`
	Description string    `json:"description"`
}

// Place is where the facts happened; it alone decides the zone.
type Place struct {
	Street       string `json:"street"`
	Number       string `json:"number"`
	PostalCode   string `json:"postal_code"`
	Municipality string `json:"municipality"`
}

// Address is a postal address (the complainant's, a witness's, a person's
// the complaint is filed for; it never decides the zone).
type Address struct {
	Street       string `json:"street"`
	Number       string `json:"number"`
	Box          string `json:"box,omitempty"`
	PostalCode   string `json:"postal_code"`
	Municipality string `json:"municipality"`
	Country      string `json:"country"`
}

// Complainant is the citizen filing the complaint.
type Complainant struct {
	Identification Identification `json:"identification"`
	FirstName      string         `json:"first_name"`
	LastName       string         `json:"last_name"`
	BirthDate      string         `json:"birth_date"` // YYYY-MM-DD
	Address        Address        `json:"address"`
	Email          string         `json:"email,omitempty"`
	Phone          string         `json:"phone,omitempty"`
}

// Identification is how the citizen proved who they are. For eid and token
// only Assertion is set (signed by the federal authentication service).
type Identification struct {
	Method         string `json:"method"`
	NationalNumber string `json:"national_number,omitempty"`
	IDCardNumber   string `json:"id_card_number,omitempty"`
	SISCardNumber  string `json:"sis_card_number,omitempty"`
	Assertion      string `json:"assertion,omitempty"`
}

// Status of a complaint in its zone.
type Status string

const (
	StatusNew       Status = "new"
	StatusClaimed   Status = "claimed"
	StatusHandled   Status = "handled"
	StatusRejected  Status = "rejected"
	StatusForwarded Status = "forwarded"
)

// Statuses lists every status in queue order.
var Statuses = []Status{StatusNew, StatusClaimed, StatusHandled, StatusRejected, StatusForwarded}

// Final reports whether no officer action can change the status any more.
func (s Status) Final() bool {
	return s == StatusHandled || s == StatusRejected || s == StatusForwarded
}

// Zone is a local police zone. Provisional zones have no confirmed official
// code yet; their Code says so (it starts with ProvisionalPrefix).
type Zone struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Provisional bool   `json:"provisional,omitempty"`
}

// Officer identifies the officer who holds or changed a complaint.
type Officer struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Verification keeps how the complainant was identified and what was checked,
// so the officer can see it. Checks are stable keys (see VerificationCheck*).
type Verification struct {
	Method     string    `json:"method"`
	Checks     []string  `json:"checks"`
	VerifiedAt time.Time `json:"verified_at"`
}

// Keys of the checks a Verification lists.
const (
	CheckNationalNumber    = "national_number_checksum"
	CheckIDCard            = "id_card_checksum"
	CheckSISCard           = "sis_card_format"
	CheckBirthDate         = "birth_date_consistent"
	CheckAssertionSig      = "assertion_signature"
	CheckAssertionValidity = "assertion_validity"
	CheckAssertionIdentity = "assertion_identity_match"
)

// StatusChange is one entry of a complaint's history.
type StatusChange struct {
	At       time.Time `json:"at"`
	From     Status    `json:"from"`
	To       Status    `json:"to"`
	Action   string    `json:"action"`
	By       *Officer  `json:"by,omitempty"`
	PVNumber string    `json:"pv_number,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	FromZone string    `json:"from_zone,omitempty"`
	ToZone   string    `json:"to_zone,omitempty"`
	// PreviousPV is the number a correct_pv replaced.
	PreviousPV string `json:"previous_pv,omitempty"`
	// FromOfficer is the colleague whose claim a take_over moved.
	FromOfficer *Officer `json:"from_officer,omitempty"`
}

// Record is a complaint as the portal keeps it and serves it to the zone's
// officers: the submission plus the server-side fields of a queue.
type Record struct {
	Submission
	Reference    string         `json:"reference"`
	Zone         Zone           `json:"zone"`
	Status       Status         `json:"status"`
	Version      int64          `json:"version"`
	ReceivedAt   time.Time      `json:"received_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
	ClaimedBy    *Officer       `json:"claimed_by,omitempty"`
	PVNumber     string         `json:"pv_number,omitempty"`
	Reason       string         `json:"reason,omitempty"`
	ForwardedTo  string         `json:"forwarded_to,omitempty"`
	Verification Verification   `json:"verification"`
	History      []StatusChange `json:"history"`
}

// FeedItem is one entry of a zone feed: the latest state of a complaint, or a
// tombstone (no personal data) when the complaint left the zone.
type FeedItem struct {
	Reference string  `json:"reference"`
	Version   int64   `json:"version"`
	Tombstone bool    `json:"tombstone,omitempty"`
	Record    *Record `json:"record,omitempty"`
}

// FeedPage is the answer of GET /v1/zones/{zone}/feed.
type FeedPage struct {
	Items  []FeedItem `json:"items"`
	Cursor string     `json:"cursor"`
	More   bool       `json:"more"`
	// Remaining is how many changes follow this page, when asked for
	// (count=1); nil otherwise.
	Remaining *int64 `json:"remaining,omitempty"`
}

// IntakeReceipt is the answer of a successful POST /v1/complaints.
type IntakeReceipt struct {
	Reference string `json:"reference"`
	Zone      Zone   `json:"zone"`
	Status    Status `json:"status"`
}

// APIError is the error body of every non-2xx answer:
// {"error": {"code": "...", "message": "...", "fields": {...}}}.
type APIError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// Reason is the status rule behind a 409 conflict (a message key such
	// as "conflict_claimed_by_other"), so a client can say it in words.
	Reason string `json:"reason,omitempty"`
	// Current is the complaint's current state on a 409 conflict.
	Current *Record `json:"current,omitempty"`
}

// ErrorBody wraps APIError as it travels.
type ErrorBody struct {
	Error APIError `json:"error"`
}

// Error codes of APIError.
const (
	CodeInvalid          = "invalid"            // 422, see Fields
	CodeMalformed        = "malformed"          // 400
	CodeUnauthorized     = "unauthorized"       // 401
	CodeForbidden        = "forbidden"          // 403
	CodeNotFound         = "not_found"          // 404
	CodeMethodNotAllowed = "method_not_allowed" // 405, see the Allow header
	CodeConflict         = "conflict"           // 409, see Current
	CodeCursorGone       = "cursor_gone"        // 410
	CodeTooLarge         = "too_large"          // 413
	CodeKeyReused        = "key_reused"         // 422: same Idempotency-Key, other body
	CodeRateLimited      = "rate_limited"       // 429, see the Retry-After header
	CodeInternal         = "internal"           // 500
)

// AuditEvent is one entry of the audit trail (EU Directive 2016/680 art. 25).
// ID is made once by whoever records the event; posting it twice stores it once.
type AuditEvent struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"` // UTC
	Officer   string    `json:"officer"`
	Zone      string    `json:"zone"`
	Kind      string    `json:"kind"` // view, copy, action, export, ...
	Reference string    `json:"reference,omitempty"`
	Field     string    `json:"field,omitempty"`
	Outcome   string    `json:"outcome"`
	Detail    string    `json:"detail,omitempty"`
}

// NormalizeReference reads a reference as an officer types it: spaces
// around it dropped and letters made upper case (references use upper
// case only), so "2026-k7m4-q9xt" finds 2026-K7M4-Q9XT. false when s
// cannot be a reference at all (four digits, then two groups of four to
// six letters or digits, separated by hyphens).
func NormalizeReference(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 {
		return s, false
	}
	for i, p := range parts {
		if i > 0 && (len(p) < 4 || len(p) > 6) {
			return s, false
		}
		for _, c := range p {
			digit := c >= '0' && c <= '9'
			if !digit && (i == 0 || c < 'A' || c > 'Z') {
				return s, false
			}
		}
	}
	return s, true
}
