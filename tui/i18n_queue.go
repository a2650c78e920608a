package tui

// queueMessages are the strings of the queue's tabs, sort, filter help,
// arrivals and sync announcements, in fr, nl, de, en. They join messages at
// init; a key defined twice is a programming error.
var queueMessages = map[string][4]string{
	// Short tab names, for a narrow screen: still words, never bare numbers.
	"tab.short.0": {"Nouv.", "Nieuw", "Neu", "New"},
	"tab.short.1": {"Miennes", "Mijn", "Meine", "Mine"},
	"tab.short.2": {"En cours", "Bezig", "In Arb.", "Active"},
	"tab.short.3": {"Clôt.", "Afgeh.", "Erl.", "Done"},
	"tab.short.4": {"Toutes", "Alle", "Alle", "All"},
}

func init() { addMessages(queueMessages) }
