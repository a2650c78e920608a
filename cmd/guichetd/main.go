// Command guichetd is the e-guichet portal server and its administration
// commands: serve the API, manage officers, seed demo complaints, print the
// audit trail, import the zone table, and make development FAS keys.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"guichet/citizen"
	"guichet/fas/devfas"
	"guichet/portal"
	"guichet/portal/demodata"
	"guichet/portal/metrics"
	"guichet/textsafe"
)

const usage = `guichetd — the e-guichet portal

Usage:
  guichetd serve --db FILE [--addr 127.0.0.1:8080] [--metrics-addr 127.0.0.1:9464] [--tls-cert F --tls-key F]
                 [--smtp host:port --mail-from ADDR] [--letters DIR] [--fas-pubkey F]
                 [--auth-fail-limit 20/1m] [--intake-limit 60/1h] [--trusted-proxy ADDRS]
                 [--frame-ancestors ORIGINS]
                 [--oidc-issuer URL --oidc-client-id ID --oidc-client-secret-file F
                  --oidc-redirect-url URL [--oidc-scopes S] [--oidc-national-number-claim C]
                  [--oidc-acr-methods ACR=eid,ACR=token,ACR=itsme] | --dev-fas]
      serves the API under /v1/ and the citizen's form at / (/fr/, /nl/, /de/, /en/, /es/);
      citizens identify with the three numbers, or at the FAS given by --oidc-*;
      --dev-fas serves a development FAS under /dev-fas instead (NOT FOR PRODUCTION,
      loopback addresses only)
  guichetd officer add --db FILE --zone Z --name NAME   (prints the token once)
  guichetd officer list --db FILE
  guichetd officer revoke --db FILE --id ID
  guichetd seed --db FILE --zone Z --count N [--seed S]
  guichetd audit --db FILE [--zone Z] [--ref R] [--officer O] [--json]
  guichetd outbox --db FILE [--failed | --pending] [--json]   (confirmations by channel)
  guichetd zones import --db FILE CSVFILE
  guichetd migrate --from FILE.db --to postgres://… [--dry-run] [--json]   (copy a SQLite portal to PostgreSQL)
  guichetd fas dev-key [--out PREFIX]                     (NOT FOR PRODUCTION)
  guichetd fas dev-assert --key F --nn N --first F --last L [--method eid|token] [--ttl 10m]

Every command that takes --db also reads GUICHETD_DB. --db is a SQLite file (a path
or sqlite:PATH) or a PostgreSQL URL (postgres://…); several serve nodes can share one
PostgreSQL database.
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "guichetd:", err)
		os.Exit(1)
	}
}

// errUsage asks for the usage text.
var errUsage = errors.New("see 'guichetd help'")

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return cmdServe(ctx, args[1:], stderr)
	case "officer":
		if len(args) < 2 {
			return errUsage
		}
		switch args[1] {
		case "add":
			return cmdOfficerAdd(args[2:], stdout, stderr)
		case "list":
			return cmdOfficerList(args[2:], stdout, stderr)
		case "revoke":
			return cmdOfficerRevoke(args[2:], stdout, stderr)
		}
	case "seed":
		return cmdSeed(args[1:], stdout, stderr)
	case "audit":
		return cmdAudit(args[1:], stdout, stderr)
	case "outbox":
		return cmdOutbox(args[1:], stdout, stderr)
	case "migrate":
		return cmdMigrate(args[1:], stdout, stderr)
	case "zones":
		if len(args) >= 2 && args[1] == "import" {
			return cmdZonesImport(args[2:], stdout, stderr)
		}
	case "fas":
		if len(args) >= 2 {
			switch args[1] {
			case "dev-key":
				return cmdFASDevKey(args[2:], stdout, stderr)
			case "dev-assert":
				return cmdFASDevAssert(args[2:], stdout, stderr)
			}
		}
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// newFlags makes a flag set with --db (default from GUICHETD_DB).
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", os.Getenv("GUICHETD_DB"), "portal database: a SQLite `FILE` (or sqlite:FILE) or a PostgreSQL URL postgres://… (or GUICHETD_DB)")
	return fs, db
}

// cmdServe serves the API until ctx is done (SIGINT or SIGTERM).
func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs, db := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	outboxLease := fs.Duration("outbox-lease", 10*time.Minute, "how long a node holds the confirmations it is sending; a node that dies hands them to the others after it")
	metricsAddr := fs.String("metrics-addr", "127.0.0.1:9464", "listen `address` of GET /metrics (Prometheus), for the operator's network only; empty: no metrics listener")
	cert := fs.String("tls-cert", "", "TLS certificate `FILE` (PEM)")
	key := fs.String("tls-key", "", "TLS key `FILE` (PEM)")
	smtpAddr := fs.String("smtp", "", "SMTP relay `host:port` for e-mail confirmations")
	mailFrom := fs.String("mail-from", "", "sender `address` of e-mail confirmations")
	letters := fs.String("letters", "", "spool `DIR` for postal confirmation letters")
	fasPub := fs.String("fas-pubkey", "", "public key `FILE` of the federal authentication service")
	authLimit := portal.DefaultAuthFailureLimit
	fs.Var(rateLimitFlag{&authLimit}, "auth-fail-limit", "refused authentications allowed per source address, as N/DURATION, or off (then 429)")
	intakeLimit := portal.DefaultIntakeLimit
	fs.Var(rateLimitFlag{&intakeLimit}, "intake-limit", "complaints filed per source address, as N/DURATION, or off (then 429)")
	proxies := fs.String("trusted-proxy", "", "reverse `proxies` in front of guichetd (addresses or networks, comma-separated): their X-Forwarded-For names the client")
	frameAncestors := fs.String("frame-ancestors", "", "zone websites allowed to embed the citizen's form (`origins`, comma-separated, such as https://www.police.be)")
	var idFlags identificationFlags
	idFlags.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := idFlags.check(); err != nil {
		return err
	}
	trusted, err := portal.ParseTrustedProxies(*proxies)
	if err != nil {
		return err
	}
	if (*cert == "") != (*key == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if (*smtpAddr == "") != (*mailFrom == "") {
		return errors.New("--smtp and --mail-from go together")
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	prom := metrics.New(logger)
	opts := portal.Options{Logger: logger, SMTPAddr: *smtpAddr, MailFrom: *mailFrom, LettersDir: *letters, OutboxLease: *outboxLease,
		AuthFailureLimit: authLimit, IntakeLimit: intakeLimit, TrustedProxies: trusted, Metrics: prom}
	if *fasPub != "" {
		pub, err := portal.ReadFASPublicKey(*fasPub)
		if err != nil {
			return err
		}
		opts.FASPublicKey = pub
	}
	// Listen first: the development FAS's issuer is the listener's address.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	ident, err := newIdentification(idFlags, ln.Addr(), *cert != "")
	if err != nil {
		return err
	}
	if ident != nil && ident.Dev != nil {
		logger.Warn(devfas.Warning, "issuer", ident.Dev.Issuer())
	}
	formOpts := citizen.Options{Logger: logger, FrameAncestors: splitList(*frameAncestors)}
	ident.configure(&opts, &formOpts)
	srv, err := openDB(*db, opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	prom.Watch(srv)
	form, err := citizen.New(srv, formOpts)
	if err != nil {
		return err
	}

	notifierDone := make(chan struct{})
	go func() { srv.Run(ctx); close(notifierDone) }()

	hs := &http.Server{
		Handler:           ident.Mount(form.Mount(srv.Handler())),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
	}
	serveErr := make(chan error, 2)
	var ms *http.Server
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("metrics listener: %w", err)
		}
		ms = metricsServer(prom.Handler(), logger)
		logger.Info("metrics listening", "addr", mln.Addr().String())
		go func() {
			if err := ms.Serve(mln); err != http.ErrServerClosed {
				serveErr <- fmt.Errorf("metrics listener: %w", err)
			}
		}()
	}
	logger.Info("guichetd listening", "addr", ln.Addr().String(), "tls", *cert != "",
		"smtp", *smtpAddr != "", "letters", *letters != "", "fas", *fasPub != "",
		"oidc_issuer", ident.issuer(), "dev_fas", idFlags.devFAS,
		"auth_fail_limit", authLimit.String(), "intake_limit", intakeLimit.String(),
		"citizen_form", formURL(ln.Addr().String(), *cert != ""))
	go func() {
		if *cert != "" {
			serveErr <- hs.ServeTLS(ln, *cert, *key)
		} else {
			serveErr <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = hs.Shutdown(shutCtx)
	if ms != nil {
		ms.Shutdown(shutCtx)
	}
	<-notifierDone
	return err
}

// metricsServer serves GET /metrics and nothing else.
func metricsServer(h http.Handler, logger *slog.Logger) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// formURL is the address of the citizen's form on a listener.
func formURL(addr string, tls bool) string {
	scheme := "http"
	if tls {
		scheme = "https"
	}
	return scheme + "://" + addr + "/"
}

// splitList reads a comma-separated flag value; empty items are dropped.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func cmdOfficerAdd(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("officer add", stderr)
	zone := fs.String("zone", "", "zone `code`")
	name := fs.String("name", "", "officer's `name`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := openDB(*db, portal.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	token, o, err := srv.AddOfficer(*zone, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "officer %s (%s) added to zone %s. The token is shown only now; give it to the officer:\n", o.ID, textsafe.Line(o.Name), *zone)
	fmt.Fprintln(stdout, token)
	return nil
}

func cmdOfficerList(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("officer list", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := openDB(*db, portal.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	list, err := srv.ListOfficers()
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(list)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tZONE\tNAME\tCREATED\tREVOKED")
	for _, o := range list {
		revoked := "-"
		if o.RevokedAt != nil {
			revoked = o.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.ID, o.Zone, textsafe.Line(o.Name), o.CreatedAt.Format(time.RFC3339), revoked)
	}
	return tw.Flush()
}

func cmdOfficerRevoke(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("officer revoke", stderr)
	id := fs.String("id", "", "officer `ID`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id == "" && fs.NArg() == 1 {
		*id = fs.Arg(0)
	}
	srv, err := openDB(*db, portal.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.RevokeOfficer(*id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "officer %s revoked\n", *id)
	return nil
}

func cmdSeed(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("seed", stderr)
	zone := fs.String("zone", "", "zone `code`")
	count := fs.Int("count", 100, "how many complaints")
	seed := fs.Int64("seed", time.Now().UnixNano(), "random `seed`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *count < 1 || *count > 1_000_000 {
		return errors.New("--count must be between 1 and 1000000")
	}
	srv, err := openDB(*db, portal.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	start := time.Now()
	refs, err := demodata.Seed(context.Background(), srv, *zone, *count, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "filed %d complaints in zone %s in %s\n", len(refs), *zone, time.Since(start).Round(time.Millisecond))
	return nil
}

func cmdAudit(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("audit", stderr)
	var f portal.AuditFilter
	fs.StringVar(&f.Zone, "zone", "", "only this zone")
	fs.StringVar(&f.Ref, "ref", "", "only this complaint reference")
	fs.StringVar(&f.Officer, "officer", "", "only this officer id")
	asJSON := fs.Bool("json", false, "print JSON lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := openDB(*db, portal.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	events, err := srv.Audit(f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, e := range events {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AT (UTC)\tORIGIN\tOFFICER\tZONE\tKIND\tREF\tFIELD\tOUTCOME\tDETAIL")
	for _, e := range events {
		// Workstations post these texts: never let them drive the terminal.
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.At.Format("2006-01-02 15:04:05.000"),
			textsafe.Line(e.Origin), textsafe.Line(e.Officer), textsafe.Line(e.Zone), textsafe.Line(e.Kind),
			textsafe.Line(e.Reference), textsafe.Line(e.Field), textsafe.Line(e.Outcome), auditDetail(e))
	}
	return tw.Flush()
}

// rateLimitFlag reads a portal.RateLimit ("20/1m", "off").
type rateLimitFlag struct{ l *portal.RateLimit }

func (f rateLimitFlag) String() string {
	if f.l == nil {
		return ""
	}
	return f.l.String()
}

func (f rateLimitFlag) Set(s string) error {
	l, err := portal.ParseRateLimit(s)
	if err != nil {
		return err
	}
	*f.l = l
	return nil
}

// cmdOutbox shows the confirmations to citizens per channel: how many wait,
// are being retried, failed for good (a failed e-mail is replaced by a
// letter) or were sent. --failed and --pending list them by reference,
// channel and error code: never a name or an address.
func cmdOutbox(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("outbox", stderr)
	failed := fs.Bool("failed", false, "list the confirmations that failed for good")
	pending := fs.Bool("pending", false, "list the confirmations waiting to be sent")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *failed && *pending {
		return errors.New("--failed or --pending, not both")
	}
	srv, err := openDB(*db, portal.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	if *failed || *pending {
		state := "failed"
		if *pending {
			state = "pending"
		}
		items, err := srv.OutboxItems(state, 0)
		if err != nil {
			return err
		}
		if *asJSON {
			if items == nil {
				items = []portal.OutboxItem{}
			}
			return json.NewEncoder(stdout).Encode(items)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tREFERENCE\tCHANNEL\tATTEMPTS\tWHEN (UTC)\tLAST ERROR")
		for _, it := range items {
			when := ""
			switch {
			case it.FailedAt != nil:
				when = "failed " + it.FailedAt.Format("2006-01-02 15:04:05")
			case it.NextAttempt != nil:
				when = "next " + it.NextAttempt.Format("2006-01-02 15:04:05")
			}
			lastErr := textsafe.Line(it.LastError)
			if it.Replaces != 0 {
				lastErr = strings.TrimSpace(fmt.Sprintf("replaces e-mail %d %s", it.Replaces, lastErr))
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", it.ID, textsafe.Line(it.Reference), it.Channel, it.Attempts, when, lastErr)
		}
		return tw.Flush()
	}
	counts, err := srv.OutboxCounts()
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(counts)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CHANNEL\tPENDING\tRETRYING\tFAILED\tSENT")
	for _, c := range counts {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\n", c.Channel, c.Pending, c.Retrying, c.Failed, c.Sent)
	}
	return tw.Flush()
}

// auditDetail is an event's detail, flagged when the workstation gave it
// an impossible time (At is then its receipt).
func auditDetail(e portal.AuditRecord) string {
	d := textsafe.Line(e.Detail)
	if e.ClaimedAt != nil {
		d = strings.TrimSpace(d + " [impossible time from the workstation: " + e.ClaimedAt.Format(time.RFC3339) + "; stored at receipt]")
	}
	return d
}

func cmdZonesImport(args []string, stdout, stderr io.Writer) error {
	fs, db := newFlags("zones import", stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("zones import needs one CSV file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	srv, err := openDB(*db, portal.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	n, err := srv.ImportZones(f, "admin")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "zone table replaced: %d zones (restart a running guichetd to use it)\n", n)
	return nil
}

const notForProduction = "WARNING: development FAS key/assertion — NOT FOR PRODUCTION. Real assertions come from the federal authentication service."

func cmdFASDevKey(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fas dev-key", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "fas-dev", "file `PREFIX`: writes PREFIX.key (private) and PREFIX.pub")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintln(stderr, notForProduction)
	if _, err := portal.WriteFASDevKey(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s.key (private, 0600) and %s.pub (give it to guichetd serve --fas-pubkey)\n", *out, *out)
	return nil
}

func cmdFASDevAssert(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fas dev-assert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keyFile := fs.String("key", "fas-dev.key", "private key `FILE` from dev-key")
	var a portal.Assertion
	fs.StringVar(&a.NationalNumber, "nn", "", "national register `number`")
	fs.StringVar(&a.FirstName, "first", "", "first `name`")
	fs.StringVar(&a.LastName, "last", "", "last `name`")
	fs.StringVar(&a.Method, "method", "eid", "eid or token")
	ttl := fs.Duration("ttl", 10*time.Minute, "validity (at most 1h)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintln(stderr, notForProduction)
	if a.NationalNumber == "" || a.FirstName == "" || a.LastName == "" {
		return errors.New("--nn, --first and --last are required")
	}
	if a.Method != "eid" && a.Method != "token" {
		return errors.New("--method must be eid or token")
	}
	priv, err := portal.ReadFASPrivateKey(*keyFile)
	if err != nil {
		return err
	}
	now := time.Now()
	a.IssuedAt, a.ExpiresAt = now.Unix(), now.Add(*ttl).Unix()
	fmt.Fprintln(stdout, portal.SignAssertion(priv, a))
	return nil
}
