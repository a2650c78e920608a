package config

// Message codes of Error.Code.
const (
	ErrFileRead       = "file_read"
	ErrFileTooLarge   = "file_too_large"
	ErrBadText        = "bad_text"
	ErrSection        = "section"
	ErrNoEquals       = "no_equals"
	ErrUnknownKey     = "unknown_key"
	ErrDuplicateKey   = "duplicate_key"
	ErrEmptyValue     = "empty_value"
	ErrBadServer      = "bad_server"
	ErrInsecureServer = "insecure_server"
	ErrBadZone        = "bad_zone"
	ErrBadLang        = "bad_lang"
	ErrBadTheme       = "bad_theme"
	ErrBadCopyFormat  = "bad_copy_format"
	ErrBadDuration    = "bad_duration"
	ErrTooShort       = "too_short"
	ErrTooLong        = "too_long"
	ErrBadBool        = "bad_bool"
	ErrBadInt         = "bad_int"
	ErrOutOfRange     = "out_of_range"
	ErrTooMany        = "too_many"     // reason_templates: more than MaxReasonTemplates
	ErrBadTemplate    = "bad_template" // reason_templates: too long or control characters
	ErrTokenInFile    = "token_in_file"
	ErrTokenFileRead  = "token_file_read"
	ErrTokenFilePerms = "token_file_perms"
	ErrTokenFileEmpty = "token_file_empty"
	ErrBadKeyList     = "bad_key_list"
	ErrUnknownAction  = "unknown_action"
	ErrKeyConflict    = "key_conflict"
)

// Messages holds every user-facing text of the package, by key then
// language. Placeholders: {value}, {min}, {max}, {other} (a line),
// {otherkey}.
var Messages = map[string]map[string]string{
	ErrFileRead: {
		"fr": "impossible de lire le fichier de configuration",
		"nl": "kan het configuratiebestand niet lezen",
		"de": "die Konfigurationsdatei kann nicht gelesen werden",
		"en": "cannot read the configuration file"},
	ErrFileTooLarge: {
		"fr": "le fichier de configuration est trop grand (64 Kio au plus)",
		"nl": "het configuratiebestand is te groot (hoogstens 64 KiB)",
		"de": "die Konfigurationsdatei ist zu groß (höchstens 64 KiB)",
		"en": "the configuration file is too large (at most 64 KiB)"},
	ErrBadText: {
		"fr": "cette ligne contient des caractères de contrôle ou de l'UTF-8 non valide",
		"nl": "deze regel bevat stuurtekens of ongeldige UTF-8",
		"de": "diese Zeile enthält Steuerzeichen oder ungültiges UTF-8",
		"en": "this line contains control characters or invalid UTF-8"},
	ErrSection: {
		"fr": "pas de sections : écrivez des lignes clé = valeur",
		"nl": "geen secties: schrijf regels sleutel = waarde",
		"de": "keine Abschnitte: schreiben Sie Zeilen Schlüssel = Wert",
		"en": "there are no sections: write key = value lines"},
	ErrNoEquals: {
		"fr": "ligne attendue : clé = valeur",
		"nl": "verwachte regel: sleutel = waarde",
		"de": "erwartete Zeile: Schlüssel = Wert",
		"en": "expected a line key = value"},
	ErrUnknownKey: {
		"fr": "paramètre inconnu",
		"nl": "onbekende instelling",
		"de": "unbekannte Einstellung",
		"en": "unknown setting"},
	ErrDuplicateKey: {
		"fr": "déjà défini à la ligne {other}",
		"nl": "al ingesteld op regel {other}",
		"de": "bereits in Zeile {other} gesetzt",
		"en": "already set on line {other}"},
	ErrEmptyValue: {
		"fr": "valeur manquante",
		"nl": "waarde ontbreekt",
		"de": "Wert fehlt",
		"en": "no value given"},
	ErrBadServer: {
		"fr": "adresse du portail non valide (https://hôte[:port][/chemin])",
		"nl": "ongeldig portaaladres (https://host[:poort][/pad])",
		"de": "ungültige Portaladresse (https://Host[:Port][/Pfad])",
		"en": "not a portal address (https://host[:port][/path])"},
	ErrInsecureServer: {
		"fr": "http:// sans chiffrement n'est permis que vers cette machine : utilisez https:// (ou --insecure)",
		"nl": "onversleuteld http:// mag alleen naar deze machine: gebruik https:// (of --insecure)",
		"de": "unverschlüsseltes http:// ist nur zu diesem Rechner erlaubt: verwenden Sie https:// (oder --insecure)",
		"en": "plain http:// is only allowed to this machine: use https:// (or --insecure)"},
	ErrBadZone: {
		"fr": "code de zone non valide (4 chiffres, p. ex. 5275, ou prov-…)",
		"nl": "ongeldige zonecode (4 cijfers, bv. 5275, of prov-…)",
		"de": "ungültiger Zonencode (4 Ziffern, z. B. 5275, oder prov-…)",
		"en": "not a zone code (4 digits, e.g. 5275, or prov-…)"},
	ErrBadLang: {
		"fr": "langue : fr, nl, de ou en",
		"nl": "taal: fr, nl, de of en",
		"de": "Sprache: fr, nl, de oder en",
		"en": "language must be fr, nl, de or en"},
	ErrBadCopyFormat: {
		"fr": "format de copie inconnu : copy_format.date prend iso ou display, copy_format.amount prend plain ou display",
		"nl": "onbekend kopieerformaat: copy_format.date neemt iso of display, copy_format.amount neemt plain of display",
		"de": "unbekanntes Kopierformat: copy_format.date nimmt iso oder display, copy_format.amount nimmt plain oder display",
		"en": "unknown copy format: copy_format.date takes iso or display, copy_format.amount takes plain or display",
	},
	ErrBadTheme: {
		"fr": "thème : default, high-contrast ou no-colour",
		"nl": "thema: default, high-contrast of no-colour",
		"de": "Thema: default, high-contrast oder no-colour",
		"en": "theme must be default, high-contrast or no-colour"},
	ErrBadDuration: {
		"fr": "durée non valide (p. ex. 30s, 5m, 1h30m)",
		"nl": "ongeldige duur (bv. 30s, 5m, 1h30m)",
		"de": "ungültige Dauer (z. B. 30s, 5m, 1h30m)",
		"en": "not a duration (e.g. 30s, 5m, 1h30m)"},
	ErrTooShort: {
		"fr": "au moins {min}",
		"nl": "minstens {min}",
		"de": "mindestens {min}",
		"en": "must be at least {min}"},
	ErrTooLong: {
		"fr": "au plus {max}",
		"nl": "hoogstens {max}",
		"de": "höchstens {max}",
		"en": "must be at most {max}"},
	ErrBadBool: {
		"fr": "attendu : true ou false",
		"nl": "verwacht: true of false",
		"de": "erwartet: true oder false",
		"en": "expected true or false"},
	ErrBadInt: {
		"fr": "nombre entier attendu",
		"nl": "geheel getal verwacht",
		"de": "ganze Zahl erwartet",
		"en": "expected a whole number"},
	ErrOutOfRange: {
		"fr": "entre {min} et {max}",
		"nl": "tussen {min} en {max}",
		"de": "zwischen {min} und {max}",
		"en": "must be between {min} and {max}"},
	ErrTooMany: {
		"fr": "au plus 12 modèles, séparés par |",
		"nl": "hoogstens 12 sjablonen, gescheiden door |",
		"de": "höchstens 12 Vorlagen, getrennt durch |",
		"en": "at most 12 templates, separated by |"},
	ErrBadTemplate: {
		"fr": "un modèle fait au plus 200 caractères, sans caractère de contrôle",
		"nl": "een sjabloon telt hoogstens 200 tekens, zonder stuurtekens",
		"de": "eine Vorlage hat höchstens 200 Zeichen, ohne Steuerzeichen",
		"en": "a template is at most 200 characters, without control characters"},
	ErrTokenInFile: {
		"fr": "le jeton n'est jamais lu dans le fichier de configuration : utilisez GUICHET_TOKEN, --token ou token_file (fichier en mode 0600)",
		"nl": "het token wordt nooit uit het configuratiebestand gelezen: gebruik GUICHET_TOKEN, --token of token_file (bestand met modus 0600)",
		"de": "das Token wird nie aus der Konfigurationsdatei gelesen: verwenden Sie GUICHET_TOKEN, --token oder token_file (Datei mit Modus 0600)",
		"en": "the token is never read from the configuration file: use GUICHET_TOKEN, --token or token_file (a file of mode 0600)"},
	ErrTokenFileRead: {
		"fr": "impossible de lire le fichier du jeton {value}",
		"nl": "kan het tokenbestand {value} niet lezen",
		"de": "die Token-Datei {value} kann nicht gelesen werden",
		"en": "cannot read the token file {value}"},
	ErrTokenFilePerms: {
		"fr": "le fichier du jeton {value} est lisible par d'autres utilisateurs : refusé ; faites chmod 600 sur ce fichier",
		"nl": "het tokenbestand {value} is leesbaar voor andere gebruikers: geweigerd; voer chmod 600 uit op dit bestand",
		"de": "die Token-Datei {value} ist für andere Benutzer lesbar: abgelehnt; führen Sie chmod 600 für diese Datei aus",
		"en": "the token file {value} can be read by other users: refused; run chmod 600 on it"},
	ErrTokenFileEmpty: {
		"fr": "le fichier du jeton {value} ne contient pas un jeton",
		"nl": "het tokenbestand {value} bevat geen token",
		"de": "die Token-Datei {value} enthält kein Token",
		"en": "the token file {value} does not hold one token"},
	ErrBadKeyList: {
		"fr": "touches séparées par des virgules attendues, p. ex. c,C (space et comma par leur nom)",
		"nl": "toetsen gescheiden door komma's verwacht, bv. c,C (space en comma bij naam)",
		"de": "durch Kommas getrennte Tasten erwartet, z. B. c,C (space und comma beim Namen)",
		"en": "expected keys separated by commas, e.g. c,C (space and comma by name)"},
	ErrUnknownAction: {
		"fr": "action inconnue",
		"nl": "onbekende actie",
		"de": "unbekannte Aktion",
		"en": "unknown action"},
	ErrKeyConflict: {
		"fr": "la touche {value} est déjà liée à {otherkey} (ligne {other})",
		"nl": "de toets {value} is al gekoppeld aan {otherkey} (regel {other})",
		"de": "die Taste {value} ist bereits {otherkey} zugeordnet (Zeile {other})",
		"en": "the key {value} is already bound to {otherkey} (line {other})"},

	// Print.
	"print.file": {
		"fr": "fichier de configuration", "nl": "configuratiebestand",
		"de": "Konfigurationsdatei", "en": "configuration file"},
	"print.found": {"fr": "lu", "nl": "gelezen", "de": "gelesen", "en": "read"},
	"print.missing": {
		"fr": "absent, valeurs par défaut", "nl": "afwezig, standaardwaarden",
		"de": "nicht vorhanden, Standardwerte", "en": "absent, defaults used"},
	"print.none": {
		"fr": "aucun (ni XDG_CONFIG_HOME ni HOME)", "nl": "geen (geen XDG_CONFIG_HOME of HOME)",
		"de": "keine (weder XDG_CONFIG_HOME noch HOME)", "en": "none (neither XDG_CONFIG_HOME nor HOME)"},
	"print.set":    {"fr": "défini", "nl": "ingesteld", "de": "gesetzt", "en": "set"},
	"print.notset": {"fr": "non défini", "nl": "niet ingesteld", "de": "nicht gesetzt", "en": "not set"},
	"print.line":   {"fr": "ligne", "nl": "regel", "de": "Zeile", "en": "line"},
	"source.default": {
		"fr": "par défaut", "nl": "standaard", "de": "Standard", "en": "default"},
	"source.file": {"fr": "fichier", "nl": "bestand", "de": "Datei", "en": "file"},
	"source.env":  {"fr": "environnement", "nl": "omgeving", "de": "Umgebung", "en": "env"},
	"source.flag": {"fr": "option", "nl": "optie", "de": "Option", "en": "flag"},
}

// Message is the text of key in lang, English when lang is not one of
// Languages, the key itself when unknown.
func Message(lang, key string) string {
	m, ok := Messages[key]
	if !ok {
		return key
	}
	if s, ok := m[lang]; ok {
		return s
	}
	return m["en"]
}
