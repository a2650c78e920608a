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
	"filter.baddate":    {"date non valide (ex. du:2026-11-01 ou du:01/11/2026) : %s", "ongeldige datum (bv. van:2026-11-01 of van:01/11/2026): %s", "ungültiges Datum (z. B. von:2026-11-01 oder von:01.11.2026): %s", "invalid date (e.g. from:2026-11-01 or from:01/11/2026): %s"},
	"filter.badrange":   {"période à l'envers : %s", "periode in omgekeerde volgorde: %s", "Zeitraum verkehrt herum: %s", "range ends before it starts: %s"},
	"filter.longrange":  {"période de plus d'un an : %s", "periode van meer dan een jaar: %s", "Zeitraum über ein Jahr: %s", "range longer than a year: %s"},
	"filter.fix":        {"Rien n'est affiché tant que le filtre n'est pas compris — / pour le corriger, Échap pour l'effacer.", "Niets wordt getoond zolang de filter niet begrepen is — / om te verbeteren, Esc om te wissen.", "Nichts wird angezeigt, solange der Filter nicht verstanden ist — / zum Korrigieren, Esc zum Löschen.", "Nothing is shown until the filter is understood — / to fix it, esc to clear it."},
	"help.filtersyntax": {
		"type:vélo (ou bicycle_theft, fiets, Fahrrad, étalage…)  status:nouvelle  status:handled,rejected  status:done (clôturées)\n" +
			"age:<2d (récentes)  age:>7d (anciennes)  du:2026-11-01 au:15/11/2026 (date des faits)  par:dupont (agent)\n" +
			"mots libres = recherche : nom, lieu, référence, n° PV, n° national (avec ou sans points), date de naissance (30/07/1985), téléphone (0471…)",
		"type:fiets (of bicycle_theft, vélo, Fahrrad, winkel…)  status:nieuw  status:handled,rejected  status:done (afgehandeld)\n" +
			"age:<2d (recent)  age:>7d (oud)  van:2026-11-01 tot:15/11/2026 (datum van de feiten)  door:dupont (agent)\n" +
			"vrije woorden = zoeken: naam, plaats, referentie, pv-nr., rijksregisternr. (met of zonder punten), geboortedatum (30/07/1985), telefoon (0471…)",
		"type:Fahrrad (oder bicycle_theft, vélo, fiets, Laden…)  status:neu  status:handled,rejected  status:done (erledigt)\n" +
			"age:<2d (neu)  age:>7d (alt)  von:2026-11-01 bis:15.11.2026 (Tatdatum)  par:dupont (Beamter)\n" +
			"freie Wörter = Suche: Name, Ort, Aktenzeichen, Protokollnr., Nationalregisternr. (mit oder ohne Punkte), Geburtsdatum (30.07.1985), Telefon (0471…)",
		"type:bike (or bicycle_theft, vélo, fiets, Fahrrad, shop…)  status:new  status:handled,rejected  status:done (closed)\n" +
			"age:<2d (recent)  age:>7d (older)  from:2026-11-01 to:15/11/2026 (date of the facts)  by:dupont (officer)\n" +
			"free words = search: name, place, reference, PV no., national number (with or without dots), birth date (30/07/1985), phone (0471…)",
	},
	"key.locknow":        {"verrouiller maintenant", "nu vergrendelen", "jetzt sperren", "lock now"},
	"key.jump":           {"aller à une référence", "naar een referentie", "zu einem Aktenzeichen", "go to a reference"},
	"key.dates":          {"reçue : date / il y a", "ontvangen: datum / geleden", "eingegangen: Datum / vor", "received: date / ago"},
	"jump.placeholder":   {"référence, ex. 2026-W184-K72B", "referentie, bv. 2026-W184-K72B", "Aktenzeichen, z. B. 2026-W184-K72B", "reference, e.g. 2026-W184-K72B"},
	"jump.notfound":      {"Aucune plainte %s dans le cache de la zone.", "Geen klacht %s in de cache van de zone.", "Keine Anzeige %s im Cache der Zone.", "No complaint %s in the zone's cache."},
	"jump.failed":        {"Plainte %s illisible : %s", "Klacht %s niet leesbaar: %s", "Anzeige %s nicht lesbar: %s", "Cannot read complaint %s: %s"},
	"status.nolock":      {"Pas de verrouillage de session dans ce mode.", "Geen sessievergrendeling in deze modus.", "Keine Sitzungssperre in diesem Modus.", "No session lock in this mode."},
	"fieldkey.details":   {"champs propres au type de faits", "velden eigen aan het soort feit", "Felder der Tatart", "fields of the fact type"},
	"key.forwards":       {"mes transferts", "mijn doorzendingen", "meine Weiterleitungen", "my forwards"},
	"forwards.title":     {"Mes transferts", "Mijn doorzendingen", "Meine Weiterleitungen", "My forwards"},
	"forwards.heading":   {"Plaintes que vous avez transférées (%d derniers jours)", "Klachten die u hebt doorgezonden (laatste %d dagen)", "Von Ihnen weitergeleitete Anzeigen (letzte %d Tage)", "Complaints you forwarded (last %d days)"},
	"forwards.none":      {"Aucune plainte transférée.", "Geen doorgezonden klachten.", "Keine weitergeleiteten Anzeigen.", "No forwarded complaint."},
	"forwards.confirmed": {"acceptée par le portail", "aanvaard door het portaal", "vom Portal angenommen", "accepted by the portal"},
	"bar.firstsync":      {"première synchro…", "eerste sync…", "erste Sync…", "first sync…"},
}

func init() { addMessages(queueMessages) }
