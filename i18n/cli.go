package i18n

// CLI holds the messages of the guichet command (cmd/guichet): its
// sentences (each an Fmt: guichet formats them with sanitized arguments),
// the help of its flags. (The clipboard methods are named in Clipboard.)
type CLI struct {
	Messages CLIMessages
	Flags    CLIFlags
	Args     CLIArgs
}

// CLIMessages are the sentences guichet prints.
type CLIMessages struct {
	CacheDamaged          Fmt
	CacheMovedAside       Fmt
	CacheKept             Fmt
	CachePartlyUnreadable Fmt
	CacheRefilled         Fmt
	CacheNotRefilled      Fmt
	CacheRebuildFailed    Fmt
	CacheRunAgain         Fmt
	CacheReadonlyDir      Fmt
	CacheReadonlyFile     Fmt
	CacheMigrating        Fmt
	WaitingElsewhere      Fmt
	FromMoved             Fmt
	FromSame              Fmt
	FromNotCache          Fmt
	FromOtherZone         Fmt
	FromOtherOfficer      Fmt
	TUICacheRebuilt       Fmt
	TUICachePartly        Fmt
	TUICacheOffline       Fmt
	TUIWaitingElsewhere   Fmt
	DemoNoSubcommand      Fmt
	UnknownCommand        Fmt
	SeeHelp               Fmt
	WantArgs              Fmt
	// Usage is the help's head: what guichet is and its subcommands up
	// to copy; the actions' lines follow, made from complaint's action
	// table (one per action: its subcommand, an argument per input, the
	// help text of its key), then UsageEnd.
	Usage                Fmt
	UsageEnd             Fmt
	NoServer             Fmt
	NoToken              Fmt
	SeveralCaches        Fmt
	FirstSyncNeedsPortal Fmt
	NoIdentity           Fmt
	Error                Fmt
	AuthRefused          Fmt
	SyncFailed           Fmt
	SyncProgress         Fmt
	Synced               Fmt
	BadStatus            Fmt
	BadLimit             Fmt
	BadDays              Fmt
	ListEmpty            Fmt
	ListNeverSynced      Fmt
	ListHeader           Fmt
	ListPendingNote      Fmt
	AuditFailed          Fmt
	NotFound             Fmt
	ShowPending          Fmt
	History              Fmt
	UnknownField         Fmt
	FieldEmpty           Fmt
	CopyNoTerminal       Fmt
	BadReference         Fmt
	BadType              Fmt
	FlagUnknown          Fmt
	FlagNeedsValue       Fmt
	FlagBadValue         Fmt
	FlagBadSyntax        Fmt
	FlagsOf              Fmt
	FlagsGlobal          Fmt
	CopyFailed           Fmt
	TmuxBufferOnly       Fmt
	TmuxFix              Fmt
	ClearRequested       Fmt
	ClearTerminalKept    Fmt
	Copied               Fmt
	CopiedNoClear        Fmt
	Cleared              Fmt
	NotClearedChanged    Fmt
	ClearFailed          Fmt
	UnknownZone          Fmt
	Queued               Fmt
	QueuedNoPortal       Fmt
	QueuedOffline        Fmt
	Confirmed            Fmt
	FieldError           Fmt
	Refused              Fmt
	RefusedHeld          Fmt
	ConflictLine         Fmt
	ConflictHolder       Fmt
	NoConflicts          Fmt
	Purged               Fmt
	// Demo says what the demo does while it prepares: zone, number of complaints.
	Demo Fmt
	// DemoForm gives the address of the demo portal's citizen form.
	DemoForm Fmt
}

// CLIArgs name the value of an action's input in the help's line of
// its subcommand (guichet reject REF --reason R), by the input's flag.
type CLIArgs struct {
	PV     string `code:"cli.arg.pv"`
	Reason string `code:"cli.arg.reason"`
	Zone   string `code:"cli.arg.zone"`
}

// CLIFlags describe the flags, by flag name.
type CLIFlags struct {
	Server     string `code:"cli.flag.server"`
	Token      string `code:"cli.flag.token"`
	DB         string `code:"cli.flag.db"`
	Lang       string `code:"cli.flag.lang"`
	Insecure   string `code:"cli.flag.insecure"`
	Demo       string `code:"cli.flag.demo"`
	Config     string `code:"cli.flag.config"`
	Theme      string `code:"cli.flag.theme"`
	Accessible string `code:"cli.flag.accessible"`
	JSON       string `code:"cli.flag.json"`
	Status     string `code:"cli.flag.status"`
	Type       string `code:"cli.flag.type"`
	Search     string `code:"cli.flag.search"`
	Limit      string `code:"cli.flag.limit"`
	Stdout     string `code:"cli.flag.stdout"`
	ClearAfter string `code:"cli.flag.clear-after"`
	PV         string `code:"cli.flag.pv"`
	Reason     string `code:"cli.flag.reason"`
	Zone       string `code:"cli.flag.zone"`
	Days       string `code:"cli.flag.days"`
	Quiet      string `code:"cli.flag.quiet"`
	From       string `code:"cli.flag.from"`
}
