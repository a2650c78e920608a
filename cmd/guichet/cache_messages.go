package main

// cacheMessages are the messages about a damaged, read-only or left-behind
// cache; they join messages (same rules: fr, nl, de and en for each key).
var cacheMessages = map[string]map[string]string{
	"cache_damaged": {
		"fr": "le cache local est endommagé (%s)",
		"nl": "de lokale cache is beschadigd (%s)",
		"de": "der lokale Cache ist beschädigt (%s)",
		"en": "the local cache is damaged (%s)",
	},
	"cache_moved_aside": {
		"fr": "le cache endommagé est conservé à part dans %s (lisible par vous seul) et un nouveau cache a été créé",
		"nl": "de beschadigde cache wordt apart bewaard in %s (alleen voor u leesbaar) en er werd een nieuwe cache aangemaakt",
		"de": "der beschädigte Cache wird separat in %s aufbewahrt (nur für Sie lesbar), und ein neuer Cache wurde angelegt",
		"en": "the damaged cache is kept aside as %s (readable by you only) and a new cache was made",
	},
	"cache_kept": {
		"fr": "conservé du cache endommagé : %d action(s) en attente (envoyées au portail une seule fois) et %d événement(s) d'audit non envoyés",
		"nl": "bewaard uit de beschadigde cache: %d actie(s) in de wachtrij (één keer naar het portaal verstuurd) en %d niet-verzonden auditgebeurtenis(sen)",
		"de": "aus dem beschädigten Cache übernommen: %d wartende Aktion(en) (einmal an das Portal gesendet) und %d nicht gesendete Audit-Ereignis(se)",
		"en": "kept from the damaged cache: %d queued action(s) (sent to the portal once) and %d unsent audit event(s)",
	},
	"cache_partly_unreadable": {
		"fr": "une partie du cache endommagé était illisible : des actions prises depuis la dernière synchronisation réussie peuvent manquer — vérifiez vos dernières actions dans la file",
		"nl": "een deel van de beschadigde cache was onleesbaar: acties sinds de laatste geslaagde synchronisatie kunnen ontbreken — controleer uw laatste acties in de wachtrij",
		"de": "ein Teil des beschädigten Caches war unlesbar: Aktionen seit der letzten erfolgreichen Synchronisierung können fehlen — prüfen Sie Ihre letzten Aktionen in der Liste",
		"en": "part of the damaged cache could not be read: actions taken since the last successful sync may be missing — check your recent actions in the queue",
	},
	"cache_refilled": {
		"fr": "le nouveau cache a été rempli depuis le portail : %d plainte(s)",
		"nl": "de nieuwe cache werd gevuld vanuit het portaal: %d klacht(en)",
		"de": "der neue Cache wurde vom Portal gefüllt: %d Anzeige(n)",
		"en": "the new cache was filled from the portal: %d complaint(s)",
	},
	"cache_not_refilled": {
		"fr": "le portail n'a pas pu être joint (%s) : les actions conservées attendent dans le nouveau cache ; lancez « guichet sync » pour le remplir",
		"nl": "het portaal was niet bereikbaar (%s): de bewaarde acties wachten in de nieuwe cache; voer \"guichet sync\" uit om hem te vullen",
		"de": "das Portal war nicht erreichbar (%s): die übernommenen Aktionen warten im neuen Cache; „guichet sync“ ausführen, um ihn zu füllen",
		"en": "the portal could not be reached (%s): the kept actions wait in the new cache; run \"guichet sync\" to fill it",
	},
	"cache_rebuild_failed": {
		"fr": "impossible de remplacer le cache endommagé : %s",
		"nl": "kan de beschadigde cache niet vervangen: %s",
		"de": "der beschädigte Cache kann nicht ersetzt werden: %s",
		"en": "cannot replace the damaged cache: %s",
	},
	"cache_run_again": {
		"fr": "relancez la commande sur le nouveau cache",
		"nl": "voer het commando opnieuw uit op de nieuwe cache",
		"de": "führen Sie den Befehl auf dem neuen Cache erneut aus",
		"en": "run the command again on the new cache",
	},
	"cache_readonly_dir": {
		"fr": "le dossier du cache %s est en lecture seule : guichet doit y écrire son cache — rendez-le inscriptible (chmod u+w %s) ou choisissez un autre cache avec --db",
		"nl": "de cachemap %s is alleen-lezen: guichet moet er zijn cache in schrijven — maak hem schrijfbaar (chmod u+w %s) of kies een andere cache met --db",
		"de": "das Cache-Verzeichnis %s ist schreibgeschützt: guichet muss seinen Cache dort schreiben — machen Sie es beschreibbar (chmod u+w %s) oder wählen Sie mit --db einen anderen Cache",
		"en": "the cache directory %s is read-only: guichet must write its cache there — make it writable (chmod u+w %s) or choose another cache with --db",
	},
	"cache_readonly_file": {
		"fr": "le cache %s est en lecture seule : guichet doit y écrire — rendez-le inscriptible (chmod u+w %s) ou choisissez un autre cache avec --db",
		"nl": "de cache %s is alleen-lezen: guichet moet erin schrijven — maak hem schrijfbaar (chmod u+w %s) of kies een andere cache met --db",
		"de": "der Cache %s ist schreibgeschützt: guichet muss hineinschreiben — machen Sie ihn beschreibbar (chmod u+w %s) oder wählen Sie mit --db einen anderen Cache",
		"en": "the cache %s is read-only: guichet must write to it — make it writable (chmod u+w %s) or choose another cache with --db",
	},
	"waiting_elsewhere": {
		"fr": "un autre cache de votre zone contient du travail jamais envoyé au portail : %s (%d action(s) en attente, %d événement(s) d'audit), enregistré pour l'adresse %s ; pour l'envoyer : guichet sync --from %s",
		"nl": "een andere cache van uw zone bevat werk dat nooit naar het portaal ging: %s (%d actie(s) in de wachtrij, %d auditgebeurtenis(sen)), bewaard voor het adres %s; om het te versturen: guichet sync --from %s",
		"de": "ein anderer Cache Ihrer Zone enthält nie an das Portal gesendete Arbeit: %s (%d wartende Aktion(en), %d Audit-Ereignis(se)), gespeichert für die Adresse %s; zum Senden: guichet sync --from %s",
		"en": "another cache of your zone holds work never sent to the portal: %s (%d queued action(s), %d audit event(s)), kept for the address %s; to send it: guichet sync --from %s",
	},
	"from_moved": {
		"fr": "%d action(s) en attente et %d événement(s) d'audit repris de %s ; ils sont envoyés maintenant",
		"nl": "%d actie(s) in de wachtrij en %d auditgebeurtenis(sen) overgenomen uit %s; ze worden nu verstuurd",
		"de": "%d wartende Aktion(en) und %d Audit-Ereignis(se) aus %s übernommen; sie werden jetzt gesendet",
		"en": "%d queued action(s) and %d audit event(s) taken over from %s; they are sent now",
	},
	"from_same": {
		"fr": "--from %s désigne le cache utilisé : donnez l'ancien cache",
		"nl": "--from %s is de cache die in gebruik is: geef de oude cache",
		"de": "--from %s ist der verwendete Cache: geben Sie den alten Cache an",
		"en": "--from %s is the cache in use: give the old cache",
	},
	"from_not_cache": {
		"fr": "%s n'est pas un cache guichet lisible (%s)",
		"nl": "%s is geen leesbare guichet-cache (%s)",
		"de": "%s ist kein lesbarer guichet-Cache (%s)",
		"en": "%s is not a guichet cache that can be read (%s)",
	},
	"from_other_zone": {
		"fr": "%s est un cache de la zone %s, pas de la zone %s : ses actions ne peuvent pas être envoyées d'ici",
		"nl": "%s is een cache van zone %s, niet van zone %s: de acties ervan kunnen niet van hieruit verstuurd worden",
		"de": "%s ist ein Cache der Zone %s, nicht der Zone %s: seine Aktionen können nicht von hier gesendet werden",
		"en": "%s is a cache of zone %s, not zone %s: its actions cannot be sent from here",
	},
	"from_other_officer": {
		"fr": "%s contient des actions de %s, pas de vous (%s) : elles ne peuvent être envoyées qu'avec son jeton",
		"nl": "%s bevat acties van %s, niet van u (%s): ze kunnen alleen met diens token verstuurd worden",
		"de": "%s enthält Aktionen von %s, nicht von Ihnen (%s): sie können nur mit dessen Token gesendet werden",
		"en": "%s holds actions of %s, not yours (%s): they can only be sent with their token",
	},
	// Short forms for the TUI's status line (80 columns); the long
	// forms above go to stderr, which the officer sees on quitting.
	"tui_cache_rebuilt": {
		"fr": "Cache endommagé reconstruit depuis le portail : %d action(s) gardée(s)",
		"nl": "Beschadigde cache herbouwd vanuit het portaal: %d actie(s) bewaard",
		"de": "Beschädigter Cache vom Portal neu aufgebaut: %d Aktion(en) behalten",
		"en": "Damaged cache rebuilt from the portal: %d queued action(s) kept",
	},
	"tui_cache_partly": {
		"fr": "Cache endommagé reconstruit : %d action(s) gardée(s), d'autres illisibles",
		"nl": "Beschadigde cache herbouwd: %d actie(s) bewaard, andere onleesbaar",
		"de": "Beschädigter Cache neu aufgebaut: %d Aktion(en) behalten, andere unlesbar",
		"en": "Damaged cache rebuilt: %d action(s) kept, others unreadable",
	},
	"tui_cache_offline": {
		"fr": "Cache endommagé remplacé, %d action(s) gardée(s) ; portail injoignable",
		"nl": "Beschadigde cache vervangen, %d actie(s) bewaard; portaal onbereikbaar",
		"de": "Beschädigter Cache ersetzt, %d Aktion(en) behalten; Portal unerreichbar",
		"en": "Damaged cache replaced, %d action(s) kept; portal unreachable",
	},
	"tui_waiting_elsewhere": {
		"fr": "%d action(s) jamais envoyée(s) dans un ancien cache : guichet sync --from",
		"nl": "%d nooit verstuurde actie(s) in een oude cache: guichet sync --from",
		"de": "%d nie gesendete Aktion(en) in einem alten Cache: guichet sync --from",
		"en": "%d action(s) never sent, in an old cache: guichet sync --from",
	},
}

func init() {
	for k, v := range cacheMessages {
		messages[k] = v
	}
}
