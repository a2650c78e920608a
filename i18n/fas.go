package i18n

// FAS holds the messages of identification at the federal authentication
// service: what package fas says to the citizen when a login fails, and
// the pages of the development provider (package fas/devfas).
// Citizen-facing: complete in every language.
type FAS struct {
	Errors FASErrors
	Dev    DevFAS
}

// FASErrors explain a failed login in the citizen's words, one per
// fas.Reason (a wrong nonce shares WrongState's message).
type FASErrors struct {
	Cancelled    string
	Expired      string
	WrongState   string
	Refused      string
	InvalidToken string
	Identity     string
	Unavailable  string
}

// DevFAS are the texts of the development provider's pages (NOT FOR
// PRODUCTION: Banner says so in the page's language).
type DevFAS struct {
	Title         string
	Banner        string
	Intro         string
	Person        string
	Method        string
	MethodEID     string
	MethodToken   string
	MethodItsme   string
	Born          string
	Continue      string
	Cancel        string
	ErrorTitle    string
	BadClient     string
	BadRequest    string
	RequestGone   string
	LanguageLabel string
}
