package i18n

// Sync holds package sync's messages: what a problem of a sync round
// means for the officer and what to do, never the raw error.
type Sync struct {
	Problems SyncProblems
	Errors   SyncErrors
}

// SyncProblems explain a sync.Problem, by its value.
type SyncProblems struct {
	Unreachable string `code:"sync.problem.unreachable"`
	Timeout     string `code:"sync.problem.timeout"`
	Certificate string `code:"sync.problem.certificate"`
	Auth        string `code:"sync.problem.auth"`
	AuthLimited Fmt    `code:"sync.problem.auth_limited"`
	Zone        string `code:"sync.problem.zone"`
	PortalDown  string `code:"sync.problem.portal_down"`
	Refused     string `code:"sync.problem.refused"`
	Cache       string `code:"sync.problem.cache"`
	Config      string `code:"sync.problem.config"`
	Cancelled   string `code:"sync.problem.cancelled"`
}

// SyncErrors word the errors of the sync engine.
type SyncErrors struct {
	// Auth is sync.ErrAuth: the portal refused the token.
	Auth string
	// AuthLimited is sync.ErrAuthLimited; %d is the minutes before the portal takes a new attempt.
	AuthLimited Fmt
}
