package comm_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gorun-dev/gorun/comm"
)

// mainHelperEnv makes the test binary run comm.Main (os/exec's
// TestHelperProcess pattern, done in TestMain so no test framework starts).
const mainHelperEnv = "COMM_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainHelperEnv) == "1" {
		comm.Main(func(ctx context.Context, c *comm.Comm) error {
			fmt.Printf("rank %d of %d\n", c.Rank(), c.Size())
			return nil
		})
	}
	os.Exit(m.Run())
}

// runMain runs comm.Main in a child with only env of the contract set.
func runMain(t *testing.T, env ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GORUN_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, append([]string{mainHelperEnv + "=1", "GORACE=atexit_sleep_ms=0"}, env...)...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running %s: %v", os.Args[0], err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// Main runs a goroutine world unless the environment says this process is
// one rank; half of a rank's contract is an error (exit 2), never a world
// of its own that ignores GORUN_RANK.
func TestMainEnvironment(t *testing.T) {
	tests := []struct {
		name   string
		env    []string
		code   int
		stdout string
		stderr string
	}{
		{name: "alone", code: 0, stdout: "rank 0 of 1\n"},
		{name: "goroutine world", env: []string{"GORUN_SIZE=2", "GORUN_MODE=goroutines"}, code: 0, stdout: "rank 0 of 2\n"},
		{name: "rank without mode", env: []string{"GORUN_RANK=1", "GORUN_SIZE=2"}, code: 2,
			stderr: `comm: GORUN_RANK=1 is set but GORUN_MODE="" is not "processes"`},
		{name: "rank in goroutine mode", env: []string{"GORUN_RANK=0", "GORUN_MODE=goroutines"}, code: 2,
			stderr: `comm: GORUN_RANK=0 is set but GORUN_MODE="goroutines" is not "processes"`},
		{name: "bad mode", env: []string{"GORUN_MODE=process"}, code: 2,
			stderr: `comm: GORUN_MODE="process": want "processes", "goroutines" or "hybrid"`},
		{name: "processes without a bus", env: []string{"GORUN_MODE=processes", "GORUN_RANK=0", "GORUN_SIZE=1"}, code: 2,
			stderr: "comm: GORUN_MODE=processes but GORUN_URL is not set"},
		{name: "hybrid without ranks", env: []string{"GORUN_MODE=hybrid", "GORUN_URL=nats://127.0.0.1:1", "GORUN_SIZE=2"}, code: 2,
			stderr: "comm: GORUN_MODE=hybrid but GORUN_RANKS is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runMain(t, tt.env...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if tt.stdout != "" && !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout %q, want it to contain %q", stdout, tt.stdout)
			}
			if !strings.Contains(stderr, tt.stderr) || (tt.stderr == "") != (stderr == "") {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
		})
	}
}
