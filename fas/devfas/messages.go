package devfas

import "strings"

// The development FAS's page texts in the five languages of the citizen's
// form. Provisional: they move to package i18n once it has landed on main.

// languages in the order the language switch shows them, with each
// language's own name.
var languages = []struct{ Code, Name string }{
	{"fr", "Français"}, {"nl", "Nederlands"}, {"de", "Deutsch"}, {"en", "English"}, {"es", "Español"},
}

// Message keys.
const (
	msgTitle         = "title"
	msgBanner        = "banner"
	msgIntro         = "intro"
	msgPerson        = "person"
	msgMethod        = "method"
	msgMethodEID     = "method_eid"
	msgMethodToken   = "method_token"
	msgMethodItsme   = "method_itsme"
	msgBorn          = "born"
	msgContinue      = "continue"
	msgCancel        = "cancel"
	msgErrorTitle    = "error_title"
	msgBadClient     = "bad_client"
	msgBadRequest    = "bad_request"
	msgRequestGone   = "request_gone"
	msgLanguageLabel = "language"
)

var messages = map[string]map[string]string{
	"fr": {
		msgTitle:         "Service d’authentification de développement",
		msgBanner:        "NE PAS UTILISER EN PRODUCTION — service d’authentification fictif pour démonstrations et tests. Il certifie n’importe quelle personne de test.",
		msgIntro:         "Choisissez la personne de test à identifier et le moyen d’identification simulé.",
		msgPerson:        "Personne de test",
		msgMethod:        "Moyen d’identification",
		msgMethodEID:     "Carte d’identité électronique (eID)",
		msgMethodToken:   "Token fédéral",
		msgMethodItsme:   "itsme",
		msgBorn:          "née/né le",
		msgContinue:      "S’identifier",
		msgCancel:        "Annuler",
		msgErrorTitle:    "Demande refusée",
		msgBadClient:     "Cette application n’est pas enregistrée auprès de ce service, ou son adresse de retour est inconnue.",
		msgBadRequest:    "La demande d’identification est incomplète ou invalide.",
		msgRequestGone:   "Cette demande d’identification a expiré ou a déjà servi. Recommencez depuis le formulaire.",
		msgLanguageLabel: "Langue",
	},
	"nl": {
		msgTitle:         "Authenticatiedienst voor ontwikkeling",
		msgBanner:        "NIET VOOR PRODUCTIE — fictieve authenticatiedienst voor demo’s en tests. Hij bevestigt eender welke testpersoon.",
		msgIntro:         "Kies de testpersoon die zich identificeert en het gesimuleerde identificatiemiddel.",
		msgPerson:        "Testpersoon",
		msgMethod:        "Identificatiemiddel",
		msgMethodEID:     "Elektronische identiteitskaart (eID)",
		msgMethodToken:   "Federale token",
		msgMethodItsme:   "itsme",
		msgBorn:          "geboren op",
		msgContinue:      "Identificeren",
		msgCancel:        "Annuleren",
		msgErrorTitle:    "Aanvraag geweigerd",
		msgBadClient:     "Deze toepassing is niet geregistreerd bij deze dienst, of haar terugkeeradres is onbekend.",
		msgBadRequest:    "De identificatieaanvraag is onvolledig of ongeldig.",
		msgRequestGone:   "Deze identificatieaanvraag is verlopen of al gebruikt. Begin opnieuw vanaf het formulier.",
		msgLanguageLabel: "Taal",
	},
	"de": {
		msgTitle:         "Authentifizierungsdienst für die Entwicklung",
		msgBanner:        "NICHT FÜR DEN PRODUKTIVBETRIEB — fiktiver Authentifizierungsdienst für Vorführungen und Tests. Er bestätigt jede beliebige Testperson.",
		msgIntro:         "Wählen Sie die Testperson, die sich identifiziert, und das simulierte Identifizierungsmittel.",
		msgPerson:        "Testperson",
		msgMethod:        "Identifizierungsmittel",
		msgMethodEID:     "Elektronischer Personalausweis (eID)",
		msgMethodToken:   "Föderaler Token",
		msgMethodItsme:   "itsme",
		msgBorn:          "geboren am",
		msgContinue:      "Identifizieren",
		msgCancel:        "Abbrechen",
		msgErrorTitle:    "Anfrage abgelehnt",
		msgBadClient:     "Diese Anwendung ist bei diesem Dienst nicht registriert, oder ihre Rückkehradresse ist unbekannt.",
		msgBadRequest:    "Die Identifizierungsanfrage ist unvollständig oder ungültig.",
		msgRequestGone:   "Diese Identifizierungsanfrage ist abgelaufen oder wurde bereits verwendet. Beginnen Sie erneut im Formular.",
		msgLanguageLabel: "Sprache",
	},
	"en": {
		msgTitle:         "Development authentication service",
		msgBanner:        "NOT FOR PRODUCTION — fictitious authentication service for demos and tests. It certifies any test person.",
		msgIntro:         "Choose the test person to identify and the simulated means of identification.",
		msgPerson:        "Test person",
		msgMethod:        "Means of identification",
		msgMethodEID:     "Electronic identity card (eID)",
		msgMethodToken:   "Federal token",
		msgMethodItsme:   "itsme",
		msgBorn:          "born",
		msgContinue:      "Identify",
		msgCancel:        "Cancel",
		msgErrorTitle:    "Request refused",
		msgBadClient:     "This application is not registered with this service, or its return address is unknown.",
		msgBadRequest:    "The identification request is incomplete or invalid.",
		msgRequestGone:   "This identification request has expired or was already used. Start again from the form.",
		msgLanguageLabel: "Language",
	},
	"es": {
		msgTitle:         "Servicio de autenticación de desarrollo",
		msgBanner:        "NO USAR EN PRODUCCIÓN — servicio de autenticación ficticio para demostraciones y pruebas. Certifica a cualquier persona de prueba.",
		msgIntro:         "Elija la persona de prueba que se identifica y el medio de identificación simulado.",
		msgPerson:        "Persona de prueba",
		msgMethod:        "Medio de identificación",
		msgMethodEID:     "Documento de identidad electrónico (eID)",
		msgMethodToken:   "Token federal",
		msgMethodItsme:   "itsme",
		msgBorn:          "nacida/o el",
		msgContinue:      "Identificarse",
		msgCancel:        "Cancelar",
		msgErrorTitle:    "Solicitud rechazada",
		msgBadClient:     "Esta aplicación no está registrada en este servicio, o su dirección de retorno es desconocida.",
		msgBadRequest:    "La solicitud de identificación está incompleta o no es válida.",
		msgRequestGone:   "Esta solicitud de identificación ha caducado o ya se utilizó. Vuelva a empezar desde el formulario.",
		msgLanguageLabel: "Idioma",
	},
}

// pickLanguage is the first language of ui_locales (space-separated BCP 47
// tags, OpenID Connect Core §3.1.2.1) that the pages have, else English.
func pickLanguage(uiLocales string) string {
	for _, tag := range strings.Fields(uiLocales) {
		base := tag
		if i := strings.IndexAny(tag, "-_"); i >= 0 {
			base = tag[:i]
		}
		base = strings.ToLower(base)
		if _, ok := messages[base]; ok {
			return base
		}
	}
	return "en"
}
