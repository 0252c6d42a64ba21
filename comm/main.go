package comm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/gorun-dev/gorun/comm/jobenv"
	"github.com/nats-io/nats.go"
)

// ExitError asks Main to exit with Code after printing Err.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Exit wraps err so that Main exits with code (2 for bad input, by the
// convention of the gorun programs).
func Exit(code int, err error) error { return &ExitError{Code: code, Err: err} }

// Main is the whole main function of an SPMD program. It joins the world
// the environment describes and runs fn on this process's rank(s):
//   - started by gorun in process mode (GORUN_MODE=processes, GORUN_URL):
//     this process is one rank on the job's NATS bus;
//   - otherwise (gorun --mode goroutines, or no launcher at all): a world
//     of GORUN_SIZE goroutine ranks in this process (default 1).
//
// SIGINT and SIGTERM cancel ctx. Main never returns: it exits 0 when fn
// succeeded on every local rank, the code of an *ExitError, or 1, after
// printing the error to stderr as "<program>: rank R: <error>".
func Main(fn RankFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := runMain(ctx, fn)
	stop()
	os.Exit(report(err))
}

func runMain(ctx context.Context, fn RankFunc) error {
	mode := os.Getenv(jobenv.EnvMode)
	if mode == jobenv.ModeProcesses && os.Getenv(jobenv.EnvURL) != "" {
		c, err := joinNATSFromEnv(ctx)
		if err != nil {
			return fmt.Errorf("comm: joining the job: %w", err)
		}
		return RunWorld(ctx, []*Comm{c}, withUsageReport(fn))
	}
	n := 1
	if s := os.Getenv(jobenv.EnvSize); s != "" && mode != jobenv.ModeProcesses {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return Exit(2, fmt.Errorf("comm: bad %s=%q", jobenv.EnvSize, s))
		}
		n = v
	}
	comms, err := NewWorld(n)
	if err != nil {
		return err
	}
	if mode == jobenv.ModeGoroutines && os.Getenv(jobenv.EnvURL) != "" {
		closeBus := reportProgressOnBus(comms)
		defer closeBus()
	}
	return RunWorld(ctx, comms, fn)
}

// reportProgressOnBus connects a goroutine world started by gorun to the
// job's bus, only so that Progress reaches the launcher's bar; the ranks
// themselves never use the bus. Without a bus, progress is dropped.
func reportProgressOnBus(comms []*Comm) (close func()) {
	token, err := jobenv.Token()
	if err != nil {
		return func() {}
	}
	nc, err := nats.Connect(os.Getenv(jobenv.EnvURL), nats.Token(token), nats.NoReconnect(),
		nats.Name("gorun goroutine ranks "+os.Getenv(jobenv.EnvJob)))
	if err != nil {
		return func() {}
	}
	for _, c := range comms {
		c.SetProgress(newProgressReporter(nc, os.Getenv(jobenv.EnvJob), c.Rank()))
	}
	return func() {
		reportUsage(nc, -1) // flushes the final progress reports too
		nc.Close()
	}
}

func report(err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", progName(), err)
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var pe *PanicError
	if errors.As(err, &pe) {
		return 2 // like an unrecovered Go panic
	}
	return 1
}

func progName() string {
	if len(os.Args) == 0 {
		return "gorun-program"
	}
	name := os.Args[0]
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			return name[i+1:]
		}
	}
	return name
}
