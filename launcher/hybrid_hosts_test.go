//go:build linux

package launcher_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/launcher"
)

// Across hosts a hybrid job runs one process per host, each holding that
// host's ranks; a collective spans them, and a failure on one host names
// its rank and ends the job with its code.
func TestHostsHybrid(t *testing.T) {
	t.Run("allreduce", func(t *testing.T) {
		cfg, out, errb := hostsConfig(3, "tagged")
		cfg.Mode = launcher.ModeHybrid
		if err := launcher.Run(context.Background(), cfg); err != nil {
			t.Fatalf("Run: %v\n%s", err, errb)
		}
		for _, l := range []string{"[rank 0] hello from 0", "[rank 1] hello from 1", "[rank 2] hello from 2"} {
			if !strings.Contains(out.String(), l) {
				t.Errorf("no line %q in:\n%s", l, out)
			}
		}
	})
	t.Run("blame", func(t *testing.T) {
		cfg, _, errb := hostsConfig(3, "blame", "2", "error")
		cfg.Mode = launcher.ModeHybrid
		err := launcher.Run(context.Background(), cfg)
		var ee *launcher.ExitError
		if !errors.As(err, &ee) || ee.Rank != 2 || ee.Code != 1 {
			t.Fatalf("Run: %v (%#v), want rank 2 exited with code 1\n%s", err, ee, errb)
		}
	})
}
