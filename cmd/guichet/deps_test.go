package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestGuichetLinksNoPrometheus: the workstation embeds the portal for its
// demo, but not the portal's Prometheus metrics (package portal/metrics,
// guichetd's only): client_golang and protobuf cost every start of
// guichet their init and their size. Nor x/text's display names, whose
// init builds a matcher over all its languages (the TUI reads its own
// table of names).
func TestGuichetLinksNoPrometheus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "prometheus") || strings.HasPrefix(pkg, "google.golang.org/protobuf") || pkg == "guichet/portal/metrics" ||
			pkg == "golang.org/x/text/language/display" {
			t.Errorf("guichet links %s", pkg)
		}
	}
}
