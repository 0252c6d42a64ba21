package costmodel_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/cmd/internal/costmodel"
)

func TestReadReportBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, body, want string
	}{
		{"not json", "op,mode\n", "not a commbench --fit report"},
		{"no shape", `{"collectives":[{"op":"bcast"}]}`, "ranks 0, nodes 0"},
		{"bad link", `{"ranks":2,"nodes":1,"links":[{"mode":"nats","alpha_us":-1,"beta_MBps":5}],"collectives":[{"op":"bcast"}]}`, `link 0 ("nats")`},
		{"no collectives", `{"ranks":2,"nodes":1}`, "no collectives measured"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".json")
			if err := os.WriteFile(path, []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := costmodel.ReadReport(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want one naming %s and containing %q", err, path, tc.want)
			}
		})
	}
	if _, err := costmodel.ReadReport(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}
