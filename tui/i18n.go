package tui

import "fmt"

// langIndex orders the columns of the messages table.
var langIndex = map[string]int{"fr": 0, "nl": 1, "de": 2, "en": 3}

func knownLang(l string) bool { _, ok := langIndex[l]; return ok }

// tr is the UI string key in lang (English for an unknown language),
// formatted with args. A missing key returns the key itself (the test
// TestMessagesComplete makes sure none is missing).
func tr(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	i, ok := langIndex[lang]
	if !ok {
		i = 3
	}
	if len(args) == 0 {
		return m[i]
	}
	return fmt.Sprintf(m[i], args...)
}

// addMessages merges the strings one screen keeps beside its code into
// the table, at start-up; a key defined twice is a programming error.
func addMessages(m map[string][4]string) {
	for k, v := range m {
		if _, dup := messages[k]; dup {
			panic(fmt.Sprintf("tui: message %q defined twice", k))
		}
		messages[k] = v
	}
}

// messages: every UI string, in fr, nl, de, en.
var messages = map[string][4]string{
	// Keys (help).
	"key.up":        {"monter", "omhoog", "nach oben", "up"},
	"key.down":      {"descendre", "omlaag", "nach unten", "down"},
	"key.pgup":      {"page préc.", "vorige pagina", "Seite zurück", "page up"},
	"key.pgdown":    {"page suiv.", "volgende pagina", "Seite vor", "page down"},
	"key.top":       {"début", "begin", "Anfang", "top"},
	"key.bottom":    {"fin", "einde", "Ende", "bottom"},
	"key.nexttab":   {"onglet suiv.", "volgend tabblad", "nächster Reiter", "next tab"},
	"key.prevtab":   {"onglet préc.", "vorig tabblad", "vorheriger Reiter", "previous tab"},
	"key.tabn":      {"aller à l'onglet", "naar tabblad", "zum Reiter", "go to tab"},
	"key.sort":      {"trier par", "sorteren op", "sortieren nach", "sort by"},
	"key.sortdir":   {"inverser le tri", "volgorde omkeren", "Reihenfolge umkehren", "reverse order"},
	"key.filter":    {"filtrer", "filteren", "filtern", "filter"},
	"key.open":      {"ouvrir", "openen", "öffnen", "open"},
	"key.back":      {"retour", "terug", "zurück", "back"},
	"key.copy":      {"copier le champ", "veld kopiëren", "Feld kopieren", "copy field"},
	"key.copyall":   {"copier tout (ordre ISLP)", "alles kopiëren (ISLP-volgorde)", "alles kopieren (ISLP-Reihenfolge)", "copy all (ISLP order)"},
	"key.claim":     {"prendre en charge", "in behandeling nemen", "übernehmen", "claim"},
	"key.release":   {"libérer", "vrijgeven", "freigeben", "release"},
	"key.handle":    {"traiter (n° PV)", "afhandelen (pv-nr.)", "erledigen (Protokollnr.)", "handle (PV no.)"},
	"key.reject":    {"refuser", "weigeren", "ablehnen", "reject"},
	"key.forward":   {"transférer", "doorsturen", "weiterleiten", "forward"},
	"key.conflicts": {"conflits", "conflicten", "Konflikte", "conflicts"},
	"key.refresh":   {"synchroniser", "synchroniseren", "synchronisieren", "sync now"},
	"key.help":      {"aide", "hulp", "Hilfe", "help"},
	"key.quit":      {"quitter", "afsluiten", "beenden", "quit"},
	"key.confirm":   {"valider", "bevestigen", "bestätigen", "confirm"},
	"key.cancel":    {"annuler", "annuleren", "abbrechen", "cancel"},
	"key.nextfield": {"champ suivant", "volgend veld", "nächstes Feld", "next field"},

	// Tabs and columns.
	"tab.0": {"Nouvelles", "Nieuw", "Neu", "New"},
	"tab.1": {"Les miennes", "Van mij", "Meine", "Mine"},
	"tab.2": {"En cours", "In behandeling", "In Bearbeitung", "In progress"},
	"tab.3": {"Clôturées", "Afgehandeld", "Erledigt", "Done"},
	"tab.4": {"Toutes", "Alle", "Alle", "All"},
	"col.0": {"Référence", "Referentie", "Aktenzeichen", "Reference"},
	"col.1": {"Reçue", "Ontvangen", "Eingegangen", "Received"},
	"col.2": {"Type de faits", "Soort feiten", "Tatart", "Fact type"},
	"col.3": {"Commune", "Gemeente", "Gemeinde", "Municipality"},
	"col.4": {"Plaignant", "Klager", "Anzeigeerstatter", "Complainant"},
	"col.5": {"Statut", "Status", "Status", "Status"},
	"col.6": {"Pris par", "Behandeld door", "Bearbeiter", "Claimed by"},

	// Statuses and actions.
	"status.new":       {"nouvelle", "nieuw", "neu", "new"},
	"status.claimed":   {"en charge", "in behandeling", "übernommen", "claimed"},
	"status.handled":   {"traitée", "afgehandeld", "erledigt", "handled"},
	"status.rejected":  {"refusée", "geweigerd", "abgelehnt", "rejected"},
	"status.forwarded": {"transférée", "doorgestuurd", "weitergeleitet", "forwarded"},
	"status.":          {"?", "?", "?", "?"},
	"action.claim":     {"Prise en charge", "In behandeling nemen", "Übernahme", "Claim"},
	"action.release":   {"Libération", "Vrijgeven", "Freigabe", "Release"},
	"action.handle":    {"Traitement", "Afhandeling", "Erledigung", "Handle"},
	"action.reject":    {"Refus", "Weigering", "Ablehnung", "Reject"},
	"action.forward":   {"Transfert", "Doorsturen", "Weiterleitung", "Forward"},
	"row.pending":      {"(en attente)", "(wachtend)", "(ausstehend)", "(pending)"},
	"row.conflict":     {"(conflit)", "(conflict)", "(Konflikt)", "(conflict)"},

	// Times.
	"time.now":  {"à l'instant", "zonet", "gerade eben", "just now"},
	"time.min":  {"il y a %d min", "%d min geleden", "vor %d Min.", "%d min ago"},
	"time.hour": {"il y a %d h", "%d u geleden", "vor %d Std.", "%d h ago"},
	"time.day":  {"il y a %d j", "%d d geleden", "vor %d T.", "%d d ago"},

	// Queue.
	"queue.title":        {"File des plaintes", "Klachtenwachtrij", "Anzeigenliste", "Complaint queue"},
	"queue.empty":        {"Aucune plainte ici.", "Geen klachten hier.", "Keine Anzeigen hier.", "No complaints here."},
	"queue.loaderr":      {"Lecture impossible : %s", "Kan niet lezen: %s", "Lesen nicht möglich: %s", "Cannot read: %s"},
	"queue.sort":         {"Tri : %s %s", "Sortering: %s %s", "Sortierung: %s %s", "Sort: %s %s"},
	"queue.filter":       {"Filtre : %s", "Filter: %s", "Filter: %s", "Filter: %s"},
	"queue.filterhint":   {"/ pour filtrer", "/ om te filteren", "/ zum Filtern", "/ to filter"},
	"filter.placeholder": {"type:bicycle_theft status:new age:<2d mots…", "type:bicycle_theft status:new age:<2d woorden…", "type:bicycle_theft status:new age:<2d Wörter…", "type:bicycle_theft status:new age:<2d words…"},
	"filter.badtype":     {"type inconnu : %s", "onbekend type: %s", "unbekannte Tatart: %s", "unknown type: %s"},
	"filter.badstatus":   {"statut inconnu : %s", "onbekende status: %s", "unbekannter Status: %s", "unknown status: %s"},
	"filter.badage":      {"âge non valide (ex. age:<2d) : %s", "ongeldige leeftijd (bv. age:<2d): %s", "ungültiges Alter (z. B. age:<2d): %s", "invalid age (e.g. age:<2d): %s"},

	// Detail.
	"detail.title":     {"Plainte %s", "Klacht %s", "Anzeige %s", "Complaint %s"},
	"detail.loading":   {"Chargement…", "Laden…", "Wird geladen…", "Loading…"},
	"detail.error":     {"Lecture impossible : %s", "Kan niet lezen: %s", "Lesen nicht möglich: %s", "Cannot read: %s"},
	"detail.by":        {"par %s", "door %s", "von %s", "by %s"},
	"detail.pending":   {"en attente du portail", "wacht op het portaal", "wartet auf das Portal", "waiting for the portal"},
	"detail.nohistory": {"Aucun changement de statut.", "Geen statuswijzigingen.", "Keine Statusänderungen.", "No status changes."},
	"group.history":    {"Historique", "Geschiedenis", "Verlauf", "History"},

	// Copying.
	"copy.whole":           {"la plainte entière", "de volledige klacht", "die ganze Anzeige", "the whole complaint"},
	"copy.noclipboard":     {"pas de presse-papiers", "geen klembord", "keine Zwischenablage", "no clipboard"},
	"clip.system":          {"presse-papiers du système", "systeemklembord", "System-Zwischenablage", "system clipboard"},
	"clip.osc52":           {"presse-papiers du terminal (OSC 52)", "terminalklembord (OSC 52)", "Terminal-Zwischenablage (OSC 52)", "terminal clipboard (OSC 52)"},
	"clip.":                {"presse-papiers", "klembord", "Zwischenablage", "clipboard"},
	"status.copied":        {"Copié : %s (%s, effacé dans %d s)", "Gekopieerd: %s (%s, gewist over %d s)", "Kopiert: %s (%s, wird in %d s gelöscht)", "Copied %s (%s, clears in %d s)"},
	"status.copiednoclear": {"Copié : %s (%s)", "Gekopieerd: %s (%s)", "Kopiert: %s (%s)", "Copied %s (%s)"},
	"status.copyfailed":    {"Copie de %s impossible : %s", "Kopiëren van %s mislukt: %s", "Kopieren von %s fehlgeschlagen: %s", "Could not copy %s: %s"},

	// Actions and sync.
	"status.newconflict": {"Nouveau conflit à lire (action refusée ou plainte reprise) — %d conflit(s), touche !", "Nieuw conflict te lezen (actie geweigerd of klacht overgenomen) — %d conflict(en), toets !", "Neuer Konflikt zu lesen (Aktion abgelehnt oder Anzeige übernommen) — %d Konflikt(e), Taste !", "New conflict to read (action refused or complaint taken over) — %d conflict(s), press !"},
	"status.syncing":     {"Synchronisation…", "Synchroniseren…", "Synchronisierung…", "Syncing…"},
	"audit.failed":       {"Journal d'audit indisponible : %s", "Auditlog niet beschikbaar: %s", "Prüfprotokoll nicht verfügbar: %s", "Audit log unavailable: %s"},
	"bar.zone":           {"Zone %s", "Zone %s", "Zone %s", "Zone %s"},
	"bar.local":          {"local", "lokaal", "lokal", "local"},
	"bar.online":         {"en ligne", "online", "online", "online"},
	"bar.offline":        {"hors ligne", "offline", "offline", "offline"},
	"bar.authfailed":     {"jeton refusé (révoqué ou autre zone)", "token geweigerd (ingetrokken of andere zone)", "Token abgelehnt (widerrufen oder andere Zone)", "token refused (revoked or other zone)"},
	"bar.syncing":        {"synchro", "sync", "Sync", "syncing"},
	"bar.never":          {"jamais synchronisé", "nooit gesynchroniseerd", "nie synchronisiert", "never synced"},
	"bar.lastsync":       {"synchro %s", "sync %s", "Sync %s", "synced %s"},
	"bar.pending":        {"%d en attente", "%d wachtend", "%d ausstehend", "%d pending"},
	"bar.conflicts":      {"%d conflit(s)", "%d conflict(en)", "%d Konflikt(e)", "%d conflict(s)"},

	// Dialogs.
	"dialog.handle":     {"Traiter la plainte %s", "Klacht %s afhandelen", "Anzeige %s erledigen", "Handle complaint %s"},
	"dialog.reject":     {"Refuser la plainte %s", "Klacht %s weigeren", "Anzeige %s ablehnen", "Reject complaint %s"},
	"dialog.forward":    {"Transférer la plainte %s", "Klacht %s doorsturen", "Anzeige %s weiterleiten", "Forward complaint %s"},
	"dialog.pv":         {"Numéro de PV :", "Pv-nummer:", "Protokollnummer:", "PV number:"},
	"dialog.reason":     {"Motif :", "Reden:", "Grund:", "Reason:"},
	"dialog.reasonopt":  {"Motif (facultatif) :", "Reden (optioneel):", "Grund (optional):", "Reason (optional):"},
	"dialog.zone":       {"Zone de destination (tapez pour chercher, ↑/↓) :", "Doelzone (typ om te zoeken, ↑/↓):", "Zielzone (tippen zum Suchen, ↑/↓):", "Target zone (type to search, ↑/↓):"},
	"dialog.zonesearch": {"code, nom, commune ou code postal", "code, naam, gemeente of postcode", "Code, Name, Gemeinde oder PLZ", "code, name, municipality or postal code"},
	"dialog.nozone":     {"Aucune zone ne correspond.", "Geen zone gevonden.", "Keine Zone gefunden.", "No zone matches."},
	"dialog.confirm":    {"Entrée pour confirmer, Échap pour annuler.", "Enter om te bevestigen, Esc om te annuleren.", "Enter zum Bestätigen, Esc zum Abbrechen.", "Press enter to confirm, esc to cancel."},
	"dialog.hint":       {"Entrée : valider · Échap : annuler", "Enter: bevestigen · Esc: annuleren", "Enter: bestätigen · Esc: abbrechen", "enter: confirm · esc: cancel"},

	// Help and conflicts.
	"help.title":      {"Aide", "Hulp", "Hilfe", "Help"},
	"help.filter":     {"Syntaxe du filtre", "Filtersyntaxis", "Filtersyntax", "Filter syntax"},
	"conflict.holder": {"tenue par %s", "in behandeling bij %s", "bearbeitet von %s", "held by %s"},
	"conflict.status": {"statut sur le portail : %s", "status op het portaal: %s", "Status im Portal: %s", "status on the portal: %s"},
	"conflicts.title": {"Conflits", "Conflicten", "Konflikte", "Conflicts"},
	"conflicts.none":  {"Aucun conflit à lire.", "Geen conflicten te lezen.", "Keine Konflikte zu lesen.", "No conflicts to read."},

	// Start-up without a server.
	"setup.text": {
		"Guichet — aucun serveur configuré.\n\nIndiquez le portail et votre jeton :\n  guichet --server https://guichet.example.be --token JETON\nou les variables GUICHET_SERVER et GUICHET_TOKEN.\n\nPour essayer sans serveur :\n  guichet --demo\n",
		"Guichet — geen server ingesteld.\n\nGeef het portaal en uw token op:\n  guichet --server https://guichet.example.be --token TOKEN\nof de variabelen GUICHET_SERVER en GUICHET_TOKEN.\n\nOm te proberen zonder server:\n  guichet --demo\n",
		"Guichet — kein Server eingerichtet.\n\nGeben Sie das Portal und Ihr Token an:\n  guichet --server https://guichet.example.be --token TOKEN\noder die Variablen GUICHET_SERVER und GUICHET_TOKEN.\n\nZum Ausprobieren ohne Server:\n  guichet --demo\n",
		"Guichet — no server configured.\n\nGive the portal and your token:\n  guichet --server https://guichet.example.be --token TOKEN\nor the variables GUICHET_SERVER and GUICHET_TOKEN.\n\nTo try it without a server:\n  guichet --demo\n",
	},
}

// SetupText explains, in lang, how to configure the workstation or try the
// demo; shown instead of the TUI when no server is configured.
func SetupText(lang string) string { return tr(lang, "setup.text") }
