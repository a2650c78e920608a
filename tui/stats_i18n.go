package tui

// statsMessages are the strings of the statistics screen, in fr, nl, de,
// en (the order of messages), kept beside the screen and added to the
// shared table at start-up.
var statsMessages = map[string][4]string{
	"stats.title":   {"Statistiques — zone %s", "Statistieken — zone %s", "Statistik — Zone %s", "Statistics — zone %s"},
	"stats.period":  {"%d dernières semaines, du %s au %s", "laatste %d weken, van %s tot %s", "letzte %d Wochen, %s bis %s", "last %d weeks, %s to %s"},
	"stats.weeks":   {"%d semaines", "%d weken", "%d Wochen", "%d weeks"},
	"stats.total":   {"%d plaintes", "%d klachten", "%d Anzeigen", "%d complaints"},
	"stats.loading": {"Calcul des statistiques…", "Statistieken worden berekend…", "Statistik wird berechnet…", "Computing statistics…"},
	"stats.error":   {"Statistiques indisponibles : %s", "Statistieken niet beschikbaar: %s", "Statistik nicht verfügbar: %s", "Statistics unavailable: %s"},
	"stats.none":    {"Aucune plainte dans cette période.", "Geen klachten in deze periode.", "Keine Anzeigen in diesem Zeitraum.", "No complaints in this period."},

	"stats.perweek":   {"Plaintes par semaine et type de faits", "Klachten per week en soort feiten", "Anzeigen pro Woche und Tatart", "Complaints per week and fact type"},
	"stats.munis":     {"Communes des faits", "Gemeenten van de feiten", "Gemeinden des Tatorts", "Municipalities of the facts"},
	"stats.streets":   {"Rues des faits", "Straten van de feiten", "Straßen des Tatorts", "Streets of the facts"},
	"stats.handling":  {"Délai de traitement (dépôt → traitée)", "Behandelingstijd (indiening → afgehandeld)", "Bearbeitungszeit (Eingang → erledigt)", "Time to handling (filed → handled)"},
	"stats.nohandled": {"Aucune plainte de la période n'est traitée.", "Geen klacht van de periode is afgehandeld.", "Keine Anzeige des Zeitraums ist erledigt.", "No complaint of the period is handled."},
	"stats.col.type":  {"Type de faits", "Soort feiten", "Tatart", "Fact type"},
	"stats.col.count": {"Nombre", "Aantal", "Anzahl", "Count"},
	"stats.col.med":   {"Médiane", "Mediaan", "Median", "Median"},
	"stats.col.p90":   {"90e centile", "90e percentiel", "90. Perzentil", "90th pct."},
	"stats.backlog":   {"Plaintes ouvertes (nouvelles ou en charge) en fin de semaine", "Open klachten (nieuw of in behandeling) op het einde van de week", "Offene Anzeigen (neu oder übernommen) am Ende der Woche", "Open complaints (new or claimed) at the end of each week"},
	"stats.backsum":   {"début %d · fin %d · min %d · max %d", "begin %d · einde %d · min %d · max %d", "Anfang %d · Ende %d · Min %d · Max %d", "start %d · end %d · min %d · max %d"},
	"stats.nostreet":  {"(sans rue)", "(geen straat)", "(ohne Straße)", "(no street)"},

	// Durations: days and hours, hours and minutes, minutes.
	"stats.dur.dh": {"%d j %d h", "%d d %d u", "%d T %d Std", "%d d %d h"},
	"stats.dur.hm": {"%d h %d min", "%d u %d min", "%d Std %d Min", "%d h %d min"},
	"stats.dur.m":  {"%d min", "%d min", "%d Min", "%d min"},

	// Keys.
	"stats.key.p4":    {"4 semaines", "4 weken", "4 Wochen", "4 weeks"},
	"stats.key.p12":   {"12 semaines", "12 weken", "12 Wochen", "12 weeks"},
	"stats.key.p52":   {"52 semaines", "52 weken", "52 Wochen", "52 weeks"},
	"stats.key.prevp": {"période plus courte", "kortere periode", "kürzerer Zeitraum", "shorter period"},
	"stats.key.nextp": {"période plus longue", "langere periode", "längerer Zeitraum", "longer period"},
	"key.stats":       {"statistiques", "statistieken", "Statistik", "statistics"},
}

func init() { addMessages(statsMessages) }
