package main

import (
	"errors"
	"fmt"
	"sort"

	"guichet/config"
	"guichet/tui"
)

// bindingNames are the action names a key.* line of the configuration may
// rebind: the TUI's own KeyMap names, so the two never drift apart.
func bindingNames() []string {
	var out []string
	for name := range tui.NewKeyMap("en").Bindings() {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// checkKeys validates the configuration's key bindings against the TUI and
// returns the key map to use (the defaults with the rebinding applied).
func checkKeys(c config.Config, lang string) (*tui.KeyMap, error) {
	if err := c.ValidateKeys(bindingNames()); err != nil {
		return nil, errors.New(config.Localized(lang, err))
	}
	k := tui.NewKeyMap(lang)
	if len(c.Keys) > 0 {
		if err := k.Rebind(c.Keys); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// cmdConfig prints the effective configuration, one setting a line with
// where it came from (flag, environment, file line, default). The token is
// never printed, only whether it is set. Bad key bindings are reported
// after the listing, with exit code 2.
func cmdConfig(a *app, args []string) int {
	fs := newFlagSet("config")
	if _, code, ok := a.parse(fs, args); !ok {
		return code
	}
	if err := a.cfg.Settings.Print(a.cfg.Stdout); err != nil {
		return a.fail(a.m().Error, err)
	}
	if _, err := checkKeys(a.cfg.Settings, a.cfg.Lang); err != nil {
		fmt.Fprintln(a.cfg.Stderr, "guichet: "+err.Error())
		return exitUsage
	}
	return exitOK
}
