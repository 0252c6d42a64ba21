//go:build linux

package launcher_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorun-dev/gorun/launcher"
)

// A job ends within about a second of its first failure, but starting
// and ending race-instrumented processes on a
// busy machine can take seconds. So the tests that time a job give its
// ranks a grace period (noSIGKILL) far beyond slack: a job that ends in
// time ended by SIGTERM or on its own, not by the SIGKILL after the grace
// period, and not by the safety-net timeout.
const (
	slack     = 6 * time.Second
	noSIGKILL = 25 * time.Second
)

func TestRankFailure(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		args     []string
		rank     int
		code     int
		msg      string
		minWall  time.Duration
		maxExtra time.Duration // beyond slack
	}{
		{name: "exit code", n: 3, args: []string{"exit", "2", "3"}, rank: 2, code: 3,
			msg: "rank 2 exited with code 3"},
		{name: "panic", n: 2, args: []string{"panic", "1"}, rank: 1, code: 2,
			msg: "rank 1 exited with code 2 after panic: boom"},
		{name: "kill -9", n: 2, args: []string{"kill9", "1"}, rank: 1, code: 137,
			msg: "rank 1 killed by signal 9 (killed)"},
		{name: "rank 0 fails", n: 2, args: []string{"exit", "0", "1"}, rank: 0, code: 1,
			msg: "rank 0 exited with code 1"},
		{name: "kill -9 inside Allreduce", n: 3, args: []string{"allreduce", "1"}, rank: 1, code: 137,
			msg: "rank 1 killed by signal 9 (killed)"},
		// The survivors ignore SIGTERM: SIGKILL after the grace period.
		{name: "sigterm ignored", n: 3, args: []string{"stubborn", "1"}, rank: 1, code: 4,
			msg: "rank 1 exited with code 4", minWall: launcher.DefaultGrace, maxExtra: launcher.DefaultGrace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, _, errb := helperConfig(tt.n, tt.args...)
			cfg.Env = append(cfg.Env, helperDirEnv+"="+t.TempDir())
			if tt.minWall == 0 {
				cfg.Grace = noSIGKILL
			}
			t0 := time.Now()
			err := launcher.Run(context.Background(), cfg)
			wall := time.Since(t0)
			var ee *launcher.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("Run = %v, want *ExitError; stderr:\n%s", err, errb)
			}
			if ee.Rank != tt.rank || ee.Code != tt.code || err.Error() != tt.msg {
				t.Errorf("Run = %+v (%q), want rank %d code %d %q", ee, err, tt.rank, tt.code, tt.msg)
			}
			if got := launcher.ExitCode(err); got != tt.code {
				t.Errorf("ExitCode = %d, want %d", got, tt.code)
			}
			if wall < tt.minWall || wall > slack+tt.maxExtra {
				t.Errorf("job took %v, want [%v, %v]", wall, tt.minWall, slack+tt.maxExtra)
			}
			t.Logf("%s: %v", err, wall)
		})
	}
}

func TestJobEndsEarly(t *testing.T) {
	tests := []struct {
		name   string
		mode   launcher.Mode
		setup  func(cfg *launcher.Config) context.Context
		target error
		code   int
		// A process job that timed out gives its ranks half the grace
		// period to report what they were blocked on before SIGTERM.
		graceful bool
	}{
		{name: "timeout", setup: func(cfg *launcher.Config) context.Context {
			cfg.Timeout = 300 * time.Millisecond
			return context.Background()
		}, target: &launcher.TimeoutError{}, code: launcher.ExitTimeout, graceful: true},
		{name: "timeout goroutines", mode: launcher.ModeGoroutines, setup: func(cfg *launcher.Config) context.Context {
			cfg.Timeout = 300 * time.Millisecond
			return context.Background()
		}, target: &launcher.TimeoutError{}, code: launcher.ExitTimeout},
		{name: "SIGINT", setup: func(cfg *launcher.Config) context.Context {
			sigs := make(chan os.Signal, 1)
			cfg.Signals = sigs
			cfg.Observers = []launcher.Observer{observerFunc(func(ctx context.Context, j *launcher.Job) error {
				sigs <- syscall.SIGINT
				return nil
			})}
			return context.Background()
		}, target: &launcher.SignalError{}, code: 130},
		{name: "SIGTERM", setup: func(cfg *launcher.Config) context.Context {
			sigs := make(chan os.Signal, 1)
			cfg.Signals = sigs
			cfg.Observers = []launcher.Observer{observerFunc(func(ctx context.Context, j *launcher.Job) error {
				sigs <- syscall.SIGTERM
				return nil
			})}
			return context.Background()
		}, target: &launcher.SignalError{}, code: 143},
		{name: "context", setup: func(cfg *launcher.Config) context.Context {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			_ = cancel
			return ctx
		}, target: context.DeadlineExceeded, code: launcher.ExitInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, _, errb := helperConfig(3, "hang")
			cfg.Mode = tt.mode
			limit := slack + 300*time.Millisecond
			if tt.graceful {
				limit += launcher.DefaultGrace
			} else {
				cfg.Grace = noSIGKILL
			}
			ctx := tt.setup(&cfg)
			t0 := time.Now()
			err := launcher.Run(ctx, cfg)
			wall := time.Since(t0)
			var ok bool
			switch target := tt.target.(type) {
			case *launcher.TimeoutError:
				ok = errors.As(err, &target)
			case *launcher.SignalError:
				ok = errors.As(err, &target)
			default:
				ok = errors.Is(err, target)
			}
			if !ok {
				t.Fatalf("Run = %v (%T), want %T; stderr:\n%s", err, err, tt.target, errb)
			}
			if got := launcher.ExitCode(err); got != tt.code {
				t.Errorf("ExitCode(%v) = %d, want %d", err, got, tt.code)
			}
			if wall > limit {
				t.Errorf("job took %v, want under %v", wall, limit)
			}
			if strings.Contains(errb.String(), "rank") {
				t.Errorf("stderr names a rank after the job was ended from outside:\n%s", errb)
			}
			t.Logf("%v after %v", err, wall)
		})
	}
}

type observerFunc func(ctx context.Context, j *launcher.Job) error

func (f observerFunc) Observe(ctx context.Context, j *launcher.Job) error { return f(ctx, j) }

// A second signal kills ranks that ignore the first at once, without
// waiting for the grace period.
func TestSecondSignalKills(t *testing.T) {
	cfg, out, errb := helperConfig(2, "ignoreterm")
	cfg.Grace = 20 * time.Second
	sigs := make(chan os.Signal, 2)
	cfg.Signals = sigs
	cfg.Observers = []launcher.Observer{observerFunc(func(ctx context.Context, j *launcher.Job) error {
		waitFor(t, 10*time.Second, "ranks to ignore SIGTERM", func() bool {
			return strings.Count(out.String(), "ignoring SIGTERM") == 2
		})
		sigs <- syscall.SIGTERM
		sigs <- syscall.SIGTERM
		return nil
	})}
	t0 := time.Now()
	err := launcher.Run(context.Background(), cfg)
	wall := time.Since(t0)
	var se *launcher.SignalError
	if !errors.As(err, &se) || launcher.ExitCode(err) != 143 {
		t.Fatalf("Run = %v, want interrupted by SIGTERM (143); stderr:\n%s", err, errb)
	}
	if wall > 10*time.Second {
		t.Errorf("job took %v after a second signal; the grace period (20s) was not cut short", wall)
	}
}

// The rank that failed first is the one named, with its own exit code,
// whichever rank the launcher happens to reap first: the ranks that fail
// only because it did (a Recv from it, or from another such rank) are
// never blamed.
func TestBlameFirstFailure(t *testing.T) {
	trials := 50
	if testing.Short() {
		trials = 10
	}
	tests := []struct {
		kind, msg string
		code      int
	}{
		{"error", "rank 1 exited with code 1", 1},
		{"panic", "rank 1 exited with code 2 after panic: boom", 2},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			wrong := 0
			for i := range trials {
				cfg, _, errb := helperConfig(3, "blame", "1", tt.kind)
				err := launcher.Run(context.Background(), cfg)
				var ee *launcher.ExitError
				if !errors.As(err, &ee) || ee.Rank != 1 || ee.Code != tt.code || err.Error() != tt.msg {
					wrong++
					t.Errorf("trial %d: Run = %v, want %q (code %d); stderr:\n%s", i, err, tt.msg, tt.code, errb)
				}
				if wrong > 3 {
					t.Fatalf("%d wrong of %d", wrong, i+1)
				}
			}
		})
	}
}

// On --timeout every rank blocked in comm says, in plain words, what it
// was waiting for: a deadlock report.
func TestTimeoutNamesBlockedCalls(t *testing.T) {
	cfg, _, errb := helperConfig(3, "deadlock")
	cfg.Timeout = 3 * time.Second
	// The notice, not SIGTERM after half the grace period, must end the
	// ranks, however busy the machine.
	cfg.Grace = noSIGKILL
	err := launcher.Run(context.Background(), cfg)
	var te *launcher.TimeoutError
	if !errors.As(err, &te) || launcher.ExitCode(err) != launcher.ExitTimeout {
		t.Fatalf("Run = %v, want a timeout (exit %d); stderr:\n%s", err, launcher.ExitTimeout, errb)
	}
	if err.Error() != "job timed out after 3s" {
		t.Errorf("Run = %q, want %q", err, "job timed out after 3s")
	}
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	for r := range 3 {
		want := regexp.MustCompile(fmt.Sprintf(`^\[rank %d\] .*: rank %d: comm: blocked \d+\.\ds waiting for a message from rank %d with tag 5: comm: aborted: job timed out after 3s$`, r, r, (r+1)%3))
		if !slices.ContainsFunc(lines, want.MatchString) {
			t.Errorf("no line matches %v; stderr:\n%s", want, errb)
		}
	}
	if strings.Contains(errb.String(), "-1") {
		t.Errorf("stderr shows the notice's raw rank -1:\n%s", errb)
	}
}

// comm's AbortJob ends every rank at once, and gorun exits with its code
// and names its rank, in both modes.
func TestAbortJob(t *testing.T) {
	for _, mode := range []launcher.Mode{launcher.ModeProcesses, launcher.ModeGoroutines} {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			cfg, _, errb := helperConfig(3, "abortjob", "1", "7")
			cfg.Mode = mode
			cfg.Grace = noSIGKILL
			t0 := time.Now()
			err := launcher.Run(context.Background(), cfg)
			wall := time.Since(t0)
			rank := 1
			if mode == launcher.ModeGoroutines {
				rank = -1
			}
			var ee *launcher.ExitError
			if !errors.As(err, &ee) || ee.Rank != rank || launcher.ExitCode(err) != 7 {
				t.Fatalf("Run = %v, want rank %d's exit code 7; stderr:\n%s", err, rank, errb)
			}
			if !strings.Contains(errb.String(), "rank 1: job aborted: bad data") {
				t.Errorf("stderr does not say why:\n%s", errb)
			}
			if wall > slack {
				t.Errorf("job took %v to end, want under %v", wall, slack)
			}
		})
	}
}
