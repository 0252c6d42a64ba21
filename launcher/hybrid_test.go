//go:build linux

package launcher_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/launcher"
)

// A hybrid job on one host is one process holding every rank, joined to
// the bus, with the rank list and its host in the environment.
func TestHybridModeEnvironment(t *testing.T) {
	cfg, out, errb := helperConfig(3, "env")
	cfg.Mode = launcher.ModeHybrid
	cfg.Oversubscribe = true
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("Run: %v\n%s", err, errb)
	}
	want := regexp.MustCompile(`^rank= size=3 mode=hybrid job=\w+ url=nats://127\.0\.0\.1:\d+ `)
	if !want.MatchString(out.String()) || strings.Count(out.String(), "mode=") != 1 {
		t.Fatalf("stdout %q, want one process matching %v", out, want)
	}
}

// A hybrid process's failure names the rank that failed first, not the
// process, and gorun exits with its code, as in process mode.
func TestHybridModeBlame(t *testing.T) {
	for _, tc := range []struct {
		args []string
		rank int
		code int
	}{
		{[]string{"blame", "2", "error"}, 2, 1},
		{[]string{"blame", "1", "panic"}, 1, 2},
		{[]string{"abortjob", "2", "7"}, 2, 7},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Parallel()
			cfg, _, errb := helperConfig(3, tc.args...)
			cfg.Mode = launcher.ModeHybrid
			cfg.Oversubscribe = true
			cfg.Grace = noSIGKILL
			err := launcher.Run(context.Background(), cfg)
			var ee *launcher.ExitError
			if !errors.As(err, &ee) || ee.Rank != tc.rank || launcher.ExitCode(err) != tc.code {
				t.Fatalf("Run = %v, want rank %d with exit code %d; stderr:\n%s", err, tc.rank, tc.code, errb)
			}
		})
	}
}

// A hybrid process gets no job token but the credentials of the ranks it
// holds, one connection per rank: rank 0's may send frames as rank 0 but
// not as rank 1, nor report progress as rank 1.
func TestHybridRankPermissions(t *testing.T) {
	cfg, out, errb := helperConfig(2, "hybridperm")
	cfg.Mode = launcher.ModeHybrid
	cfg.Oversubscribe = true
	if err := launcher.Run(context.Background(), cfg); err != nil {
		t.Fatalf("Run: %v\n%s", err, errb)
	}
	want := "sent frame-as-0\nrefused frame-as-1\nrefused progress-as-1\n"
	if out.String() != want {
		t.Fatalf("stdout %q, want %q; stderr:\n%s", out, want, errb)
	}
}
