// Package config is the officer workstation's configuration: where the
// portal is, which zone, language, theme, timings and key bindings, resolved
// from built-in defaults, a configuration file, the environment and
// command-line flags, each value remembering where it came from so that
// `guichet config` can say so.
//
// # Precedence
//
// flags > environment > file > defaults. Two nuances:
//
//   - Language: --lang, then GUICHET_LANG, then the file's lang, then the
//     POSIX locale (the first non-empty of LC_ALL, LC_MESSAGES, LANG:
//     "nl_BE.UTF-8" → nl, "de_DE@euro" → de, "fr_BE" → fr; any other
//     language, "C" or "POSIX" → en).
//   - Theme: --theme, then GUICHET_THEME, then NO_COLOR (any non-empty value
//     means no-colour, see no-color.org), then the file's theme.
//
// Every key may also come from the environment as GUICHET_ followed by the
// key in capitals, a dot written "_" (GUICHET_SERVER, GUICHET_ZONE,
// GUICHET_IDLE_LOCK, GUICHET_COPY_FORMAT_DATE, …);
// ACCESSIBLE=1 is honoured like GUICHET_ACCESSIBLE=1.
//
// # File
//
// The file is $XDG_CONFIG_HOME/guichet/config, or ~/.config/guichet/config
// when XDG_CONFIG_HOME is unset (--config FILE or GUICHET_CONFIG name
// another one). A missing file is not an error. Format, UTF-8, one setting a
// line:
//
//	# Lines starting with # are comments; blank lines are ignored.
//	# No sections, no comments after a value: everything after "="
//	# (trimmed) is the value.
//	server = https://guichet.police.example.be
//	zone = 5275
//	# fr | nl | de | en
//	lang = nl
//	# default | high-contrast | no-colour
//	theme = high-contrast
//	# Go durations. sync_interval: at least 10s (default 30s).
//	sync_interval = 1m
//	# clipboard_clear: 5s to 10m (default 30s).
//	clipboard_clear = 20s
//	# how the workstation copies what it shows in the officer's
//	# conventions (the detail marks a field whose copy differs):
//	# dates iso (2026-11-21 15:14 +01:00, the default) or display
//	# (21/11/2026 15:14); amounts plain (1234,50, the default) or display
//	copy_format.date = display
//	copy_format.amount = plain
//	# idle_lock: 1s to 30m, CJIS asks at most 30 minutes (default 15m).
//	idle_lock = 10m
//	# true/false, yes/no, on/off, 1/0 (default false)
//	accessible = true
//	# handled complaints leave the cache after 1 to 365 days (default 30)
//	retention_days = 14
//	# the local cache (default: chosen per portal and zone by guichet)
//	db = /srv/guichet/cache.db
//	# a file holding the token, mode 0600; "~/" is the home directory
//	token_file = ~/.config/guichet/token
//	# rebind an action: comma-separated keys; "space" is the space bar,
//	# "comma" is ","
//	key.claim = c,C
//	key.pgdown = pgdown,space
//
// A key given twice, an unknown key, a line without "=", a section header
// or a bad value is an error naming the file and line, even when the
// environment or a flag overrides that key today.
//
// The server is https://; plain http:// is accepted only to this machine
// (localhost, 127.0.0.0/8, ::1) unless the --insecure flag is given (there
// is no file or environment setting for it). Config.ValidateKeys checks the
// key.* lines against the TUI's action names and reports a key bound to two
// rebound actions.
//
// # Token
//
// The officer's bearer token is never read from this file: a "token" line is
// an error. Give it with --token, GUICHET_TOKEN, or token_file (file or
// GUICHET_TOKEN_FILE) naming a file that only its owner can read (mode 0600
// or 0400); a group- or world-readable token file is refused. Print never
// shows the token, only whether it is set and from where.
//
// # Errors
//
// Load reports every problem it finds as an *Error (or several as Errors),
// with the file path and line, or the environment variable or flag, and a
// message code whose text exists in fr, nl, de and en (Message).
package config
