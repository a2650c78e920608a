package i18n

// Clipboard names where a copy went, one message per clip.Method: the
// workstation's status line and the guichet copy command both say it
// through clip.Method.Name, from this one table.
type Clipboard struct {
	System     string `code:"clip.system"`
	OSC52      string `code:"clip.osc52"`
	Tmux       string `code:"clip.tmux"`
	TmuxBuffer string `code:"clip.tmux-buffer"`
	// Unknown is the word for a method newer than this catalog.
	Unknown string `code:"clip."`
}
