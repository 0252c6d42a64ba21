//go:build linux

package launcher_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/gorun-dev/gorun/launcher"
)

func TestValidate(t *testing.T) {
	cpus := launcher.CPUs()
	tests := []struct {
		name string
		cfg  launcher.Config
		want string // substring of the error; "" for valid
	}{
		{name: "zero value with a program", cfg: launcher.Config{Program: "true"}},
		{name: "no program", cfg: launcher.Config{}, want: "no program"},
		{name: "negative size", cfg: launcher.Config{Program: "true", Size: -1}, want: "-n -1"},
		{name: "bad mode", cfg: launcher.Config{Program: "true", Mode: "threads"}, want: `--mode "threads"`},
		{name: "oversubscribed", cfg: launcher.Config{Program: "true", Size: cpus + 1},
			want: fmt.Sprintf("%d ranks but only %d CPUs in the affinity mask: add --oversubscribe", cpus+1, cpus)},
		{name: "oversubscribed goroutines", cfg: launcher.Config{Program: "true", Size: cpus + 1, Mode: launcher.ModeGoroutines},
			want: "add --oversubscribe"},
		{name: "oversubscribe allowed", cfg: launcher.Config{Program: "true", Size: cpus + 1, Oversubscribe: true}},
		{name: "negative timeout", cfg: launcher.Config{Program: "true", Timeout: -1}, want: "--timeout"},
		{name: "env KEY", cfg: launcher.Config{Program: "true", Env: []string{"HOME", "A=b=c"}}},
		{name: "env empty key", cfg: launcher.Config{Program: "true", Env: []string{"=x"}}, want: `-x "=x"`},
		{name: "env GORUN_RANK", cfg: launcher.Config{Program: "true", Env: []string{"GORUN_RANK=3"}}, want: "GORUN_RANK is set by gorun"},
		{name: "env GORUN_TOKEN", cfg: launcher.Config{Program: "true", Env: []string{"GORUN_TOKEN"}}, want: "GORUN_TOKEN is set by gorun"},
		{name: "env other GORUN_", cfg: launcher.Config{Program: "true", Env: []string{"GORUN_DEBUG=1"}}},
		{name: "server", cfg: launcher.Config{Program: "true", Server: "nats://10.0.0.1:4222"}},
		{name: "server not a URL", cfg: launcher.Config{Program: "true", Server: "10.0.0.1:4222"}, want: "want nats://HOST:PORT"},
		{name: "server with credentials", cfg: launcher.Config{Program: "true", Server: "nats://tok@h:4222"}, want: "not in the URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ue *launcher.UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want a UsageError containing %q", err, tt.want)
			}
			if launcher.ExitCode(err) != launcher.ExitUsage {
				t.Errorf("ExitCode = %d, want %d", launcher.ExitCode(err), launcher.ExitUsage)
			}
		})
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 0},
		{&launcher.ExitError{Rank: 1, Code: 3}, 3},
		{fmt.Errorf("wrapped: %w", &launcher.ExitError{Rank: 1, Code: 137, Signal: syscall.SIGKILL}), 137},
		{&launcher.SignalError{Signal: syscall.SIGINT}, 130},
		{&launcher.SignalError{Signal: syscall.SIGTERM}, 143},
		{&launcher.TimeoutError{}, 124},
		{&launcher.UsageError{Msg: "x"}, 2},
		{&launcher.StartError{Program: "x", Err: exec.ErrNotFound}, 127},
		{&launcher.StartError{Program: "x", Err: syscall.EACCES}, 126},
		{&launcher.StartError{Program: "x", Err: &os.PathError{Op: "fork/exec", Path: "/x", Err: syscall.ENOEXEC}}, 126},
		// fork failing at the process limit is the launcher's failure,
		// not a program that is not executable
		{&launcher.StartError{Program: "x", Err: &os.PathError{Op: "fork/exec", Path: "/x", Err: syscall.EAGAIN}}, 125},
		{&launcher.StartError{Program: "x", Err: &os.PathError{Op: "fork/exec", Path: "/x", Err: syscall.ENOMEM}}, 125},
		{errors.New("launcher: bus: boom"), 125},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.err), func(t *testing.T) {
			if got := launcher.ExitCode(tt.err); got != tt.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}

func TestCPUs(t *testing.T) {
	// The runtime also counts the affinity mask, not the hardware.
	if n := launcher.CPUs(); n != runtime.NumCPU() {
		t.Errorf("CPUs = %d, runtime.NumCPU = %d", n, runtime.NumCPU())
	}
}
