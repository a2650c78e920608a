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

	"status.arrival":    {"1 nouvelle plainte", "1 nieuwe klacht", "1 neue Anzeige", "1 new complaint"},
	"status.arrivals":   {"%d nouvelles plaintes", "%d nieuwe klachten", "%d neue Anzeigen", "%d new complaints"},
	"status.nothingnew": {"rien de nouveau", "niets nieuws", "nichts Neues", "nothing new"},
	"status.arrived":    {"Arrivée : %s.", "Binnengekomen: %s.", "Eingegangen: %s.", "Arrived: %s."},
	"status.synced":     {"Synchronisé à %s — %s.", "Gesynchroniseerd om %s — %s.", "Synchronisiert um %s — %s.", "Synced at %s — %s."},
	"status.syncfailed": {"Synchronisation impossible — vos actions restent en file ; r pour réessayer.", "Synchronisatie mislukt — uw acties blijven in de wachtrij; r om opnieuw te proberen.", "Synchronisierung fehlgeschlagen — Ihre Aktionen bleiben in der Warteschlange; r zum Wiederholen.", "Sync failed — your actions stay queued; r to try again."},
	"status.syncauth":   {"Le portail refuse le jeton : synchronisation arrêtée ; relancez guichet avec un nouveau jeton.", "Het portaal weigert het token: synchronisatie gestopt; start guichet opnieuw met een nieuw token.", "Das Portal lehnt das Token ab: Synchronisierung gestoppt; guichet mit neuem Token neu starten.", "The portal refuses the token: syncing stopped; restart guichet with a new token."},
	"bar.firstsync":     {"première synchro…", "eerste sync…", "erste Sync…", "first sync…"},
}

func init() { addMessages(queueMessages) }
