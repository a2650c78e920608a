package main

import "fmt"

// messages are the texts guichet prints, by key then language. Every key
// has fr, nl, de and en (a test fails otherwise), with the same verbs.
// Arguments are sanitized by app.t before they are formatted in.
var messages = map[string]map[string]string{
	"demo_no_subcommand": {
		"fr": "--demo ouvre l'interface de démonstration ; il ne se combine pas avec une sous-commande",
		"nl": "--demo opent de demo-interface; het gaat niet samen met een subcommando",
		"de": "--demo öffnet die Demo-Oberfläche; es lässt sich nicht mit einem Unterbefehl kombinieren",
		"en": "--demo opens the demo interface; it does not combine with a subcommand",
	},
	"unknown_command": {
		"fr": "commande inconnue : %s", "nl": "onbekend commando: %s",
		"de": "unbekannter Befehl: %s", "en": "unknown command: %s",
	},
	"see_help": {
		"fr": "Voir « guichet help ».", "nl": "Zie \"guichet help\".",
		"de": "Siehe „guichet help“.", "en": "See \"guichet help\".",
	},
	"want_args": {
		"fr": "usage : guichet %s %s", "nl": "gebruik: guichet %s %s",
		"de": "Aufruf: guichet %s %s", "en": "usage: guichet %s %s",
	},
	"usage": {
		"fr": usageFR, "nl": usageNL, "de": usageDE, "en": usageEN,
	},
	"no_server": {
		"fr": "aucun portail : donnez --server ou GUICHET_SERVER (ou --db pour lire un cache existant)",
		"nl": "geen portaal: geef --server of GUICHET_SERVER (of --db om een bestaande cache te lezen)",
		"de": "kein Portal: --server oder GUICHET_SERVER angeben (oder --db, um einen vorhandenen Cache zu lesen)",
		"en": "no portal: give --server or GUICHET_SERVER (or --db to read an existing cache)",
	},
	"no_token": {
		"fr": "aucun jeton d'agent : donnez --token ou GUICHET_TOKEN",
		"nl": "geen agententoken: geef --token of GUICHET_TOKEN",
		"de": "kein Beamten-Token: --token oder GUICHET_TOKEN angeben",
		"en": "no officer token: give --token or GUICHET_TOKEN",
	},
	"several_caches": {
		"fr": "plusieurs caches pour ce portail (%s) et le portail ne répond pas (%s) : choisissez avec --db",
		"nl": "meerdere caches voor dit portaal (%s) en het portaal antwoordt niet (%s): kies met --db",
		"de": "mehrere Caches für dieses Portal (%s) und das Portal antwortet nicht (%s): mit --db wählen",
		"en": "several caches for this portal (%s) and the portal does not answer (%s): choose one with --db",
	},
	"first_sync_needs_portal": {
		"fr": "pas encore de cache pour ce portail, et le portail ne répond pas : %s",
		"nl": "nog geen cache voor dit portaal, en het portaal antwoordt niet: %s",
		"de": "noch kein Cache für dieses Portal, und das Portal antwortet nicht: %s",
		"en": "no cache for this portal yet, and the portal does not answer: %s",
	},
	"no_identity": {
		"fr": "ce cache n'a pas encore été synchronisé : lancez d'abord « guichet sync »",
		"nl": "deze cache is nog niet gesynchroniseerd: voer eerst \"guichet sync\" uit",
		"de": "dieser Cache wurde noch nie synchronisiert: zuerst „guichet sync“ ausführen",
		"en": "this cache was never synchronised: run \"guichet sync\" first",
	},
	"error": {
		"fr": "erreur : %s", "nl": "fout: %s", "de": "Fehler: %s", "en": "error: %s",
	},
	"auth_refused": {
		"fr": "le portail refuse le jeton (%s) ; rien de ce qui est en attente n'est perdu (%d action(s) en attente)",
		"nl": "het portaal weigert het token (%s); niets in de wachtrij gaat verloren (%d actie(s) in de wachtrij)",
		"de": "das Portal lehnt das Token ab (%s); nichts Wartendes geht verloren (%d Aktion(en) wartend)",
		"en": "the portal refuses the token (%s); nothing queued is lost (%d action(s) queued)",
	},
	"sync_failed": {
		"fr": "synchronisation interrompue : %s (%d action(s) en attente, renvoyées à la prochaine synchronisation)",
		"nl": "synchronisatie onderbroken: %s (%d actie(s) in de wachtrij, verstuurd bij de volgende synchronisatie)",
		"de": "Synchronisierung unterbrochen: %s (%d Aktion(en) wartend, beim nächsten Mal gesendet)",
		"en": "sync interrupted: %s (%d action(s) queued, sent at the next sync)",
	},
	"sync_progress": {
		"fr": "réception : %d / %d plaintes · %d/s · encore %s",
		"nl": "ontvangst: %d / %d klachten · %d/s · nog %s",
		"de": "Empfang: %d / %d Anzeigen · %d/s · noch %s",
		"en": "receiving: %d / %d complaints · %d/s · %s left",
	},
	"synced": {
		"fr": "synchronisé : %d plainte(s) reçue(s), %d action(s) en attente, %d conflit(s)",
		"nl": "gesynchroniseerd: %d klacht(en) ontvangen, %d actie(s) in de wachtrij, %d conflict(en)",
		"de": "synchronisiert: %d Anzeige(n) empfangen, %d Aktion(en) wartend, %d Konflikt(e)",
		"en": "synced: %d complaint(s) received, %d action(s) queued, %d conflict(s)",
	},
	"bad_status": {
		"fr": "statut inconnu %s (new, claimed, handled, rejected, forwarded, done)",
		"nl": "onbekende status %s (new, claimed, handled, rejected, forwarded, done)",
		"de": "unbekannter Status %s (new, claimed, handled, rejected, forwarded, done)",
		"en": "unknown status %s (new, claimed, handled, rejected, forwarded, done)",
	},
	"bad_limit": {
		"fr": "--limit doit être positif", "nl": "--limit moet positief zijn",
		"de": "--limit muss positiv sein", "en": "--limit must be positive",
	},
	"bad_days": {
		"fr": "--days doit être positif", "nl": "--days moet positief zijn",
		"de": "--days muss positiv sein", "en": "--days must be positive",
	},
	"list_empty": {
		"fr": "aucune plainte", "nl": "geen klachten", "de": "keine Anzeigen", "en": "no complaints",
	},
	"list_never_synced": {
		"fr": "aucune plainte dans le cache, qui n'a encore jamais été synchronisé : lancez « guichet sync »",
		"nl": "geen klachten in de cache, die nog nooit gesynchroniseerd werd: voer \"guichet sync\" uit",
		"de": "keine Anzeigen im Cache, der noch nie synchronisiert wurde: „guichet sync“ ausführen",
		"en": "no complaints in the cache, which has never been synced: run \"guichet sync\"",
	},
	"list_header": {
		"fr": "RÉFÉRENCE\tREÇUE\tTYPE\tCOMMUNE\tPLAIGNANT\tSTATUT\tPRISE PAR",
		"nl": "REFERENTIE\tONTVANGEN\tTYPE\tGEMEENTE\tKLAGER\tSTATUS\tIN BEHANDELING BIJ",
		"de": "REFERENZ\tEINGANG\tART\tGEMEINDE\tANZEIGEERSTATTER\tSTATUS\tBEARBEITET VON",
		"en": "REFERENCE\tRECEIVED\tTYPE\tMUNICIPALITY\tCOMPLAINANT\tSTATUS\tCLAIMED BY",
	},
	"list_pending_note": {
		"fr": "* action en attente d'envoi au portail", "nl": "* actie wacht op verzending naar het portaal",
		"de": "* Aktion wartet auf Übermittlung an das Portal", "en": "* action waiting to be sent to the portal",
	},
	"audit_failed": {
		"fr": "impossible d'enregistrer la consultation dans le journal d'audit : %s",
		"nl": "kan de raadpleging niet in het auditlogboek opnemen: %s",
		"de": "Zugriff kann nicht im Audit-Protokoll vermerkt werden: %s",
		"en": "cannot record the consultation in the audit log: %s",
	},
	"not_found": {
		"fr": "plainte %s absente du cache (lancez « guichet sync » ?)",
		"nl": "klacht %s staat niet in de cache (\"guichet sync\" uitvoeren?)",
		"de": "Anzeige %s ist nicht im Cache („guichet sync“ ausführen?)",
		"en": "complaint %s is not in the cache (run \"guichet sync\"?)",
	},
	"show_pending": {
		"fr": "(des actions sur cette plainte attendent d'être envoyées au portail)",
		"nl": "(acties op deze klacht wachten op verzending naar het portaal)",
		"de": "(Aktionen zu dieser Anzeige warten auf Übermittlung an das Portal)",
		"en": "(actions on this complaint are waiting to be sent to the portal)",
	},
	"history": {
		"fr": "Historique", "nl": "Geschiedenis", "de": "Verlauf", "en": "History",
	},
	"unknown_field": {
		"fr": "champ inconnu ou ambigu %q ; champs possibles :",
		"nl": "onbekend of dubbelzinnig veld %q; mogelijke velden:",
		"de": "unbekanntes oder mehrdeutiges Feld %q; mögliche Felder:",
		"en": "unknown or ambiguous field %q; possible fields:",
	},
	"field_empty": {
		"fr": "le champ « %s » est vide", "nl": "het veld \"%s\" is leeg",
		"de": "das Feld „%s“ ist leer", "en": "the field \"%s\" is empty",
	},
	"copy_no_terminal": {
		"fr": "copie impossible : ni presse-papiers ni terminal — utilisez --stdout",
		"nl": "kopiëren onmogelijk: geen klembord en geen terminal — gebruik --stdout",
		"de": "Kopieren unmöglich: weder Zwischenablage noch Terminal — --stdout verwenden",
		"en": "cannot copy: no clipboard and no terminal — use --stdout",
	},
	"bad_reference": {
		"fr": "« %s » n'est pas une référence de plainte (p. ex. 2026-K7M4-Q9XT)",
		"nl": "\"%s\" is geen klachtreferentie (bv. 2026-K7M4-Q9XT)",
		"de": "„%s“ ist kein Aktenzeichen einer Anzeige (z. B. 2026-K7M4-Q9XT)",
		"en": "\"%s\" is not a complaint reference (e.g. 2026-K7M4-Q9XT)",
	},
	"bad_type": {
		"fr": "type de faits inconnu %s (%s)", "nl": "onbekend soort feiten %s (%s)",
		"de": "unbekannte Tatart %s (%s)", "en": "unknown fact type %s (%s)",
	},
	"flag_unknown": {
		"fr": "option inconnue : --%s", "nl": "onbekende optie: --%s",
		"de": "unbekannte Option: --%s", "en": "unknown flag: --%s",
	},
	"flag_needs_value": {
		"fr": "l'option --%s demande une valeur", "nl": "de optie --%s vraagt een waarde",
		"de": "die Option --%s braucht einen Wert", "en": "flag --%s needs a value",
	},
	"flag_bad_value": {
		"fr": "valeur non valide pour --%s", "nl": "ongeldige waarde voor --%s",
		"de": "ungültiger Wert für --%s", "en": "invalid value for --%s",
	},
	"flag_bad_syntax": {
		"fr": "option mal écrite : %s", "nl": "verkeerd geschreven optie: %s",
		"de": "falsch geschriebene Option: %s", "en": "badly written flag: %s",
	},
	"flags_of": {
		"fr": "Options de « guichet %s » :", "nl": "Opties van \"guichet %s\":",
		"de": "Optionen von „guichet %s“:", "en": "Flags of \"guichet %s\":",
	},
	"flags_global": {
		"fr": "Options générales (avant ou après la commande) :", "nl": "Algemene opties (voor of na het commando):",
		"de": "Allgemeine Optionen (vor oder nach dem Befehl):", "en": "Global flags (before or after the command):",
	},
	"flag_server":      {"fr": "adresse du portail (GUICHET_SERVER)", "nl": "adres van het portaal (GUICHET_SERVER)", "de": "Adresse des Portals (GUICHET_SERVER)", "en": "portal address (GUICHET_SERVER)"},
	"flag_token":       {"fr": "jeton de l'agent (GUICHET_TOKEN)", "nl": "token van de agent (GUICHET_TOKEN)", "de": "Token des Beamten (GUICHET_TOKEN)", "en": "officer token (GUICHET_TOKEN)"},
	"flag_db":          {"fr": "fichier du cache local (GUICHET_DB)", "nl": "bestand van de lokale cache (GUICHET_DB)", "de": "Datei des lokalen Caches (GUICHET_DB)", "en": "local cache file (GUICHET_DB)"},
	"flag_lang":        {"fr": "langue : fr, nl, de ou en (GUICHET_LANG)", "nl": "taal: fr, nl, de of en (GUICHET_LANG)", "de": "Sprache: fr, nl, de oder en (GUICHET_LANG)", "en": "language: fr, nl, de or en (GUICHET_LANG)"},
	"flag_insecure":    {"fr": "autoriser http:// vers un autre hôte", "nl": "http:// naar een andere host toestaan", "de": "http:// zu einem anderen Host erlauben", "en": "allow http:// to another host"},
	"flag_demo":        {"fr": "l'interface sur un portail de démonstration intégré", "nl": "de interface op een ingebouwd demoportaal", "de": "die Oberfläche auf einem eingebauten Demo-Portal", "en": "the interface on an embedded demo portal"},
	"flag_config":      {"fr": "fichier de configuration", "nl": "configuratiebestand", "de": "Konfigurationsdatei", "en": "configuration file"},
	"flag_theme":       {"fr": "couleurs : default, high-contrast ou no-colour", "nl": "kleuren: default, high-contrast of no-colour", "de": "Farben: default, high-contrast oder no-colour", "en": "colours: default, high-contrast or no-colour"},
	"flag_accessible":  {"fr": "mode lecteur d'écran", "nl": "schermlezermodus", "de": "Bildschirmleser-Modus", "en": "screen-reader mode"},
	"flag_json":        {"fr": "sortie JSON", "nl": "JSON-uitvoer", "de": "JSON-Ausgabe", "en": "JSON output"},
	"flag_status":      {"fr": "statuts, séparés par des virgules (done = clôturées)", "nl": "statussen, door komma's gescheiden (done = afgehandeld)", "de": "Status, durch Kommas getrennt (done = erledigt)", "en": "statuses, comma-separated (done = closed)"},
	"flag_type":        {"fr": "type de faits (clé ou libellé, p. ex. vélo)", "nl": "soort feiten (sleutel of label, bv. fiets)", "de": "Tatart (Schlüssel oder Bezeichnung, z. B. Fahrrad)", "en": "fact type (key or label, e.g. bike)"},
	"flag_search":      {"fr": "recherche plein texte", "nl": "zoeken in de volledige tekst", "de": "Volltextsuche", "en": "full-text search"},
	"flag_limit":       {"fr": "nombre maximum de lignes", "nl": "maximaal aantal regels", "de": "höchstens so viele Zeilen", "en": "at most this many rows"},
	"flag_stdout":      {"fr": "écrire la valeur sur la sortie standard", "nl": "de waarde naar standaarduitvoer schrijven", "de": "den Wert auf die Standardausgabe schreiben", "en": "write the value to standard output"},
	"flag_clear-after": {"fr": "effacer le presse-papiers après ce délai", "nl": "klembord wissen na deze tijd", "de": "Zwischenablage nach dieser Zeit löschen", "en": "clear the clipboard after this delay"},
	"flag_pv":          {"fr": "numéro de PV, p. ex. NI.55.L5.012345/2026", "nl": "pv-nummer, bv. NI.55.L5.012345/2026", "de": "Protokollnummer, z. B. NI.55.L5.012345/2026", "en": "PV number, e.g. NI.55.L5.012345/2026"},
	"flag_reason":      {"fr": "motif", "nl": "reden", "de": "Grund", "en": "reason"},
	"flag_zone":        {"fr": "code de la zone de destination", "nl": "code van de doelzone", "de": "Code der Zielzone", "en": "target zone code"},
	"flag_days":        {"fr": "garder les plaintes clôturées ce nombre de jours", "nl": "afgehandelde klachten zoveel dagen bewaren", "de": "erledigte Anzeigen so viele Tage behalten", "en": "keep closed complaints this many days"},
	"flag_quiet":       {"fr": "pas de lignes de progression pendant une longue synchronisation", "nl": "geen voortgangsregels tijdens een lange synchronisatie", "de": "keine Fortschrittszeilen bei einer langen Synchronisierung", "en": "no progress lines during a long sync"},
	"flag_from":        {"fr": "un ancien cache dont les actions en attente sont aussi envoyées", "nl": "een oude cache waarvan de wachtende acties ook verstuurd worden", "de": "ein alter Cache, dessen wartende Aktionen ebenfalls gesendet werden", "en": "an old cache whose queued actions are sent too"},
	"copy_failed": {
		"fr": "copie impossible : %s", "nl": "kopiëren mislukt: %s",
		"de": "Kopieren fehlgeschlagen: %s", "en": "copy failed: %s",
	},
	"clipboard_system": {
		"fr": "presse-papiers du système", "nl": "klembord van het systeem",
		"de": "System-Zwischenablage", "en": "system clipboard",
	},
	"clipboard_osc52": {
		"fr": "presse-papiers du terminal, OSC 52", "nl": "klembord van de terminal, OSC 52",
		"de": "Zwischenablage des Terminals, OSC 52", "en": "terminal clipboard, OSC 52",
	},
	"clipboard_tmux": {
		"fr": "tampon tmux et presse-papiers du terminal", "nl": "tmux-buffer en klembord van de terminal",
		"de": "tmux-Puffer und Zwischenablage des Terminals", "en": "tmux buffer and terminal clipboard",
	},
	"clipboard_tmux-buffer": {
		"fr": "tampon tmux seulement", "nl": "alleen tmux-buffer",
		"de": "nur tmux-Puffer", "en": "tmux buffer only",
	},
	"tmux_buffer_only": {
		"fr": "%s n'est pas dans le presse-papiers, seulement dans le tampon tmux « %s »",
		"nl": "%s staat niet op het klembord, alleen in tmux-buffer \"%s\"",
		"de": "%s ist nicht in der Zwischenablage, nur im tmux-Puffer „%s“",
		"en": "%s is not on the clipboard, only in tmux buffer \"%s\"",
	},
	"tmux_fix": {
		"fr": "ce réglage tmux y remédie : %s", "nl": "deze tmux-instelling verhelpt dat: %s",
		"de": "diese tmux-Einstellung behebt das: %s", "en": "this tmux setting fixes it: %s",
	},
	"clear_requested": {
		"fr": "effacement demandé au terminal (il ne peut pas être vérifié)", "nl": "terminal gevraagd het klembord te wissen (niet na te gaan)",
		"de": "Terminal um Löschen gebeten (nicht überprüfbar)", "en": "asked the terminal to clear its clipboard (this cannot be checked)",
	},
	"clear_terminal_kept": {
		"fr": "tampon tmux vidé, mais le presse-papiers du terminal garde la valeur ; pour qu'il soit vidé aussi : %s",
		"nl": "tmux-buffer gewist, maar het klembord van de terminal houdt de waarde; om het ook te wissen: %s",
		"de": "tmux-Puffer geleert, aber die Zwischenablage des Terminals behält den Wert; damit sie auch geleert wird: %s",
		"en": "tmux buffer cleared, but the terminal's clipboard still holds the value; to clear it too: %s",
	},
	"copied": {
		"fr": "%s copié (%s, effacé dans %d s ; Ctrl+C pour effacer maintenant)",
		"nl": "%s gekopieerd (%s, gewist over %d s; Ctrl+C om nu te wissen)",
		"de": "%s kopiert (%s, wird in %d s gelöscht; Strg+C löscht sofort)",
		"en": "Copied %s (%s, clears in %d s; Ctrl+C clears now)",
	},
	"copied_no_clear": {
		"fr": "%s copié (%s) ; il ne sera pas effacé automatiquement",
		"nl": "%s gekopieerd (%s); het wordt niet automatisch gewist",
		"de": "%s kopiert (%s); es wird nicht automatisch gelöscht",
		"en": "Copied %s (%s); it will not be cleared automatically",
	},
	"cleared": {
		"fr": "presse-papiers effacé", "nl": "klembord gewist",
		"de": "Zwischenablage gelöscht", "en": "clipboard cleared",
	},
	"not_cleared_changed": {
		"fr": "presse-papiers laissé tel quel : il contient autre chose entre-temps",
		"nl": "klembord ongemoeid gelaten: het bevat intussen iets anders",
		"de": "Zwischenablage unverändert: sie enthält inzwischen etwas anderes",
		"en": "clipboard left alone: it holds something else by now",
	},
	"clear_failed": {
		"fr": "effacement du presse-papiers impossible : %s", "nl": "klembord wissen mislukt: %s",
		"de": "Löschen der Zwischenablage fehlgeschlagen: %s", "en": "clearing the clipboard failed: %s",
	},
	"unknown_zone": {
		"fr": "zone inconnue : %s", "nl": "onbekende zone: %s",
		"de": "unbekannte Zone: %s", "en": "unknown zone: %s",
	},
	"queued": {
		"fr": "%s : %s mis en file d'attente, sera envoyé à la prochaine synchronisation",
		"nl": "%s: %s in de wachtrij gezet, wordt verstuurd bij de volgende synchronisatie",
		"de": "%s: %s vorgemerkt, wird bei der nächsten Synchronisierung gesendet",
		"en": "%s: %s queued, will be sent at next sync",
	},
	"queued_no_portal": {
		"fr": "(pas d'envoi immédiat : %s)", "nl": "(niet meteen verstuurd: %s)",
		"de": "(nicht sofort gesendet: %s)", "en": "(not sent now: %s)",
	},
	"queued_offline": {
		"fr": "(non envoyé maintenant : %s)", "nl": "(nu niet verstuurd: %s)",
		"de": "(jetzt nicht gesendet: %s)", "en": "(not sent now: %s)",
	},
	"confirmed": {
		"fr": "%s : confirmé par le portail, statut %s", "nl": "%s: bevestigd door het portaal, status %s",
		"de": "%s: vom Portal bestätigt, Status %s", "en": "%s: confirmed by the portal, status %s",
	},
	"field_error": {
		"fr": "%s : %s", "nl": "%s: %s", "de": "%s: %s", "en": "%s: %s",
	},
	"refused": {
		"fr": "%s : refusé : %s", "nl": "%s: geweigerd: %s", "de": "%s: abgelehnt: %s", "en": "%s: refused: %s",
	},
	"refused_held": {
		"fr": "%s : refusé : %s (%s)", "nl": "%s: geweigerd: %s (%s)",
		"de": "%s: abgelehnt: %s (%s)", "en": "%s: refused: %s (%s)",
	},
	"conflict_line": {
		"fr": "conflit %s : %s refusé par le portail : %s (action du %s, refus du %s)",
		"nl": "conflict %s: %s geweigerd door het portaal: %s (actie van %s, geweigerd op %s)",
		"de": "Konflikt %s: %s vom Portal abgelehnt: %s (Aktion vom %s, abgelehnt am %s)",
		"en": "conflict %s: %s refused by the portal: %s (action of %s, refused %s)",
	},
	"conflict_holder": {
		"fr": "  prise en charge par %s", "nl": "  in behandeling bij %s",
		"de": "  bearbeitet von %s", "en": "  held by %s",
	},
	"no_conflicts": {
		"fr": "aucun conflit", "nl": "geen conflicten", "de": "keine Konflikte", "en": "no conflicts",
	},
	"purged": {
		"fr": "%d plainte(s) clôturée(s) depuis plus de %d jour(s) supprimée(s) du cache",
		"nl": "%d klacht(en) die langer dan %d dag(en) afgesloten zijn, uit de cache verwijderd",
		"de": "%d seit mehr als %d Tag(en) abgeschlossene Anzeige(n) aus dem Cache entfernt",
		"en": "%d complaint(s) closed more than %d day(s) ago removed from the cache",
	},
}

// msg formats the message key in lang (English when lang has none).
func msg(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s, ok := m[lang]
	if !ok {
		s = m["en"]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

const usageEN = `guichet — the officer's workstation of the online complaint desk

  guichet                          the full-screen queue (TUI)
  guichet --demo                   the TUI on an embedded demo portal
  guichet sync [--quiet]           send queued actions, receive new complaints
  guichet sync --from OLDCACHE     also deliver the queued actions of another cache (old portal address)
  guichet list [--status S] [--type T] [--search Q] [--limit N] [--json]
                                   S: new, claimed, handled, rejected, forwarded, done (comma-separated)
  guichet show REF [--json]        every field of a complaint
  guichet copy REF FIELD [--stdout] [--clear-after 30s]
                                   FIELD: a key (complainant.identification.national_number)
                                   or its last part (national_number, description)
  guichet claim REF | release REF
  guichet handle REF --pv PV       e.g. --pv NI.55.L5.012345/2026
  guichet reject REF --reason R
  guichet forward REF --zone Z [--reason R]
  guichet correct-pv REF --pv PV   correct the PV number of a handled complaint
  guichet take-over REF --reason R take over a colleague's claim
  guichet conflicts [--json]       actions the portal refused
  guichet purge [--days 30]        remove closed complaints from the cache

Actions work offline: they are queued and sent at the next sync.
Exit codes: 0 success, 1 failure, 2 usage, 3 conflict.`

const usageFR = `guichet — le poste de travail de l'agent pour le guichet des plaintes en ligne

  guichet                          la file des plaintes en plein écran
  guichet --demo                   l'interface sur un portail de démonstration intégré
  guichet sync [--quiet]           envoyer les actions en attente, recevoir les nouvelles plaintes
  guichet sync --from ANCIENCACHE  envoyer aussi les actions d'un autre cache (ancienne adresse du portail)
  guichet list [--status S] [--type T] [--search Q] [--limit N] [--json]
                                   S : new, claimed, handled, rejected, forwarded, done (séparés par des virgules)
  guichet show REF [--json]        tous les champs d'une plainte
  guichet copy REF CHAMP [--stdout] [--clear-after 30s]
                                   CHAMP : une clé (complainant.identification.national_number)
                                   ou sa dernière partie (national_number, description)
  guichet claim REF | release REF  prendre en charge | libérer
  guichet handle REF --pv PV       p. ex. --pv NI.55.L5.012345/2026
  guichet reject REF --reason MOTIF
  guichet forward REF --zone Z [--reason MOTIF]
  guichet correct-pv REF --pv PV   corriger le n° de PV d'une plainte traitée
  guichet take-over REF --reason MOTIF  reprendre la plainte d'un collègue
  guichet conflicts [--json]       actions refusées par le portail
  guichet purge [--days 30]        retirer du cache les plaintes clôturées

Les actions fonctionnent hors ligne : elles sont mises en attente et envoyées à la prochaine synchronisation.
Codes de sortie : 0 succès, 1 échec, 2 usage, 3 conflit.`

const usageNL = `guichet — de werkpost van de agent voor het online klachtenloket

  guichet                          de klachtenlijst op volledig scherm
  guichet --demo                   de interface op een ingebouwd demoportaal
  guichet sync [--quiet]           acties in de wachtrij versturen, nieuwe klachten ontvangen
  guichet sync --from OUDECACHE    ook de acties van een andere cache versturen (oud adres van het portaal)
  guichet list [--status S] [--type T] [--search Q] [--limit N] [--json]
                                   S: new, claimed, handled, rejected, forwarded, done (kommagescheiden)
  guichet show REF [--json]        alle velden van een klacht
  guichet copy REF VELD [--stdout] [--clear-after 30s]
                                   VELD: een sleutel (complainant.identification.national_number)
                                   of het laatste deel ervan (national_number, description)
  guichet claim REF | release REF  in behandeling nemen | vrijgeven
  guichet handle REF --pv PV       bv. --pv NI.55.L5.012345/2026
  guichet reject REF --reason REDEN
  guichet forward REF --zone Z [--reason REDEN]
  guichet correct-pv REF --pv PV   het pv-nummer van een afgehandelde klacht verbeteren
  guichet take-over REF --reason REDEN  de klacht van een collega overnemen
  guichet conflicts [--json]       acties die het portaal weigerde
  guichet purge [--days 30]        afgesloten klachten uit de cache verwijderen

Acties werken offline: ze worden in de wachtrij gezet en bij de volgende synchronisatie verstuurd.
Afsluitcodes: 0 gelukt, 1 mislukt, 2 gebruik, 3 conflict.`

const usageDE = `guichet — der Arbeitsplatz des Beamten für den Online-Anzeigenschalter

  guichet                          die Anzeigenliste im Vollbild
  guichet --demo                   die Oberfläche auf einem eingebauten Demo-Portal
  guichet sync [--quiet]           wartende Aktionen senden, neue Anzeigen empfangen
  guichet sync --from ALTERCACHE   auch die Aktionen eines anderen Caches senden (alte Portaladresse)
  guichet list [--status S] [--type T] [--search Q] [--limit N] [--json]
                                   S: new, claimed, handled, rejected, forwarded, done (durch Kommas getrennt)
  guichet show REF [--json]        alle Felder einer Anzeige
  guichet copy REF FELD [--stdout] [--clear-after 30s]
                                   FELD: ein Schlüssel (complainant.identification.national_number)
                                   oder sein letzter Teil (national_number, description)
  guichet claim REF | release REF  übernehmen | freigeben
  guichet handle REF --pv PV       z. B. --pv NI.55.L5.012345/2026
  guichet reject REF --reason GRUND
  guichet forward REF --zone Z [--reason GRUND]
  guichet correct-pv REF --pv PV   die Protokollnummer einer erledigten Anzeige berichtigen
  guichet take-over REF --reason GRUND  die Anzeige eines Kollegen übernehmen
  guichet conflicts [--json]       vom Portal abgelehnte Aktionen
  guichet purge [--days 30]        abgeschlossene Anzeigen aus dem Cache entfernen

Aktionen funktionieren offline: sie werden vorgemerkt und bei der nächsten Synchronisierung gesendet.
Exit-Codes: 0 Erfolg, 1 Fehler, 2 Aufruf, 3 Konflikt.`
