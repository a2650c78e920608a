package tui

// conflictMessages are the strings of dismissing a conflict, in fr, nl, de,
// en, added to the shared table at start-up.
var conflictMessages = map[string][4]string{
	"key.dismiss":         {"effacer le conflit lu", "gelezen conflict wissen", "gelesenen Konflikt löschen", "dismiss the conflict"},
	"conflicts.dismissed": {"Conflit sur %s effacé.", "Conflict over %s gewist.", "Konflikt zu %s gelöscht.", "Conflict over %s dismissed."},
}

func init() { addMessages(conflictMessages) }
