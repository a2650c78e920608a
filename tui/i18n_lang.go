package tui

// Messages of the language and accessibility work (issue 6): the PV label
// and the plain sentences the accessible mode announces. Kept in their own
// table, added to messages at start-up, so parallel work on i18n.go does
// not collide; a key defined twice is a programming error.
var langMessages = map[string][4]string{
	"detail.pv": {"PV %s", "pv %s", "Protokoll %s", "PV %s"},

	// Accessible mode: one complaint per line, then announcements.
	"a11y.columns":    {"Référence, statut, type de faits, plaignant, réception, commune", "Referentie, status, soort feiten, klager, ontvangst, gemeente", "Aktenzeichen, Status, Tatart, Anzeigeerstatter, Eingang, Gemeinde", "Reference, status, fact type, complainant, received, municipality"},
	"a11y.received":   {"reçue %s", "ontvangen %s", "eingegangen %s", "received %s"},
	"a11y.claimedby":  {"prise par %s", "in behandeling bij %s", "bearbeitet von %s", "claimed by %s"},
	"a11y.tab":        {"Onglet %s : %d plainte(s).", "Tabblad %s: %d klacht(en).", "Reiter %s: %d Anzeige(n).", "Tab %s: %d complaint(s)."},
	"a11y.opened":     {"Plainte %s ouverte : %s, %s.", "Klacht %s geopend: %s, %s.", "Anzeige %s geöffnet: %s, %s.", "Complaint %s opened: %s, %s."},
	"a11y.nowstatus":  {"Plainte %s : %s.", "Klacht %s: %s.", "Anzeige %s: %s.", "Complaint %s: %s."},
	"a11y.nowpending": {"Plainte %s : %s, en attente du portail.", "Klacht %s: %s, wacht op het portaal.", "Anzeige %s: %s, wartet auf das Portal.", "Complaint %s %s, waiting for the portal."},
	"a11y.queue":      {"File des plaintes.", "Klachtenwachtrij.", "Anzeigenliste.", "Complaint queue."},
	"a11y.help":       {"Aide. Échap pour revenir.", "Hulp. Esc om terug te gaan.", "Hilfe. Esc für zurück.", "Help. Press esc to go back."},
	"a11y.conflicts":  {"Liste des conflits.", "Lijst van conflicten.", "Liste der Konflikte.", "List of conflicts."},
	"a11y.dialog":     {"%s. Entrée pour valider, Échap pour annuler.", "%s. Enter om te bevestigen, Esc om te annuleren.", "%s. Enter zum Bestätigen, Esc zum Abbrechen.", "%s. Press enter to confirm, esc to cancel."},
	"a11y.synced":     {"Synchronisation terminée : %d en attente, %d conflit(s).", "Synchronisatie klaar: %d wachtend, %d conflict(en).", "Synchronisierung fertig: %d ausstehend, %d Konflikt(e).", "Sync finished: %d pending, %d conflict(s)."},
	"a11y.online":     {"Connecté au portail.", "Verbonden met het portaal.", "Mit dem Portal verbunden.", "Connected to the portal."},
	"a11y.offline":    {"Hors ligne : les actions restent en attente.", "Offline: acties blijven wachten.", "Offline: Aktionen bleiben ausstehend.", "Offline: actions stay pending."},
	"a11y.authfailed": {"Le portail refuse le jeton.", "Het portaal weigert het token.", "Das Portal lehnt das Token ab.", "The portal refuses the token."},
}

func init() { addMessages(langMessages) }
