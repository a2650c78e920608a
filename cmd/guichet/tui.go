package main

import (
	"context"
	"fmt"
)

// runTUI starts the interactive workstation. This placeholder only explains
// how to configure a portal or try the demo; the TUI replaces it.
func runTUI(ctx context.Context, cfg Config) int {
	_ = ctx
	for _, lang := range []string{"fr", "nl", "de", "en"} {
		fmt.Fprintln(cfg.Stderr, msg(lang, "tui_not_configured"))
		fmt.Fprintln(cfg.Stderr)
	}
	return exitFailure
}
