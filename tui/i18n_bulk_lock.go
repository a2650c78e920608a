package tui

// bulkLockMessages are the strings of bulk work, the session lock and the
// statistics key, in fr, nl, de, en. They join messages at init;
// a key defined twice is a programming error.
var bulkLockMessages = map[string][4]string{
	"key.mark":      {"marquer la ligne", "rij markeren", "Zeile markieren", "mark row"},
	"key.markrange": {"marquer une plage (v … v)", "reeks markeren (v … v)", "Bereich markieren (v … v)", "mark a range (v … v)"},

	"stats.nosource": {"pas de cache local", "geen lokale cache", "kein lokaler Cache", "no local cache"},

	"lock.title":    {"Guichet — session verrouillée", "Guichet — sessie vergrendeld", "Guichet — Sitzung gesperrt", "Guichet — session locked"},
	"lock.firstrun": {"Guichet — première utilisation : code PIN de verrouillage", "Guichet — eerste gebruik: vergrendelingspincode", "Guichet — erste Verwendung: Sperr-PIN", "Guichet — first use: session lock PIN"},
	"lock.setting":  {"Enregistrement du code PIN…", "Pincode wordt opgeslagen…", "PIN wird gespeichert…", "Saving the PIN…"},
	"lock.checking": {"Vérification…", "Controle…", "Prüfung…", "Checking…"},
	"lock.footer":   {"Entrée : valider · Ctrl+C : quitter (les actions en attente sont gardées)", "Enter: bevestigen · Ctrl+C: afsluiten (wachtende acties blijven bewaard)", "Enter: bestätigen · Strg+C: beenden (ausstehende Aktionen bleiben erhalten)", "enter: confirm · ctrl+c: quit (queued actions are kept)"},

	"bulk.marked":         {"%d marquée(s)", "%d gemarkeerd", "%d markiert", "%d marked"},
	"bulk.rangeopen":      {"plage : v pour finir", "reeks: v om te sluiten", "Bereich: v zum Abschließen", "range: v to end"},
	"bulk.rangestart":     {"Début de plage sur %s — déplacez-vous puis v", "Begin van reeks op %s — verplaats en druk v", "Bereichsanfang bei %s — bewegen, dann v", "Range starts at %s — move, then v"},
	"bulk.rangemarked":    {"%d plainte(s) de la plage marquée(s) — %d au total", "%d klacht(en) uit de reeks gemarkeerd — %d in totaal", "%d Anzeige(n) des Bereichs markiert — insgesamt %d", "%d complaint(s) of the range marked — %d in all"},
	"bulk.rangemoved":     {"La plage a changé entre-temps : marquez-la à nouveau.", "De reeks is intussen veranderd: markeer ze opnieuw.", "Der Bereich hat sich inzwischen geändert: bitte neu markieren.", "The range changed meanwhile: mark it again."},
	"bulk.rangefailed":    {"Plage illisible : %s", "Reeks niet leesbaar: %s", "Bereich nicht lesbar: %s", "Cannot read the range: %s"},
	"bulk.cleared":        {"Marques effacées.", "Markeringen gewist.", "Markierungen gelöscht.", "Marks cleared."},
	"bulk.ask.claim":      {"Prendre en charge %d plainte(s) ?", "%d klacht(en) in behandeling nemen?", "%d Anzeige(n) übernehmen?", "Claim %d complaint(s)?"},
	"bulk.ask.release":    {"Libérer %d plainte(s) ?", "%d klacht(en) vrijgeven?", "%d Anzeige(n) freigeben?", "Release %d complaint(s)?"},
	"bulk.onebyone":       {"Chacune est vérifiée, journalisée et envoyée séparément.", "Elke klacht wordt apart gecontroleerd, gelogd en verzonden.", "Jede wird einzeln geprüft, protokolliert und gesendet.", "Each one is checked, audited and queued on its own."},
	"bulk.running":        {"%s de %d plainte(s)…", "%s van %d klacht(en)…", "%s von %d Anzeige(n)…", "%s of %d complaint(s)…"},
	"bulk.summary":        {"%s : %d plainte(s) enregistrée(s) — en attente du portail", "%s: %d klacht(en) opgeslagen — wacht op het portaal", "%s: %d Anzeige(n) gespeichert — wartet auf das Portal", "%s: %d complaint(s) queued — waiting for the portal"},
	"bulk.summaryrefused": {"%s : %d enregistrée(s), %d refusée(s) localement (%s)", "%s: %d opgeslagen, %d lokaal geweigerd (%s)", "%s: %d gespeichert, %d lokal abgelehnt (%s)", "%s: %d queued, %d refused locally (%s)"},
	"bulk.more":           {"… et %d autre(s)", "… en nog %d", "… und %d weitere", "… and %d more"},
	"bulk.close":          {"Entrée ou Échap pour fermer.", "Enter of Esc om te sluiten.", "Enter oder Esc zum Schließen.", "Press enter or esc to close."},
}

func init() { addMessages(bulkLockMessages) }
