// Command guichet is the police officer's workstation for the online
// complaint desk: by default a full-screen terminal UI over the zone's
// queue, and for scripts, plain terminals and screen readers a set of
// subcommands over the same local cache and the same action layer:
//
//	guichet [global flags]                    the TUI (explains setup when no portal is configured)
//	guichet --demo                            the TUI on an embedded, seeded portal
//	guichet sync [--from OLDCACHE]            push queued actions and audit, pull the feed
//	                                          (--from: also those of a cache left behind)
//	guichet list [--status S] [--type T] [--search Q] [--json]
//	guichet show REF [--json]
//	guichet copy REF FIELD [--stdout] [--clear-after D]
//	guichet claim REF | release REF
//	guichet handle REF --pv PV
//	guichet reject REF --reason R
//	guichet forward REF --zone Z [--reason R]
//	guichet conflicts [--json]
//	guichet purge [--days N]
//	guichet help
//
// Global flags (anywhere on the line; a flag beats its environment variable):
// --server URL (GUICHET_SERVER), --token T (GUICHET_TOKEN), --db FILE
// (GUICHET_DB), --lang fr|nl|de|en (GUICHET_LANG, then the locale),
// --insecure, --demo.
//
// Exit codes: 0 success, 1 failure, 2 usage (bad flags or arguments, an
// action the local rules refuse as malformed), 3 conflict (an action the
// status rules or the portal refused because of the complaint's state).
//
// Every string that comes from a complaint or from the network is passed
// through textsafe before it reaches the terminal or the clipboard; --json
// output escapes control and format characters as \uXXXX so it is safe to
// print too (the JSON schema is described in json.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	stdsync "sync"
	"syscall"
	"text/tabwriter"
	"unicode/utf8"

	"guichet/complaint"
	"guichet/config"
	"guichet/i18n"
	"guichet/sync"
	"guichet/textsafe"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitConflict = 3
)

func main() {
	// SIGHUP too: a closed terminal or SSH session must still end the
	// program cleanly (the demo removes its temporary folder, the cache is
	// closed).
	cfg := Config{Env: os.Getenv, Stdout: os.Stdout, Stderr: os.Stderr, Signals: func(ctx context.Context) (context.Context, context.CancelFunc) {
		return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	}}
	// OSC 52 goes to the controlling terminal even when stdout is piped.
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		cfg.Terminal = tty
		defer tty.Close()
	}
	code := runConfig(context.Background(), cfg, os.Args[1:])
	os.Exit(code)
}

// run is guichet with explicit arguments, environment and outputs: the whole
// program minus the process (tests call it in-process).
func run(args []string, env func(string) string, stdout, stderr io.Writer) int {
	return runConfig(context.Background(), Config{Env: env, Stdout: stdout, Stderr: stderr}, args)
}

// globalFlags are accepted before and after the subcommand.
type globalFlags struct {
	server, token, db, lang string
	insecure, demo          bool
	configFile, theme       string
	accessible              bool
}

// register defines the global flags on fs with their current values as
// defaults: a subcommand's flag set registers them again, and what was
// given before the subcommand must survive (flag.StringVar sets the
// variable to the default it is given).
func (g *globalFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&g.server, "server", g.server, "")
	fs.StringVar(&g.token, "token", g.token, "")
	fs.StringVar(&g.db, "db", g.db, "")
	fs.StringVar(&g.lang, "lang", g.lang, "")
	fs.BoolVar(&g.insecure, "insecure", g.insecure, "")
	fs.BoolVar(&g.demo, "demo", g.demo, "")
	fs.StringVar(&g.configFile, "config", g.configFile, "")
	fs.StringVar(&g.theme, "theme", g.theme, "")
	fs.BoolVar(&g.accessible, "accessible", g.accessible, "")
}

// globalFlagSet reports whether a global flag was given to fs.
func globalFlagSet(fs *flag.FlagSet) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || isGlobal(f.Name) })
	return set
}

// isGlobal reports whether name is a global flag.
func isGlobal(name string) bool {
	var g globalFlags
	fs := newFlagSet("")
	g.register(fs)
	return fs.Lookup(name) != nil
}

// resolve fills cfg with package config's precedence: flags, then the
// environment, then the configuration file ($XDG_CONFIG_HOME/guichet/config,
// which may also name a token_file), then defaults. A bad setting is
// reported in the officer's language.
func (g *globalFlags) resolve(cfg *Config) error {
	flags := map[string]string{}
	for k, v := range map[string]string{"server": g.server, "token": g.token, "db": g.db, "lang": g.lang, "config": g.configFile, "theme": g.theme} {
		if v != "" {
			flags[k] = v
		}
	}
	if g.insecure {
		flags["insecure"] = "true"
	}
	if g.accessible {
		flags["accessible"] = "true"
	}
	c, err := config.Load(cfg.Env, flags)
	cfg.Lang = c.Lang
	if cfg.Lang == "" {
		cfg.Lang = resolveLang(g.lang, cfg.Env)
	}
	if err != nil {
		return errors.New(config.Localized(cfg.Lang, err))
	}
	cfg.Server, cfg.Token, cfg.DB, cfg.Zone = c.Server, c.Token, c.DB, c.Zone
	cfg.ClearAfter, cfg.RetentionDays = c.ClipboardClear, c.RetentionDays
	cfg.Settings = c
	cfg.Insecure = g.insecure
	cfg.Demo = g.demo
	return nil
}

// runConfig parses args over the base configuration and runs the command.
func runConfig(ctx context.Context, cfg Config, args []string) int {
	if cfg.Env == nil {
		cfg.Env = func(string) string { return "" }
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	if cfg.Terminal == nil {
		// No controlling terminal (a script, cron): OSC 52 has nowhere to
		// go, and must never land in a redirected output.
		cfg.Terminal = noTerminal{}
	}
	var g globalFlags
	fs := newFlagSet("guichet")
	g.register(fs)
	err := fs.Parse(args)
	cfg.Lang = resolveLang(g.lang, cfg.Env) // for the usage message, even after a bad flag
	a := &app{ctx: ctx, cfg: cfg, g: &g}
	if errors.Is(err, flag.ErrHelp) {
		a.usageFor(a.cfg.Stdout, fs)
		return exitOK
	}
	if err != nil {
		return a.usageError(a.flagError(err))
	}
	if err := g.resolve(&a.cfg); err != nil {
		return a.usageError(err)
	}
	rest := fs.Args()
	if len(rest) == 0 || !readingCommands[rest[0]] {
		defer a.catchSignals()()
	}
	if len(rest) == 0 {
		return runTUI(a.ctx, a.cfg)
	}
	if a.cfg.Demo {
		return a.usageError(errors.New(a.t(a.m().DemoNoSubcommand)))
	}
	name, cmdArgs := rest[0], rest[1:]
	cmd, ok := commands[name]
	if spec, isAction := actionSpecOfCommand(name); !ok && isAction {
		cmd, ok = actionCommand(spec), true
	}
	if !ok {
		return a.usageError(errors.New(a.t(a.m().UnknownCommand, name)))
	}
	return cmd(a, cmdArgs)
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// commands maps each subcommand to its function; the subcommands of the
// actions come from complaint's action table (actionCommand).
var commands map[string]func(*app, []string) int

func init() {
	commands = map[string]func(*app, []string) int{
		"help":      cmdHelp,
		"sync":      cmdSync,
		"list":      cmdList,
		"show":      cmdShow,
		"copy":      cmdCopy,
		"conflicts": cmdConflicts,
		"purge":     cmdPurge,
		"config":    cmdConfig,
	}
}

// readingCommands only read the cache (their consultation goes to the
// audit journal, not to the file): they catch no signal, and an interrupt
// ends them where they are, with nothing to undo. Setting up os/signal
// starts a thread of its own and waits for it once per signal (measured:
// about 2.5 ms of CPU, 25 page faults and 55 context switches of a 45 ms
// `guichet list`). One that must rebuild a damaged cache catches them
// from then on (rebuild).
var readingCommands = map[string]bool{"list": true, "show": true, "conflicts": true}

// catchSignals makes the command's context end at SIGINT, SIGTERM or
// SIGHUP, once; the function it returns stops catching them.
func (a *app) catchSignals() func() {
	if a.cfg.Signals == nil || a.catching {
		return func() {}
	}
	a.catching = true
	ctx, stop := a.cfg.Signals(a.ctx)
	a.ctx = ctx
	return func() { stop() }
}

// app is one run of a subcommand.
type app struct {
	ctx context.Context
	cfg Config
	g   *globalFlags
	// catching: the context ends at an interrupt (catchSignals).
	catching bool

	// damaged: an error of this command said the cache is damaged;
	// withCache rebuilds it (cache_recovery.go), and runs the command
	// again on the new cache when rerun is set. notices are what the
	// officer was told about it, for the TUI's first screen.
	damaged, rerun bool
	notices        []string
	debug          *sync.DebugLog // raw errors, beside the cache (nil: not open)
}

// t is a message in the officer's language; string and error arguments are
// sanitized here, so nothing that came from a complaint or the network
// reaches the terminal raw.
func (a *app) t(f i18n.Fmt, args ...any) string {
	if len(args) == 0 {
		return string(f)
	}
	return f.F(safeArgs(args)...)
}

// m are the sentences of guichet in the officer's language.
func (a *app) m() *i18n.CLIMessages { return &i18n.For(a.cfg.Lang).CLI.Messages }

func safeArgs(args []any) []any {
	out := make([]any, len(args))
	for i, v := range args {
		switch v := v.(type) {
		case string:
			out[i] = textsafe.Line(v)
		case error:
			out[i] = textsafe.Line(v.Error())
		case fmt.Stringer:
			out[i] = textsafe.Line(v.String())
		default:
			out[i] = v
		}
	}
	return out
}

// say prints a message line on stdout.
func (a *app) say(f i18n.Fmt, args ...any) { fmt.Fprintln(a.cfg.Stdout, a.t(f, args...)) }

// warn prints a message line on stderr.
func (a *app) warn(f i18n.Fmt, args ...any) { fmt.Fprintln(a.cfg.Stderr, a.t(f, args...)) }

// fail prints a message on stderr and returns the failure exit code.
func (a *app) fail(f i18n.Fmt, args ...any) int {
	if err := a.noteDamage(args); err != nil {
		a.warn(a.m().CacheDamaged, err)
		return exitFailure
	}
	a.warn(f, args...)
	return exitFailure
}

// usageError prints why the command line is wrong and how to get help.
func (a *app) usageError(err error) int {
	fmt.Fprintln(a.cfg.Stderr, "guichet: "+textsafe.Line(err.Error()))
	a.warn(a.m().SeeHelp)
	return exitUsage
}

// parse parses a subcommand's flags (the global flags included) wherever
// they appear among the positional arguments, and checks the number of
// positional arguments. Everything after "--" is positional.
func (a *app) parse(fs *flag.FlagSet, args []string, positional ...string) ([]string, int, bool) {
	a.g.register(fs)
	var tail []string
	for i, s := range args {
		if s == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				a.usageFor(a.cfg.Stdout, fs)
				return nil, exitOK, false
			}
			return nil, a.usageError(a.flagError(err)), false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	pos = append(pos, tail...)
	// runConfig resolved the configuration before the subcommand; only a
	// global flag after it changes it (each resolution reads the
	// environment and the configuration file).
	if globalFlagSet(fs) {
		if err := a.g.resolve(&a.cfg); err != nil {
			return nil, a.usageError(err), false
		}
	}
	if len(pos) != len(positional) {
		return nil, a.usageError(errors.New(a.t(a.m().WantArgs, fs.Name(), strings.Join(positional, " ")))), false
	}
	return pos, 0, true
}

func cmdHelp(a *app, args []string) int {
	fs := newFlagSet("guichet")
	a.g.register(fs)
	a.usageFor(a.cfg.Stdout, fs)
	return exitOK
}

// usage prints the localized help; the actions' lines come from
// complaint's action table, so a new action is in the help with its
// subcommand.
func (a *app) usage(w io.Writer) {
	fmt.Fprintln(w, a.t(a.m().Usage))
	for _, line := range actionUsage(a.cfg.Lang) {
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, a.t(a.m().UsageEnd))
}

// usageColumn is where the help's descriptions start, after the
// subcommand's line.
const usageColumn = 35

// actionUsage is the help's line of each action's subcommand: its
// arguments (one per input, optional ones in brackets) and the help text
// of its key in the workstation.
func actionUsage(lang string) []string {
	c := i18n.For(lang)
	var lines []string
	for _, s := range complaint.Actions {
		var b strings.Builder
		b.WriteString("  guichet " + s.Command + " REF")
		for _, in := range s.Inputs {
			arg := c.Message("cli.arg." + in.Input.Flag())
			if arg == "cli.arg."+in.Input.Flag() {
				arg = strings.ToUpper(in.Input.Flag())
			}
			if in.Required {
				b.WriteString(" --" + in.Input.Flag() + " " + arg)
			} else {
				b.WriteString(" [--" + in.Input.Flag() + " " + arg + "]")
			}
		}
		b.WriteString(strings.Repeat(" ", max(2, usageColumn-utf8.RuneCountInString(b.String()))))
		b.WriteString(c.Message("tui." + s.Labels.Key))
		lines = append(lines, textsafe.Line(b.String()))
	}
	return lines
}

// usageFor prints the help and then every flag fs knows, with what it
// does in the officer's language: the list is made from the flag set
// itself, so no flag that exists can be missing from it.
func (a *app) usageFor(w io.Writer, fs *flag.FlagSet) {
	a.usage(w)
	var own, global []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if isGlobal(f.Name) {
			global = append(global, f)
		} else {
			own = append(own, f)
		}
	})
	list := func(title string, flags []*flag.Flag) {
		if len(flags) == 0 {
			return
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, f := range flags {
			fmt.Fprintf(tw, "  --%s\t%s\n", f.Name, i18n.For(a.cfg.Lang).Message("cli.flag."+f.Name))
		}
		tw.Flush()
	}
	if fs.Name() != "guichet" {
		list(a.t(a.m().FlagsOf, fs.Name()), own)
	}
	list(a.t(a.m().FlagsGlobal), global)
}

// flagErrorPatterns recognise the flag package's errors; compiled at the
// first bad flag, not at every start.
var flagErrorPatterns = stdsync.OnceValue(func() []flagErrorPattern {
	return []flagErrorPattern{
		{regexp.MustCompile(`^flag provided but not defined: -+(.*)$`), func(m *i18n.CLIMessages) i18n.Fmt { return m.FlagUnknown }},
		{regexp.MustCompile(`^flag needs an argument: -+(.*)$`), func(m *i18n.CLIMessages) i18n.Fmt { return m.FlagNeedsValue }},
		{regexp.MustCompile(`^invalid (?:boolean )?value "(?:.*)" for (?:flag )?-+([^:]*):`), func(m *i18n.CLIMessages) i18n.Fmt { return m.FlagBadValue }},
		{regexp.MustCompile(`^bad flag syntax: (.*)$`), func(m *i18n.CLIMessages) i18n.Fmt { return m.FlagBadSyntax }},
	}
})

// flagErrorPattern is one error of the flag package and its message.
type flagErrorPattern struct {
	re  *regexp.Regexp
	msg func(*i18n.CLIMessages) i18n.Fmt
}

// flagError says a flag error of the flag package in the officer's language.
func (a *app) flagError(err error) error {
	for _, p := range flagErrorPatterns() {
		if m := p.re.FindStringSubmatch(err.Error()); m != nil {
			return errors.New(a.t(p.msg(a.m()), m[1]))
		}
	}
	return err
}

// reference reads a complaint reference from the command line: spaces
// and case do not matter; something that cannot be a reference is a
// usage error (exit 2) that says so.
func (a *app) reference(s string) (string, int, bool) {
	ref, ok := complaint.NormalizeReference(s)
	if !ok {
		return "", a.usageError(errors.New(a.t(a.m().BadReference, s))), false
	}
	return ref, exitOK, true
}

// isSet reports whether the flag name was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// errNoTerminal: OSC 52 needs a terminal and there is none.
var errNoTerminal = errors.New("no terminal")

// noTerminal refuses OSC 52 sequences when the program has no terminal.
type noTerminal struct{}

func (noTerminal) Write([]byte) (int, error) { return 0, errNoTerminal }
