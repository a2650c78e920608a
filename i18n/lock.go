package i18n

// Lock holds package lock's messages: the session-lock PIN's rules,
// prompts and file errors, by lock.Error code. Placeholders: {n}, {time},
// {pin}.
type Lock struct {
	PINNotDigits  string `code:"lock.pin.not_digits"`
	PINTooShort   string `code:"lock.pin.too_short"`
	PINTooLong    string `code:"lock.pin.too_long"`
	PINTrivial    string `code:"lock.pin.trivial"`
	PINWrong      string `code:"lock.pin.wrong"`
	PINRemaining  string `code:"lock.pin.remaining"`
	PINLockedOut  string `code:"lock.pin.locked_out"`
	PINNotSet     string `code:"lock.pin.not_set"`
	PINAlreadySet string `code:"lock.pin.already_set"`
	PINMismatch   string `code:"lock.pin.mismatch"`
	PromptSet     string `code:"lock.prompt.set"`
	PromptConfirm string `code:"lock.prompt.confirm"`
	PromptUnlock  string `code:"lock.prompt.unlock"`
	DemoPIN       string `code:"lock.demo.pin"`
	FileRead      string `code:"lock.file.read"`
	FileWrite     string `code:"lock.file.write"`
	FilePerms     string `code:"lock.file.perms"`
	FileDirPerms  string `code:"lock.file.dir_perms"`
	FileCorrupt   string `code:"lock.file.corrupt"`
}
