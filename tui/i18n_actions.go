package tui

// Messages about officer actions, one sentence per action so each language
// can agree its words with the action's noun ("Traitement … enregistré",
// "Prise en charge … enregistrée").
func init() {
	addMessages(map[string][4]string{
		"action.correct_pv": {"Correction du PV", "Verbetering pv", "Berichtigung der Protokollnummer", "PV correction"},
		"action.take_over":  {"Reprise", "Overname", "Übernahme vom Kollegen", "Take-over"},

		"status.queued.claim":      {"Prise en charge de %s enregistrée — en attente du portail", "In behandeling nemen van %s opgeslagen — wacht op het portaal", "Übernahme von %s gespeichert — wartet auf das Portal", "Claim of %s queued — waiting for the portal"},
		"status.queued.release":    {"Libération de %s enregistrée — en attente du portail", "Vrijgeven van %s opgeslagen — wacht op het portaal", "Freigabe von %s gespeichert — wartet auf das Portal", "Release of %s queued — waiting for the portal"},
		"status.queued.handle":     {"Traitement de %s enregistré — en attente du portail", "Afhandeling van %s opgeslagen — wacht op het portaal", "Erledigung von %s gespeichert — wartet auf das Portal", "Handle of %s queued — waiting for the portal"},
		"status.queued.reject":     {"Refus de %s enregistré — en attente du portail", "Weigering van %s opgeslagen — wacht op het portaal", "Ablehnung von %s gespeichert — wartet auf das Portal", "Reject of %s queued — waiting for the portal"},
		"status.queued.forward":    {"Transfert de %s enregistré — en attente du portail", "Doorsturen van %s opgeslagen — wacht op het portaal", "Weiterleitung von %s gespeichert — wartet auf das Portal", "Forward of %s queued — waiting for the portal"},
		"status.queued.correct_pv": {"Correction du PV de %s enregistrée — en attente du portail", "Verbetering van het pv van %s opgeslagen — wacht op het portaal", "Berichtigung der Protokollnummer von %s gespeichert — wartet auf das Portal", "PV correction of %s queued — waiting for the portal"},
		"status.queued.take_over":  {"Reprise de %s enregistrée — en attente du portail", "Overname van %s opgeslagen — wacht op het portaal", "Übernahme von %s gespeichert — wartet auf das Portal", "Take-over of %s queued — waiting for the portal"},

		"status.refused.claim":      {"Prise en charge de %s refusée : %s", "In behandeling nemen van %s geweigerd: %s", "Übernahme von %s abgelehnt: %s", "Claim of %s refused: %s"},
		"status.refused.release":    {"Libération de %s refusée : %s", "Vrijgeven van %s geweigerd: %s", "Freigabe von %s abgelehnt: %s", "Release of %s refused: %s"},
		"status.refused.handle":     {"Traitement de %s refusé : %s", "Afhandeling van %s geweigerd: %s", "Erledigung von %s abgelehnt: %s", "Handle of %s refused: %s"},
		"status.refused.reject":     {"Refus de %s impossible : %s", "Weigering van %s onmogelijk: %s", "Ablehnung von %s nicht möglich: %s", "Reject of %s refused: %s"},
		"status.refused.forward":    {"Transfert de %s refusé : %s", "Doorsturen van %s geweigerd: %s", "Weiterleitung von %s abgelehnt: %s", "Forward of %s refused: %s"},
		"status.refused.correct_pv": {"Correction du PV de %s refusée : %s", "Verbetering van het pv van %s geweigerd: %s", "Berichtigung der Protokollnummer von %s abgelehnt: %s", "PV correction of %s refused: %s"},
		"status.refused.take_over":  {"Reprise de %s refusée : %s", "Overname van %s geweigerd: %s", "Übernahme von %s abgelehnt: %s", "Take-over of %s refused: %s"},

		"key.takeover":  {"reprendre (collègue)", "overnemen (collega)", "vom Kollegen übernehmen", "take over (colleague)"},
		"key.correctpv": {"corriger le n° PV", "pv-nr. verbeteren", "Protokollnr. berichtigen", "correct PV no."},

		"conflict.takenby": {"reprise par %s", "overgenomen door %s", "übernommen von %s", "taken over by %s"},
		"refused.heldby":   {"prise en charge par %s — %s pour la reprendre", "in behandeling bij %s — %s om over te nemen", "von %s bearbeitet — %s zum Übernehmen", "held by %s — %s to take it over"},
		"refused.yours":    {"vous la tenez déjà", "u behandelt ze al", "Sie bearbeiten sie bereits", "you already hold it"},

		"bulk.ask.reject":  {"Refuser %d plainte(s) ?", "%d klacht(en) weigeren?", "%d Anzeige(n) ablehnen?", "Reject %d complaint(s)?"},
		"bulk.ask.forward": {"Transférer %d plainte(s) ?", "%d klacht(en) doorsturen?", "%d Anzeige(n) weiterleiten?", "Forward %d complaint(s)?"},
		"bulk.reason":      {"Motif : %s", "Reden: %s", "Grund: %s", "Reason: %s"},
		"bulk.onepv":       {"Un numéro de PV par plainte : traitez les %d plaintes marquées une à une (Échap efface les marques)", "Eén pv-nummer per klacht: handel de %d gemarkeerde klachten één voor één af (Esc wist de markeringen)", "Eine Protokollnummer pro Anzeige: die %d markierten Anzeigen einzeln erledigen (Esc löscht die Markierungen)", "One PV number per complaint: handle the %d marked complaints one by one (esc clears the marks)"},
		"bulk.onetakeover": {"Reprise une plainte à la fois, avec son motif : %d plaintes marquées (Échap efface les marques)", "Overname één klacht per keer, met reden: %d klachten gemarkeerd (Esc wist de markeringen)", "Übernahme eine Anzeige nach der anderen, mit Grund: %d markiert (Esc löscht die Markierungen)", "Take over one complaint at a time, with its reason: %d marked (esc clears the marks)"},

		"dialog.take_over":      {"Reprendre la plainte %s d'un collègue", "Klacht %s overnemen van een collega", "Anzeige %s vom Kollegen übernehmen", "Take over complaint %s from a colleague"},
		"dialog.correct_pv":     {"Corriger le n° de PV de la plainte %s", "Pv-nummer van klacht %s verbeteren", "Protokollnummer der Anzeige %s berichtigen", "Correct the PV number of complaint %s"},
		"dialog.curpv":          {"PV actuel : %s", "Huidig pv: %s", "Aktuelle Protokollnummer: %s", "Current PV: %s"},
		"dialog.newpv":          {"Nouveau numéro de PV :", "Nieuw pv-nummer:", "Neue Protokollnummer:", "New PV number:"},
		"dialog.samepv":         {"C'est déjà le numéro de PV de la plainte.", "Dat is al het pv-nummer van de klacht.", "Das ist bereits die Protokollnummer der Anzeige.", "That is already the complaint's PV number."},
		"dialog.reasonph":       {"texte libre, ou ctrl+t pour un modèle", "vrije tekst, of ctrl+t voor een sjabloon", "freier Text, oder Strg+T für eine Vorlage", "free text, or ctrl+t for a template"},
		"dialog.templates":      {"Modèles (ctrl+t) : %s", "Sjablonen (ctrl+t): %s", "Vorlagen (Strg+T): %s", "Templates (ctrl+t): %s"},
		"dialog.zonetype":       {"Tapez un code, un nom de zone, une commune ou un code postal.", "Typ een code, zonenaam, gemeente of postcode.", "Code, Zonenname, Gemeinde oder PLZ eingeben.", "Type a code, zone name, municipality or postal code."},
		"dialog.ownzone":        {"C'est votre propre zone : choisissez une autre zone.", "Dat is uw eigen zone: kies een andere zone.", "Das ist Ihre eigene Zone: wählen Sie eine andere Zone.", "That is your own zone: choose another zone."},
		"dialog.yourzone":       {"votre zone", "uw zone", "Ihre Zone", "your zone"},
		"dialog.forwardto":      {"Vers la zone %s %s", "Naar zone %s %s", "An Zone %s %s", "To zone %s %s"},
		"dialog.confirmforward": {"Transférer vers la zone %s %s ?", "Doorsturen naar zone %s %s?", "An Zone %s %s weiterleiten?", "Forward to zone %s %s?"},
		"dialog.waiting":        {"Enregistrement…", "Opslaan…", "Speichern…", "Saving…"},

		"template.notcompetent": {"hors compétence", "niet bevoegd", "nicht zuständig", "outside our competence"},
		"template.duplicate":    {"doublon", "dubbel", "Duplikat", "duplicate"},
		"template.notcriminal":  {"faits non pénaux", "geen strafbare feiten", "kein Straftatbestand", "not a criminal matter"},

		"bulk.title.claim":   {"Prise en charge groupée", "In behandeling nemen in bulk", "Übernahme (mehrere)", "Bulk claim"},
		"bulk.title.release": {"Libération groupée", "Vrijgeven in bulk", "Freigabe (mehrere)", "Bulk release"},
		"bulk.title.reject":  {"Refus groupé", "Weigering in bulk", "Ablehnung (mehrere)", "Bulk reject"},
		"bulk.title.forward": {"Transfert groupé", "Doorsturen in bulk", "Weiterleitung (mehrere)", "Bulk forward"},
	})
}
