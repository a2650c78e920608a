package i18n

// Complaint holds package complaint's messages: validation errors (by
// their FieldError code), action conflicts, the officer's display of a
// record (group and field labels, values, statuses, history) and the
// fact-type catalog's labels. Citizen-facing: complete in every language.
type Complaint struct {
	Errors    ComplaintErrors
	Conflicts ComplaintConflicts
	History   ComplaintHistory
	Groups    ComplaintGroups
	Labels    ComplaintLabels
	Values    ComplaintValues
	Channels  ComplaintChannels
	Methods   ComplaintMethods
	Checks    ComplaintChecks
	Statuses  ComplaintStatuses
	Parties   ComplaintParties
	Behalves  ComplaintBehalves
	// FactTypes label the fact-type catalog: "bicycle_theft" is the
	// type's label, "bicycle_theft.brand" a detail field's,
	// "shoplifting.items.quantity" an item field's.
	FactTypes map[string]string
}

// ComplaintErrors are the validation messages, by complaint.Err* code.
type ComplaintErrors struct {
	Required                string `code:"required"`
	TooLong                 string `code:"too_long"`
	InvalidText             string `code:"invalid_text"`
	UnknownField            string `code:"unknown_field"`
	WrongType               string `code:"wrong_type"`
	UnknownAction           string `code:"unknown_action"`
	InvalidPVNumber         string `code:"invalid_pv_number"`
	InvalidLength           string `code:"invalid_length"`
	InvalidChecksum         string `code:"invalid_checksum"`
	InvalidFormat           string `code:"invalid_format"`
	InvalidDate             string `code:"invalid_date"`
	UnknownPostalCode       string `code:"unknown_postal_code"`
	AmbiguousPlace          string `code:"ambiguous_place"`
	MunicipalityMismatch    string `code:"municipality_mismatch"`
	PVYearFuture            string `code:"pv_year_future"`
	BodyTooLarge            string `code:"body_too_large"`
	MalformedJSON           string `code:"malformed_json"`
	TooManyProblems         string `code:"too_many_problems"`
	DuplicateField          string `code:"duplicate_field"`
	NotExpected             string `code:"not_expected"`
	UnknownFactType         string `code:"unknown_fact_type"`
	UnsupportedLanguage     string `code:"unsupported_language"`
	UnknownChannel          string `code:"unknown_channel"`
	UnknownMethod           string `code:"unknown_method"`
	InvalidDatetime         string `code:"invalid_datetime"`
	NotADate                string `code:"not_a_date"`
	InFuture                string `code:"in_future"`
	FactsTooOld             string `code:"facts_too_old"`
	EndsBeforeStart         string `code:"ends_before_start"`
	ImplausibleDate         string `code:"implausible_date"`
	BirthDateMismatch       string `code:"birth_date_mismatch"`
	InvalidEmail            string `code:"invalid_email"`
	InvalidPhone            string `code:"invalid_phone"`
	InvalidPostalCode       string `code:"invalid_postal_code"`
	InvalidCountry          string `code:"invalid_country"`
	InvalidNumber           string `code:"invalid_number"`
	Negative                string `code:"negative"`
	ValueTooSmall           string `code:"value_too_small"`
	ValueTooLarge           string `code:"value_too_large"`
	TooManyDecimals         string `code:"too_many_decimals"`
	NotInteger              string `code:"not_integer"`
	TooFewItems             string `code:"too_few_items"`
	TooManyItems            string `code:"too_many_items"`
	InvalidEnterpriseNumber string `code:"invalid_enterprise_number"`
	ConsentRequired         string `code:"consent_required"`
	UnknownBehalf           string `code:"unknown_behalf"`
}

// ComplaintConflicts say why an action does not apply, by complaint.Conflict* code.
type ComplaintConflicts struct {
	Final          string `code:"conflict_final"`
	ClaimedByOther string `code:"conflict_claimed_by_other"`
	NotClaimed     string `code:"conflict_not_claimed"`
	NotHandled     string `code:"conflict_not_handled"`
	NotHeld        string `code:"conflict_not_held"`
	TakenOver      string `code:"conflict_taken_over"`
	SameZone       string `code:"conflict_same_zone"`
}

// ComplaintHistory words a status change (complaint.HistoryLine).
type ComplaintHistory struct {
	TakeOver    string `code:"history.take_over"`
	CorrectPV   string `code:"history.correct_pv"`
	FromOfficer Fmt    `code:"history.from_officer"`
	PV          Fmt    `code:"history.pv"`
	PVCorrected Fmt    `code:"history.pv_corrected"`
}

// ComplaintGroups title the groups of a record's display.
type ComplaintGroups struct {
	Facts          string `code:"group.facts"`
	Place          string `code:"group.place"`
	Details        string `code:"group.details"`
	Complainant    string `code:"group.complainant"`
	Identification string `code:"group.identification"`
	Record         string `code:"group.record"`
	Goods          string `code:"group.goods"`
	Behalf         string `code:"group.behalf"`
	Witnesses      string `code:"group.witnesses"`
	Insurance      string `code:"group.insurance"`
}

// ComplaintLabels label a record's fields, by their JSON path.
type ComplaintLabels struct {
	FactType                                string `code:"label.fact_type"`
	FactsStartedAt                          string `code:"label.facts.started_at"`
	FactsEndedAt                            string `code:"label.facts.ended_at"`
	FactsDescription                        string `code:"label.facts.description"`
	FactsPlaceStreet                        string `code:"label.facts.place.street"`
	FactsPlaceNumber                        string `code:"label.facts.place.number"`
	FactsPlacePostalCode                    string `code:"label.facts.place.postal_code"`
	FactsPlaceMunicipality                  string `code:"label.facts.place.municipality"`
	ComplainantLastName                     string `code:"label.complainant.last_name"`
	ComplainantFirstName                    string `code:"label.complainant.first_name"`
	ComplainantBirthDate                    string `code:"label.complainant.birth_date"`
	ComplainantIdentificationNationalNumber string `code:"label.complainant.identification.national_number"`
	ComplainantAddressStreet                string `code:"label.complainant.address.street"`
	ComplainantAddressNumber                string `code:"label.complainant.address.number"`
	ComplainantAddressBox                   string `code:"label.complainant.address.box"`
	ComplainantAddressPostalCode            string `code:"label.complainant.address.postal_code"`
	ComplainantAddressMunicipality          string `code:"label.complainant.address.municipality"`
	ComplainantAddressCountry               string `code:"label.complainant.address.country"`
	ComplainantEmail                        string `code:"label.complainant.email"`
	ComplainantPhone                        string `code:"label.complainant.phone"`
	Confirmation                            string `code:"label.confirmation"`
	ComplainantIdentificationMethod         string `code:"label.complainant.identification.method"`
	ComplainantIdentificationIDCardNumber   string `code:"label.complainant.identification.id_card_number"`
	ComplainantIdentificationSISCardNumber  string `code:"label.complainant.identification.sis_card_number"`
	VerificationChecks                      string `code:"label.verification.checks"`
	VerificationVerifiedAt                  string `code:"label.verification.verified_at"`
	Reference                               string `code:"label.reference"`
	Zone                                    string `code:"label.zone"`
	ReceivedAt                              string `code:"label.received_at"`
	Status                                  string `code:"label.status"`
	ClaimedBy                               string `code:"label.claimed_by"`
	PVNumber                                string `code:"label.pv_number"`
	Reason                                  string `code:"label.reason"`
	ForwardedTo                             string `code:"label.forwarded_to"`
	ItemsTotal                              string `code:"label.items_total"`
	Item                                    string `code:"label.item"`
	OnBehalfOfKind                          string `code:"label.on_behalf_of.kind"`
	Witnesses                               string `code:"label.witnesses"`
	InsuranceCompany                        string `code:"label.insurance.company"`
	InsurancePolicyNumber                   string `code:"label.insurance.policy_number"`
}

// ComplaintParties label the parts of the other people of a record: the
// victim the complainant files for (a person or a company), an address
// part of theirs or a witness's, and each witness ("Witness 2 — Phone").
type ComplaintParties struct {
	PersonLastName          string
	PersonFirstName         string
	PersonBirthDate         string
	PersonNationalNumber    string
	PersonEmail             string
	PersonPhone             string
	PersonConsent           string
	CompanyName             string
	CompanyEnterpriseNumber string
	CompanyRole             string
	AddressStreet           string
	AddressNumber           string
	AddressBox              string
	AddressPostalCode       string
	AddressMunicipality     string
	AddressCountry          string
	Witness                 Fmt // the witness's number
	WitnessLastName         string
	WitnessFirstName        string
	WitnessBirthDate        string
	WitnessPhone            string
}

// ComplaintBehalves say on whose behalf a complaint was filed, by
// complaint.Behalf* kind.
type ComplaintBehalves struct {
	Self    string `code:"behalf.self"`
	Person  string `code:"behalf.person"`
	Company string `code:"behalf.company"`
}

// ComplaintValues word a boolean value.
type ComplaintValues struct {
	Yes string `code:"value.yes"`
	No  string `code:"value.no"`
}

// ComplaintChannels name the confirmation channels.
type ComplaintChannels struct {
	Email string `code:"channel.email"`
	Post  string `code:"channel.post"`
}

// ComplaintMethods name the identification methods.
type ComplaintMethods struct {
	ThreeNumbers string `code:"method.three_numbers"`
	EID          string `code:"method.eid"`
	Token        string `code:"method.token"`
}

// ComplaintChecks describe the verifications done at intake, by complaint.Check* code.
type ComplaintChecks struct {
	NationalNumberChecksum string `code:"check.national_number_checksum"`
	IDCardChecksum         string `code:"check.id_card_checksum"`
	SISCardFormat          string `code:"check.sis_card_format"`
	BirthDateConsistent    string `code:"check.birth_date_consistent"`
	AssertionSignature     string `code:"check.assertion_signature"`
	AssertionValidity      string `code:"check.assertion_validity"`
	AssertionIdentityMatch string `code:"check.assertion_identity_match"`
}

// ComplaintStatuses name the statuses, by complaint.Status value.
type ComplaintStatuses struct {
	New       string `code:"status.new"`
	Claimed   string `code:"status.claimed"`
	Handled   string `code:"status.handled"`
	Rejected  string `code:"status.rejected"`
	Forwarded string `code:"status.forwarded"`
}

// Of is the name of status (a complaint.Status value), read from its
// field: unlike Message("status."+status) it does not build the
// catalog's index of codes (a listing needs nothing else of it).
func (s *ComplaintStatuses) Of(status string) (string, bool) {
	switch status {
	case "new":
		return s.New, true
	case "claimed":
		return s.Claimed, true
	case "handled":
		return s.Handled, true
	case "rejected":
		return s.Rejected, true
	case "forwarded":
		return s.Forwarded, true
	}
	return "", false
}
