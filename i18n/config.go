package i18n

// Config holds package config's messages: the errors of a configuration
// file, variable or flag (by config.Error code; placeholders {value},
// {min}, {max}, {other}, {otherkey}) and the words of guichet config.
type Config struct {
	Errors  ConfigErrors
	Print   ConfigPrint
	Sources ConfigSources
}

// ConfigErrors say what is wrong with a setting, by config.Err* code.
type ConfigErrors struct {
	FileRead       string `code:"config.file_read"`
	FileTooLarge   string `code:"config.file_too_large"`
	BadText        string `code:"config.bad_text"`
	Section        string `code:"config.section"`
	NoEquals       string `code:"config.no_equals"`
	UnknownKey     string `code:"config.unknown_key"`
	DuplicateKey   string `code:"config.duplicate_key"`
	EmptyValue     string `code:"config.empty_value"`
	BadServer      string `code:"config.bad_server"`
	InsecureServer string `code:"config.insecure_server"`
	BadZone        string `code:"config.bad_zone"`
	BadLang        string `code:"config.bad_lang"`
	BadCopyFormat  string `code:"config.bad_copy_format"`
	BadTheme       string `code:"config.bad_theme"`
	BadDuration    string `code:"config.bad_duration"`
	TooShort       string `code:"config.too_short"`
	TooLong        string `code:"config.too_long"`
	BadBool        string `code:"config.bad_bool"`
	BadInt         string `code:"config.bad_int"`
	OutOfRange     string `code:"config.out_of_range"`
	TooMany        string `code:"config.too_many"`
	BadTemplate    string `code:"config.bad_template"`
	TokenInFile    string `code:"config.token_in_file"`
	TokenFileRead  string `code:"config.token_file_read"`
	TokenFilePerms string `code:"config.token_file_perms"`
	TokenFileEmpty string `code:"config.token_file_empty"`
	BadKeyList     string `code:"config.bad_key_list"`
	UnknownAction  string `code:"config.unknown_action"`
	KeyConflict    string `code:"config.key_conflict"`
}

// ConfigPrint are the words of "guichet config".
type ConfigPrint struct {
	File    string `code:"config.print.file"`
	Found   string `code:"config.print.found"`
	Missing string `code:"config.print.missing"`
	None    string `code:"config.print.none"`
	Set     string `code:"config.print.set"`
	Notset  string `code:"config.print.notset"`
	Line    string `code:"config.print.line"`
}

// ConfigSources name where a setting came from, by config.Source.
type ConfigSources struct {
	Default string `code:"config.source.default"`
	File    string `code:"config.source.file"`
	Env     string `code:"config.source.env"`
	Flag    string `code:"config.source.flag"`
}
