package sync

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"syscall"
	"time"
)

// Problem is what an error of a sync round means for the officer: a kind
// with a message that says what happened and what to do, in their
// language. The raw error, which names URLs, sockets and SQL, goes to the
// debug log only (Options.DebugLog).
type Problem string

// Kinds of problems.
const (
	ProblemNone        Problem = ""
	ProblemUnreachable Problem = "unreachable"  // no answer: network, DNS, refused connection, cut
	ProblemTimeout     Problem = "timeout"      // the portal was too slow
	ProblemCertificate Problem = "certificate"  // TLS: the portal's certificate is not trusted
	ProblemAuth        Problem = "auth"         // token refused
	ProblemAuthLimited Problem = "auth_limited" // token refused, and too many refusals from this address (429)
	ProblemZone        Problem = "zone"         // the cache belongs to another zone
	ProblemPortalDown  Problem = "portal_down"  // 5xx, 429, 408: the portal is in trouble
	ProblemRefused     Problem = "refused"      // another answer the workstation did not expect
	ProblemCache       Problem = "cache"        // the local cache could not be read or written
	ProblemConfig      Problem = "config"       // the portal address is not usable
	ProblemCancelled   Problem = "cancelled"    // the program is stopping
)

// Classify tells which Problem err is.
func Classify(err error) Problem {
	var se *StatusError
	var ue *url.Error
	var ne net.Error
	var ce *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	switch {
	case err == nil:
		return ProblemNone
	case errors.Is(err, context.Canceled):
		return ProblemCancelled
	case errors.Is(err, ErrZoneMismatch):
		return ProblemZone
	case errors.Is(err, ErrAuthLimited):
		return ProblemAuthLimited
	case errors.Is(err, ErrAuth):
		return ProblemAuth
	case errors.Is(err, ErrInsecureURL):
		return ProblemConfig
	case errors.As(err, &ce), errors.As(err, &ua), errors.As(err, &hn), errors.As(err, &ci):
		return ProblemCertificate
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return ProblemTimeout
	case errors.As(err, &se):
		if se.transient() {
			return ProblemPortalDown
		}
		return ProblemRefused
	case errors.As(err, &ue), errors.As(err, &ne), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return ProblemUnreachable
	}
	return ProblemCache
}

// problemMessages: what happened and what to do, fr, nl, de, en.
var problemMessages = map[Problem][4]string{
	ProblemUnreachable: {
		"portail injoignable — vos actions restent en file et partiront à la reconnexion",
		"portaal onbereikbaar — uw acties blijven in de wachtrij en vertrekken zodra de verbinding terug is",
		"Portal nicht erreichbar — Ihre Aktionen bleiben in der Warteschlange und werden bei Verbindung gesendet",
		"portal unreachable — your actions stay queued and go out when the link is back",
	},
	ProblemTimeout: {
		"le portail ne répond pas à temps — vos actions restent en file, nouvel essai automatique",
		"het portaal antwoordt niet op tijd — uw acties blijven in de wachtrij, automatisch nieuwe poging",
		"das Portal antwortet nicht rechtzeitig — Ihre Aktionen bleiben in der Warteschlange, neuer Versuch folgt",
		"the portal does not answer in time — your actions stay queued, retrying automatically",
	},
	ProblemCertificate: {
		"certificat du portail non reconnu — connexion refusée ; prévenez le support informatique (vos actions restent en file)",
		"certificaat van het portaal niet herkend — verbinding geweigerd; verwittig de IT-dienst (uw acties blijven in de wachtrij)",
		"Zertifikat des Portals nicht anerkannt — Verbindung abgelehnt; IT-Support benachrichtigen (Aktionen bleiben wartend)",
		"portal certificate not trusted — connection refused; tell IT support (your actions stay queued)",
	},
	ProblemAuth: {
		"jeton refusé par le portail — demandez un nouveau jeton ; vos actions restent en file",
		"token geweigerd door het portaal — vraag een nieuw token; uw acties blijven in de wachtrij",
		"Token vom Portal abgelehnt — neues Token anfordern; Ihre Aktionen bleiben in der Warteschlange",
		"token refused by the portal — ask for a new token; your actions stay queued",
	},
	ProblemAuthLimited: {
		// %d: minutes before the portal accepts a new attempt from this address.
		"jeton refusé par le portail, et trop d'essais refusés depuis cette adresse — demandez un nouveau jeton et réessayez dans %d min ; vos actions restent en file",
		"token geweigerd door het portaal, en te veel geweigerde pogingen vanaf dit adres — vraag een nieuw token en probeer opnieuw over %d min; uw acties blijven in de wachtrij",
		"Token vom Portal abgelehnt, zu viele abgelehnte Versuche von dieser Adresse — neues Token anfordern und in %d Min. erneut versuchen; Ihre Aktionen bleiben wartend",
		"token refused by the portal, and too many refused attempts from this address — ask for a new token and try again in %d min; your actions stay queued",
	},
	ProblemZone: {
		"ce cache appartient à une autre zone ou un autre portail — ouvrez le bon cache (--db)",
		"deze cache hoort bij een andere zone of een ander portaal — open de juiste cache (--db)",
		"dieser Cache gehört zu einer anderen Zone oder einem anderen Portal — den richtigen Cache öffnen (--db)",
		"this cache belongs to another zone or portal — open the right cache (--db)",
	},
	ProblemPortalDown: {
		"le portail est momentanément indisponible — vos actions restent en file, nouvel essai automatique",
		"het portaal is tijdelijk onbeschikbaar — uw acties blijven in de wachtrij, automatisch nieuwe poging",
		"das Portal ist vorübergehend nicht verfügbar — Ihre Aktionen bleiben wartend, neuer Versuch folgt",
		"the portal is temporarily unavailable — your actions stay queued, retrying automatically",
	},
	ProblemRefused: {
		"le portail a répondu de façon inattendue — vos actions restent en file ; si cela dure, prévenez le support",
		"het portaal antwoordde onverwacht — uw acties blijven in de wachtrij; verwittig de IT-dienst als het aanhoudt",
		"das Portal hat unerwartet geantwortet — Ihre Aktionen bleiben wartend; hält es an, IT-Support benachrichtigen",
		"the portal answered unexpectedly — your actions stay queued; tell IT support if it lasts",
	},
	ProblemCache: {
		"cache local inaccessible (disque plein ou fichier verrouillé ?) — rien n'est perdu ; libérez de la place ou redémarrez",
		"lokale cache onbereikbaar (schijf vol of bestand vergrendeld?) — niets gaat verloren; maak ruimte vrij of herstart",
		"lokaler Cache nicht zugänglich (Platte voll oder Datei gesperrt?) — nichts geht verloren; Platz schaffen oder neu starten",
		"local cache unavailable (disk full or file locked?) — nothing is lost; free some space or restart",
	},
	ProblemConfig: {
		"adresse du portail refusée (http:// seulement vers cette machine) — corrigez --server ou la configuration",
		"portaaladres geweigerd (http:// alleen naar deze machine) — verbeter --server of de configuratie",
		"Portaladresse abgelehnt (http:// nur zu diesem Rechner) — --server oder die Konfiguration korrigieren",
		"portal address refused (http:// only to this machine) — fix --server or the configuration",
	},
	ProblemCancelled: {
		"synchronisation arrêtée — vos actions restent en file",
		"synchronisatie gestopt — uw acties blijven in de wachtrij",
		"Synchronisierung gestoppt — Ihre Aktionen bleiben in der Warteschlange",
		"sync stopped — your actions stay queued",
	},
}

var langColumn = map[string]int{"fr": 0, "nl": 1, "de": 2, "en": 3}

// Explain is the officer's message for err in lang (fr, nl, de, en;
// English otherwise): what happened and what to do, never the raw error.
// "" for nil.
func Explain(err error, lang string) string {
	p := Classify(err)
	if p == ProblemNone {
		return ""
	}
	i, ok := langColumn[lang]
	if !ok {
		i = 3
	}
	if p == ProblemAuthLimited {
		return fmt.Sprintf(problemMessages[p][i], retryMinutes(err))
	}
	return problemMessages[p][i]
}

// retryMinutes is err's Retry-After in whole minutes, rounded up, at least 1.
func retryMinutes(err error) int {
	var se *StatusError
	if !errors.As(err, &se) || se.RetryAfter <= 0 {
		return 1
	}
	return max(1, int((se.RetryAfter+time.Minute-1)/time.Minute))
}

// DebugLog keeps raw errors for support, one line each with the time.
// A nil *DebugLog discards.
type DebugLog struct {
	l *log.Logger
}

// NewDebugLog logs to w (a file beside the cache, mode 0600).
func NewDebugLog(w io.Writer) *DebugLog {
	return &DebugLog{l: log.New(w, "", 0)}
}

// Error records what failed and the raw error.
func (d *DebugLog) Error(what string, err error) {
	if d == nil || err == nil {
		return
	}
	d.l.Print(fmt.Sprintf("%s %s [%s]: %v", time.Now().UTC().Format(time.RFC3339), what, Classify(err), err))
}
