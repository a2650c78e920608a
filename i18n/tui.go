package i18n

// TUI holds the workstation's messages (package tui): the queue, the
// detail, dialogs, the status line, statistics, the lock screen, the
// accessible mode's announcements and the names of the keys in the help.
type TUI struct {
	// Tabs name the queue's tabs, TabsShort when the terminal is narrow.
	Tabs      [5]string
	TabsShort [5]string
	// Columns name the queue's columns.
	Columns [7]string
	// KeyNames name the keys themselves in the help, by the key's name in
	// Bubble Tea (space for " ").
	KeyNames  TUIKeyNames
	Copy      TUICopy
	Status    TUIStatus
	Errors    TUIErrors
	Fields    TUIFields
	CopyAs    TUICopyAs
	Keys      TUIKeys
	Statuses  TUIStatuses
	Actions   TUIActions
	Row       TUIRow
	Time      TUITime
	Queue     TUIQueue
	Filter    TUIFilter
	Detail    TUIDetail
	Groups    TUIGroups
	Audit     TUIAudit
	Bar       TUIBar
	Dialog    TUIDialog
	Help      TUIHelp
	Conflict  TUIConflict
	Conflicts TUIConflicts
	Setup     TUISetup
	Refused   TUIRefused
	Bulk      TUIBulk
	Templates TUITemplates
	Stats     TUIStats
	Lock      TUILock
	A11y      TUIA11y
	Jump      TUIJump
	FieldKeys TUIFieldKeys
	Forwards  TUIForwards
	Quit      TUIQuit
	Progress  TUIProgress
}

// TUICopy are messages of the workstation's copy.
type TUICopy struct {
	Notmux      string `code:"tui.copy.notmux"`
	Failed      string `code:"tui.copy.failed"`
	Whole       string `code:"tui.copy.whole"`
	Noclipboard string `code:"tui.copy.noclipboard"`
}

// TUIStatus are messages of the workstation's status.
type TUIStatus struct {
	CopiedOSC52        Fmt    `code:"tui.status.copied.osc52"`
	CopiedTmux         Fmt    `code:"tui.status.copied.tmux"`
	CopiedTmuxkept     Fmt    `code:"tui.status.copied.tmuxkept"`
	Bufferonly         Fmt    `code:"tui.status.bufferonly"`
	Bufferonlyfix      Fmt    `code:"tui.status.bufferonlyfix"`
	Cleared            Fmt    `code:"tui.status.cleared"`
	Clearrequested     string `code:"tui.status.clearrequested"`
	ClearrequestedTmux string `code:"tui.status.clearrequested.tmux"`
	Terminalkept       Fmt    `code:"tui.status.terminalkept"`
	Clearleft          string `code:"tui.status.clearleft"`
	Clearfailed        Fmt    `code:"tui.status.clearfailed"`
	Copied             Fmt    `code:"tui.status.copied"`
	Copiednoclear      Fmt    `code:"tui.status.copiednoclear"`
	Copyfailed         Fmt    `code:"tui.status.copyfailed"`
	Newconflict        Fmt    `code:"tui.status.newconflict"`
	Syncing            string `code:"tui.status.syncing"`
	QueuedClaim        Fmt    `code:"tui.status.queued.claim"`
	QueuedRelease      Fmt    `code:"tui.status.queued.release"`
	QueuedHandle       Fmt    `code:"tui.status.queued.handle"`
	QueuedReject       Fmt    `code:"tui.status.queued.reject"`
	QueuedForward      Fmt    `code:"tui.status.queued.forward"`
	QueuedCorrectPV    Fmt    `code:"tui.status.queued.correct_pv"`
	QueuedTakeOver     Fmt    `code:"tui.status.queued.take_over"`
	RefusedClaim       Fmt    `code:"tui.status.refused.claim"`
	RefusedRelease     Fmt    `code:"tui.status.refused.release"`
	RefusedHandle      Fmt    `code:"tui.status.refused.handle"`
	RefusedReject      Fmt    `code:"tui.status.refused.reject"`
	RefusedForward     Fmt    `code:"tui.status.refused.forward"`
	RefusedCorrectPV   Fmt    `code:"tui.status.refused.correct_pv"`
	RefusedTakeOver    Fmt    `code:"tui.status.refused.take_over"`
	Arrival            string `code:"tui.status.arrival"`
	Arrivals           Fmt    `code:"tui.status.arrivals"`
	Nothingnew         string `code:"tui.status.nothingnew"`
	Arrived            Fmt    `code:"tui.status.arrived"`
	Synced             Fmt    `code:"tui.status.synced"`
	Syncfailed         string `code:"tui.status.syncfailed"`
	Syncauth           string `code:"tui.status.syncauth"`
	Nolock             string `code:"tui.status.nolock"`
}

// TUIErrors are messages of the workstation's errors.
type TUIErrors struct {
	Notfound string `code:"tui.err.notfound"`
}

// TUIFields are messages of the workstation's fields.
type TUIFields struct {
	Nndigits    string `code:"tui.field.nndigits"`
	Countrycode string `code:"tui.field.countrycode"`
	Language    string `code:"tui.field.language"`
}

// TUICopyAs are messages of the workstation's copyas.
type TUICopyAs struct {
	Iso   string `code:"tui.copyas.iso"`
	Value Fmt    `code:"tui.copyas.value"`
	Raw   string `code:"tui.copyas.raw"`
}

// TUIKeys are messages of the workstation's keys.
type TUIKeys struct {
	Up        string `code:"tui.key.up"`
	Down      string `code:"tui.key.down"`
	Pgup      string `code:"tui.key.pgup"`
	Pgdown    string `code:"tui.key.pgdown"`
	Top       string `code:"tui.key.top"`
	Bottom    string `code:"tui.key.bottom"`
	Nexttab   string `code:"tui.key.nexttab"`
	Prevtab   string `code:"tui.key.prevtab"`
	Tabn      string `code:"tui.key.tabn"`
	Sort      string `code:"tui.key.sort"`
	Sortdir   string `code:"tui.key.sortdir"`
	Filter    string `code:"tui.key.filter"`
	Open      string `code:"tui.key.open"`
	Back      string `code:"tui.key.back"`
	Copy      string `code:"tui.key.copy"`
	Copyall   string `code:"tui.key.copyall"`
	Claim     string `code:"tui.key.claim"`
	Release   string `code:"tui.key.release"`
	Handle    string `code:"tui.key.handle"`
	Reject    string `code:"tui.key.reject"`
	Forward   string `code:"tui.key.forward"`
	Conflicts string `code:"tui.key.conflicts"`
	Refresh   string `code:"tui.key.refresh"`
	Help      string `code:"tui.key.help"`
	Quit      string `code:"tui.key.quit"`
	Confirm   string `code:"tui.key.confirm"`
	Cancel    string `code:"tui.key.cancel"`
	Nextfield string `code:"tui.key.nextfield"`
	Takeover  string `code:"tui.key.takeover"`
	Correctpv string `code:"tui.key.correctpv"`
	Mark      string `code:"tui.key.mark"`
	Markrange string `code:"tui.key.markrange"`
	Dismiss   string `code:"tui.key.dismiss"`
	Locknow   string `code:"tui.key.locknow"`
	Jump      string `code:"tui.key.jump"`
	Dates     string `code:"tui.key.dates"`
	Forwards  string `code:"tui.key.forwards"`
	Stats     string `code:"tui.key.stats"`
}

// TUIStatuses are messages of the workstation's statuses.
type TUIStatuses struct {
	New       string `code:"tui.status.new"`
	Claimed   string `code:"tui.status.claimed"`
	Handled   string `code:"tui.status.handled"`
	Rejected  string `code:"tui.status.rejected"`
	Forwarded string `code:"tui.status.forwarded"`
	Unknown   string `code:"tui.status."`
}

// TUIActions are messages of the workstation's actions.
type TUIActions struct {
	Claim     string `code:"tui.action.claim"`
	Release   string `code:"tui.action.release"`
	Handle    string `code:"tui.action.handle"`
	Reject    string `code:"tui.action.reject"`
	Forward   string `code:"tui.action.forward"`
	CorrectPV string `code:"tui.action.correct_pv"`
	TakeOver  string `code:"tui.action.take_over"`
}

// TUIRow are messages of the workstation's row.
type TUIRow struct {
	Pending  string `code:"tui.row.pending"`
	Conflict string `code:"tui.row.conflict"`
}

// TUITime are messages of the workstation's time.
type TUITime struct {
	Now  string `code:"tui.time.now"`
	Min  Fmt    `code:"tui.time.min"`
	Hour Fmt    `code:"tui.time.hour"`
	Day  Fmt    `code:"tui.time.day"`
}

// TUIQueue are messages of the workstation's queue.
type TUIQueue struct {
	Title      string `code:"tui.queue.title"`
	Empty      string `code:"tui.queue.empty"`
	Loaderr    Fmt    `code:"tui.queue.loaderr"`
	Sort       Fmt    `code:"tui.queue.sort"`
	Filter     Fmt    `code:"tui.queue.filter"`
	Filterhint string `code:"tui.queue.filterhint"`
}

// TUIFilter are messages of the workstation's filter.
type TUIFilter struct {
	Placeholder string `code:"tui.filter.placeholder"`
	Badtype     Fmt    `code:"tui.filter.badtype"`
	Badstatus   Fmt    `code:"tui.filter.badstatus"`
	Badage      Fmt    `code:"tui.filter.badage"`
	Baddate     Fmt    `code:"tui.filter.baddate"`
	Badrange    Fmt    `code:"tui.filter.badrange"`
	Longrange   Fmt    `code:"tui.filter.longrange"`
	Fix         string `code:"tui.filter.fix"`
}

// TUIDetail are messages of the workstation's detail.
type TUIDetail struct {
	Title     Fmt    `code:"tui.detail.title"`
	Loading   string `code:"tui.detail.loading"`
	Error     Fmt    `code:"tui.detail.error"`
	By        Fmt    `code:"tui.detail.by"`
	Pending   string `code:"tui.detail.pending"`
	Nohistory string `code:"tui.detail.nohistory"`
	PV        Fmt    `code:"tui.detail.pv"`
}

// TUIGroups are messages of the workstation's groups.
type TUIGroups struct {
	History string `code:"tui.group.history"`
}

// TUIAudit are messages of the workstation's audit.
type TUIAudit struct {
	Failed Fmt `code:"tui.audit.failed"`
}

// TUIBar are messages of the workstation's bar.
type TUIBar struct {
	Zone       Fmt    `code:"tui.bar.zone"`
	Local      string `code:"tui.bar.local"`
	Online     string `code:"tui.bar.online"`
	Offline    string `code:"tui.bar.offline"`
	Authfailed string `code:"tui.bar.authfailed"`
	Syncing    string `code:"tui.bar.syncing"`
	Never      string `code:"tui.bar.never"`
	Lastsync   Fmt    `code:"tui.bar.lastsync"`
	Pending    Fmt    `code:"tui.bar.pending"`
	Conflicts  Fmt    `code:"tui.bar.conflicts"`
	Firstsync  string `code:"tui.bar.firstsync"`
}

// TUIDialog are messages of the workstation's dialog.
type TUIDialog struct {
	Handle         Fmt    `code:"tui.dialog.handle"`
	Reject         Fmt    `code:"tui.dialog.reject"`
	Forward        Fmt    `code:"tui.dialog.forward"`
	PV             string `code:"tui.dialog.pv"`
	Reason         string `code:"tui.dialog.reason"`
	Reasonopt      string `code:"tui.dialog.reasonopt"`
	Zone           string `code:"tui.dialog.zone"`
	Zonesearch     string `code:"tui.dialog.zonesearch"`
	Nozone         string `code:"tui.dialog.nozone"`
	Confirm        string `code:"tui.dialog.confirm"`
	Hint           string `code:"tui.dialog.hint"`
	TakeOver       Fmt    `code:"tui.dialog.take_over"`
	CorrectPV      Fmt    `code:"tui.dialog.correct_pv"`
	Curpv          Fmt    `code:"tui.dialog.curpv"`
	Newpv          string `code:"tui.dialog.newpv"`
	Samepv         string `code:"tui.dialog.samepv"`
	Reasonph       string `code:"tui.dialog.reasonph"`
	Templates      Fmt    `code:"tui.dialog.templates"`
	Zonetype       string `code:"tui.dialog.zonetype"`
	Ownzone        string `code:"tui.dialog.ownzone"`
	Yourzone       string `code:"tui.dialog.yourzone"`
	Forwardto      Fmt    `code:"tui.dialog.forwardto"`
	Confirmforward Fmt    `code:"tui.dialog.confirmforward"`
	Waiting        string `code:"tui.dialog.waiting"`
}

// TUIHelp are messages of the workstation's help.
type TUIHelp struct {
	Title        string `code:"tui.help.title"`
	Filter       string `code:"tui.help.filter"`
	Filtersyntax string `code:"tui.help.filtersyntax"`
}

// TUIConflict are messages of the workstation's conflict.
type TUIConflict struct {
	Holder  Fmt `code:"tui.conflict.holder"`
	Status  Fmt `code:"tui.conflict.status"`
	Takenby Fmt `code:"tui.conflict.takenby"`
}

// TUIConflicts are messages of the workstation's conflicts.
type TUIConflicts struct {
	Title     string `code:"tui.conflicts.title"`
	None      string `code:"tui.conflicts.none"`
	Dismissed Fmt    `code:"tui.conflicts.dismissed"`
}

// TUISetup are messages of the workstation's setup.
type TUISetup struct {
	Text string `code:"tui.setup.text"`
}

// TUIRefused are messages of the workstation's refused.
type TUIRefused struct {
	Heldby Fmt    `code:"tui.refused.heldby"`
	Yours  string `code:"tui.refused.yours"`
}

// TUIBulk are messages of the workstation's bulk.
type TUIBulk struct {
	AskReject      Fmt    `code:"tui.bulk.ask.reject"`
	AskForward     Fmt    `code:"tui.bulk.ask.forward"`
	Reason         Fmt    `code:"tui.bulk.reason"`
	Onepv          Fmt    `code:"tui.bulk.onepv"`
	Onetakeover    Fmt    `code:"tui.bulk.onetakeover"`
	TitleClaim     string `code:"tui.bulk.title.claim"`
	TitleRelease   string `code:"tui.bulk.title.release"`
	TitleReject    string `code:"tui.bulk.title.reject"`
	TitleForward   string `code:"tui.bulk.title.forward"`
	Marked         Fmt    `code:"tui.bulk.marked"`
	Rangeopen      string `code:"tui.bulk.rangeopen"`
	Rangestart     Fmt    `code:"tui.bulk.rangestart"`
	Rangemarked    Fmt    `code:"tui.bulk.rangemarked"`
	Rangemoved     string `code:"tui.bulk.rangemoved"`
	Rangefailed    Fmt    `code:"tui.bulk.rangefailed"`
	Cleared        string `code:"tui.bulk.cleared"`
	AskClaim       Fmt    `code:"tui.bulk.ask.claim"`
	AskRelease     Fmt    `code:"tui.bulk.ask.release"`
	Onebyone       string `code:"tui.bulk.onebyone"`
	Running        Fmt    `code:"tui.bulk.running"`
	Summary        Fmt    `code:"tui.bulk.summary"`
	Summaryrefused Fmt    `code:"tui.bulk.summaryrefused"`
	More           Fmt    `code:"tui.bulk.more"`
	Close          string `code:"tui.bulk.close"`
}

// TUITemplates are messages of the workstation's templates.
type TUITemplates struct {
	Notcompetent string `code:"tui.template.notcompetent"`
	Duplicate    string `code:"tui.template.duplicate"`
	Notcriminal  string `code:"tui.template.notcriminal"`
}

// TUIStats are messages of the workstation's stats.
type TUIStats struct {
	Nosource  string `code:"tui.stats.nosource"`
	Title     Fmt    `code:"tui.stats.title"`
	Period    Fmt    `code:"tui.stats.period"`
	Weeks     Fmt    `code:"tui.stats.weeks"`
	Total     Fmt    `code:"tui.stats.total"`
	Loading   string `code:"tui.stats.loading"`
	Error     Fmt    `code:"tui.stats.error"`
	None      string `code:"tui.stats.none"`
	Perweek   string `code:"tui.stats.perweek"`
	Munis     string `code:"tui.stats.munis"`
	Streets   string `code:"tui.stats.streets"`
	Handling  string `code:"tui.stats.handling"`
	Nohandled string `code:"tui.stats.nohandled"`
	ColType   string `code:"tui.stats.col.type"`
	ColCount  string `code:"tui.stats.col.count"`
	ColMed    string `code:"tui.stats.col.med"`
	ColP90    string `code:"tui.stats.col.p90"`
	Backlog   string `code:"tui.stats.backlog"`
	Backsum   Fmt    `code:"tui.stats.backsum"`
	Nostreet  string `code:"tui.stats.nostreet"`
	DurDh     Fmt    `code:"tui.stats.dur.dh"`
	DurHm     Fmt    `code:"tui.stats.dur.hm"`
	DurM      Fmt    `code:"tui.stats.dur.m"`
	KeyP4     string `code:"tui.stats.key.p4"`
	KeyP12    string `code:"tui.stats.key.p12"`
	KeyP52    string `code:"tui.stats.key.p52"`
	KeyPrevp  string `code:"tui.stats.key.prevp"`
	KeyNextp  string `code:"tui.stats.key.nextp"`
}

// TUILock are messages of the workstation's lock.
type TUILock struct {
	Title    string `code:"tui.lock.title"`
	Firstrun string `code:"tui.lock.firstrun"`
	Setting  string `code:"tui.lock.setting"`
	Checking string `code:"tui.lock.checking"`
	Footer   string `code:"tui.lock.footer"`
}

// TUIA11y are messages of the workstation's a11y.
type TUIA11y struct {
	Columns    string `code:"tui.a11y.columns"`
	Received   Fmt    `code:"tui.a11y.received"`
	Claimedby  Fmt    `code:"tui.a11y.claimedby"`
	Tab        Fmt    `code:"tui.a11y.tab"`
	Opened     Fmt    `code:"tui.a11y.opened"`
	Nowstatus  Fmt    `code:"tui.a11y.nowstatus"`
	Nowpending Fmt    `code:"tui.a11y.nowpending"`
	Queue      string `code:"tui.a11y.queue"`
	Help       string `code:"tui.a11y.help"`
	Conflicts  string `code:"tui.a11y.conflicts"`
	Dialog     Fmt    `code:"tui.a11y.dialog"`
	Synced     Fmt    `code:"tui.a11y.synced"`
	Online     string `code:"tui.a11y.online"`
	Offline    string `code:"tui.a11y.offline"`
	Authfailed string `code:"tui.a11y.authfailed"`
}

// TUIJump are messages of the workstation's jump.
type TUIJump struct {
	Placeholder string `code:"tui.jump.placeholder"`
	Notfound    Fmt    `code:"tui.jump.notfound"`
	Failed      Fmt    `code:"tui.jump.failed"`
}

// TUIFieldKeys are messages of the workstation's fieldkeys.
type TUIFieldKeys struct {
	Details string `code:"tui.fieldkey.details"`
}

// TUIForwards are messages of the workstation's forwards.
type TUIForwards struct {
	Title     string `code:"tui.forwards.title"`
	Heading   Fmt    `code:"tui.forwards.heading"`
	None      string `code:"tui.forwards.none"`
	Confirmed string `code:"tui.forwards.confirmed"`
}

// TUIQuit are messages of the workstation's quit.
type TUIQuit struct {
	Title   string `code:"tui.quit.title"`
	Pending Fmt    `code:"tui.quit.pending"`
	Hint    Fmt    `code:"tui.quit.hint"`
	Yeskey  string `code:"tui.quit.yeskey"`
	Stay    string `code:"tui.quit.stay"`
}

// TUIProgress are messages of the workstation's progress.
type TUIProgress struct {
	Line     Fmt `code:"tui.progress.line"`
	Starting Fmt `code:"tui.progress.starting"`
}

// TUIKeyNames name the keys as the officer's keyboard writes them.
type TUIKeyNames struct {
	Enter     string `code:"tui.keyname.enter"`
	Esc       string `code:"tui.keyname.esc"`
	Space     string `code:"tui.keyname.space"`
	PgUp      string `code:"tui.keyname.pgup"`
	PgDown    string `code:"tui.keyname.pgdown"`
	Home      string `code:"tui.keyname.home"`
	End       string `code:"tui.keyname.end"`
	Tab       string `code:"tui.keyname.tab"`
	ShiftTab  string `code:"tui.keyname.shift+tab"`
	Backspace string `code:"tui.keyname.backspace"`
	Delete    string `code:"tui.keyname.delete"`
}
