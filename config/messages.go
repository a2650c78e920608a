package config

// Message codes of Error.Code.
const (
	ErrFileRead       = "file_read"
	ErrFileTooLarge   = "file_too_large"
	ErrBadText        = "bad_text"
	ErrSection        = "section"
	ErrNoEquals       = "no_equals"
	ErrUnknownKey     = "unknown_key"
	ErrDuplicateKey   = "duplicate_key"
	ErrEmptyValue     = "empty_value"
	ErrBadServer      = "bad_server"
	ErrInsecureServer = "insecure_server"
	ErrBadZone        = "bad_zone"
	ErrBadLang        = "bad_lang"
	ErrBadTheme       = "bad_theme"
	ErrBadCopyFormat  = "bad_copy_format"
	ErrBadDuration    = "bad_duration"
	ErrTooShort       = "too_short"
	ErrTooLong        = "too_long"
	ErrBadBool        = "bad_bool"
	ErrBadInt         = "bad_int"
	ErrOutOfRange     = "out_of_range"
	ErrTooMany        = "too_many"     // reason_templates: more than MaxReasonTemplates
	ErrBadTemplate    = "bad_template" // reason_templates: too long or control characters
	ErrTokenInFile    = "token_in_file"
	ErrTokenFileRead  = "token_file_read"
	ErrTokenFilePerms = "token_file_perms"
	ErrTokenFileEmpty = "token_file_empty"
	ErrBadKeyList     = "bad_key_list"
	ErrUnknownAction  = "unknown_action"
	ErrKeyConflict    = "key_conflict"
)
