package portal

import (
	"strings"

	"guichet/complaint"
)

// Message keys the portal adds to those of package complaint.
const (
	msgAssertionMalformed = "assertion_malformed"
	msgAssertionSignature = "assertion_signature"
	msgAssertionExpired   = "assertion_expired"
	msgAssertionNoKey     = "assertion_no_key"
	msgAssertionMismatch  = "assertion_identity_mismatch"
	msgAssertionMethod    = "assertion_method_mismatch"
	msgUnknownZone        = "unknown_zone"
	msgRateLimited        = "rate_limited"
)

// portalMessages holds the portal's own messages, by key then language.
var portalMessages = map[string]map[string]string{
	msgAssertionMalformed: {
		"fr": "La preuve d'identité n'est pas lisible. Reconnectez-vous avec votre eID ou itsme.",
		"nl": "Het identiteitsbewijs is onleesbaar. Meld u opnieuw aan met uw eID of itsme.",
		"de": "Der Identitätsnachweis ist nicht lesbar. Melden Sie sich erneut mit Ihrer eID oder itsme an.",
		"en": "The proof of identity cannot be read. Please log in again with your eID or itsme.",
	},
	msgAssertionSignature: {
		"fr": "La preuve d'identité n'est pas authentique.",
		"nl": "Het identiteitsbewijs is niet echt.",
		"de": "Der Identitätsnachweis ist nicht echt.",
		"en": "The proof of identity is not authentic.",
	},
	msgAssertionExpired: {
		"fr": "La preuve d'identité a expiré. Reconnectez-vous.",
		"nl": "Het identiteitsbewijs is verlopen. Meld u opnieuw aan.",
		"de": "Der Identitätsnachweis ist abgelaufen. Melden Sie sich erneut an.",
		"en": "The proof of identity has expired. Please log in again.",
	},
	msgAssertionNoKey: {
		"fr": "L'identification par eID ou token n'est pas disponible pour le moment.",
		"nl": "Identificatie met eID of token is momenteel niet beschikbaar.",
		"de": "Die Identifizierung mit eID oder Token ist derzeit nicht verfügbar.",
		"en": "Identification by eID or token is not available at the moment.",
	},
	msgAssertionMismatch: {
		"fr": "Les nom, prénom ou numéro de registre national ne correspondent pas à la personne identifiée.",
		"nl": "Naam, voornaam of rijksregisternummer komen niet overeen met de geïdentificeerde persoon.",
		"de": "Name, Vorname oder Nationalregisternummer stimmen nicht mit der identifizierten Person überein.",
		"en": "The name, first name or national register number do not match the identified person.",
	},
	msgAssertionMethod: {
		"fr": "La méthode d'identification ne correspond pas à la preuve d'identité.",
		"nl": "De identificatiemethode komt niet overeen met het identiteitsbewijs.",
		"de": "Die Identifizierungsmethode passt nicht zum Identitätsnachweis.",
		"en": "The identification method does not match the proof of identity.",
	},
	msgRateLimited: {
		"fr": "Trop de plaintes envoyées depuis cette adresse. Réessayez plus tard.",
		"nl": "Te veel klachten verzonden vanaf dit adres. Probeer het later opnieuw.",
		"de": "Zu viele Anzeigen von dieser Adresse gesendet. Versuchen Sie es später erneut.",
		"en": "Too many complaints sent from this address. Please try again later.",
	},
	msgUnknownZone: {
		"fr": "Zone de police inconnue.",
		"nl": "Onbekende politiezone.",
		"de": "Unbekannte Polizeizone.",
		"en": "Unknown police zone.",
	},
}

// message returns a message in lang from the portal's messages or, failing
// that, from package complaint's.
func message(lang, key string) string {
	if m, ok := portalMessages[key]; ok {
		if s, ok := m[lang]; ok {
			return s
		}
		return m["en"]
	}
	return complaint.Message(lang, key)
}

// addField adds a field error with a portal message.
func addField(errs *complaint.FieldErrors, lang, path, code string) {
	*errs = append(*errs, complaint.FieldError{Path: path, Code: code, Message: message(lang, code)})
}

// pickLang chooses fr, nl, de or en from an Accept-Language header or a
// language field; English when none matches.
func pickLang(candidates ...string) string {
	for _, c := range candidates {
		for _, part := range strings.Split(c, ",") {
			tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
			tag = strings.ToLower(tag)
			if len(tag) >= 2 {
				for _, l := range complaint.Languages {
					if tag[:2] == l {
						return l
					}
				}
			}
		}
	}
	return "en"
}

// confirmationTexts are the letters and e-mails to citizens, by language:
// subject, greeting, handled body, rejected body, closing. Placeholders:
// {ref}, {zone}, {pv}, {reason}.
var confirmationTexts = map[string]struct {
	Subject, Greeting, Handled, Rejected, Closing string
}{
	"fr": {
		Subject:  "Votre plainte {ref}",
		Greeting: "Madame, Monsieur,",
		Handled:  "Votre plainte en ligne {ref} a été traitée par la zone de police {zone}. Un procès-verbal a été établi sous le numéro {pv}. Mentionnez ce numéro dans tout contact avec la police ou votre assurance.",
		Rejected: "Votre plainte en ligne {ref} n'a pas pu être acceptée par la zone de police {zone}. Motif : {reason}",
		Closing:  "Cordialement,\nLa zone de police {zone}",
	},
	"nl": {
		Subject:  "Uw klacht {ref}",
		Greeting: "Geachte mevrouw, geachte heer,",
		Handled:  "Uw online klacht {ref} werd behandeld door politiezone {zone}. Er werd een proces-verbaal opgesteld met nummer {pv}. Vermeld dit nummer bij elk contact met de politie of uw verzekering.",
		Rejected: "Uw online klacht {ref} kon niet worden aanvaard door politiezone {zone}. Reden: {reason}",
		Closing:  "Met vriendelijke groeten,\nPolitiezone {zone}",
	},
	"de": {
		Subject:  "Ihre Anzeige {ref}",
		Greeting: "Sehr geehrte Damen und Herren,",
		Handled:  "Ihre Online-Anzeige {ref} wurde von der Polizeizone {zone} bearbeitet. Es wurde ein Protokoll mit der Nummer {pv} erstellt. Geben Sie diese Nummer bei jedem Kontakt mit der Polizei oder Ihrer Versicherung an.",
		Rejected: "Ihre Online-Anzeige {ref} konnte von der Polizeizone {zone} nicht angenommen werden. Grund: {reason}",
		Closing:  "Mit freundlichen Grüßen\nPolizeizone {zone}",
	},
	"en": {
		Subject:  "Your complaint {ref}",
		Greeting: "Dear Sir or Madam,",
		Handled:  "Your online complaint {ref} has been processed by police zone {zone}. A police report was drawn up under number {pv}. Please quote this number whenever you contact the police or your insurer.",
		Rejected: "Your online complaint {ref} could not be accepted by police zone {zone}. Reason: {reason}",
		Closing:  "Kind regards,\nPolice zone {zone}",
	},
}
