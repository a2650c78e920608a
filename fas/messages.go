package fas

// The citizen's words for each Reason, in the five languages of the form.
// Provisional: they move to package i18n once it has landed on main.

// Languages the messages exist in; others fall back to English.
var Languages = []string{"fr", "nl", "de", "en", "es"}

var reasonMessages = map[Reason]map[string]string{
	ReasonCancelled: {
		"fr": "Vous avez annulé l’identification. Pour déposer une plainte, identifiez-vous ou utilisez vos trois numéros.",
		"nl": "U hebt de identificatie geannuleerd. Om een klacht in te dienen, identificeert u zich of gebruikt u uw drie nummers.",
		"de": "Sie haben die Identifizierung abgebrochen. Um eine Anzeige zu erstatten, identifizieren Sie sich oder verwenden Sie Ihre drei Nummern.",
		"en": "You cancelled the identification. To file a complaint, identify yourself or use your three numbers.",
		"es": "Ha cancelado la identificación. Para presentar una denuncia, identifíquese o utilice sus tres números.",
	},
	ReasonExpired: {
		"fr": "L’identification a pris trop de temps et a expiré. Recommencez-la.",
		"nl": "De identificatie duurde te lang en is verlopen. Begin opnieuw.",
		"de": "Die Identifizierung hat zu lange gedauert und ist abgelaufen. Beginnen Sie erneut.",
		"en": "The identification took too long and has expired. Please start again.",
		"es": "La identificación tardó demasiado y ha caducado. Vuelva a empezar.",
	},
	ReasonWrongState: {
		"fr": "Cette réponse du service d’authentification ne correspond pas à votre session (autre onglet ou lien ancien). Recommencez l’identification.",
		"nl": "Dit antwoord van de authenticatiedienst hoort niet bij uw sessie (ander tabblad of oude link). Begin de identificatie opnieuw.",
		"de": "Diese Antwort des Authentifizierungsdienstes gehört nicht zu Ihrer Sitzung (anderer Tab oder alter Link). Beginnen Sie die Identifizierung erneut.",
		"en": "This answer from the authentication service does not belong to your session (another tab or an old link). Please start the identification again.",
		"es": "Esta respuesta del servicio de autenticación no corresponde a su sesión (otra pestaña o un enlace antiguo). Vuelva a empezar la identificación.",
	},
	ReasonRefused: {
		"fr": "Le service d’authentification a refusé de confirmer votre identification (lien déjà utilisé ?). Recommencez l’identification.",
		"nl": "De authenticatiedienst weigerde uw identificatie te bevestigen (link al gebruikt?). Begin de identificatie opnieuw.",
		"de": "Der Authentifizierungsdienst hat Ihre Identifizierung nicht bestätigt (Link bereits benutzt?). Beginnen Sie die Identifizierung erneut.",
		"en": "The authentication service refused to confirm your identification (link already used?). Please start the identification again.",
		"es": "El servicio de autenticación se negó a confirmar su identificación (¿enlace ya utilizado?). Vuelva a empezar la identificación.",
	},
	ReasonInvalidToken: {
		"fr": "La confirmation de votre identité n’a pas pu être vérifiée. Recommencez l’identification ; si cela se répète, utilisez vos trois numéros.",
		"nl": "De bevestiging van uw identiteit kon niet worden gecontroleerd. Begin de identificatie opnieuw; gebeurt dit weer, gebruik dan uw drie nummers.",
		"de": "Die Bestätigung Ihrer Identität konnte nicht geprüft werden. Beginnen Sie die Identifizierung erneut; wenn es wieder passiert, verwenden Sie Ihre drei Nummern.",
		"en": "The confirmation of your identity could not be verified. Please start the identification again; if it happens again, use your three numbers.",
		"es": "No se ha podido verificar la confirmación de su identidad. Vuelva a empezar la identificación; si vuelve a ocurrir, utilice sus tres números.",
	},
	ReasonIdentity: {
		"fr": "Le service d’authentification n’a pas transmis votre numéro de registre national et votre nom. Utilisez vos trois numéros pour vous identifier.",
		"nl": "De authenticatiedienst gaf uw rijksregisternummer en naam niet door. Gebruik uw drie nummers om u te identificeren.",
		"de": "Der Authentifizierungsdienst hat Ihre Nationalregisternummer und Ihren Namen nicht übermittelt. Verwenden Sie Ihre drei Nummern, um sich zu identifizieren.",
		"en": "The authentication service did not pass on your national register number and name. Use your three numbers to identify yourself.",
		"es": "El servicio de autenticación no ha transmitido su número de registro nacional ni su nombre. Utilice sus tres números para identificarse.",
	},
	ReasonUnavailable: {
		"fr": "Le service d’authentification ne répond pas pour le moment. Réessayez dans quelques minutes ou utilisez vos trois numéros.",
		"nl": "De authenticatiedienst antwoordt momenteel niet. Probeer het over enkele minuten opnieuw of gebruik uw drie nummers.",
		"de": "Der Authentifizierungsdienst antwortet zurzeit nicht. Versuchen Sie es in einigen Minuten erneut oder verwenden Sie Ihre drei Nummern.",
		"en": "The authentication service is not answering at the moment. Try again in a few minutes or use your three numbers.",
		"es": "El servicio de autenticación no responde en este momento. Vuelva a intentarlo dentro de unos minutos o utilice sus tres números.",
	},
}

// messageReason maps reasons that share the citizen's message.
var messageReason = map[Reason]Reason{ReasonWrongNonce: ReasonWrongState}

// Message is the citizen's explanation of the failure in lang (fr, nl, de,
// en, es; anything else gets English). It never contains the technical
// detail.
func (e *Error) Message(lang string) string {
	r := e.Reason
	if m, ok := messageReason[r]; ok {
		r = m
	}
	texts, ok := reasonMessages[r]
	if !ok {
		texts = reasonMessages[ReasonUnavailable]
	}
	if s, ok := texts[lang]; ok {
		return s
	}
	return texts["en"]
}
