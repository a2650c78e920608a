package complaint

// messages holds every citizen-facing message, by key then language.
var messages = map[string]map[string]string{
	ErrRequired:             {"fr": "Ce champ est obligatoire.", "nl": "Dit veld is verplicht.", "de": "Dieses Feld ist erforderlich.", "en": "This field is required."},
	ErrTooLong:              {"fr": "Ce texte est trop long.", "nl": "Deze tekst is te lang.", "de": "Dieser Text ist zu lang.", "en": "This text is too long."},
	ErrInvalidText:          {"fr": "Ce texte contient des caractères non valides.", "nl": "Deze tekst bevat ongeldige tekens.", "de": "Dieser Text enthält ungültige Zeichen.", "en": "This text contains invalid characters."},
	ErrUnknownField:         {"fr": "Ce champ n'est pas prévu pour ce type de faits.", "nl": "Dit veld is niet voorzien voor dit soort feiten.", "de": "Dieses Feld ist für diese Art von Tatsachen nicht vorgesehen.", "en": "This field is not expected for this type of facts."},
	ErrWrongType:            {"fr": "Cette valeur n'a pas le bon type.", "nl": "Deze waarde heeft niet het juiste type.", "de": "Dieser Wert hat nicht den richtigen Typ.", "en": "This value has the wrong type."},
	ErrUnknownAction:        {"fr": "Action inconnue.", "nl": "Onbekende actie.", "de": "Unbekannte Aktion.", "en": "Unknown action."},
	ErrInvalidPV:            {"fr": "Numéro de PV non valide (ex. NI.55.L5.012345/2026).", "nl": "Ongeldig pv-nummer (bv. NI.55.L5.012345/2026).", "de": "Ungültige Protokollnummer (z. B. NI.55.L5.012345/2026).", "en": "Invalid PV number (e.g. NI.55.L5.012345/2026)."},
	ErrIDLength:             {"fr": "Ce numéro n'a pas le bon nombre de chiffres.", "nl": "Dit nummer heeft niet het juiste aantal cijfers.", "de": "Diese Nummer hat nicht die richtige Anzahl Ziffern.", "en": "This number has the wrong number of digits."},
	ErrIDChecksum:           {"fr": "Ce numéro n'est pas valide (chiffres de contrôle).", "nl": "Dit nummer is ongeldig (controlecijfers).", "de": "Diese Nummer ist ungültig (Prüfziffern).", "en": "This number is not valid (check digits)."},
	ErrIDFormat:             {"fr": "Ce numéro n'a pas le bon format.", "nl": "Dit nummer heeft niet het juiste formaat.", "de": "Diese Nummer hat nicht das richtige Format.", "en": "This number has the wrong format."},
	ErrIDDate:               {"fr": "La date contenue dans ce numéro n'existe pas.", "nl": "De datum in dit nummer bestaat niet.", "de": "Das Datum in dieser Nummer existiert nicht.", "en": "The date in this number does not exist."},
	ErrUnknownPostalCode:    {"fr": "Code postal inconnu en Belgique.", "nl": "Onbekende Belgische postcode.", "de": "Unbekannte belgische Postleitzahl.", "en": "Unknown Belgian postal code."},
	ErrAmbiguousPlace:       {"fr": "Ce code postal couvre plusieurs communes : précisez la commune.", "nl": "Deze postcode dekt meerdere gemeenten: vermeld de gemeente.", "de": "Diese Postleitzahl umfasst mehrere Gemeinden: bitte die Gemeinde angeben.", "en": "This postal code covers several municipalities: please give the municipality."},
	ErrMunicipalityMismatch: {"fr": "Cette commune ne correspond pas au code postal.", "nl": "Deze gemeente hoort niet bij de postcode.", "de": "Diese Gemeinde passt nicht zur Postleitzahl.", "en": "This municipality does not match the postal code."},
	ConflictFinal:           {"fr": "Cette plainte est déjà clôturée.", "nl": "Deze klacht is al afgesloten.", "de": "Diese Anzeige ist bereits abgeschlossen.", "en": "This complaint is already closed."},
	ConflictClaimedByOther:  {"fr": "Cette plainte est prise en charge par un autre agent.", "nl": "Deze klacht wordt door een andere agent behandeld.", "de": "Diese Anzeige wird von einem anderen Beamten bearbeitet.", "en": "This complaint is held by another officer."},
	ConflictNotClaimed:      {"fr": "Prenez d'abord la plainte en charge.", "nl": "Neem de klacht eerst in behandeling.", "de": "Übernehmen Sie die Anzeige zuerst.", "en": "Claim the complaint first."},
	ConflictSameZone:        {"fr": "La plainte est déjà dans cette zone.", "nl": "De klacht is al in deze zone.", "de": "Die Anzeige ist bereits in dieser Zone.", "en": "The complaint is already in this zone."},
}

// Message returns the message of key in lang (fr, nl, de or en; anything
// else falls back to English). An unknown key returns the key itself.
func Message(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if s, ok := m[lang]; ok {
		return s
	}
	return m["en"]
}
